"""Local indicators (L-SDG) of a municipality and their yearly values."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apps.core.models import (
    CleanTextMixin,
    TimeStampedModel,
    both_languages,
    optional_email_field,
    pick_language,
)
from apps.core.permissions import TenantQuerySet

from .choices import Alignment, Direction, Disability, Origin, Sex

YEAR = [MinValueValidator(1900), MaxValueValidator(2100)]


class LocalIndicatorQuerySet(TenantQuerySet):
    def published_q(self) -> Q:
        return Q(is_public=True)


class LocalIndicator(CleanTextMixin, TimeStampedModel):
    """A municipality's own measure, aligned to SDG targets and global indicators."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="local_indicators"
    )
    code = models.CharField(max_length=40)
    name_ko = models.CharField(max_length=300, blank=True)
    name_en = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    direction = models.SmallIntegerField(choices=Direction.choices, default=Direction.HIGHER)
    is_binary = models.BooleanField(default=False, help_text="달성/미달성 지표 / achieved-or-not indicator")
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR)
    baseline_value = models.FloatField(null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR)
    target_value = models.FloatField(null=True, blank=True)
    target_note = models.CharField(
        max_length=300, blank=True, help_text="정성 목표 (예: 지속 확대) / qualitative target"
    )
    data_source = models.CharField(max_length=300, blank=True)
    department = models.CharField(max_length=200, blank=True)
    # Who reports its values (data calls, apps.datacalls): the department above and, optionally,
    # a person; an address that is a user's makes the reminder theirs too.
    owner_name = models.CharField(max_length=100, blank=True, help_text="담당자 / person responsible")
    owner_email = optional_email_field("담당자 전자우편 / their e-mail")
    report_due = models.DateField(
        null=True,
        blank=True,
        help_text="보고 기한: 데이터 요청의 기한 대신 / reporting due date, instead of the data call's",
    )
    definition = models.TextField(blank=True, help_text="정의·산식 / definition and method")
    is_public = models.BooleanField(default=False, help_text="공개 지표 / readable by anyone")
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="폐지 시각: 값과 이력은 남고 진행 요약에서 빠짐 / retired: values and history kept, left out of summaries",
    )
    targets = models.ManyToManyField(
        "sdg.Target", through="IndicatorAlignment", related_name="local_indicators", blank=True
    )
    # The city's own framework nodes (goal, strategy, target …) it measures; its UN targets are
    # ``targets`` (set directly) plus those the crosswalk reaches (apps.frameworks.selectors).
    framework_nodes = models.ManyToManyField(
        "frameworks.FrameworkNode", related_name="local_indicators", blank=True
    )
    history = HistoricalRecords()

    objects = LocalIndicatorQuerySet.as_manager()
    text_limits = {"definition": 20_000}  # characters (CleanTextMixin)
    # What a planner writes, in this order: the one list the services, the web form, the API
    # serializer and the history page read (the owner, retirement and alignments have writes of
    # their own).
    EDITABLE_FIELDS = (
        "code",
        "name_ko",
        "name_en",
        "unit",
        "direction",
        "is_binary",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
        "target_note",
        "data_source",
        "department",
        "owner_name",
        "owner_email",
        "report_due",
        "definition",
        "is_public",
    )

    class Meta:
        ordering = ["municipality__code", "code"]
        indexes = [
            # The public arm of every scope (``municipality IN (...) OR is_public``): a bitmap OR
            # of this and the municipality index, not a read of every city's indicators.
            models.Index(
                fields=["municipality"], condition=Q(is_public=True), name="local_indicator_public_idx"
            ),
            # ``?ordering=code`` of indicators, ``?ordering=local_indicator_code`` of observations.
            models.Index(fields=["code"], name="local_indicator_code_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="local_indicator_unique_code",
                violation_error_message="이 지자체에 같은 코드의 지표가 있습니다 / indicator code already used in this municipality",
            ),
            models.CheckConstraint(
                condition=~Q(name_ko="", name_en=""),
                name="local_indicator_has_a_name",
                violation_error_message="국문 또는 영문 지표명이 필요합니다 / a Korean or English name is required",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[1, -1]),
                name="local_indicator_direction_valid",
                violation_error_message="방향은 1 또는 -1 / direction must be 1 or -1",
            ),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True)
                | Q(baseline_year__isnull=True)
                | Q(target_year__gt=models.F("baseline_year")),
                name="local_indicator_target_after_baseline",
                violation_error_message="목표 연도는 기준 연도 이후여야 합니다 / target year must be after baseline year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {both_languages(self.name_ko, self.name_en)}"

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def clean(self) -> None:
        errors = {}
        if (self.baseline_year is None) != (self.baseline_value is None):
            errors["baseline_value"] = (
                "기준 연도와 값은 함께 입력하세요 / give baseline year and value together"
            )
        if (self.target_year is None) != (self.target_value is None):
            errors["target_value"] = "목표 연도와 값은 함께 입력하세요 / give target year and value together"
        if self.target_year and self.baseline_year and self.target_year <= self.baseline_year:
            errors["target_year"] = (
                "목표 연도는 기준 연도 이후여야 합니다 / target year must be after baseline year"
            )
        if errors:
            raise ValidationError(errors)


class IndicatorAlignment(models.Model):
    """A local indicator measures an SDG target, optionally a global indicator, exactly or as proxy."""

    local_indicator = models.ForeignKey(LocalIndicator, on_delete=models.CASCADE, related_name="alignments")
    target = models.ForeignKey("sdg.Target", on_delete=models.PROTECT, related_name="alignments")
    indicator = models.ForeignKey(
        "sdg.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="alignments"
    )
    alignment = models.CharField(max_length=10, choices=Alignment.choices, default=Alignment.PROXY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_indicator", "target"],
                name="alignment_unique_target",
                violation_error_message="이미 연결된 세부목표입니다 / target already aligned",
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_indicator.code} → {self.target.code} ({self.alignment})"

    def clean(self) -> None:
        if self.indicator_id and self.target_id and self.indicator.target_id != self.target_id:
            raise ValidationError(
                {
                    "indicator": "전역 지표가 세부목표에 속하지 않습니다 / global indicator is not under this target"
                }
            )


class ObservationQuerySet(TenantQuerySet):
    municipality_path = "local_indicator__municipality"
    scope_parent = "local_indicator"

    def published_q(self) -> Q:
        return Q(local_indicator__is_public=True)


class Observation(CleanTextMixin, models.Model):
    """One value of a local indicator for a year (quarter 0 = whole year) and disaggregation
    (empty string = total)."""

    local_indicator = models.ForeignKey(LocalIndicator, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField(validators=YEAR)
    quarter = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(4)])
    sex = models.CharField(max_length=10, blank=True, default="", choices=Sex.choices)
    age_group = models.CharField(max_length=40, blank=True, default="")
    district = models.CharField(max_length=100, blank=True, default="")
    income_group = models.CharField(max_length=40, blank=True, default="")
    disability = models.CharField(max_length=10, blank=True, default="", choices=Disability.choices)
    value = models.FloatField()
    source = models.CharField(
        max_length=300, blank=True, help_text="출처 (사람이 쓴 인용) / the source as a person cited it"
    )
    is_provisional = models.BooleanField(default=False)
    is_estimated = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    # Provenance (README "Tables as cities and KOSIS keep them"): written by the service that
    # stored the value, never by a form or the API, and cited by :func:`cite`.
    origin_kind = models.CharField(max_length=10, blank=True, default="", choices=Origin.choices)
    origin_file = models.CharField(max_length=255, blank=True, default="")
    origin_sheet = models.CharField(max_length=100, blank=True, default="")
    origin_cell = models.CharField(max_length=20, blank=True, default="", help_text="A1 style")
    kosis_org_id = models.CharField("ORG_ID", max_length=20, blank=True, default="")
    kosis_tbl_id = models.CharField("TBL_ID", max_length=60, blank=True, default="")
    kosis_itm_id = models.CharField("ITM_ID", max_length=60, blank=True, default="")
    kosis_classification = models.CharField(
        max_length=200, blank=True, default="", help_text="C1…C8 codes asked, e.g. C1=11260"
    )
    kosis_period = models.CharField("PRD_DE", max_length=12, blank=True, default="")
    kosis_last_change = models.CharField("LST_CHN_DE", max_length=10, blank=True, default="")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ObservationQuerySet.as_manager()
    text_limits = {"note": 2_000}  # characters: a footnote to one value

    class Meta:
        ordering = ["local_indicator_id", "year", "quarter"]
        # One per ordering the lists offer (``?ordering=year|value|quarter``, each then by id):
        # without them a planner sorting the public observations of the whole network read and
        # sorted all of them (2.3-2.9 s for 2.43 M observations; 19-35 ms with them, issue 16).
        indexes = [
            models.Index(fields=["year", "id"], name="observation_year_idx"),
            models.Index(fields=["value", "id"], name="observation_value_idx"),
            models.Index(fields=["quarter", "id"], name="observation_quarter_idx"),
            # The filters that pick a few rows out of many (``?is_estimated=true``,
            # ``?disability=with``, …): partial, so they hold only the rows they find. Without them
            # a filter matching nothing read all 2.43 M observations a planner may see (650 ms).
            models.Index(fields=["id"], condition=Q(is_estimated=True), name="observation_estimated_idx"),
            models.Index(fields=["id"], condition=Q(is_provisional=True), name="observation_provisional_idx"),
            models.Index(fields=["sex"], condition=~Q(sex=""), name="observation_sex_idx"),
            models.Index(
                fields=["disability"], condition=~Q(disability=""), name="observation_disability_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "local_indicator",
                    "year",
                    "quarter",
                    "sex",
                    "age_group",
                    "district",
                    "income_group",
                    "disability",
                ],
                name="observation_unique_period_disaggregation",
                violation_error_message=(
                    "같은 지표·기간·세분류의 값이 이미 있습니다 / "
                    "a value for this indicator, period and disaggregation already exists"
                ),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=0, quarter__lte=4),
                name="observation_quarter_0_4",
                violation_error_message="분기는 0(연간) 또는 1~4 / quarter must be 0 (year) or 1-4",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.year}" + (f" Q{self.quarter}" if self.quarter else "")
        return f"{self.local_indicator.code} {period} = {self.value:g}"

    @property
    def citation(self) -> str:
        return cite({name: getattr(self, name) for name in CITED_FIELDS})


# Where a value came from (README "Tables as cities and KOSIS keep them"): written by the service
# that stores the value, read-only everywhere else. ``imported_by`` and ``imported_at`` stay last.
PROVENANCE_FIELDS = (
    "origin_kind",
    "origin_file",
    "origin_sheet",
    "origin_cell",
    "kosis_org_id",
    "kosis_tbl_id",
    "kosis_itm_id",
    "kosis_classification",
    "kosis_period",
    "kosis_last_change",
    "imported_by",
    "imported_at",
)
# What :func:`cite` reads, so that selectors can fetch just these with ``values()``.
CITED_FIELDS = (
    "source",
    "origin_kind",
    "origin_file",
    "origin_sheet",
    "origin_cell",
    "kosis_org_id",
    "kosis_tbl_id",
    "kosis_itm_id",
    "kosis_period",
    "kosis_last_change",
)


def cite(fields: dict) -> str:
    """The source of a value as the indicator page and the annex cite it: the text a person
    wrote, else one built from the provenance fields — ``KOSIS 106 DT_X T10 2022 (최종 수정 / last
    changed 20230410)`` or ``kosis.xlsx · 데이터 · E6``. These are the texts stored before
    provenance had fields, so a migrated value is cited as it was."""
    if fields["source"]:
        return fields["source"]
    if fields["origin_kind"] == Origin.KOSIS:
        return (
            f"KOSIS {fields['kosis_org_id']} {fields['kosis_tbl_id']} {fields['kosis_itm_id']} "
            f"{fields['kosis_period']} (최종 수정 / last changed {fields['kosis_last_change']})"
        )
    if fields["origin_kind"] == Origin.FILE and fields["origin_cell"]:
        return " · ".join(
            part for part in (fields["origin_file"], fields["origin_sheet"], fields["origin_cell"]) if part
        )
    return ""


class ProgressRecord(models.Model):
    """The stored progress of one local indicator: the Open SDG aggregate of its series (status,
    mean score, how many series were assessed, which is the worst).

    Written only by :func:`apps.indicators.services.progress_refresh`, which every service that
    changes what progress depends on (observations, the indicator's direction, baseline, target,
    binary flag) calls in its own transaction; ``manage.py rebuild_progress`` rebuilds it. Pages
    read it instead of recomputing from every observation, and goal and network summaries
    aggregate its ``status`` in the database. Reporting progress as of an earlier year (a VLR
    edition) still computes from the observations.
    """

    local_indicator = models.OneToOneField(
        LocalIndicator, on_delete=models.CASCADE, primary_key=True, related_name="progress_record"
    )
    status = models.CharField(max_length=24)
    score = models.FloatField(null=True)
    n_series = models.PositiveSmallIntegerField()
    n_assessed = models.PositiveSmallIntegerField()
    n_insufficient = models.PositiveSmallIntegerField()
    worst_index = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["status"], name="progress_record_status_idx")]

    def __str__(self) -> str:
        return f"{self.local_indicator_id}: {self.status}"


class SeriesProgressRecord(models.Model):
    """The stored progress of one disaggregation series of an indicator: its annual points and
    every number :class:`apps.indicators.progress.Progress` carries (field names as there,
    lower-cased where the engine uses a capital: ``T`` → ``target_year``, ``xT`` →
    ``target_value``, ``R`` → ``ratio``, ``G`` → ``gap``)."""

    record = models.ForeignKey(ProgressRecord, on_delete=models.CASCADE, related_name="series")
    position = models.PositiveSmallIntegerField()  # 0 = first (the total series when there is one)
    sex = models.CharField(max_length=10, blank=True, default="")
    age_group = models.CharField(max_length=40, blank=True, default="")
    district = models.CharField(max_length=100, blank=True, default="")
    income_group = models.CharField(max_length=40, blank=True, default="")
    disability = models.CharField(max_length=10, blank=True, default="")
    points = models.JSONField(default=list)  # [[year, value], ...] annual values used
    t0 = models.IntegerField(null=True)
    x0 = models.FloatField(null=True)
    t = models.IntegerField(null=True)
    xt = models.FloatField(null=True)
    target_year = models.IntegerField(null=True)
    target_value = models.FloatField(null=True)
    direction = models.SmallIntegerField()
    n_points = models.PositiveSmallIntegerField()
    p = models.FloatField(null=True)
    progress_made = models.FloatField(null=True)
    regression = models.FloatField(null=True)
    e = models.FloatField(null=True)
    cagr_observed = models.FloatField(null=True)
    cagr_required = models.FloatField(null=True)
    ratio = models.FloatField(null=True)
    g = models.FloatField(null=True)
    method = models.CharField(max_length=12)
    status = models.CharField(max_length=24)
    score = models.FloatField(null=True)
    wls_slope = models.FloatField(null=True)
    projected = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    escap_status = models.CharField(max_length=12, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["record_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "position"], name="series_progress_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.record_id}#{self.position}: {self.status}"


class TableMappingQuerySet(TenantQuerySet):
    pass  # never published: a working aid of the municipality's own staff


class TableMapping(TimeStampedModel):
    """How a source table's columns are read (an :class:`apps.core.tables.Layout` as JSON),
    saved from the import preview so next year's download of the same table imports with it."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="table_mappings"
    )
    name = models.CharField(
        max_length=100, help_text="예: KOSIS 시군구별 초미세먼지 / e.g. the KOSIS table's name"
    )
    layout = models.JSONField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TableMappingQuerySet.as_manager()

    class Meta:
        ordering = ["municipality_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="table_mapping_unique_name",
                violation_error_message="같은 이름의 열 대응표가 있습니다 / a mapping with this name exists",
            )
        ]

    def __str__(self) -> str:
        return self.name


class KosisLinkQuerySet(TenantQuerySet):
    municipality_path = "indicator__municipality"


class KosisLink(TimeStampedModel):
    """Where a local indicator's values come from in KOSIS (statisticsParameterData): the
    organisation, table and item, the classification that holds the region and this
    municipality's code in it, other classifications fixed to one code, and the period kind.
    What the last refresh saw is kept: the source's newest period and last-change date."""

    indicator = models.OneToOneField(LocalIndicator, on_delete=models.CASCADE, related_name="kosis_link")
    org_id = models.CharField("ORG_ID", max_length=20)
    tbl_id = models.CharField("TBL_ID", max_length=60)
    itm_id = models.CharField("ITM_ID", max_length=60)
    region_level = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text="지역이 들어 있는 분류 (C1…C8) / the classification holding the region (C1…C8)",
    )
    region_code = models.CharField(
        max_length=20,
        help_text="그 분류에서 이 지자체의 코드 / this municipality's code in that classification",
    )
    other_classifications = models.JSONField(
        default=dict,
        blank=True,
        help_text='다른 분류의 코드, 예 {"2": "0"} / other classifications, e.g. {"2": "0"}',
    )
    period_kind = models.CharField(
        max_length=1, default="Y", choices=[("Y", "연 / yearly"), ("Q", "분기 / quarterly")]
    )
    start_year = models.PositiveSmallIntegerField(default=2015, validators=YEAR)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    refreshed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_newest_period = models.CharField(max_length=10, blank=True)
    source_last_change = models.CharField(max_length=10, blank=True, help_text="LST_CHN_DE")
    last_error = models.TextField(blank=True)

    objects = KosisLinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"KOSIS {self.org_id}/{self.tbl_id}/{self.itm_id}"
