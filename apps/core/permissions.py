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

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .api.fast import fast_path
from .exceptions import PermissionDeniedError
from .sql import fetch_all


class Action(models.TextChoices):
    VIEW = "view", "view / 조회"
    EDIT = "edit", "edit / 편집"
    REVIEW = "review", "review / 검토"


class Role(models.TextChoices):
    PLANNER = "planner", "담당자 / Planner"
    VIEWER = "viewer", "열람자 / Viewer"


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
    """Which municipalities ``user`` may ``action``; all three actions are computed with one
    query and cached on the user object for the rest of the request."""
    if action not in Action.values:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if is_admin(user):
        return EVERYTHING
    scopes = user.__dict__.get("_vlr_scopes")
    if scopes is None:
        scopes = user.__dict__["_vlr_scopes"] = _compute_scopes(user)
    return scopes[action]


# The kinds of scope rows besides the membership roles (see ``scope_union_sql``); a lead
# planner's membership gives a ``lead`` row beside its ``planner`` row.
COORDINATES, COORDINATES_ALL, LEADS = "coordinator", "coordinator_all", "lead"

# Who works where is stored by apps.municipalities (Membership, CoordinatorScope), one layer
# up: it registers the SQL of those rows here in its AppConfig.ready(), so core imports no app.
_SCOPE_ROWS: dict[str, Callable] = {}


def _compute_scopes(user) -> dict[str, Scope]:
    rows = fetch_all(get_user_model(), "scope", _scope_sql, [user.pk])
    return scopes_from_rows(rows)


def remember_scopes(user, rows: list[tuple[int | None, str]]) -> None:
    """Cache the scopes of the user's ``(municipality id, kind)`` rows, read together with the
    user (the API's token fast path, ``apps.core.api.authentication``)."""
    user.__dict__["_vlr_scopes"] = scopes_from_rows(rows)


def scopes_from_rows(rows: list[tuple[int | None, str]]) -> dict[str, Scope]:
    """The three scopes from the user's (municipality id, kind) rows of ``scope_union_sql``."""
    kinds = {kind for _, kind in rows}
    member = frozenset(mid for mid, kind in rows if kind in Role.values)
    planner = frozenset(mid for mid, kind in rows if kind == Role.PLANNER)
    reviewed = frozenset(mid for mid, kind in rows if kind == COORDINATES)
    if COORDINATES_ALL in kinds:
        review = view = EVERYTHING
    else:
        review = Scope(all=False, ids=reviewed)
        view = Scope(all=False, ids=member | reviewed)
    return {
        Action.VIEW: view,
        Action.EDIT: Scope(all=False, ids=planner),
        Action.REVIEW: review,
        LEADS: Scope(all=False, ids=frozenset(mid for mid, kind in rows if kind == LEADS)),
    }


def _scope_sql(connection) -> str:
    return f"SELECT s.municipality, s.kind FROM ({scope_union_sql(connection)}) s WHERE s.user_id = %s"


def register_scope_rows(build: Callable) -> None:
    """Set the function that returns, for a database connection, the SQL of every user's
    ``(user_id, municipality, kind)`` scope rows (apps.municipalities calls it once)."""
    _SCOPE_ROWS["build"] = build


def scope_union_sql(connection) -> str:
    """(user_id, municipality, kind) rows of every user: kind is a membership role,
    ``coordinator`` for a municipality of a coordinator scope, or ``coordinator_all`` (with a
    NULL municipality) for a scope that covers every municipality. The SQL is the one
    apps.municipalities registered (``register_scope_rows``)."""
    if "build" not in _SCOPE_ROWS:
        raise ImproperlyConfigured("apps.municipalities did not register the scope rows: is it installed?")
    return _SCOPE_ROWS["build"](connection)


# The one refusal of an act outside the user's municipalities (services, API and UI alike).
OUT_OF_SCOPE = "이 지자체에 대한 권한이 없습니다 / you do not have permission for this municipality"


def require_scope(user, action: str, municipality_id: int | None) -> None:
    """Raise ``PermissionDeniedError`` (HTTP 403, a message in the UI) unless ``user`` may
    ``action`` in the municipality; nothing is written before it is asked."""
    if not municipality_scope(user, action).allows(municipality_id):
        raise PermissionDeniedError(OUT_OF_SCOPE)


def can_edit(user, municipality) -> bool:
    """Planner of the municipality (or admin): the pages offer their edit forms."""
    return municipality_scope(user, Action.EDIT).allows(municipality.pk)


def works_on(user, municipality_id: int | None) -> bool:
    """Planner (edit) or coordinator (review) of the municipality: who may comment on its
    editions and add or decide its evidence."""
    return municipality_scope(user, Action.EDIT).allows(municipality_id) or municipality_scope(
        user, Action.REVIEW
    ).allows(municipality_id)


def reviews_anywhere(user) -> bool:
    """A coordinator of at least one municipality (or of all): who reads and decides the
    evidence that belongs to no municipality (e.g. a ministry press release)."""
    scope = municipality_scope(user, Action.REVIEW)
    return scope.all or bool(scope.ids)


def may_decide_evidence(user, municipality_id: int | None) -> bool:
    """Who may confirm, reject or link by hand the evidence of a municipality: its planners and
    the coordinators in scope; evidence of no municipality: any coordinator; admins always.
    The inbox's buttons, the API and ``apps.evidence.services`` all ask this."""
    if is_admin(user):
        return True
    if municipality_id is None:
        return reviews_anywhere(user)
    return works_on(user, municipality_id)


def may_run_data_calls(user, municipality_id: int | None) -> bool:
    """Who opens and closes a municipality's data calls (apps.datacalls): the coordinators in
    scope and the city's lead planners (``Membership.is_lead``); admins always."""
    if municipality_scope(user, Action.REVIEW).allows(municipality_id):
        return True
    municipality_scope(user, Action.VIEW)  # computes and caches the user's scopes
    lead = user.__dict__.get("_vlr_scopes", {}).get(LEADS, NOTHING) if user is not None else NOTHING
    return lead.allows(municipality_id)


def sees_work_in_progress(user, municipality_id: int | None) -> bool:
    """Whether ``user`` reads a municipality's work in progress — drafts, sections left out of
    an edition, review comments and who reviewed — or, like the public, only what it published
    (members and coordinators in scope do; see ``TenantQuerySet.for_user``). Work of no
    municipality (e.g. evidence from a ministry release) is read by the coordinators."""
    if municipality_id is None:
        reviewer = municipality_scope(user, Action.REVIEW)
        return reviewer.all or bool(reviewer.ids)
    return municipality_scope(user, Action.VIEW).allows(municipality_id)


class TenantQuerySet(models.QuerySet):
    """QuerySet of rows owned by a municipality.

    Subclasses set ``municipality_path`` (the lookup to the owning municipality) and override
    ``published_q()`` with what anybody may read: a fixed condition (no clock, no request), as
    the scope fast path keeps the SQL it compiles from it (``_visible_parents``).
    """

    municipality_path = "municipality"
    # The foreign key whose row decides, with its own ``for_user``, whether this row is visible
    # (the same municipality and the same published rule). Set, the scope is one indexed
    # ``parent_id IN (visible parents)`` instead of an OR across the joined table, which makes
    # PostgreSQL read and sort every row of a city (tests/core/test_scope_indexes.py).
    scope_parent: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.for_user is TenantQuerySet.for_user:
            _PLAIN_SCOPES.add(cls)

    def published_q(self) -> Q:
        return Q(pk__in=[])

    def published(self):
        return self.filter(self.published_q())

    def for_user(self, user, action: str = Action.VIEW):
        scope = municipality_scope(user, action)
        if scope.all:
            return self.all()
        if self.scope_parent:
            parents = self._visible_parents(user, action, scope)
            return self.none() if parents is None else self.filter(**{f"{self.scope_parent}__in": parents})
        return self.in_scope(scope, action)

    def in_scope(self, scope: Scope, action: str = Action.VIEW):
        """``for_user`` of a user whose ``municipality_scope(user, action)`` is ``scope``."""
        if scope.all:
            return self.all()
        condition = Q(**{f"{self.municipality_path}__in": scope.ids})
        if action == Action.VIEW:
            condition |= self.published_q()
        return self.filter(condition)

    def _visible_parents(self, user, action: str, scope: Scope):
        """The ``scope_parent`` rows ``user`` may ``action``, as a subquery: the parent's own
        ``for_user``. With the fast path ``scope`` (``apps.core.api.fast``) its SQL is compiled
        once per database, action and scope and kept, instead of on every query: a parent whose
        ``for_user`` is this class's depends on nothing else (``published_q`` is a constant)."""
        parent = self.model._meta.get_field(self.scope_parent).related_model
        manager = parent._default_manager
        if fast_path("scope") and getattr(manager, "_queryset_class", None) in _PLAIN_SCOPES:
            compiled = _compiled_scope(parent, self.db, action, scope)
            # None: no parent can match, where Django's compiler answers [] without a query.
            return None if compiled is None else RawSQL(*compiled)
        return manager.for_user(user, action).values("pk")


# Querysets whose for_user is TenantQuerySet's (filled as the subclasses are defined).
_PLAIN_SCOPES: set[type] = set()


def scope_is_plain(model) -> bool:
    """Whether ``model``'s ``for_user`` is TenantQuerySet's, and so is its ``scope_parent``'s:
    its rows for a user depend on the user's ``Scope`` only (and on fixed ``published_q``
    conditions), never on the user as such."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    if queryset_class not in _PLAIN_SCOPES:
        return False
    parent = queryset_class.scope_parent
    return parent is None or scope_is_plain(model._meta.get_field(parent).related_model)


@functools.lru_cache(maxsize=1024)
def _compiled_scope(model, alias: str, action: str, scope: Scope) -> tuple[str, tuple] | None:
    """SQL and parameters of ``model``'s ids visible with ``scope`` (see ``_visible_parents``),
    or None when the condition can match nothing (e.g. editing with no municipality)."""
    query = (
        model._default_manager.db_manager(alias).all().in_scope(scope, action).order_by().values("pk").query
    )
    query.bump_prefix(query)  # aliases U0, … as Django writes a subquery, apart from the outer query's
    try:
        return query.get_compiler(using=alias).as_sql()
    except EmptyResultSet:
        return None


def can(user, action: str, obj: models.Model) -> bool:
    """Object-level check with the same rule as the querysets."""
    return type(obj)._default_manager.for_user(user, action).filter(pk=obj.pk).exists()


class SharedOrTenantQuerySet(TenantQuerySet):
    """Rows owned by one municipality, or shared by all (no municipality: the UN SDG and K-SDG
    frameworks). Shared rows are reference data: anybody reads them, only admins change them;
    owned rows follow the municipality's scope (planners edit, members and coordinators in
    scope read)."""

    def published_q(self) -> Q:
        return Q(**{f"{self.municipality_path}__isnull": True})


class LinkQuerySet(models.QuerySet):
    """Rows that link two rows of one scoped model (a crosswalk link between framework nodes):
    visible when both ends are visible; changed by whoever may change the ``source_path`` end."""

    source_path = "from_node"
    other_path = "to_node"

    def for_user(self, user, action: str = Action.VIEW):
        ends = self.model._meta.get_field(self.source_path).related_model._default_manager
        if municipality_scope(user, action).all:
            return self.all()
        rows = self.filter(**{f"{self.source_path}__in": ends.for_user(user, action).values("pk")})
        return rows.filter(**{f"{self.other_path}__in": ends.for_user(user, Action.VIEW).values("pk")})
