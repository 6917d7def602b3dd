"""Serializer bits shared by every app's API."""
from __future__ import annotations

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from .exceptions import django_validation_errors


class FullCleanModelSerializer(serializers.ModelSerializer):
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
        if isinstance(data, int) and not 0 < data < 2**63 or isinstance(data, str) and len(data) > 19:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
