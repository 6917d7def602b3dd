"""Background tasks of this app (README "Background jobs"): a large city's report PDF.

``report_run`` is the django-tasks task a worker runs for a job made by
:func:`apps.vlr.exports.report.report_start`; :func:`apps.core.jobs.job_run` records its
outcome on the job. The file is kept in the default storage (``MEDIA_ROOT``, never served as
static media) under ``reports/job-<id>/`` and downloaded through the report's own URL with
``?job=<id>``, which checks who may see the job.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from apps.core.jobs import job_run

from .exports.report import report_bytes
from .models import Edition


def _report(job, progress):
    edition = Edition.objects.select_related("municipality").get(pk=job.params["edition"])
    fmt, lang = job.params["format"], job.params["lang"]
    progress("rendering")
    content = report_bytes(
        municipality=edition.municipality, edition=edition, user=job.started_by, fmt=fmt, lang=lang
    )
    path = default_storage.save(f"reports/job-{job.pk}/{job.file_name}", ContentFile(content))
    query = f"?format={fmt}&lang={lang}&job={job.pk}"
    result = {
        "file": path,
        "size": len(content),
        "download": reverse("vlr:report", args=[edition.pk, fmt]) + query,
        "api_download": reverse("api:edition-report", args=[edition.pk]) + query,
    }
    return f"{job.file_name} ({len(content) // 1024:,} KB)", result


@task()
def report_run(job_id: int) -> str:
    return job_run(job_id, _report)
