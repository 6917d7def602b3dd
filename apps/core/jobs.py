"""Background jobs: create, run, report progress, and notice the ones whose worker died.

A :class:`~apps.core.models.Job` row is what people see; the work is a django-tasks task
(README "Background jobs") that calls :func:`job_run` with the job's id and a function doing the
work. ``job_run`` marks the job running, hands the work a :class:`Progress`, and records the
outcome: ``succeeded`` with the result, or ``failed`` with the reason (and, for an import, every
``row N, column C: reason``).

A worker killed mid-way cannot record anything: its transaction is rolled back by the database
and the job row still says ``running``. :func:`jobs_reap` marks such jobs failed; it runs
whenever a job is read (API and UI) and whenever a worker starts a job. A job is dead when its
worker process (same host) no longer exists, or when it has not reported for
``settings.JOBS_STALE_AFTER`` seconds (a worker on another machine).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from .exceptions import ApplicationError
from .models import Job, JobStatus

_HOST = socket.gethostname()[:60]
_EVERY = 2000  # rows between two progress writes


def job_create(
    *,
    kind: str,
    actor,
    municipality_id: int | None,
    file_name: str = "",
    payload: bytes | None = None,
    params: dict | None = None,
    enqueue: Callable[[int], object],
) -> Job:
    """Store a queued job and hand it to the task backend once the row is committed (a worker
    on another connection or machine must find it)."""
    job = Job(
        kind=kind,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        municipality_id=municipality_id,
        file_name=file_name[:255],
        payload=payload,
        params=params or {},
        message="대기 중 / waiting for a worker",
    )
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


class Progress:
    """Passed to the work: ``progress(stage, done, total)``. Outside a transaction it writes the
    job row (at most every ``_EVERY`` rows); inside one (an import's all-or-nothing write) it
    cannot — the row would only become visible on commit, and on SQLite a second connection is
    locked out — so it only notes the stage."""

    def __init__(self, job: Job, every: int = _EVERY):
        self.job = job
        self.every = every  # items between two writes: rows of an import, 1 for a city's export
        self._last = -every

    def __call__(self, stage: str, done: int = 0, total: int | None = None) -> None:
        if connection.in_atomic_block:
            _pause_for_tests(self.job, stage)
            return
        if stage == self.job.stage and done - self._last < self.every and done != total:
            return
        self._last = done
        Job.objects.filter(pk=self.job.pk).update(
            stage=stage, done=done, total=total, heartbeat_at=timezone.now()
        )
        self.job.stage, self.job.done, self.job.total = stage, done, total


def _pause_for_tests(job: Job, stage: str) -> None:
    """``JOBS_PAUSE_DIR`` (tests only): stop at ``JOBS_PAUSE_STAGE`` until told to go, so a test
    can kill the worker at a known point of the transaction."""
    folder = settings.JOBS_PAUSE_DIR
    if not folder or stage != settings.JOBS_PAUSE_STAGE:
        return
    Path(folder, f"{job.pk}.reached").touch()
    while not Path(folder, f"{job.pk}.go").exists():
        time.sleep(0.05)


def job_run(job_id: int, work: Callable[[Job, Progress], tuple[str, dict]], *, every: int = _EVERY) -> str:
    """Run ``work(job, progress)`` for a queued job; it returns ``(message, result)`` or raises.
    ``every``: how many items of progress between two writes of the job row.
    An ``ApplicationError``/``ValidationError`` is the user's to fix (its message and its
    ``errors`` are recorded); anything else is recorded as an internal error and re-raised so
    the worker logs it."""
    jobs_reap()
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.status  # already run (a task delivered twice) or reaped
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=f"{_HOST}:{os.getpid()}",
        message="진행 중 / running",
    )
    try:
        message, result = work(job, Progress(job, every))
    except (ApplicationError, ValidationError) as exc:
        extra = getattr(exc, "extra", None) or {}
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        _finish(
            job,
            JobStatus.FAILED,
            " ".join(messages),
            result=extra.get("report"),
            errors=extra.get("errors", []),
        )
        return JobStatus.FAILED
    except BaseException as exc:
        _finish(
            job,
            JobStatus.FAILED,
            f"내부 오류, 관리자에게 알리세요 / internal error, tell the administrator: {type(exc).__name__}",
        )
        raise
    _finish(job, JobStatus.SUCCEEDED, message, result=result)
    return JobStatus.SUCCEEDED


def _finish(job: Job, status: str, message: str, *, result=None, errors=None) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        message=message[:2000],
        result=result,
        errors=errors or [],
        finished_at=timezone.now(),
        payload=None,
    )


def _alive(worker: str) -> bool | None:
    """Whether the worker process ``host:pid`` exists; None when it runs on another host."""
    host, _, pid = worker.rpartition(":")
    if host != _HOST or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def jobs_reap() -> int:
    """Mark failed the running jobs whose worker is gone; returns how many."""
    stale_before = timezone.now() - timedelta(seconds=settings.JOBS_STALE_AFTER)
    dead = []
    for pk, worker, heartbeat in Job.objects.filter(status=JobStatus.RUNNING).values_list(
        "pk", "worker", "heartbeat_at"
    ):
        alive = _alive(worker)
        if alive is False or (alive is None and (heartbeat is None or heartbeat < stale_before)):
            dead.append(pk)
    if dead:
        Job.objects.filter(pk__in=dead, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            payload=None,
            message="작업자가 작업 도중 멈췄습니다 (종료되었거나 응답 없음). 데이터베이스는 바뀌지 않았습니다. 다시 "
            "시도하세요 / the worker stopped during the job (killed or unresponsive); the database was left "
            "unchanged. Try again",
        )
    return len(dead)


def job_for_user(user, pk: int) -> Job:
    """The job, after reaping dead ones, if ``user`` may see it; raises ``Job.DoesNotExist``."""
    jobs_reap()
    return Job.objects.for_user(user).select_related("started_by").defer("payload").get(pk=pk)
