"""Serializer bits shared by every app's API."""

from __future__ import annotations

import copy
import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import ManyRelatedField, PKOnlyObject

from ..permissions import sees_work_in_progress
from .exceptions import django_validation_errors
from .fast import fast_path

# Field classes whose representation of a value loaded from the database is the value itself
# (exact classes only: subclasses such as MultipleChoiceField change the representation).
_AS_IS = {serializers.CharField, serializers.IntegerField, serializers.BooleanField, serializers.ChoiceField}


class FastRepresentationMixin:
    """Same output as DRF's ``to_representation``, 3-4x faster for list pages.

    DRF calls ``get_attribute`` and ``to_representation`` on every field of every row. For plain
    scalar fields read from one model attribute the result is the attribute itself, so those
    are read with ``getattr`` from a plan built once per serializer; every other field (dates,
    relations, nested serializers, methods) goes through DRF exactly as before.

    When the representation cannot depend on the request (every readable field is one of the
    context-free kinds below, the class does not override ``__init__`` or ``get_fields``),
    the plan is built once per class from a serializer made without context, so a request no
    longer builds (deep-copies) the serializer's fields just to read rows. Anything else, e.g.
    a ``SerializerMethodField`` or fields chosen per user, keeps its per-instance plan.
    """

    def _representation_plan(self):
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = type(self)._class_plan()
            if plan is None:
                plan = _build_plan(self._readable_fields, _model_of(type(self)))
            self.__dict__["_plan"] = plan
        return plan

    @classmethod
    def _class_plan(cls):
        cached = cls.__dict__.get("_shared_plan")
        if cached is None:
            cached = False
            if (
                cls.__init__ is serializers.BaseSerializer.__init__
                and cls.get_fields is serializers.ModelSerializer.get_fields
            ):
                prototype = cls()  # no instance, no data, no context
                readable = list(prototype._readable_fields)
                if all(_context_free(field) for field in readable):
                    cached = _build_plan(readable, _model_of(cls))
            cls._shared_plan = cached
        return cached or None

    def to_representation(self, instance):
        if not fast_path("plan"):
            return super().to_representation(instance)
        ret = {}
        timezone_ = None
        for name, kind, attr, field, convert in self._representation_plan():
            if kind is _VALUE:
                ret[name] = getattr(instance, attr)
                continue
            if kind is _CONVERTED:
                value = getattr(instance, attr)
                ret[name] = None if value is None else convert(value)
                continue
            if kind is _DATETIME:
                value = getattr(instance, attr)
                if type(value) is datetime.datetime and value.tzinfo is not None:
                    if timezone_ is None:  # once per row, not per field (a context-local lookup)
                        timezone_ = self.__dict__.get("_timezone") or self.__dict__.setdefault(
                            "_timezone", timezone.get_current_timezone()
                        )
                    ret[name] = _iso_datetime(value, timezone_, field)
                    continue
                ret[name] = None if value is None else field.to_representation(value)
                continue
            if kind is _PRESET:  # an annotation or an attached representation, when present
                value = instance.__dict__.get(attr, _MISSING)
                if value is not _MISSING and (convert is None or type(value) is convert):
                    ret[name] = value
                    continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check is None else field.to_representation(attribute)
        return ret


# Plan entries: (output name, kind, attribute, field, converter).
_VALUE, _CONVERTED, _DATETIME, _PRESET, _FIELD = "value", "converted", "datetime", "preset", "field"
_MISSING = object()


def _model_of(serializer_class):
    meta = getattr(serializer_class, "Meta", None)
    return getattr(meta, "model", None)


def _foreign_key_column(model, field) -> str | None:
    """The attribute holding the related primary key (``local_indicator_id``) when ``field`` is
    a plain primary-key reference to one of ``model``'s foreign keys: its representation is that
    value, without loading or wrapping the related object."""
    if model is None or type(field) not in _PK_RELATIONS or field.pk_field is not None:
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:  # a property or annotation
        return None
    if model_field.many_to_one and model_field.target_field.primary_key:
        return model_field.attname
    return None


def _build_plan(readable_fields, model=None) -> list:
    """How to read each field: straight from an attribute where DRF's answer is the value itself
    or a known conversion of it, else through the field (``get_attribute`` + ``to_representation``)."""
    plan = []
    for field in readable_fields:
        name = field.field_name
        simple = field.source != "*" and len(field.source_attrs) == 1
        attr = field.source_attrs[0] if simple else None
        kind = type(field)
        if simple and kind in _AS_IS:
            plan.append((name, _VALUE, attr, field, None))
        elif simple and (column := _foreign_key_column(model, field)):
            plan.append((name, _VALUE, column, field, None))
        elif simple and kind is serializers.FloatField:
            plan.append((name, _CONVERTED, attr, field, float))
        elif simple and kind is serializers.DateField and _iso_format(field, "DATE_FORMAT"):
            plan.append((name, _CONVERTED, attr, field, _iso_date(field)))
        elif (
            simple
            and kind is serializers.DateTimeField
            and not hasattr(field, "timezone")
            and _iso_format(field, "DATETIME_FORMAT")
        ):
            plan.append((name, _DATETIME, attr, field, None))
        elif kind in (AnnotatedCharField, MunicipalityCodeField):
            annotation = field.annotation if kind is AnnotatedCharField else "_municipality_code"
            plan.append((name, _PRESET, annotation, field, None))
        elif kind in (PrefetchedListSerializer, PrefetchedManyRelatedField):
            plan.append((name, _PRESET, f"_prefetched_{name}", field, Represented))
        else:
            plan.append((name, _FIELD, None, field, None))
    return plan


def _iso_format(field, setting: str) -> bool:
    from rest_framework.settings import api_settings

    output_format = getattr(field, "format", getattr(api_settings, setting))
    return isinstance(output_format, str) and output_format.lower() == ISO_8601


def _iso_date(field):
    """DateField.to_representation for a date in ISO 8601; anything else goes to the field."""

    def represent(value):
        return value.isoformat() if type(value) is datetime.date else field.to_representation(value)

    return represent


def _iso_datetime(value: datetime.datetime, timezone_, field) -> str:
    """DateTimeField.to_representation of an aware datetime in ISO 8601 (the project's format),
    without its general path."""
    if not settings.USE_TZ:
        return field.to_representation(value)
    try:
        text = value.astimezone(timezone_).isoformat()
    except OverflowError:
        return field.to_representation(value)  # DRF's "overflow" error
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _context_free(field) -> bool:
    """True when ``field``'s ``get_attribute`` + ``to_representation`` never read the
    serializer's context (the request) or per-instance state: exact field classes only."""
    from rest_framework.fields import empty

    if field.default is not empty and getattr(field.default, "requires_context", False):
        return False
    kind = type(field)
    if kind in _AS_IS or kind in _CONTEXT_FREE:
        return True
    if kind in _CONTEXT_FREE_RELATIONS:
        return getattr(field, "pk_field", None) is None
    if kind in (ManyRelatedField, PrefetchedManyRelatedField):
        return _context_free(field.child_relation)
    if kind in (serializers.ListSerializer, PrefetchedListSerializer):
        child = type(field.child)
        return isinstance(field.child, FastRepresentationMixin) and child._class_plan() is not None
    return False


class FastModelSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """ModelSerializer with the fast read path."""


class FullCleanModelSerializer(FastModelSerializer):
    """Runs the model's own ``full_clean()`` (field validators, ``clean()``, ``Meta.constraints``)
    so the API gives the same bilingual messages as forms and services, never an IntegrityError.

    ``Meta.full_clean_exclude`` names model fields the view fills in at ``save()`` (e.g. author).
    DRF's generated unique-together validators are switched off (``validators = []``) because
    the model constraints already carry the bilingual ``violation_error_message``.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many = {field.name for field in model._meta.many_to_many}
        concrete = {field.name for field in model._meta.concrete_fields}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        exclude = many | set(getattr(self.Meta, "full_clean_exclude", ()))
        try:
            instance.full_clean(exclude=sorted(exclude))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_validation_errors(exc)) from exc
        return attrs


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    @classmethod
    def many_init(cls, *args, **kwargs):
        # many=True reads ``_prefetched_<name>`` when the viewset prefetched it (see below).
        field = super().many_init(*args, **kwargs)
        field.__class__ = PrefetchedManyRelatedField
        return field

    """A reference to a tenant object by id, limited to what the requesting user may view.

    An object the user cannot see is "does not exist" (400), like an id that does not exist.
    """

    def __init__(self, model=None, **kwargs):
        self.model = model
        if not kwargs.get("read_only"):
            kwargs["queryset"] = model._default_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self):
        from apps.core.permissions import Action

        request = self.context.get("request")
        return self.model._default_manager.for_user(getattr(request, "user", None), Action.VIEW)

    def to_internal_value(self, data):
        # Ids beyond 64 bits are "does not exist", not a database overflow.
        if (isinstance(data, int) and not 0 < data < 2**63) or (isinstance(data, str) and len(data) > 19):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


# ----------------------------------------------------------------------------- cheap list reads
# A viewset may prefetch a relation into ``_prefetched_<field name>`` (``Prefetch(to_attr=…)``,
# which skips Django's per-row queryset clones) or annotate a related value; these fields read
# that when it is there and fall back to the ordinary relation otherwise (create/update answers).


# A viewset's ``attach`` may also hand over the field's final representation, as a
# ``Represented`` list (e.g. codes read with one SQL query for a whole page): the representation
# plan outputs it as is (``_PRESET``).


class Represented(list):
    """A many-field's value that is already its representation (JSON-ready items)."""


class PrefetchedListSerializer(serializers.ListSerializer):
    def get_attribute(self, instance):
        rows = instance.__dict__.get(f"_prefetched_{self.field_name}")
        return rows if rows is not None else super().get_attribute(instance)

    def to_representation(self, data):
        return data if type(data) is Represented else super().to_representation(data)


class PrefetchedManyRelatedField(ManyRelatedField):
    def get_attribute(self, instance):
        rows = instance.__dict__.get(f"_prefetched_{self.field_name}")
        return rows if rows is not None else super().get_attribute(instance)

    def to_representation(self, iterable):
        return iterable if type(iterable) is Represented else super().to_representation(iterable)


class PrefetchedManyMixin:
    @classmethod
    def many_init(cls, *args, **kwargs):
        field = super().many_init(*args, **kwargs)
        field.__class__ = PrefetchedManyRelatedField
        return field


def forget_prefetched(instance):
    """Drop what a viewset prefetched or attached to ``instance`` (``_prefetched_<name>``) so a
    write's answer reads the relations as written, not as they were before; returns it."""
    for name in [name for name in vars(instance) if name.startswith("_prefetched_")]:
        del instance.__dict__[name]
    return instance


class PrefetchedSlugRelatedField(PrefetchedManyMixin, serializers.SlugRelatedField):
    """SlugRelatedField(many=True) that reads ``_prefetched_<name>`` when present."""


class AnnotatedCharField(serializers.CharField):
    """Read-only: the queryset's annotation ``annotation`` when present, else ``path``
    (dotted attributes, e.g. ``local_indicator.code``)."""

    def __init__(self, *, annotation: str, path: str, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self.annotation, self.path = annotation, path.split(".")

    def get_attribute(self, instance):
        if self.annotation in instance.__dict__:
            return instance.__dict__[self.annotation]
        value = instance
        for name in self.path:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value


class MunicipalityCodeField(serializers.SlugRelatedField):
    """The owning municipality by code (e.g. "11260"). Writes look the code up in the given
    ``queryset`` (core cannot import the Municipality model); reads take the queryset's
    ``_municipality_code`` annotation when present instead of a joined model row."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("help_text", "지자체 코드 / municipality code")
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        if "_municipality_code" in instance.__dict__:
            return instance.__dict__["_municipality_code"]
        return super().get_attribute(instance)

    def to_representation(self, value):
        return value if isinstance(value, str) else super().to_representation(value)


# Fields whose read path is a pure function of the value (see ``_context_free``).
_CONTEXT_FREE = {
    serializers.FloatField,
    serializers.DecimalField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.UUIDField,
    serializers.ReadOnlyField,
    serializers.EmailField,
    serializers.URLField,
    serializers.SlugField,
    AnnotatedCharField,
    MunicipalityCodeField,
}
_PK_RELATIONS = {serializers.PrimaryKeyRelatedField, VisiblePrimaryKeyRelatedField}
_CONTEXT_FREE_RELATIONS = {
    serializers.PrimaryKeyRelatedField,
    VisiblePrimaryKeyRelatedField,
    serializers.SlugRelatedField,
    PrefetchedSlugRelatedField,
    MunicipalityCodeField,
}


class InsideOnlyFieldsMixin:
    """Blanks ``Meta.inside_only_fields`` (e.g. the owner's name and e-mail of a public
    indicator) for readers who do not see the municipality's work in progress
    (``apps.core.permissions.sees_work_in_progress``): the public reads the row, not the person."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not sees_work_in_progress(getattr(request, "user", None), instance.municipality_id):
            for name in self.Meta.inside_only_fields:
                if name in data:
                    data[name] = None if data[name] is None else ""
        return data


def optional_email() -> serializers.CharField:
    """The serializer field of ``apps.core.models.optional_email_field``: plain text in the
    schema, since an empty address is allowed and OpenAPI's ``format: email`` refuses "" (the
    model's ``full_clean`` checks the address, with its bilingual message)."""
    return serializers.CharField(
        max_length=254,
        allow_blank=True,
        required=False,
        help_text="전자우편 (비워 둘 수 있음) / e-mail, may be empty",
    )
