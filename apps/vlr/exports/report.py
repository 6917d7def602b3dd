"""The report document of an edition (or of a municipality's year) as a file: one entry point
for the edition page, the API and ``export_report``; and, for a large city, the background job
that makes the PDF (README "Background jobs") and the file it leaves."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.core.jobs import job_create, job_for_user
from apps.core.models import Job, JobStatus
from apps.indicators.models import LocalIndicator
from apps.vlr.selectors.report import export_data

from .report_content import LANGS, report_content

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def check_choice(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ApplicationError(
            f"형식은 pdf 또는 docx입니다 / format must be pdf or docx (got {fmt!r})", code="bad_format"
        )
    if lang not in LANGS:
        raise ApplicationError(
            f"언어는 ko, en, both 중 하나입니다 / lang must be ko, en or both (got {lang!r})", code="bad_lang"
        )


def report_bytes(
    *, municipality, fmt: str, lang: str, year: int | None = None, edition=None, user=None
) -> bytes:
    """The report of ``edition`` (or of ``municipality``'s ``year``) as PDF or DOCX bytes.

    The data is :func:`export_data`'s: an approved or published edition's frozen snapshot, else
    live data, read as ``user`` may (None: an operator's command, every row)."""
    check_choice(fmt, lang)
    data = export_data(municipality=municipality, year=year, edition=edition, user=user)
    content = report_content(data, lang=lang)
    if fmt == "pdf":
        from .report_pdf import report_pdf

        return report_pdf(content)
    from .report_docx import report_docx

    return report_docx(content)


def report_filename(municipality, year: int, fmt: str, lang: str) -> str:
    return f"VLR_{municipality.code}_{year}_{lang}.{fmt}"


JOB_KIND = "vlr_report"


def report_in_background(edition, fmt: str) -> bool:
    """Whether the edition's ``fmt`` document is made by a worker rather than in the request:
    a PDF of a city with more than ``settings.REPORT_BACKGROUND_INDICATORS`` indicators (a
    300-indicator PDF takes 15-20 s of CPU; the DOCX stays a few seconds and is made at once)."""
    if fmt != "pdf":
        return False
    indicators = LocalIndicator.objects.filter(municipality_id=edition.municipality_id, retired_at=None)
    return indicators.count() > settings.REPORT_BACKGROUND_INDICATORS


@transaction.atomic
def report_start(*, edition, fmt: str, lang: str, actor) -> Job:
    """Queue the making of the edition's report as a job run by a worker as ``actor`` (the data
    is read as they may read it, then). Only a logged-in user can follow a job."""
    from apps.vlr.tasks import report_run  # the task module imports this one

    check_choice(fmt, lang)
    if not getattr(actor, "is_authenticated", False):
        raise ApplicationError("로그인이 필요합니다 / log in to make this report", code="not_authenticated")
    return job_create(
        kind=JOB_KIND,
        actor=actor,
        municipality_id=edition.municipality_id,
        file_name=report_filename(edition.municipality, edition.year, fmt, lang),
        params={"edition": edition.pk, "format": fmt, "lang": lang},
        enqueue=report_run.enqueue,
    )


def report_job_file(*, user, job_id, edition):
    """The file a finished report job of ``edition`` left, as ``(file, name, content type)``, if
    ``user`` may see the job; raises ``Job.DoesNotExist`` otherwise, ``ApplicationError``
    while it is not ready."""
    if not str(job_id).isdigit():
        raise Job.DoesNotExist
    job = job_for_user(user, int(job_id))
    if job.kind != JOB_KIND or job.params.get("edition") != edition.pk:
        raise Job.DoesNotExist
    if job.status != JobStatus.SUCCEEDED:
        raise ApplicationError(
            f"보고서가 아직 준비되지 않았습니다 ({job.get_status_display()}) / the report is not ready "
            f"({job.status})",
            code="not_ready",
        )
    return default_storage.open(job.result["file"], "rb"), job.file_name, FORMATS[job.params["format"]]
