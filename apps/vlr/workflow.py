"""The VLR edition workflow: the one table of allowed moves and who may make them.

Services (``apps.vlr.services.edition_transition``) apply it; API and UI only ask it which
buttons to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.permissions import Action, municipality_scope

from .choices import EditionAction as A
from .choices import EditionStatus as S


@dataclass(frozen=True)
class Transition:
    action: str
    source: tuple[str, ...]
    target: str
    needs: str  # permission action on the edition's municipality
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(A.SUBMIT, (S.DRAFT, S.CHANGES_REQUESTED), S.SUBMITTED, Action.EDIT),
        Transition(A.REQUEST_CHANGES, (S.SUBMITTED,), S.CHANGES_REQUESTED, Action.REVIEW, needs_comment=True),
        Transition(A.APPROVE, (S.SUBMITTED,), S.APPROVED, Action.REVIEW),
        Transition(A.PUBLISH, (S.APPROVED,), S.PUBLISHED, Action.REVIEW),
        Transition(A.REOPEN, (S.APPROVED, S.PUBLISHED), S.DRAFT, Action.REVIEW, needs_comment=True),
    ]
}

# A planner may change the narrative only while the edition is theirs to write.
EDITABLE_STATUSES = (S.DRAFT, S.CHANGES_REQUESTED)


def allowed_transitions(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.source]


def transitions_for(user, edition) -> list[Transition]:
    """The moves ``user`` may make on ``edition`` now: the page's buttons and the API's
    ``allowed_actions`` (the service applies the same ``needs`` when the move is made)."""
    return [
        t
        for t in allowed_transitions(edition.status)
        if municipality_scope(user, t.needs).allows(edition.municipality_id)
    ]


def editable_by(user, edition) -> bool:
    """Whether ``user`` may change the edition and its sections now (the page shows the forms;
    ``apps.vlr.services`` refuses the same cases)."""
    return edition.status in EDITABLE_STATUSES and municipality_scope(user, Action.EDIT).allows(
        edition.municipality_id
    )
