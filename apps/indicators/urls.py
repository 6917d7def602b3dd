from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("m/<str:code>/indicators/<int:pk>/", views.indicator_detail, name="detail"),
    path("m/<str:code>/import/", views.import_page, name="import"),
]
