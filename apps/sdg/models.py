"""The UN SDG framework (reference data, read-only, loaded by ``load_reference``)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from apps.core.models import both_languages, pick_language

HEX_COLOUR = RegexValidator(r"^#[0-9A-Fa-f]{6}$", "색상은 #RRGGBB 형식이어야 합니다 / colour must be #RRGGBB")
TARGET_CODE = RegexValidator(
    r"^\d{1,2}\.[0-9a-z]{1,2}$", "세부목표 코드 형식 오류 (예: 11.6) / target code like 11.6"
)
INDICATOR_CODE = RegexValidator(
    r"^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$", "지표 코드 형식 오류 (예: 11.6.2) / indicator code like 11.6.2"
)


def code_sort_key(code: str) -> str:
    """Sortable key for codes like 11.6, 16.b, 17.18.1 (numbers before letters, numerically)."""
    parts = []
    for part in code.split("."):
        parts.append(f"{int(part):03d}" if part.isdigit() else f"~{part:>3}")
    return ".".join(parts)


class Goal(models.Model):
    """One of the 17 Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    title_ko = models.TextField(blank=True)
    title_en = models.TextField()
    short_ko = models.CharField(max_length=100, blank=True)
    short_en = models.CharField(max_length=100)
    colour = models.CharField(max_length=7, validators=[HEX_COLOUR])

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=17),
                name="goal_number_1_17",
                violation_error_message="목표 번호는 1~17입니다 / goal number must be 1-17",
            )
        ]

    def __str__(self) -> str:
        return f"SDG {self.number} {both_languages(self.short_ko, self.short_en)}"

    @property
    def short(self) -> str:
        return pick_language(self.short_ko, self.short_en)

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en)


class Target(models.Model):
    """One of the 169 SDG targets, e.g. 11.6 or 16.b."""

    code = models.CharField(max_length=6, unique=True, validators=[TARGET_CODE])
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="targets")
    title_ko = models.TextField(blank=True)
    title_en = models.TextField()
    sort_key = models.CharField(max_length=20, editable=False, db_index=True)

    class Meta:
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return f"{self.code} {both_languages(self.title_ko, self.title_en)}"

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en)


class Indicator(models.Model):
    """A global SDG indicator row (251 rows; repeated indicators share ``unsd_code``)."""

    code = models.CharField(max_length=10, unique=True, validators=[INDICATOR_CODE])
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="indicators")
    title_ko = models.TextField(blank=True)
    title_en = models.TextField()
    title_ko_older_wording = models.TextField(blank=True)
    tier = models.CharField(max_length=60, blank=True)
    unsd_code = models.CharField(max_length=20, db_index=True)
    sort_key = models.CharField(max_length=20, editable=False, db_index=True)

    class Meta:
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return f"{self.code} {both_languages(self.title_ko, self.title_en)}"

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en)
