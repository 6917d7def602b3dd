"""DRF glue for ``apps.core.permissions``: no rule lives here, only the translation of the
one tenancy mechanism (``for_user`` and ``municipality_scope``) into HTTP answers.

Conventions every endpoint follows (and the permission matrix in ``tests/api`` checks):

- an object you may not **view** does not exist for you: **404**;
- an object you may view but not **edit** / **review**: **403**;
- creating (or moving) an object into a municipality outside your edit scope: **403**, and
  nothing is written; a referenced object (e.g. ``local_indicator``) you may not view is a
  **400** field error "does not exist", exactly like an id that does not exist;
- anonymous writes: **401**.
"""

from __future__ import annotations

from rest_framework import permissions


class ReadAnyoneWriteAuthenticated(permissions.BasePermission):
    """Reads are open (the queryset decides what is visible); writes need a login.

    Object-level and municipality-level decisions are the queryset's and
    ``apps.core.permissions.require_scope``'s.
    """

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )
