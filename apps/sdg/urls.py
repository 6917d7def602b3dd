from django.urls import path

from . import views

app_name = "sdg"
urlpatterns = [
    path("m/<str:code>/goals/<int:number>/", views.goal_detail, name="goal"),
    path("targets/search/", views.target_search, name="target_search"),
]
