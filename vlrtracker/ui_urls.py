"""Web UI routes (server-rendered pages). Municipality pages live under /m/<code>/."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.core.auth_views import PasswordResetView
from apps.core.views import job_detail
from apps.portal import urls as portal

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by e-mail (Django's views; templates in templates/registration/).
    path("accounts/password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("", include(portal.core)),
    path("", include(portal.municipalities)),
    path("", include(portal.sdg)),
    path("", include("apps.frameworks.urls")),
    path("", include("apps.indicators.urls")),
    path("", include("apps.initiatives.urls")),
    path("", include("apps.evidence.urls")),
    path("", include("apps.vlr.urls")),
    path("", include(portal.reports)),
    path("", include("apps.datacalls.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("jobs/<int:pk>/", job_detail, name="job"),
]
