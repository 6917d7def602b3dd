from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("m/<str:code>/gaps/", views.gap_matrix, name="gap_matrix"),
]
