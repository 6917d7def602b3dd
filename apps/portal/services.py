"""Writes that span several apps: the whole network's VLR workbooks in one zip
(``manage.py export_network`` and the network page's background job)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import PermissionDeniedError
from apps.core.jobs import job_create
from apps.core.models import Job
from apps.core.permissions import Action, municipality_scope
from apps.vlr.exports.vlr_workbook import vlr_workbook_build, vlr_workbook_filename

NETWORK_EXPORT = "network_export"  # Job.kind
EXPORTS_DIR = "exports"  # in the default storage (MEDIA_ROOT/exports/)
_EXPORT_NAME = re.compile(r"network_(\d+)_\d+(_\w+)?\.zip")  # network_<job>_<year>[_<storage suffix>].zip


def network_export_write(
    *, municipalities: list, year: int, file: BinaryIO, user=None, progress: Callable | None = None
) -> int:
    """Write the VLR workbook of each of ``municipalities`` for ``year`` (as ``user`` sees it;
    None: everything, an operator's command) into a zip, one ``VLR_<code>_<year>.xlsx`` each;
    returns how many. Each workbook is built, stored and dropped before the next: memory is one
    city's, and time is the sum of the cities' (each export reads its own city by index, with
    the same queries whatever the rest of the database holds). Workbooks are zips already, so
    they are stored, not compressed again."""
    total = len(municipalities)
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
        for done, municipality in enumerate(municipalities, start=1):
            buffer = io.BytesIO()
            vlr_workbook_build(municipality=municipality, year=year, user=user).save(buffer)
            archive.writestr(vlr_workbook_filename(municipality, year), buffer.getvalue())
            if progress is not None:
                progress("exporting", done, total)
    return total


def _require_whole_network(actor) -> None:
    if not municipality_scope(actor, Action.REVIEW).all:
        raise PermissionDeniedError(
            "전체 지자체를 검토하는 코디네이터만 전체 네트워크를 내보낼 수 있습니다 / only a coordinator of "
            "every municipality may export the whole network"
        )


@transaction.atomic
def network_export_start(*, year: int, actor) -> Job:
    """Queue the export of every municipality of the network with data (as the network page
    lists them) for ``year``, run by a worker as ``actor``, an all-municipality coordinator."""
    from .tasks import network_export_run

    _require_whole_network(actor)
    return job_create(
        kind=NETWORK_EXPORT,
        actor=actor,
        municipality_id=None,
        file_name=f"VLR_network_{year}.zip",
        params={"year": year},
        enqueue=network_export_run.enqueue,
    )


def network_export_file(job: Job, actor):
    """The finished export of ``job`` opened for reading, for ``actor`` (an all-municipality
    coordinator who may see the job); raises ``Job.DoesNotExist`` when there is none."""
    _require_whole_network(actor)
    if job.kind != NETWORK_EXPORT or not (job.result or {}).get("file"):
        raise Job.DoesNotExist
    return default_storage.open(job.result["file"], "rb")


def network_exports_prune(*, keep_days: int | None = None) -> list[str]:
    """Delete the whole-network export zips of ``MEDIA_ROOT/exports/`` older than ``keep_days``
    (default ``settings.NETWORK_EXPORT_KEEP_DAYS``); returns the names deleted.

    A zip a job links to is kept until ``keep_days`` after its job ended; then it is deleted and
    its job no longer links to it (its message says why, so its page offers no dead download
    link). The zip of a job still queued or running is never touched (it is written before the
    job links to it). A zip no job links to (its job deleted, or failed after writing it) goes
    once the file itself is older than ``keep_days``. Run on every new export and by
    ``manage.py prune_exports``."""
    days = settings.NETWORK_EXPORT_KEEP_DAYS if keep_days is None else keep_days
    cutoff = timezone.now() - timedelta(days=days)
    try:
        _folders, names = default_storage.listdir(EXPORTS_DIR)
    except FileNotFoundError:
        return []
    found = {name: _EXPORT_NAME.fullmatch(name) for name in names}
    jobs = Job.objects.filter(kind=NETWORK_EXPORT, pk__in=[int(m[1]) for m in found.values() if m]).defer(
        "payload"
    )
    jobs = {job.pk: job for job in jobs}
    deleted = []
    for name, match in sorted(found.items()):
        if match is None:
            continue  # not an export's zip: not ours to delete
        path = f"{EXPORTS_DIR}/{name}"
        job = jobs.get(int(match[1]))
        linked = job is not None and (job.result or {}).get("file") == path
        if job is not None and not job.finished:
            continue
        ended = job.finished_at if linked else default_storage.get_modified_time(path)
        if ended is None or ended >= cutoff:
            continue
        default_storage.delete(path)
        deleted.append(path)
        if linked:
            job.result = None
            job.message = (
                f"{job.message} — 보관 기간({days}일)이 지나 파일을 지웠습니다 / "
                f"the file was deleted after the {days}-day retention period"
            )
            job.save(update_fields=["result", "message"])
    return deleted
