"""Writes on initiatives that span rows (plain create/update is the ViewSet's and the form's)."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Initiative, InitiativeTarget


@transaction.atomic
def initiative_targets_set(*, initiative: Initiative, links: Iterable[tuple]) -> list[InitiativeTarget]:
    """Replace the SDG targets of an initiative with ``links`` — ``(target, is_primary)`` pairs —
    refusing a target listed twice or more than one primary target. Used by the API and the form."""
    links = list(links)
    if len({target.pk for target, _ in links}) != len(links):
        raise ValidationError({"targets": "같은 세부목표가 두 번 있습니다 / the same target is listed twice"})
    if sum(1 for _, primary in links if primary) > 1:
        raise ValidationError({"targets": "주 세부목표는 하나만 / only one primary target"})
    InitiativeTarget.objects.filter(initiative=initiative).delete()
    return InitiativeTarget.objects.bulk_create(
        InitiativeTarget(initiative=initiative, target=target, is_primary=bool(primary)) for target, primary in links
    )
