"""The page of a background job: progress while it runs (htmx polls the same URL), then its
report or its errors."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .jobs import job_for_user
from .models import Job


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = job_for_user(request.user, pk)
    except Job.DoesNotExist:
        raise Http404 from None
    template = "core/job_status.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, {"job": job})
