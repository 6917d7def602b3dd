from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("m/<str:code>/indicators/", views.indicator_list, name="list"),
    path("m/<str:code>/indicators/new/", views.indicator_form, name="create"),
    path("m/<str:code>/indicators/<int:pk>/", views.indicator_detail, name="detail"),
    path("m/<str:code>/indicators/<int:pk>/edit/", views.indicator_form, name="edit"),
    path("m/<str:code>/indicators/<int:pk>/retire/", views.indicator_retire, name="retire"),
    path(
        "m/<str:code>/indicators/<int:pk>/values/<int:observation>/delete/",
        views.observation_delete,
        name="observation_delete",
    ),
    path("m/<str:code>/indicators/<int:pk>/history/restore/", views.history_restore, name="history_restore"),
    path("m/<str:code>/indicators/<int:pk>/kosis-refresh/", views.kosis_refresh_view, name="kosis_refresh"),
    path("m/<str:code>/import/", views.import_page, name="import"),
    path("m/<str:code>/import/table/", views.import_table_page, name="import_table"),
]
