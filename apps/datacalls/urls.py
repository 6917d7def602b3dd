from django.urls import path

from . import views

app_name = "datacalls"
urlpatterns = [
    path("m/<str:code>/data-calls/", views.data_call_list, name="list"),
    path("m/<str:code>/data-calls/<int:pk>/", views.data_call_detail, name="detail"),
    path("m/<str:code>/data-calls/<int:pk>/close/", views.data_call_close_view, name="close"),
    path("m/<str:code>/data-calls/<int:pk>/owed/", views.data_call_owed, name="owed"),
]
