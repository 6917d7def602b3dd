"""Routes of the cross-app pages.

Each page keeps the URL name it had before it moved here (templates, redirects and tests use
them), so the routes are grouped by their historical namespace; vlrtracker/ui_urls.py includes
each group. ``sdg:target_search`` is the SDG app's own view, routed here because a namespace
is defined once.
"""

from django.urls import path

from apps.sdg.views import target_search

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
        path("m/<str:code>/", views.dashboard, name="dashboard"),
    ],
    "municipalities",
)

sdg = (
    [
        path("m/<str:code>/goals/<int:number>/", views.goal_detail, name="goal"),
        path("targets/search/", target_search, name="target_search"),
    ],
    "sdg",
)

reports = (
    [
        path("m/<str:code>/gaps/", views.gap_matrix, name="gap_matrix"),
    ],
    "reports",
)
