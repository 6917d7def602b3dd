"""The one home of roles and tenancy.

Every interface (API, UI views, admin, exports, commands acting for a person) starts from
``Model.objects.for_user(user, action)``; this module decides which municipalities a user may
act on. Roles:

- planner (``Membership.role = planner``): view + edit their municipalities' data;
- viewer (``Membership.role = viewer``): view their municipalities' data, drafts included;
- coordinator (``CoordinatorScope``): view + review (comment, request changes, approve,
  publish, confirm evidence) for a set of municipalities or all of them;
- staff admin (``is_superuser``): everything;
- anyone else, anonymous included: only what is published.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q


class Action(models.TextChoices):
    VIEW = "view", "view / 조회"
    EDIT = "edit", "edit / 편집"
    REVIEW = "review", "review / 검토"


@dataclass(frozen=True)
class Scope:
    """Municipalities a user may act on: all of them, or the ids listed."""

    all: bool
    ids: frozenset[int]

    def allows(self, municipality_id: int | None) -> bool:
        return self.all or (municipality_id is not None and municipality_id in self.ids)


NOTHING = Scope(all=False, ids=frozenset())
EVERYTHING = Scope(all=True, ids=frozenset())


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def municipality_scope(user, action: str = Action.VIEW) -> Scope:
    """Which municipalities ``user`` may ``action``; cached on the user object for one request."""
    if action not in Action.values:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if is_admin(user):
        return EVERYTHING
    cache = user.__dict__.setdefault("_vlr_scopes", {})
    if action not in cache:
        cache[action] = _compute_scope(user, action)
    return cache[action]


def _compute_scope(user, action: str) -> Scope:
    from apps.municipalities.choices import Role
    from apps.municipalities.models import CoordinatorScope, Membership

    ids: set[int] = set()
    if action in (Action.VIEW, Action.EDIT):
        memberships = Membership.objects.filter(user=user)
        if action == Action.EDIT:
            memberships = memberships.filter(role=Role.PLANNER)
        ids.update(memberships.values_list("municipality_id", flat=True))
    if action in (Action.VIEW, Action.REVIEW):
        scope = CoordinatorScope.objects.filter(user=user).first()
        if scope is not None:
            if scope.all_municipalities:
                return EVERYTHING
            ids.update(scope.municipalities.values_list("id", flat=True))
    return Scope(all=False, ids=frozenset(ids))


def forget_scopes(user) -> None:
    """Drop the per-request cache after memberships change (tests, admin actions)."""
    user.__dict__.pop("_vlr_scopes", None)


class TenantQuerySet(models.QuerySet):
    """QuerySet of rows owned by a municipality.

    Subclasses set ``municipality_path`` (the lookup to the owning municipality) and override
    ``published()`` with what anybody may read.
    """

    municipality_path = "municipality"

    def published_q(self) -> Q:
        return Q(pk__in=[])

    def published(self):
        return self.filter(self.published_q())

    def in_municipality_scope(self, scope: Scope):
        if scope.all:
            return self.all()
        return self.filter(**{f"{self.municipality_path}__in": scope.ids})

    def for_user(self, user, action: str = Action.VIEW):
        scope = municipality_scope(user, action)
        if scope.all:
            return self.all()
        condition = Q(**{f"{self.municipality_path}__in": scope.ids})
        if action == Action.VIEW:
            condition |= self.published_q()
        return self.filter(condition)


def can(user, action: str, obj: models.Model) -> bool:
    """Object-level check with the same rule as the querysets."""
    return type(obj)._default_manager.for_user(user, action).filter(pk=obj.pk).exists()
