"""Background tasks of this app (README "Background jobs"): the spreadsheet and table imports
and the KOSIS refresh.

``import_run`` is the django-tasks task a worker runs for a job made by
:func:`apps.indicators.services.background.import_start` ; ``kosis_refresh_run`` for one made by ``kosis_refresh_start``;
:func:`apps.core.jobs.job_run` records its progress and outcome on the job.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django_tasks import task

from apps.core.jobs import job_run
from apps.municipalities.models import Municipality

from .models import LocalIndicator
from .services.indicators import indicators_import
from .services.kosis import kosis_refresh, kosis_refresh_all
from .services.observations import observations_import
from .services.tables import observations_import_table

SERVICES = {
    "observations_import": observations_import,
    "indicators_import": indicators_import,
    "observations_import_table": observations_import_table,
}


def _import(job, progress):
    municipality = Municipality.objects.get(pk=job.municipality_id) if job.municipality_id else None
    options = {}
    if job.kind == "observations_import_table":
        # The mapping the person checked in the preview, the indicator and item they chose.
        params = job.params
        options = {
            "indicator": LocalIndicator.objects.get(pk=params["indicator"])
            if params.get("indicator")
            else None,
            "item": params.get("item") or "",
            "layout": params.get("layout"),
            "sheet": params.get("sheet") or None,
        }
    report = SERVICES[job.kind](
        file=ContentFile(bytes(job.payload), name=job.file_name),
        municipality=municipality,
        actor=job.started_by,
        dry_run=bool(job.params.get("dry_run")),
        progress=progress,
        **options,
    )
    return report.summary(), report.as_dict()


def _kosis(job, progress):
    indicator = LocalIndicator.objects.select_related("municipality").get(pk=job.params["indicator"])
    report = kosis_refresh(
        indicator=indicator, actor=job.started_by, dry_run=bool(job.params.get("dry_run")), progress=progress
    )
    return report.summary(), report.as_dict()


@task()
def import_run(job_id: int) -> str:
    return job_run(job_id, _import)


@task()
def kosis_refresh_run(job_id: int) -> str:
    """One indicator's refresh started from the indicator page or the API."""
    return job_run(job_id, _kosis)


@task()
def kosis_refresh_task(dry_run: bool = False) -> list[str]:
    """The scheduled refresh of every indicator linked to KOSIS (README "KOSIS")."""
    return [f"{link.indicator.code}: {outcome}" for link, outcome in kosis_refresh_all(dry_run=dry_run)]
