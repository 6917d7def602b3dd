"""Filter pieces shared by every app's ``filtersets.py`` (used by the API and the web UI)."""

from __future__ import annotations

import copy

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.api.fast import fast_path
from apps.core.forms import choices_in_one_language
from apps.core.models import one_language


class BaseFilterSet(django_filters.FilterSet):
    """FilterSet whose rows always come in a stable order, and (a speed shortcut,
    ``fast_path("filterset")``) whose form class is built once per class instead of once per request.

    **Order.** Whatever the ordering (``?ordering=``, the queryset's, the model's ``Meta``), the
    primary key is its last term unless it is already in it, so that rows with equal values
    keep one order from page to page (PostgreSQL gives ties in any order otherwise, and a page
    could repeat or skip rows). This is the only ordering mechanism of the API and the UI lists.

    django-filter builds a new Form class (and every form field) on each instantiation, which
    costs more than the query on an API list page. The fields of our filters never depend on
    the request, so the class is cached; each form instance still deep-copies its fields.

    Likewise each instance gets shallow copies of the class's filters instead of
    ``copy.deepcopy(base_filters)``: a filter's own state (field name, lookup, method name,
    ``extra`` options) is not changed by a request, only its ``parent`` and ``model``, which
    are set on the copy as django-filter does.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if not fast_path("filterset"):
            super().__init__(data, queryset, request=request, prefix=prefix)
            return
        # django_filters.FilterSet.__init__ (25.x) except for the copy of the filters.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        model = queryset.model
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _copy_filter(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = model
            filter_.parent = self

    @classmethod
    def _cached_form_class(cls, build):
        cached = cls.__dict__.get("_form_class_cache")
        if cached is None:
            cached = build()
            cls._form_class_cache = cached
        return cached

    def get_form_class(self):
        if not fast_path("filterset"):
            return super().get_form_class()
        return self._cached_form_class(_with_only(super().get_form_class))

    def filter_queryset(self, queryset):
        return stable_order(super().filter_queryset(queryset))

    # Set by the API's filter backend: the form gets only the fields whose parameter is in the
    # query string. An absent parameter cleans to an empty value and every filter skips empty
    # values, so the result, and the errors, are the same; the page just does not copy and
    # clean a dozen form fields it never uses. The web UI renders the whole form: left False.
    only_given_fields = False

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            if self.is_bound and self.only_given_fields and fast_path("filterset"):
                prefix = f"{self.form_prefix}-" if self.form_prefix else ""
                only = [
                    name
                    for name, field in form_class.base_fields.items()
                    if not field.widget.value_omitted_from_data(self.data, {}, prefix + name)
                ]
                self._form = form_class(self.data, prefix=self.form_prefix, only=only)
            else:
                return super().form
        return self._form


def stable_order(queryset):
    """``queryset`` ordered as it is (or by its model's ``Meta.ordering``), then by primary key,
    in the direction of the last term: ``-year`` becomes ``-year, -pk``, which an index on
    ``(year, id)`` serves read backwards; ``-year, pk`` made PostgreSQL sort each year's rows
    (0.7 s on the national data set, issue 16)."""
    query, meta = queryset.query, queryset.model._meta
    if query.order_by:
        ordering = list(query.order_by)
    else:
        ordering = list(meta.ordering) if query.default_ordering else []
    unique = {"pk", meta.pk.name, meta.pk.attname}
    if any(isinstance(term, str) and term.lstrip("-") in unique for term in ordering):
        return queryset
    last = ordering[-1] if ordering else None
    descending = (isinstance(last, str) and last.startswith("-")) or getattr(last, "descending", False)
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


def _with_only(build):
    """The built form class, accepting ``only=[names]``: the form instance copies only those of
    its base fields (BaseForm deep-copies ``self.base_fields``, here an instance attribute)."""

    def build_class():
        form_class = build()

        def __init__(self, *args, only=None, **kwargs):
            if only is not None:
                self.base_fields = {
                    name: field for name, field in type(self).base_fields.items() if name in only
                }
            super(form_class_with_only, self).__init__(*args, **kwargs)
            self.__dict__.pop("base_fields", None)

        form_class_with_only = type(form_class.__name__, (form_class,), {"__init__": __init__})
        return form_class_with_only

    return build_class


def _copy_filter(filter_):
    new = copy.copy(filter_)
    new.extra = dict(filter_.extra)
    if filter_.method is not None:
        new.method = filter_.method  # a FilterMethod bound to the copy, so it finds the copy's parent
    return new


# Ids and years beyond these are input errors (400), never a database overflow (500).
MAX_ID = 2**63 - 1
ID_VALIDATORS = [MinValueValidator(1), MaxValueValidator(MAX_ID)]
YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]


def id_filter(field_name: str, label: str, method: str | None = None) -> django_filters.NumberFilter:
    """``<fk>_id`` half of an FK filter pair (the other half filters by code)."""
    return django_filters.NumberFilter(
        field_name=field_name, label=label, validators=ID_VALIDATORS, method=method
    )


def year_filter(
    field_name: str, lookup_expr: str, label: str, method: str | None = None
) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label, validators=YEAR_VALIDATORS, method=method
    )


def text_search(queryset, fields: tuple[str, ...], value: str):
    """Every word of ``value`` must appear in one of ``fields`` (Korean and English)."""
    for word in value.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


class SearchFilter(django_filters.CharFilter):
    """``q``: words searched over the given Korean and English text fields."""

    def __init__(self, fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("label", "검색 / search (Korean or English)")
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.search_fields = fields

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        return text_search(qs, self.search_fields, value)


class StableOrderingFilter(django_filters.OrderingFilter):
    """``ordering=a,-b``; ``BaseFilterSet`` adds the primary key to break ties."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "정렬 / ordering (prefix - for descending)")
        super().__init__(*args, **kwargs)


GOAL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(17)]


def goal_filter(method: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        method=method, label="SDG 목표 번호 / goal number (1-17)", validators=GOAL_VALIDATORS
    )


def target_filter(method: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method=method, max_length=6, label="SDG 세부목표 코드 / target code (e.g. 11.6)"
    )


def municipality_code_filter(path: str = "municipality") -> django_filters.CharFilter:
    """``municipality``: the owning local government by code (e.g. 11260)."""
    return django_filters.CharFilter(
        field_name=f"{path}__code", max_length=20, label="지자체 코드 / municipality code (e.g. 11260)"
    )


def municipality_id_filter(path: str = "municipality") -> django_filters.NumberFilter:
    """``municipality_id``: the same by id (the other half of the FK pair)."""
    return id_filter(f"{path}__id", "지자체 id / municipality id")


# The web UI's filter forms speak the active language. The filters' own labels ("국문 / English")
# document the API; a form field's label and its choices are set per request from these, since the
# form class is built once (whatever language was active then) and shared by every request.
UI_LABELS = {
    "municipality": _lazy("Municipality"),
    "goal": _lazy("SDG goal number (1-17)"),
    "target": _lazy("SDG target code (e.g. 11.6)"),
    "primary_target": _lazy("Primary SDG target"),
    "group": _lazy("Group served (e.g. women)"),
    "status": _lazy("Status"),
    "kind": _lazy("Kind"),
    "is_public": _lazy("Public"),
    "language": _lazy("Language"),
    "title": _lazy("Title"),
    "title_ko": _lazy("Title (Korean)"),
    "title_en": _lazy("Title (English)"),
    "start_date": _lazy("Start date"),
    "end_date": _lazy("End date"),
    "budget_krw": _lazy("Budget (KRW)"),
    "updated_at": _lazy("Last changed"),
    "created_at": _lazy("Added"),
    "decided_at": _lazy("Decided"),
    "published_date": _lazy("Published"),
    "date_from": _lazy("Published on or after"),
    "date_to": _lazy("Published on or before"),
    "year": _lazy("Year"),
    "score": _lazy("Score"),
    "ordering": _lazy("Order by"),
    "q": _lazy("Search (Korean or English)"),
}


def localize_filter_form(filterset) -> None:
    """Labels and choices of ``filterset.form`` in the active language (web UI only)."""
    choices_in_one_language(filterset.form.fields)
    for name, field in filterset.form.fields.items():
        field.label = str(UI_LABELS.get(name) or one_language(field.label))
        filter_ = filterset.filters.get(name)
        if isinstance(filter_, django_filters.OrderingFilter):
            choices = []  # the field adds its own empty choice
            for param in filter_.param_map:
                label = str(UI_LABELS.get(param, param))
                choices += [(param, label), (f"-{param}", _("%(field)s (descending)") % {"field": label})]
            field.choices = choices
