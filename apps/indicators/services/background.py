"""Imports too long for a request run as background jobs (README "Background jobs")."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from apps.core.jobs import job_create
from apps.core.models import Job
from apps.core.spreadsheets import read_bytes

from ..tasks import SERVICES, import_run
from .imports import _require_edit


def import_in_background(file, background: bool | None = None) -> bool:
    """Whether an upload should be imported by a worker: when asked (``background``), else when
    it is larger than ``settings.IMPORT_BACKGROUND_BYTES``."""
    if background is not None:
        return background
    size = getattr(file, "size", None)
    return size is not None and size > settings.IMPORT_BACKGROUND_BYTES


@transaction.atomic
def import_start(*, kind: str, file, municipality=None, actor, dry_run: bool = False) -> Job:
    """Queue ``observations_import`` or ``indicators_import`` of ``file`` as a job run by a
    worker as ``actor`` (who is checked again there, row by row). The file is kept in the job
    until it ends."""
    if kind not in SERVICES:
        raise ValueError(f"unknown import {kind!r}")
    _require_edit(actor, municipality)
    content, name = read_bytes(file)
    return job_create(
        kind=kind,
        actor=actor,
        municipality_id=municipality.pk if municipality else None,
        file_name=name,
        payload=content,
        params={"dry_run": dry_run, "municipality": municipality.code if municipality else None},
        enqueue=import_run.enqueue,
    )
