"""Shared admin behaviour: querysets and object permissions come from ``for_user``."""

from __future__ import annotations

from simple_history.admin import SimpleHistoryAdmin

from apps.core.permissions import Action, can


class TenantAdmin(SimpleHistoryAdmin):
    """Admin for municipality-owned rows: lists what the user may view, changes what they may edit.

    Django's own model permissions still apply on top (only staff reach the admin at all).
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.for_user(request.user, Action.VIEW) if hasattr(queryset, "for_user") else queryset

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can(request.user, Action.EDIT, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can(request.user, Action.EDIT, obj))


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Reference data is loaded by ``load_reference``, never typed in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
