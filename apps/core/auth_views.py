"""Password reset by e-mail: Django's own views, with links built from ``settings.SITE_URL``.

The link in the e-mail never comes from the request's Host header (which a client chooses),
so a reset requested through a forged host still points at our site.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"

    @property
    def extra_email_context(self) -> dict:
        return {"site_url": settings.SITE_URL}
