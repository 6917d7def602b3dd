from django.urls import path

from . import views

app_name = "municipalities"
urlpatterns = [
    path("network/", views.network, name="network"),
    path("m/<str:code>/", views.dashboard, name="dashboard"),
]
