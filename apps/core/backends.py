"""Authentication backends."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login form (they all pass the HTTP request).

    ``authenticate()`` called without a request (a shell, a management command, the test
    client's ``login()``) is no login form: there is no client to count, so nothing is checked
    here and the next backend decides, where django-axes would raise an error.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
