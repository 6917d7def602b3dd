"""Writes on initiatives: the one path the web form and the API serializer both take.

The rules that span rows live here (the single-row ones are the model's ``clean()`` and
constraints): an initiative works on at least one SDG target, exactly one of them primary,
none listed twice; its related local indicators are its own municipality's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.exceptions import PermissionDeniedError
from apps.core.permissions import Action, municipality_scope
from apps.frameworks.services import alignment_nodes_check

from .models import Initiative, InitiativeTarget, ProgressUpdate

NO_TARGET = "SDG 세부목표를 하나 이상 고르세요 / choose at least one SDG target"
NO_PRIMARY = "주 세부목표를 하나 정하세요 / mark one target as the primary target"
TWO_PRIMARIES = "주 세부목표는 하나만 / only one primary target"
TARGET_TWICE = "같은 세부목표가 두 번 있습니다 / the same target is listed twice"
OTHER_CITY_INDICATOR = "다른 지자체의 지표는 연결할 수 없습니다: {codes} / indicators of another municipality cannot be linked: {codes}"
OUT_OF_SCOPE = "이 지자체에 대한 권한이 없습니다 / you do not have permission for this municipality"


def _require_edit(actor, municipality_id: int) -> None:
    if not municipality_scope(actor, Action.EDIT).allows(municipality_id):
        raise PermissionDeniedError(OUT_OF_SCOPE)


def initiative_targets_check(links: list[tuple]) -> None:
    """The target rules on ``(target, is_primary)`` pairs (also run by the admin's inline)."""
    if not links:
        raise ValidationError({"targets": NO_TARGET})
    if len({target.pk for target, _ in links}) != len(links):
        raise ValidationError({"targets": TARGET_TWICE})
    primaries = sum(1 for _, primary in links if primary)
    if primaries > 1:
        raise ValidationError({"targets": TWO_PRIMARIES})
    if primaries == 0:
        raise ValidationError({"targets": NO_PRIMARY})


def initiative_indicators_check(municipality_id: int, indicators) -> None:
    """Linked local indicators must be the initiative's municipality's (also run by the admin)."""
    foreign = sorted(i.code for i in indicators if i.municipality_id != municipality_id)
    if foreign:
        codes = ", ".join(foreign)
        raise ValidationError({"local_indicators": OTHER_CITY_INDICATOR.format(codes=codes)})


def _save(
    initiative: Initiative, *, actor, targets, groups_served, local_indicators, framework_nodes=None
) -> Initiative:
    """Validate everything, then write the row and its links (the caller holds the transaction)."""
    _require_edit(actor, initiative.municipality_id)
    initiative.full_clean()
    if targets is not None:
        targets = [(target, bool(primary)) for target, primary in targets]
        initiative_targets_check(targets)
    elif not initiative.pk or not initiative.target_links.exists():
        raise ValidationError({"targets": NO_TARGET})
    if local_indicators is not None:
        local_indicators = list(local_indicators)
    else:  # kept as they are; a move to another municipality must still fit them
        local_indicators = list(initiative.local_indicators.all()) if initiative.pk else []
    initiative_indicators_check(initiative.municipality_id, local_indicators)
    if framework_nodes is not None:
        framework_nodes = list(framework_nodes)
        alignment_nodes_check(initiative.municipality_id, framework_nodes)

    initiative._history_user = actor
    initiative.save()
    if groups_served is not None:
        initiative.groups_served.set(groups_served)
    initiative.local_indicators.set(local_indicators)
    if framework_nodes is not None:
        initiative.framework_nodes.set(framework_nodes)
    if targets is not None:
        InitiativeTarget.objects.filter(initiative=initiative).delete()
        InitiativeTarget.objects.bulk_create(
            InitiativeTarget(initiative=initiative, target=target, is_primary=primary)
            for target, primary in targets
        )
    return initiative


@transaction.atomic
def initiative_create(
    *,
    municipality,
    actor,
    targets: Iterable[tuple],
    groups_served: Iterable = (),
    local_indicators: Iterable = (),
    framework_nodes: Iterable = (),
    **fields,
) -> Initiative:
    """A new initiative of ``municipality`` with its SDG targets — ``(target, is_primary)`` pairs —,
    groups served and related local indicators. Raises ``ValidationError`` (bilingual, by field)
    or ``PermissionDeniedError``; nothing is saved then."""
    initiative = Initiative(municipality=municipality, **fields)
    return _save(
        initiative,
        actor=actor,
        targets=list(targets),
        groups_served=list(groups_served),
        local_indicators=local_indicators,
        framework_nodes=framework_nodes,
    )


@transaction.atomic
def initiative_update(
    *,
    initiative: Initiative,
    actor,
    targets: Iterable[tuple] | None = None,
    groups_served: Iterable | None = None,
    local_indicators: Iterable | None = None,
    framework_nodes: Iterable | None = None,
    **fields,
) -> Initiative:
    """Change ``fields`` and, when given, replace the targets, groups or indicators (``None``
    keeps them). The actor must be able to edit the initiative's municipality before and after."""
    _require_edit(actor, initiative.municipality_id)
    for name, value in fields.items():
        setattr(initiative, name, value)
    return _save(
        initiative,
        actor=actor,
        targets=None if targets is None else list(targets),
        groups_served=groups_served,
        local_indicators=local_indicators,
        framework_nodes=framework_nodes,
    )


@transaction.atomic
def progress_update_create(*, initiative: Initiative, actor, date, text: str) -> ProgressUpdate:
    """A dated note on how ``initiative`` is going, written by ``actor`` (a planner of its
    municipality). The newest one is what the VLR shows as the initiative's latest update."""
    _require_edit(actor, initiative.municipality_id)
    update = ProgressUpdate(initiative=initiative, date=date, text=(text or "").strip(), author=actor)
    update.full_clean()
    update._history_user = actor
    update.save()
    return update
