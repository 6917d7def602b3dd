"""The API's filter backend: django-filter's, with the FilterSet told to build a form of the
query parameters actually given (``BaseFilterSet.only_given_fields``)."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if hasattr(filterset, "only_given_fields"):
            filterset.only_given_fields = True
        if not filterset.is_valid() and self.raise_exception:
            from django_filters import utils

            raise utils.translate_validation(filterset.errors)
        return filterset.qs
