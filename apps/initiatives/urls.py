from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("m/<str:code>/initiatives/", views.initiative_list, name="list"),
    path("m/<str:code>/initiatives/new/", views.initiative_form, name="create"),
    path("m/<str:code>/initiatives/<int:pk>/", views.initiative_detail, name="detail"),
    path("m/<str:code>/initiatives/<int:pk>/edit/", views.initiative_form, name="edit"),
    path("m/<str:code>/initiatives/<int:pk>/updates/", views.progress_update_add, name="update_add"),
]
