from django.urls import path

from . import views

app_name = "vlr"
urlpatterns = [
    path("m/<str:code>/vlr/", views.edition_list, name="edition_list"),
    path("vlr/<int:pk>/", views.edition_detail, name="edition"),
    path("vlr/<int:pk>/preview/", views.edition_preview, name="preview"),
    path("vlr/<int:pk>/checklist/", views.edition_checklist_save, name="checklist"),
    path("vlr/<int:pk>/goals/", views.goal_narratives_save, name="goal_narratives"),
    path("vlr/<int:pk>/report.<str:fmt>", views.edition_report, name="report"),
    path("vlr/<int:pk>/submission.zip", views.edition_submission, name="submission"),
    path("vlr/<int:pk>/transition/", views.edition_transition, name="transition"),
    path("vlr/<int:pk>/comments/", views.comment_add, name="comment"),
    path("vlr/<int:pk>/sections/<int:section_pk>/", views.section_save, name="section"),
    path("vlr/<int:pk>/start-from/", views.edition_start_from, name="start_from"),
    path("vlr/<int:pk>/submissions/", views.submission_add, name="submission_add"),
    path("vlr/<int:pk>/submissions/<int:submission_pk>/file/", views.submission_file, name="submission_file"),
    path("vlr/<int:pk>/assessment/", views.assessment_page, name="assessment"),
    path("vlr/<int:pk>/assessment/panels/<int:panel_pk>/", views.panel_page, name="panel"),
    path("vlr/<int:pk>/workbook.xlsx", views.edition_workbook, name="workbook"),
    path("public/", views.public_list, name="public_list"),
    path("public/vlr/<int:pk>/", views.public_edition, name="public_edition"),
]
