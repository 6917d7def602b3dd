"""``{% may_edit municipality as editable %}`` for pages of other apps that offer indicator
links (dashboard, goal page): the answer comes from apps.core.permissions (cached per request)."""

from __future__ import annotations

from django import template

from apps.core.permissions import can_edit

register = template.Library()


@register.simple_tag(takes_context=True)
def may_edit(context, municipality) -> bool:
    request = context.get("request")
    return bool(request and municipality and can_edit(request.user, municipality))
