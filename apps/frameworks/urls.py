from django.urls import path

from . import views

app_name = "frameworks"
urlpatterns = [
    path("frameworks/", views.framework_list, name="list"),
    path("frameworks/<int:pk>/", views.framework_detail, name="detail"),
    path("frameworks/nodes/<int:pk>/", views.node_edit, name="node_edit"),
    path("m/<str:code>/framework/import/", views.import_page, name="import"),
]
