"""API authentication: token first, then the session (which keeps Django's CSRF check)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token

from apps.core.permissions import remember_scopes, scope_union_sql
from apps.core.sql import column, fetch_all, instance_from_row, model_columns, table


class UserTokenAuthentication(TokenAuthentication):
    """DRF's ``TokenAuthentication`` reading the token, its user and the user's municipality
    scopes (``apps.core.permissions``) with one plain-SQL query.

    Every API request needs all three; the ORM's ``select_related`` lookup cost more to compile
    than to run, and the scopes would be a second round trip. Same answers as DRF
    (``Invalid token.`` / ``User inactive or deleted.``); ``request.auth`` is the token.
    """

    model = Token

    def authenticate_credentials(self, key):
        User = get_user_model()
        rows = fetch_all(User, "token_user_scopes", _token_user_sql, [key])
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        values, created = rows[0][:-3], rows[0][-3]
        user = instance_from_row(User, values)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_scopes(user, [(row[-2], row[-1]) for row in rows if row[-1] is not None])
        token = instance_from_row(Token, [key, user.pk, created])
        token.user = user
        return user, token


def _token_user_sql(connection) -> str:
    """The user's columns and the token's creation time, once per scope row (or once with
    NULLs for a user without any)."""
    User = get_user_model()
    return (
        f"SELECT {model_columns(connection, User, 'u')}, t.{column(connection, Token, 'created')}, "
        f"s.municipality, s.kind "
        f"FROM {table(connection, Token)} t INNER JOIN {table(connection, User)} u "
        f"ON t.{column(connection, Token, 'user')} = u.{column(connection, User, 'pk')} "
        f"LEFT OUTER JOIN ({scope_union_sql(connection)}) s ON s.user_id = u.{column(connection, User, 'pk')} "
        f"WHERE t.{column(connection, Token, 'key')} = %s"
    )


# Token first: an anonymous write then gets 401 with ``WWW-Authenticate: Token`` instead of a
# bare 403.
AUTHENTICATION = [UserTokenAuthentication, SessionAuthentication]
