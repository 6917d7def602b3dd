"""The header's template helper (``{% load portal %}``): the user's municipalities, the current
one, whether they review a network and their unread notifications: it reads several apps."""

from __future__ import annotations

from django import template

from apps.core.permissions import reviews_anywhere
from apps.municipalities.pages import current_municipality_code, user_municipalities
from apps.notifications.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def nav(context):
    """What the header needs: the user's municipalities (switcher), the current one, whether
    they review a network, unread notifications. Computed once per request."""
    request = context.get("request")
    if request is None:
        return {}
    cached = getattr(request, "_ui_nav", None)
    if cached is not None:
        return cached
    user = request.user
    data = {"municipalities": [], "current": None, "reviewer": False, "unread": 0}
    if user.is_authenticated:
        data["municipalities"] = user_municipalities(user)
        data["current"] = current_municipality_code(request)
        data["reviewer"] = reviews_anywhere(user)
        data["unread"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    request._ui_nav = data
    return data
