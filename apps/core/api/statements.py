"""Which compiled list statement serves a request (fast path ``statement``), and its values bound.

A list's SQL is a function of its viewset, the user's scope, the language, the count cap and its
FilterSet's cleaned values (``TenantViewSet.list_statement`` says when, and keeps the statements).
Most of those values only fill a parameter of the SQL: ``?year_min=2004`` and ``?year_min=2011``
compile to the same text with 2004 or 2011 in one place. So a value may be *bound* instead of
compiled: the statement is kept under the list's *shape* (the value's kind instead of the value),
and a request of that shape runs the kept SQL with its own values put in their places.

A value is bound only when nothing but a parameter can depend on it, and only where that was
checked against Django itself:

- its filter is django-filter's plain one (no ``method``, ``Filter.filter`` not overridden: one
  ``.filter(**{lookup: value})``, skipped for empty values);
- it is a non-empty string, or an integral number within its field's validators' bounds;
- when the shape is asked with a second set of values (the first are kept as they are, so a list
  asked once costs one compile as before), the statement is compiled again for each value set to
  *probes* (a number's lowest and highest allowed values, so a lookup that refuses a value out of
  the column's range shows; strings with ``%``, ``_``, a backslash and a quote, so a lookup that
  escapes or wraps its value shows): the SQL text must not change, and the parameters that change
  must be exactly the value (``int()`` of a number, a string itself, in the backend's own type
  such as psycopg's ``Int2``) in the same places every time. A value that fails any of this is part of the key instead, as every value of a filter
  with a ``method`` is.
"""

from __future__ import annotations

import math
import threading
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django_filters.filters import Filter

from .pagination import PageStatement


class Kind(str):
    """The kind of a bound value, standing for it in a list's key (never equal to a value there:
    ``frozen`` keys carry each value's type)."""


INT, STR = Kind("int"), Kind("str")
TRANSFORMS = {INT: int, STR: str}  # a cleaned value -> its SQL parameter
ASKED_ONCE = "asked once"  # a shape asked with one set of values so far (``list_statement``)
STRING_PROBES = ("%_\\'a", "b'\\_%")  # LIKE's wildcards and escape, and a quote, in two orders


class KeptStatements:
    """The compiled list statements a process keeps, oldest first, at most ``size`` entries.

    Under a list's key (the viewset's ``list_key`` and its FilterSet's cleaned values, each bound
    value by its kind): ``(statement, slots)``. Under a shape's key also ``ASKED_ONCE`` (its
    first values are kept under their own key; its slots are learnt when other values come) or
    the frozenset of the names whose values bind (the other values are part of the key)."""

    def __init__(self, size: int):
        self.size = size
        self.entries: dict = {}
        self.lock = threading.Lock()

    def find(self, list_key: tuple, filterset, compile_with) -> PageStatement | None:
        """The statement for the valid ``filterset``'s values, kept or compiled by
        ``compile_with(values)`` (and kept); None when its values cannot be a key. Raises
        ``EmptyResultSet`` as the compile does."""
        cleaned, entries = filterset.form.cleaned_data, self.entries
        kinds = kinds_of(filterset)

        def key(kinds: dict) -> tuple | None:
            shape = frozen(sorted((name, kinds.get(name) or value) for name, value in cleaned.items()))
            return None if shape is None else (*list_key, shape)

        shape = key(kinds)
        if shape is None:
            return None
        found = entries.get(shape)
        if isinstance(found, frozenset):  # only these of the values bind: the others are keys
            kinds = {name: kind for name, kind in kinds.items() if name in found}
            shape = key(kinds)
            found = entries.get(shape)
        if isinstance(found, tuple):
            statement, slots = found
            return bound(statement, slots, cleaned)
        exact = key({})
        again = entries.get(exact) if kinds else None
        if isinstance(again, tuple):  # these values, asked before their shape was learnt
            return again[0]
        statement = compile_with(cleaned)
        # A shape's first values are kept as they are; its second are worth probing for slots
        # (``learn_slots`` compiles twice more per value), once per shape.
        learn = bool(kinds) and found is ASKED_ONCE
        slots = learn_slots(compile_with, cleaned, kinds, filterset.form.fields, statement) if learn else {}
        with self.lock:
            if not learn:
                self._keep(exact, (statement, {}))
                if kinds:
                    self._keep(shape, ASKED_ONCE)
            else:
                if len(slots) < len(kinds):  # the others are part of the key: say which bind
                    self._keep(shape, frozenset(slots))
                    shape = key({name: kinds[name] for name in slots})
                self._keep(shape, (statement, slots))
        return statement

    def _keep(self, key: tuple, entry) -> None:
        while len(self.entries) >= self.size:
            self.entries.pop(next(iter(self.entries)))
        self.entries[key] = entry

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def kinds_of(filterset) -> dict:
    """``{name: kind}`` of the valid ``filterset``'s values that may be bound."""
    fields = filterset.form.fields
    return {
        name: kind
        for name, value in filterset.form.cleaned_data.items()
        if (kind := bind_kind(filterset.filters[name], fields[name], value))
    }


def bind_kind(filter_, field, value) -> str | None:
    """The kind of ``value`` if it may be bound (see the module's docstring), else None."""
    if filter_.method is not None or type(filter_).filter is not Filter.filter:
        return None
    if isinstance(value, str):
        return STR if value else None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    if isinstance(value, Decimal) and not (value.is_finite() and value == value.to_integral_value()):
        return None
    bounds = _bounds(field)
    return INT if bounds and bounds[0] <= value <= bounds[1] else None


def frozen(value):
    """``value`` as a key (lists and ranges as tuples, each value with its type), or None if it
    cannot be one."""
    if isinstance(value, (list, tuple)):
        items = tuple(frozen(item) for item in value)
        return None if None in items else (type(value), items)
    if isinstance(value, slice):
        return frozen([value.start, value.stop, value.step])
    try:
        hash(value)
    except TypeError:
        return None
    return (type(value), value)


def learn_slots(compile_with, cleaned: dict, kinds: dict, fields: dict, base: PageStatement) -> dict:
    """``{name: (positions, kind, wrapper)}`` for each value of ``kinds`` whose probes show it only
    fills those parameters of ``base`` (compiled from ``cleaned``), as ``wrapper(int(value))`` or
    ``wrapper(str(value))`` (the backend's own type: psycopg's ``Int2`` for a small integer
    column); ``compile_with(values)`` compiles the statement for other cleaned values."""
    slots, taken = {}, set()
    for name, kind in kinds.items():
        slot = _slot(compile_with, cleaned, name, kind, fields[name], base)
        if slot and not taken.intersection(slot[0]):
            slots[name] = slot
            taken.update(slot[0])
    return slots


def _slot(compile_with, cleaned: dict, name: str, kind: str, field, base: PageStatement) -> tuple | None:
    """``(positions, kind, wrapper)`` of ``name``'s value in ``base`` if every probe shows it
    there alone, else None."""
    transform = TRANSFORMS[kind]
    own = transform(cleaned[name])
    probes = _probes(field, kind, cleaned[name])
    slot = None
    for probe in probes:
        try:
            other = compile_with({**cleaned, name: probe})
        except Exception:  # a probe the lookup refuses (EmptyResultSet, ValueError, ...): no slot
            return None
        if other.sql != base.sql or len(other.params) != len(base.params):
            return None
        changed = tuple(i for i, param in enumerate(other.params) if param != base.params[i])
        if not changed:
            return None
        wrapper = type(base.params[changed[0]])
        wanted = transform(probe)
        fits = issubclass(wrapper, transform) and all(
            type(other.params[i]) is wrapper
            and other.params[i] == wanted
            and type(base.params[i]) is wrapper
            and base.params[i] == own
            for i in changed
        )
        if not fits or (slot is not None and slot != (changed, kind, wrapper)):
            return None
        slot = (changed, kind, wrapper)
    return slot


def bound(statement: PageStatement, slots: dict, cleaned: dict) -> PageStatement:
    """``statement`` with the values of ``cleaned`` in its ``slots``."""
    if not slots:
        return statement
    params = list(statement.params)
    for name, (positions, kind, wrapper) in slots.items():
        value = wrapper(TRANSFORMS[kind](cleaned[name]))
        for position in positions:
            params[position] = value
    return statement.with_params(tuple(params))


def _bounds(field) -> tuple[int, int] | None:
    """The lowest and highest integers ``field``'s validators allow, or None if either is open."""
    lows, highs = [], []
    for validator in field.validators:
        if isinstance(validator, (MinValueValidator, MaxValueValidator)):
            limit = validator.limit_value() if callable(validator.limit_value) else validator.limit_value
            (lows if isinstance(validator, MinValueValidator) else highs).append(Decimal(str(limit)))
    if not (lows and highs):
        return None
    low, high = math.ceil(max(lows)), math.floor(min(highs))
    return (low, high) if low < high else None


def _probes(field, kind: str, value) -> list:
    """Cleaned values of ``field`` to compile the statement with instead of ``value``: two that
    differ from it (and from each other), or none if the field refuses them."""
    if kind == INT:
        low, high = _bounds(field)
        raws = [str(low), str(high)]
    else:
        if field.max_length is not None and field.max_length < len(STRING_PROBES[0]):
            return []  # too short for a probe with every character a lookup could escape
        raws = list(STRING_PROBES)
    try:
        probes = [field.clean(raw) for raw in raws]
    except ValidationError:
        return []
    probes = [probe for probe in probes if probe != value]
    return probes if probes and len(set(probes)) == len(probes) else []
