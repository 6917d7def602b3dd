"""The VLR edition workflow: the one table of allowed moves and who may make them.

Services (``apps.vlr.services.edition_transition``) apply it; API and UI only ask it which
buttons to show.
"""
from __future__ import annotations

from dataclasses import dataclass

from apps.core.permissions import Action

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
