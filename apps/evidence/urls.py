from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("m/<str:code>/evidence/", views.inbox, name="inbox"),
    path("m/<str:code>/evidence/add/", views.document_add, name="add"),
    path("evidence/documents/<int:pk>/", views.document_detail, name="document"),
    path("evidence/documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("evidence/documents/<int:pk>/link/", views.link_create, name="link_create"),
    path("evidence/documents/<int:pk>/dismiss/", views.document_dismiss, name="dismiss"),
    path("evidence/links/<int:pk>/decide/", views.link_decide, name="decide"),
]
