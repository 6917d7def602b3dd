"""Local governments and who works for them."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from apps.core.models import both_languages, pick_language
from apps.core.permissions import Action, TenantQuerySet, municipality_scope

from .choices import Level, Role

MUNICIPALITY_CODE = RegexValidator(
    r"^[0-9A-Za-z-]{2,20}$", "코드는 영문/숫자 2~20자입니다 / code must be 2-20 letters or digits"
)

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639-1 or -3, as the VLR registration card lists them


class MunicipalityQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW):
        """The list of local governments is public; acting on one needs a role there."""
        if action == Action.VIEW:
            return self.all()
        scope = municipality_scope(user, action)
        return self.all() if scope.all else self.filter(pk__in=scope.ids)


class Municipality(models.Model):
    """A local government: Korean 광역 (17) and 기초 (226) from reference data, or any other
    local government (ICLEI is global), identified by a unique code."""

    code = models.CharField(max_length=20, unique=True, validators=[MUNICIPALITY_CODE])
    name_ko = models.CharField(max_length=100, blank=True)
    name_en = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.MUNICIPALITY)
    kind = models.CharField(max_length=20, blank=True, help_text="특별시, 광역시, 도, 시, 군, 구 …")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    country = models.CharField(max_length=2, default="KR")
    is_sample_data = models.BooleanField(
        default=False,
        help_text="이 지자체의 지표·사업 값은 시연용 가상 자료입니다 / values are fictional demo data",
    )
    # The city profile a VLR submission carries (UN DESA, IGES VLR Lab): blank until entered.
    population = models.PositiveIntegerField(null=True, blank=True, help_text="인구 / population")
    area_km2 = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0)], help_text="면적 (km²) / area (km²)"
    )
    budget_krw = models.BigIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="연간 예산 (원) / annual budget (KRW)",
    )
    languages = models.CharField(
        max_length=100,
        blank=True,
        default="ko",
        help_text="공용어 (쉼표로 구분) / official languages, e.g. ko, en",
    )
    profile_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="인구·면적·예산의 기준 연도 / year of the profile figures"
    )
    history = HistoricalRecords()

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "municipalities"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_ko="", name_en=""),
                name="municipality_has_a_name",
                violation_error_message="국문 또는 영문 이름이 필요합니다 / a Korean or English name is required",
            )
        ]

    def __str__(self) -> str:
        return f"{both_languages(self.name_ko, self.name_en)} ({self.code})"

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    @property
    def full_name_ko(self) -> str:
        """Name with its province, which tells homonyms (6 중구) apart: 대전광역시 서구."""
        if self.parent_id and self.parent:
            return f"{self.parent.name_ko} {self.name_ko}"
        return self.name_ko

    # the profile's fields a planner edits on the profile page and through the API
    PROFILE_FIELDS = ("population", "area_km2", "budget_krw", "languages", "profile_year")

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError(
                {"parent": "자기 자신을 상위로 지정할 수 없습니다 / cannot be its own parent"}
            )
        errors = {}
        codes = [code.strip().lower() for code in self.languages.split(",") if code.strip()]
        if all(LANGUAGE_CODE.fullmatch(code) for code in codes):
            self.languages = ", ".join(dict.fromkeys(codes))  # tidy: lower case, once each, in order
        else:
            errors["languages"] = (
                "언어는 ISO 639 코드를 쉼표로 구분해 적습니다 (예: ko, en) / languages are ISO 639 codes "
                "separated by commas (e.g. ko, en)"
            )
        if self.profile_year is not None and not 1945 <= self.profile_year <= 2100:
            errors["profile_year"] = "기준 연도는 1945~2100년입니다 / the profile year must be 1945-2100"
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """A user works for a municipality as planner (edits) or viewer (reads drafts)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PLANNER)
    is_lead = models.BooleanField(
        default=False,
        help_text="총괄 담당자: 데이터 요청을 엽니다 / lead planner: opens data calls",
    )
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__code", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"],
                name="membership_unique_user_municipality",
                violation_error_message="이미 이 지자체의 구성원입니다 / already a member of this municipality",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="membership_role_valid",
                violation_error_message="알 수 없는 역할 / unknown role",
            ),
            models.CheckConstraint(
                condition=models.Q(is_lead=False) | models.Q(role=Role.PLANNER),
                name="membership_lead_is_a_planner",
                violation_error_message="총괄 담당자는 담당자여야 합니다 / a lead planner must be a planner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.municipality} ({self.get_role_display()})"


class CoordinatorScope(models.Model):
    """A coordinator (e.g. ICLEI Korea) reviews a network of municipalities, or all of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_scope"
    )
    network = models.CharField(max_length=200, blank=True, help_text="예: ICLEI Korea")
    all_municipalities = models.BooleanField(default=False)
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="coordinators")
    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        verbose_name = "coordinator scope"

    def __str__(self) -> str:
        what = "all / 전체" if self.all_municipalities else "network / 네트워크"
        return f"{self.user} coordinates {self.network or what}"
