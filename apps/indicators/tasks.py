"""Background tasks of this app (README "Background jobs"): the spreadsheet imports.

``import_run`` is the django-tasks task a worker runs for a job made by
:func:`apps.indicators.services.background.import_start`; :func:`apps.core.jobs.job_run` records
its progress and outcome on the job.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django_tasks import task

from apps.core.jobs import job_run
from apps.municipalities.models import Municipality

from .services.indicators import indicators_import
from .services.observations import observations_import

SERVICES = {"observations_import": observations_import, "indicators_import": indicators_import}


def _import(job, progress):
    municipality = Municipality.objects.get(pk=job.municipality_id) if job.municipality_id else None
    report = SERVICES[job.kind](
        file=ContentFile(bytes(job.payload), name=job.file_name),
        municipality=municipality,
        actor=job.started_by,
        dry_run=bool(job.params.get("dry_run")),
        progress=progress,
    )
    return report.summary(), report.as_dict()


@task()
def import_run(job_id: int) -> str:
    return job_run(job_id, _import)


@task()
def kosis_refresh_task(dry_run: bool = False) -> list[str]:
    """The scheduled refresh of every indicator linked to KOSIS (README "KOSIS")."""
    from .services.kosis import kosis_refresh_all

    return [f"{link.indicator.code}: {outcome}" for link, outcome in kosis_refresh_all(dry_run=dry_run)]
