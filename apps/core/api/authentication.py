"""API authentication: token first, then the session (which keeps Django's CSRF check)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token

from apps.core.sql import column, fetch_all, instance_from_row, model_columns, table


class UserTokenAuthentication(TokenAuthentication):
    """DRF's ``TokenAuthentication`` with the user read by one raw query joining the token
    (the ORM's ``select_related`` lookup cost more to compile than to run, on every request).

    Same answers (``Invalid token.`` / ``User inactive or deleted.``); ``request.auth`` is the
    token.
    """

    model = Token

    def authenticate_credentials(self, key):
        User = get_user_model()
        rows = fetch_all(User, "token_user", _token_user_sql, [key])
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        *values, created = rows[0]
        user = instance_from_row(User, values)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = instance_from_row(Token, [key, user.pk, created])
        token.user = user
        return user, token


def _token_user_sql(connection) -> str:
    User = get_user_model()
    return (
        f"SELECT {model_columns(connection, User, 'u')}, t.{column(connection, Token, 'created')} "
        f"FROM {table(connection, Token)} t INNER JOIN {table(connection, User)} u "
        f"ON t.{column(connection, Token, 'user')} = u.{column(connection, User, 'pk')} "
        f"WHERE t.{column(connection, Token, 'key')} = %s"
    )


# Token first: an anonymous write then gets 401 with ``WWW-Authenticate: Token`` instead of a
# bare 403.
AUTHENTICATION = [UserTokenAuthentication, SessionAuthentication]
