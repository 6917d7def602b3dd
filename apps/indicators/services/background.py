"""Imports and KOSIS refreshes too long for a request run as background jobs (README
"Background jobs")."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from apps.core.jobs import job_create
from apps.core.models import Job
from apps.core.spreadsheets import read_bytes

from ..models import LocalIndicator
from ..tasks import SERVICES, import_run, kosis_refresh_run
from .imports import _require_edit


def import_in_background(file, background: bool | None = None) -> bool:
    """Whether an upload should be imported by a worker: when asked (``background``), else when
    it is larger than ``settings.IMPORT_BACKGROUND_BYTES``."""
    if background is not None:
        return background
    size = getattr(file, "size", None)
    return size is not None and size > settings.IMPORT_BACKGROUND_BYTES


@transaction.atomic
def import_start(
    *,
    kind: str,
    file,
    municipality=None,
    actor,
    dry_run: bool = False,
    indicator: LocalIndicator | None = None,
    item: str = "",
    layout=None,
    sheet: str | None = None,
) -> Job:
    """Queue ``observations_import``, ``indicators_import`` or ``observations_import_table`` of
    ``file`` as a job run by a worker as ``actor`` (who is checked again there, row by row). The
    file is kept in the job until it ends; a table import also keeps the indicator, item, sheet
    and the ``layout`` (the mapping the person checked in the preview)."""
    if kind not in SERVICES:
        raise ValueError(f"unknown import {kind!r}")
    if indicator is not None:
        municipality = indicator.municipality
    _require_edit(actor, municipality)
    content, name = read_bytes(file)
    params = {"dry_run": dry_run, "municipality": municipality.code if municipality else None}
    if kind == "observations_import_table":
        params |= {
            "indicator": indicator.pk if indicator else None,
            "item": item,
            "sheet": sheet or None,
            "layout": layout.as_dict() if hasattr(layout, "as_dict") else layout,
        }
    return job_create(
        kind=kind,
        actor=actor,
        municipality_id=municipality.pk if municipality else None,
        file_name=name,
        payload=content,
        params=params,
        enqueue=import_run.enqueue,
    )


@transaction.atomic
def kosis_refresh_start(*, indicator: LocalIndicator, actor, dry_run: bool = False) -> Job:
    """Queue the KOSIS refresh of ``indicator`` (the indicator page's button, the API's
    ``background``) as a job whose result lists what the source revised."""
    _require_edit(actor, indicator.municipality)
    return job_create(
        kind="kosis_refresh",
        actor=actor,
        municipality_id=indicator.municipality_id,
        file_name=f"{indicator.code} (KOSIS)",
        params={"indicator": indicator.pk, "dry_run": dry_run},
        enqueue=kosis_refresh_run.enqueue,
    )
