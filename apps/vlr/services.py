"""Writes on VLR editions: creating one with the default outline, moving it through the
workflow, editing its narrative, commenting."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from apps.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from apps.core.permissions import Action, require_scope, works_on

from .choices import DEFAULT_CRITERIA, EditionStatus, ReportKind
from .models import (
    AssessmentCriterion,
    Comment,
    CycleDate,
    CycleSettings,
    Edition,
    EditionSection,
    EditionTransition,
    Submission,
)
from .outlines import outline_of, section_target
from .selectors import change_basis, due_date_for, edition_snapshot, public_summary
from .selectors.report import FROZEN_STATUSES
from .workflow import EDITABLE_STATUSES, TRANSITIONS

# Apps above vlr that must hear of a transition or a comment (apps.notifications, from its
# AppConfig.ready) register a function here; vlr never imports them (README "Architecture").
_LISTENERS: dict[str, list[Callable]] = {"transition": [], "comment": []}


def listen(event: str, function: Callable) -> None:
    """Call ``function(transition=...)`` after each workflow transition (``event="transition"``)
    or ``function(comment=...)`` after each comment (``"comment"``), inside the service's
    transaction. Registering a function twice has no effect."""
    if function not in _LISTENERS[event]:
        _LISTENERS[event].append(function)


def _require_editable(edition: Edition) -> None:
    """The edition lock: once submitted (until sent back or reopened) nothing of it changes."""
    if edition.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            "제출·승인된 VLR은 수정할 수 없습니다 / a submitted or approved edition cannot be edited",
            code="edition_locked",
        )


def _set_fields(obj, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(f"수정할 수 없는 항목 / fields not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


@transaction.atomic
def edition_create(
    *,
    municipality,
    year: int,
    actor,
    kind: str = ReportKind.VLR,
    period_start: int | None = None,
    period_end: int | None = None,
    title_ko: str = "",
    title_en: str = "",
    focus_goals=(),
    **fields,
) -> Edition:
    """A new draft edition of ``kind`` with its kind's outline (apps/vlr/outlines.py). The
    period defaults to the reporting year alone; the due date to the calendar's date for the
    kind and year (``due_date_for``: the city's date or the Act's rule), if any."""
    require_scope(actor, Action.EDIT, municipality.pk)
    if kind not in ReportKind.values:
        raise ApplicationError(
            f"알 수 없는 보고서 종류 / unknown kind of report: {kind}", code="unknown_kind"
        )
    outline = outline_of(kind)
    period_start = year if period_start is None else period_start
    period_end = year if period_end is None else period_end
    names = {
        "year": year,
        "start": period_start,
        "end": period_end,
    }
    fields.setdefault("due_date", due_date_for(municipality=municipality, kind=kind, year=year))
    edition = Edition(
        municipality=municipality,
        kind=kind,
        year=year,
        period_start=period_start,
        period_end=period_end,
        title_ko=title_ko or outline.title_ko.format(name=municipality.name_ko, **names),
        title_en=title_en
        or outline.title_en.format(name=municipality.name_en or municipality.name_ko, **names),
        **fields,
    )
    edition.full_clean()
    edition._history_user = actor
    edition.save()
    EditionSection.objects.bulk_create(
        EditionSection(edition=edition, code=code, title_ko=ko, title_en=en, order=index)
        for index, (code, ko, en) in enumerate(outline.sections, start=1)
    )
    if kind == ReportKind.ASSESSMENT:
        # The criteria its panels rate indicators on (apps/vlr/assessment.py).
        AssessmentCriterion.objects.bulk_create(
            AssessmentCriterion(edition=edition, code=code, name_ko=ko, name_en=en, order=i, flag_below=flag)
            for i, (code, ko, en, flag) in enumerate(DEFAULT_CRITERIA, start=1)
        )
    if focus_goals:
        edition.focus_goals.set(focus_goals)
    return edition


def _tidy_narratives(value):
    """Texts stripped, empty languages and goals dropped: what is stored is what was written."""
    if not isinstance(value, dict):
        return value  # full_clean() names the problem
    tidy = {}
    for goal, entry in value.items():
        if isinstance(entry, dict):
            entry = {lang: text.strip() if isinstance(text, str) else text for lang, text in entry.items()}
            entry = {lang: text for lang, text in entry.items() if text != ""}
            if entry:
                tidy[str(goal)] = entry
        else:
            tidy[str(goal)] = entry
    return tidy


@transaction.atomic
def edition_start_from(
    *, source: Edition, kind: str, year: int, actor, period_start=None, period_end=None, **fields
) -> tuple[Edition, list[str]]:
    """A new edition of ``kind`` started from an approved (or published) edition, so nothing is
    typed twice: each narrative section goes to the section its kind's outline maps it to
    (``outlines.SECTION_MAP``; several land in one under their old headings), and focus goals
    and participation are carried over. The numbers are the same data set: the new draft reads
    them live and its page shows what changed since the source's frozen numbers (the source is
    its ``based_on``). Returns the edition and the codes of source sections that had no place."""
    require_scope(actor, Action.VIEW, source.municipality_id)
    if source.status not in (EditionStatus.APPROVED, EditionStatus.PUBLISHED):
        raise ApplicationError(
            "승인된 보고서에서만 시작할 수 있습니다 / start only from an approved or published edition",
            code="source_not_approved",
        )
    edition = edition_create(
        municipality=source.municipality,
        year=year,
        actor=actor,
        kind=kind,
        period_start=source.period_start if period_start is None else period_start,
        period_end=source.period_end if period_end is None else period_end,
        based_on=source,
        participation=source.participation,
        focus_goals=list(source.focus_goals.all()),
        **fields,
    )
    targets = {section.code: section for section in edition.sections.all()}
    carried: dict[str, list[EditionSection]] = {}
    left_out: list[str] = []
    for section in source.sections.filter(included=True).order_by("order", "id"):
        if not (section.body_ko.strip() or section.body_en.strip()):
            continue
        code = section_target(source.kind, kind, section.code)
        if code is None:
            left_out.append(section.code)
        else:
            carried.setdefault(code, []).append(section)
    for code, sources in carried.items():
        target = targets[code]
        if len(sources) == 1:
            target.body_ko, target.body_en = sources[0].body_ko, sources[0].body_en
        else:
            target.body_ko = "\n\n".join(f"■ {s.title_ko}\n{s.body_ko}" for s in sources if s.body_ko)
            target.body_en = "\n\n".join(f"■ {s.title_en}\n{s.body_en}" for s in sources if s.body_en)
        target.full_clean()
        target._history_user = actor
        target.save()
    return edition, left_out


EDITION_FIELDS = {
    "title_ko",
    "title_en",
    "period_start",
    "period_end",
    "participation",
    "due_date",
    "goal_narratives",
}


@transaction.atomic
def edition_update(*, edition: Edition, actor, focus_goals=None, **fields) -> Edition:
    """Change an edition's titles, period, due date, participation (who took part in preparing
    the review), the city's narrative per goal (``goal_narratives``, replaced whole) or focus
    goals (Goal rows) while it is a draft; its municipality, kind, year and status never change
    here. The checklist and goal-narrative forms of the edition page and the API's update all
    call it."""
    require_scope(actor, Action.EDIT, edition.municipality_id)
    _require_editable(edition)
    if isinstance(fields.get("participation"), str):
        fields["participation"] = fields["participation"].strip()
    if "goal_narratives" in fields:
        fields["goal_narratives"] = _tidy_narratives(fields["goal_narratives"])
    _set_fields(edition, fields, EDITION_FIELDS)
    edition.full_clean()
    edition._history_user = actor
    edition.save()
    if focus_goals is not None:
        edition.focus_goals.set(focus_goals)
    return edition


def edition_transition(*, edition: Edition, action: str, actor, comment: str = "") -> Edition:
    """Apply one workflow action (submit, request_changes, approve, publish, reopen).

    The status is changed with a conditional UPDATE (``WHERE status = <expected>``), so of two
    coordinators approving at the same moment exactly one wins; the other gets a
    ``ConflictError`` (HTTP 409) and nothing is recorded twice.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ApplicationError(f"알 수 없는 동작 / unknown action: {action}", code="unknown_action")
    require_scope(actor, transition.needs, edition.municipality_id)
    if transition.needs_comment and not comment.strip():
        raise ApplicationError(
            "사유를 입력하세요 / a comment is required for this action", code="comment_required"
        )
    source = edition.status
    if source not in transition.source:
        raise ConflictError(
            f"'{edition.get_status_display()}' 상태에서는 '{action}' 할 수 없습니다 / "
            f"cannot {action} an edition that is {source}",
            code="invalid_transition",
        )
    with transaction.atomic():
        now = timezone.now()
        updated = Edition.objects.filter(pk=edition.pk, status=source).update(
            status=transition.target, updated_at=now
        )
        if updated != 1:
            raise ConflictError(
                "다른 사용자가 먼저 상태를 바꾸었습니다 / the edition was changed by someone else; reload and try again",
                code="concurrent_change",
            )
        edition.refresh_from_db()
        if transition.target == EditionStatus.APPROVED:
            edition.snapshot = edition_snapshot(edition)
            # The figures the next edition compares with, kept beside the snapshot so that its
            # page never decodes megabytes to show what changed.
            edition.changes_basis = change_basis(edition.snapshot)
            # And what its public page shows, so that no anonymous request decodes the snapshot.
            edition.public_summary = public_summary(edition)
            Edition.objects.filter(pk=edition.pk).update(
                snapshot=edition.snapshot,
                changes_basis=edition.changes_basis,
                public_summary=edition.public_summary,
            )
        elif transition.target == EditionStatus.DRAFT:
            Edition.objects.filter(pk=edition.pk).update(
                snapshot=None, changes_basis=None, public_summary=None
            )
            edition.snapshot = edition.changes_basis = edition.public_summary = None
        # Record the change in the history table too, attributed to the actor.
        edition._history_user = actor
        edition.save(update_fields=["updated_at"])
        logged = EditionTransition.objects.create(
            edition=edition,
            action=action,
            from_status=source,
            to_status=transition.target,
            actor=actor,
            comment=comment.strip(),
        )
        for function in _LISTENERS["transition"]:
            function(transition=logged)
        if comment.strip():
            Comment.objects.create(edition=edition, author=actor, body=comment.strip())
    return edition


def edition_public_summaries_fill() -> tuple[int, int]:
    """Store the public page's summary (:func:`apps.vlr.selectors.public_summary`) of every
    approved or published edition, one at a time (a snapshot is megabytes at national scale):
    for those frozen before summaries were stored, or after :func:`public_view` changed what the
    public reads. Returns (stored, left): an edition left without one (its snapshot is of an
    older form) keeps showing the live rows its reader may see."""
    stored = left = 0
    frozen = Edition.objects.filter(status__in=FROZEN_STATUSES)
    for pk in list(frozen.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            edition = (
                Edition.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=pk)
            )
            summary = public_summary(edition)
            Edition.objects.filter(pk=pk).update(public_summary=summary)
        if summary is None:
            left += 1
        else:
            stored += 1
    return stored, left


@transaction.atomic
def section_update(*, section: EditionSection, actor, **fields) -> EditionSection:
    """Change a section's narrative, title, order or inclusion while the edition is a draft."""
    require_scope(actor, Action.EDIT, section.edition.municipality_id)
    _require_editable(section.edition)
    _set_fields(section, fields, {"title_ko", "title_en", "order", "included", "body_ko", "body_en"})
    section.full_clean()
    section._history_user = actor
    section.save()
    return section


@transaction.atomic
def comment_create(
    *,
    edition: Edition,
    actor,
    body: str,
    parent: Comment | None = None,
    local_indicator=None,
    initiative=None,
) -> Comment:
    """Planners of the city and coordinators in scope may comment."""
    if not works_on(actor, edition.municipality_id):
        raise PermissionDeniedError("댓글 권한이 없습니다 / you cannot comment on this edition")
    comment = Comment(
        edition=edition,
        author=actor,
        body=body.strip(),
        parent=parent,
        local_indicator=local_indicator,
        initiative=initiative,
    )
    comment.full_clean()
    comment._history_user = actor
    comment.save()
    for function in _LISTENERS["comment"]:
        function(comment=comment)
    return comment


# --------------------------------------------------------------------------- the calendar


def get_valid_filename_or_none(name: str) -> str | None:
    try:
        return get_valid_filename(name)
    except SuspiciousFileOperation:
        return None


CYCLE_SETTINGS_FIELDS = {"strategy_start", "plan_first", "biennial_first", "due_month", "due_day"}


@transaction.atomic
def cycle_settings_set(*, municipality, actor, **fields) -> CycleSettings:
    """Set the city's calendar settings (apps/vlr/cycle.py: what the Act leaves to the city)."""
    require_scope(actor, Action.EDIT, municipality.pk)
    settings = CycleSettings.objects.filter(municipality=municipality).first() or CycleSettings(
        municipality=municipality
    )
    _set_fields(settings, fields, CYCLE_SETTINGS_FIELDS)
    settings.full_clean()
    settings._history_user = actor
    settings.save()
    return settings


@transaction.atomic
def cycle_date_create(*, municipality, actor, **fields) -> CycleDate:
    """A date the city sets: a report's due date (replacing the rule's) or a date of its own."""
    require_scope(actor, Action.EDIT, municipality.pk)
    row = CycleDate(municipality=municipality)
    _set_fields(row, fields, {"kind", "year", "due", "title_ko", "title_en"})
    row.full_clean()
    row._history_user = actor
    row.save()
    return row


@transaction.atomic
def submission_create(
    *, edition: Edition, actor, recipient: str, sent_on, reference: str = "", file_name: str, content: bytes
) -> Submission:
    """Record that an approved or published edition was sent: to whom, when, the reference
    number, and the exact file sent (kept with its SHA-256, so what was sent can be shown)."""
    require_scope(actor, Action.EDIT, edition.municipality_id)
    if edition.status not in (EditionStatus.APPROVED, EditionStatus.PUBLISHED):
        raise ApplicationError(
            "승인된 보고서만 제출 기록을 남길 수 있습니다 / only an approved or published edition can be submitted",
            code="not_approved",
        )
    if not content:
        raise ApplicationError("빈 파일입니다 / the file is empty", code="empty_file")
    submission = Submission(
        edition=edition,
        recipient=recipient.strip(),
        sent_on=sent_on,
        reference=reference.strip(),
        file_sha256=hashlib.sha256(content).hexdigest(),
        recorded_by=actor,
    )
    # Only letters (Hangul included), digits, "-", "_" and "." reach the disk; the rest of a
    # name a browser or client sent (paths, NUL bytes, "..") is dropped.
    safe = get_valid_filename_or_none(Path(str(file_name).replace("\x00", "")).name[-120:])
    submission.file.save(safe or "submission", ContentFile(content), save=False)
    submission.full_clean()
    submission._history_user = actor
    submission.save()
    return submission
