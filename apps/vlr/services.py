"""Writes on VLR editions: creating one with the default outline, moving it through the
workflow, editing its narrative, commenting."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from apps.core.permissions import Action, require_scope, works_on

from .choices import SECTIONS, EditionStatus
from .models import Comment, Edition, EditionSection, EditionTransition
from .selectors import edition_snapshot
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
    *, municipality, year: int, actor, title_ko: str = "", title_en: str = "", focus_goals=(), **fields
) -> Edition:
    """A new draft edition with the default VLR outline (vlr_structure.md §1)."""
    require_scope(actor, Action.EDIT, municipality.pk)
    edition = Edition(
        municipality=municipality,
        year=year,
        title_ko=title_ko or f"{municipality.name_ko} {year} 지속가능발전목표 지역 자발적 검토 보고서",
        title_en=title_en or f"{municipality.name_en or municipality.name_ko} Voluntary Local Review {year}",
        **fields,
    )
    edition.full_clean()
    edition._history_user = actor
    edition.save()
    EditionSection.objects.bulk_create(
        EditionSection(edition=edition, code=code, title_ko=ko, title_en=en, order=index)
        for index, (code, ko, en) in enumerate(SECTIONS, start=1)
    )
    if focus_goals:
        edition.focus_goals.set(focus_goals)
    return edition


EDITION_FIELDS = {"title_ko", "title_en", "period_start", "period_end", "participation", "goal_narratives"}


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
def edition_update(*, edition: Edition, actor, focus_goals=None, **fields) -> Edition:
    """Change an edition's titles, period, participation (who took part in preparing the review),
    the city's narrative per goal (``goal_narratives``, replaced whole) or focus goals (Goal
    rows) while it is a draft; its municipality, year and status never change here. The
    checklist and goal-narrative forms of the edition page and the API's update all call it."""
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
            Edition.objects.filter(pk=edition.pk).update(snapshot=edition.snapshot)
        elif transition.target == EditionStatus.DRAFT:
            Edition.objects.filter(pk=edition.pk).update(snapshot=None)
            edition.snapshot = None
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
