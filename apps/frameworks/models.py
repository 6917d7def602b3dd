"""Frameworks of goals: the UN SDGs, the national K-SDGs, a city's own framework (지방지속가능발전목표)
or a network's common one, as versioned hierarchies of bilingual nodes, and the crosswalk that
links nodes of different frameworks.

The UN SDG reference (apps.sdg) stays the source of the 169 targets; its framework here is built
from it by ``load_reference`` and each of its target nodes points to its ``sdg.Target``, so a
local node reaches UN targets through crosswalk links (``selectors.effective_targets``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from apps.core.models import CleanTextMixin, TimeStampedModel, both_languages, pick_language
from apps.core.permissions import LinkQuerySet, SharedOrTenantQuerySet
from apps.sdg.models import code_sort_key

from .choices import Kind, Relation


class FrameworkQuerySet(SharedOrTenantQuerySet):
    pass


class Framework(CleanTextMixin, TimeStampedModel):
    """A hierarchy of goals: global, national, local (one municipality's) or a network's.

    ``level_names`` names each depth, bilingual: ``[{"ko": "목표", "en": "Goal"}, …]``."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(max_length=40, help_text="예: UN-SDG, K-SDG, local")
    name_ko = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=60, blank=True)
    source = models.TextField(blank=True, help_text="출처 / where the framework comes from")
    is_sample_data = models.BooleanField(
        default=False, help_text="시연용 가상 자료 / fictional demo data, not a real framework"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
        help_text="지역 프레임워크의 지자체 / the municipality of a local framework",
    )
    level_names = models.JSONField(default=list, blank=True)

    objects = FrameworkQuerySet.as_manager()
    text_limits = {"source": 5_000}

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="framework_unique_code_per_municipality",
                violation_error_message="같은 코드의 프레임워크가 있습니다 / a framework with this code exists",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="framework_unique_shared_code",
                violation_error_message="같은 코드의 프레임워크가 있습니다 / a framework with this code exists",
            ),
            models.CheckConstraint(
                condition=(Q(kind=Kind.LOCAL) & Q(municipality__isnull=False))
                | (~Q(kind=Kind.LOCAL) & Q(municipality__isnull=True)),
                name="framework_local_has_municipality",
                violation_error_message=(
                    "지역 프레임워크만 지자체에 속합니다 / a local framework belongs to one municipality, "
                    "other kinds to none"
                ),
            ),
            models.CheckConstraint(
                condition=~Q(name_ko="", name_en=""),
                name="framework_has_a_name",
                violation_error_message="국문 또는 영문 이름이 필요합니다 / a Korean or English name is required",
            ),
        ]

    def __str__(self) -> str:
        return f"{both_languages(self.name_ko, self.name_en)} ({self.code})"

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    def level_name(self, level: int) -> str:
        """The name of depth ``level`` (1-based) in the active language, or "Level N"."""
        names = self.level_names or []
        if 1 <= level <= len(names):
            entry = names[level - 1] or {}
            return pick_language(entry.get("ko", ""), entry.get("en", "")) or f"Level {level}"
        return f"Level {level}"

    def clean(self) -> None:
        names = self.level_names
        if not isinstance(names, list) or not all(
            isinstance(n, dict) and set(n) <= {"ko", "en"} and all(isinstance(v, str) for v in n.values())
            for n in names
        ):
            raise ValidationError(
                {
                    "level_names": '단계 이름은 [{"ko": "목표", "en": "Goal"}, …] 형식입니다 / '
                    'level names must be a list like [{"ko": "목표", "en": "Goal"}, …]'
                }
            )


class FrameworkNodeQuerySet(SharedOrTenantQuerySet):
    municipality_path = "framework__municipality"
    scope_parent = "framework"


class FrameworkNode(CleanTextMixin, models.Model):
    """A goal, strategy, target or indicator of a framework, at depth ``level`` (1 = top).

    ``target_values`` holds the values it aims at by year, as the source words them and, when
    the words are a number, that number: ``{"2030": {"text": "14.3%", "value": 14.3}}``."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(max_length=60)
    level = models.PositiveSmallIntegerField(default=1)
    title_ko = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    unit = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=500, blank=True)
    target_values = models.JSONField(default=dict, blank=True)
    caveat = models.TextField(
        blank=True,
        help_text="출처에 관한 주의 사항 / what to keep in mind about this row's source (e.g. the K-SDG "
        "row notes: wording differing between sources, values parsed from the plan)",
    )
    sdg_target = models.ForeignKey(
        "sdg.Target",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="framework_nodes",
        help_text="UN SDG 프레임워크의 세부목표 / the UN target this node is (UN framework only)",
    )
    sort_key = models.CharField(max_length=120, editable=False, db_index=True)

    objects = FrameworkNodeQuerySet.as_manager()
    text_limits = {"title_ko": 2_000, "title_en": 2_000, "caveat": 5_000}

    class Meta:
        ordering = ["framework_id", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="framework_node_unique_code",
                violation_error_message="이 프레임워크에 같은 코드가 있습니다 / code already used in this framework",
            ),
            models.CheckConstraint(
                condition=~Q(title_ko="", title_en=""),
                name="framework_node_has_a_title",
                violation_error_message="국문 또는 영문 제목이 필요합니다 / a Korean or English title is required",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=10),
                name="framework_node_level_1_10",
                violation_error_message="단계는 1~10입니다 / level must be 1-10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {both_languages(self.title_ko, self.title_en)}"

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en)

    def clean(self) -> None:
        errors = {}
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = "자기 자신을 상위로 지정할 수 없습니다 / a node cannot be its own parent"
            elif self.parent.framework_id != self.framework_id:
                errors["parent"] = (
                    "상위 항목은 같은 프레임워크에 있어야 합니다 / the parent must be in the same framework"
                )
            elif self.level != self.parent.level + 1:
                errors["level"] = (
                    f"상위 항목 아래 단계는 {self.parent.level + 1}입니다 / a child of a level-"
                    f"{self.parent.level} node is at level {self.parent.level + 1}"
                )
        elif self.level != 1:
            errors["parent"] = "1단계가 아니면 상위 항목이 필요합니다 / a node below level 1 needs a parent"
        if not isinstance(self.target_values, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("text", ""), str) for v in self.target_values.values()
        ):
            errors["target_values"] = (
                '목표값은 {"2030": {"text": "14.3%", "value": 14.3}} 형식입니다 / target values must look like '
                '{"2030": {"text": "14.3%", "value": 14.3}}'
            )
        if errors:
            raise ValidationError(errors)


def node_sort_key(code: str) -> str:
    """Codes like 1, 1-2, 1-2-10, 11.6, S3.2 sorted with their numbers as numbers."""
    return code_sort_key(code.replace("-", ".").replace(" ", ""))[:120]


class CrosswalkLinkQuerySet(LinkQuerySet):
    source_path = "from_node"
    other_path = "to_node"


class CrosswalkLink(CleanTextMixin, models.Model):
    """Node ``from_node`` (e.g. a city's target) relates to ``to_node`` of another framework
    (a K-SDG or UN target): equivalent, part of, or contributes to it. Who set it and why are
    kept: no official K-SDG ↔ UN correspondence exists, so every link is someone's reading."""

    from_node = models.ForeignKey(FrameworkNode, on_delete=models.CASCADE, related_name="links_out")
    to_node = models.ForeignKey(FrameworkNode, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=20, choices=Relation.choices, default=Relation.CONTRIBUTES_TO)
    note = models.CharField(max_length=500, blank=True, help_text="근거·출처 / basis or source")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CrosswalkLinkQuerySet.as_manager()

    class Meta:
        ordering = ["from_node_id", "to_node_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_node", "to_node"],
                name="crosswalk_link_unique",
                violation_error_message="이미 연결되어 있습니다 / these nodes are already linked",
            ),
            models.CheckConstraint(
                condition=~Q(from_node=models.F("to_node")),
                name="crosswalk_link_not_to_itself",
                violation_error_message="자기 자신과 연결할 수 없습니다 / a node cannot be linked to itself",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values),
                name="crosswalk_link_relation_valid",
                violation_error_message="알 수 없는 관계 / unknown relation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_node.code} → {self.to_node.code} ({self.relation})"

    def clean(self) -> None:
        if self.from_node_id and self.to_node_id and self.from_node.framework_id == self.to_node.framework_id:
            raise ValidationError(
                {"to_node": "다른 프레임워크의 항목과 연결하세요 / link to a node of another framework"}
            )
