"""Who am I (``/api/v1/me/``) and token login (``/api/v1/auth/token/``)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.permissions import Action, is_admin, municipality_scope

from .schema import VLRAutoSchema


class MembershipOutSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="지자체 코드 / municipality code")
    municipality_id = serializers.IntegerField()
    name_ko = serializers.CharField()
    name_en = serializers.CharField()
    role = serializers.CharField(help_text="planner | viewer")


class ScopeOutSerializer(serializers.Serializer):
    all = serializers.BooleanField(help_text="모든 지자체 / every municipality")
    municipality_ids = serializers.ListField(child=serializers.IntegerField())


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_admin = serializers.BooleanField()
    memberships = MembershipOutSerializer(many=True)
    view = ScopeOutSerializer(help_text="조회 범위 / municipalities whose drafts you may read")
    edit = ScopeOutSerializer(help_text="편집 범위 / municipalities you may edit")
    review = ScopeOutSerializer(help_text="검토 범위 / municipalities you may review")


def _scope(user, action) -> dict:
    scope = municipality_scope(user, action)
    return {"all": scope.all, "municipality_ids": sorted(scope.ids)}


class MeView(APIView):
    """The current user, their memberships and the scopes ``apps.core.permissions`` gives them."""

    permission_classes = [IsAuthenticated]
    schema = VLRAutoSchema()

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user = request.user
        memberships = user.memberships.select_related("municipality").order_by("municipality__code")
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_admin": is_admin(user),
            "memberships": [
                {
                    "municipality": m.municipality.code,
                    "municipality_id": m.municipality_id,
                    "name_ko": m.municipality.name_ko,
                    "name_en": m.municipality.name_en,
                    "role": m.role,
                }
                for m in memberships
            ],
            "view": _scope(user, Action.VIEW),
            "edit": _scope(user, Action.EDIT),
            "review": _scope(user, Action.REVIEW),
        }
        return Response(MeSerializer(data).data)


class TokenInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)


class TokenOutSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='send as "Authorization: Token <token>"')


class TokenView(ObtainAuthToken):
    """Exchange username and password for an API token.

    Failed attempts are counted by django-axes (settings ``AXES_*``), shared with the web and
    admin login forms: a locked-out account or address gets 429 with ``Retry-After``, even
    with the right password, until the lockout ends.
    """

    throttle_classes: list = []
    schema = VLRAutoSchema()
    extra_error_codes = {None: ["429"]}
    permission_classes = [AllowAny]  # public: it is how one logs in

    @extend_schema(request=TokenInSerializer, responses=TokenOutSerializer, operation_id="auth_token_create")
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            # django-axes flags the (DRF) request it was handed by ``authenticate``.
            if getattr(request, "axes_locked_out", False):
                raise exceptions.Throttled(wait=settings.AXES_COOLOFF_TIME.total_seconds()) from None
            raise
