"""API token authentication: DRF's ``TokenAuthentication``, with the fast path ``token``.

With ``fast_path("token")`` the token, its user and the user's municipality scopes
(``apps.core.permissions``) are read by one plain-SQL statement whose text is built once per
process; off, DRF's own lookup runs (the ORM's ``select_related`` query, compiled on every
request) and the scopes are a second query when the view first needs them. Either way the
answers are DRF's: ``Invalid token.`` for an unknown key, ``User inactive or deleted.`` for an
inactive user, ``request.user`` the token's user and ``request.auth`` the token. Like DRF's,
it checks no password, so django-axes (which guards the logins that hand out tokens) is not
involved. ``tests/api/test_token_auth.py`` holds both paths to the same results.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from apps.core.permissions import remember_scopes, scope_union_sql
from apps.core.sql import column, fetch_all, instance_from_row, model_columns, table

from .fast import fast_path


class TokenAuthentication(authentication.TokenAuthentication):
    model = Token

    def authenticate_credentials(self, key):
        if not fast_path("token"):
            return super().authenticate_credentials(key)
        User = get_user_model()
        rows = fetch_all(Token, "token_user_scopes", _token_user_scopes_sql, [key])
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = instance_from_row(User, rows[0][:-3])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_scopes(user, [(row[-2], row[-1]) for row in rows if row[-1] is not None])
        token = instance_from_row(Token, [key, user.pk, rows[0][-3]])
        token.user = user
        return user, token


def _token_user_scopes_sql(connection) -> str:
    """The user's columns and the token's creation time, once per scope row of the user (or
    once, with NULL scope columns, for a user without any)."""
    User = get_user_model()
    user_pk = f"u.{column(connection, User, 'pk')}"
    return (
        f"SELECT {model_columns(connection, User, 'u')}, t.{column(connection, Token, 'created')}, "
        f"s.municipality, s.kind "
        f"FROM {table(connection, Token)} t INNER JOIN {table(connection, User)} u "
        f"ON t.{column(connection, Token, 'user')} = {user_pk} "
        f"LEFT OUTER JOIN ({scope_union_sql(connection)}) s ON s.user_id = {user_pk} "
        f"WHERE t.{column(connection, Token, 'key')} = %s"
    )
