"""The in-app list of notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.http import safe_next

from .models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient=request.user).select_related("actor")[:100]
    return render(request, "notifications/notification_list.html", {"notifications": items})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one (``id``) or all notifications read; go on to ``next`` (e.g. the edition)."""
    mine = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if request.POST.get("id"):
        mine = mine.filter(pk=request.POST["id"])
    mine.update(read_at=timezone.now())
    return redirect(safe_next(request, "notifications:list"))
