"""Background tasks of the cross-app pages (README "Background jobs"): the whole-network export.

``network_export_run`` is the django-tasks task a worker runs for a job made by
:func:`apps.portal.services.network_export_start`; :func:`apps.core.jobs.job_run` records its
progress and outcome on the job.
"""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from apps.core.exceptions import ApplicationError
from apps.core.jobs import job_run

from .selectors import network_municipalities
from .services import EXPORTS_DIR, network_export_write, network_exports_prune


def _export(job, progress):
    if job.started_by is None:
        # The starter's account is gone: exporting as nobody would export as the system.
        raise ApplicationError(
            "작업을 시작한 계정이 없습니다 / the account that started the export no longer exists"
        )
    network_exports_prune()  # the zips of earlier exports past their retention period
    municipalities = list(network_municipalities(job.started_by))
    progress("exporting", 0, len(municipalities))
    # Written to a temporary file, then streamed to the storage: the zip of 243 cities is
    # hundreds of megabytes, never held in memory.
    with tempfile.TemporaryFile() as out:
        count = network_export_write(
            municipalities=municipalities,
            year=job.params["year"],
            file=out,
            user=job.started_by,
            progress=progress,
        )
        out.seek(0)
        name = default_storage.save(f"{EXPORTS_DIR}/network_{job.pk}_{job.params['year']}.zip", File(out))
    size = default_storage.size(name)
    message = f"지자체 {count}곳의 VLR 통합문서 / VLR workbooks of {count} municipalities ({size:,} bytes)"
    return message, {
        "file": name,
        "municipalities": count,
        "bytes": size,
        "download": reverse("municipalities:network_export_download", args=[job.pk]),
    }


@task()
def network_export_run(job_id: int) -> str:
    return job_run(job_id, _export, every=1)
