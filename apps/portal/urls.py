"""Routes of the cross-app pages.

Each page keeps the URL name it had before it moved here (templates, redirects and tests use
them), so the routes are grouped by their historical namespace; vlrtracker/ui_urls.py includes
each group.
"""

from django.urls import path

from apps.municipalities import views as municipality_views

from . import views

core = (
    [
        path("", views.home, name="home"),
        path("switch/", views.switch_municipality, name="switch_municipality"),
    ],
    "core",
)

municipalities = (
    [
        path("network/", views.network, name="network"),
        path("network/export/", views.network_export, name="network_export"),
        path("network/export/<int:pk>/", views.network_export_download, name="network_export_download"),
        path("m/<str:code>/", views.dashboard, name="dashboard"),
        path("m/<str:code>/profile/", municipality_views.profile_edit, name="profile"),
    ],
    "municipalities",
)

sdg = (
    [
        path("m/<str:code>/goals/<int:number>/", views.goal_detail, name="goal"),
    ],
    "sdg",
)

reports = (
    [
        path("m/<str:code>/gaps/", views.gap_matrix, name="gap_matrix"),
    ],
    "reports",
)
