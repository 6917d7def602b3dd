"""Synthetic data at scale for benchmarks and load tests (``manage.py generate_scale_data``).

Every municipality it creates is marked ``is_sample_data`` (the workbook cover then says the
values are fictional). Rows are written with plain ``bulk_create``: no history rows, because
nobody changed anything — the data is generated, and history tables would only double the
time and the database size of a benchmark.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.evidence.choices import LinkOrigin, LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.services import progress_refresh
from apps.initiatives.choices import Kind
from apps.initiatives.choices import Status as InitiativeStatus
from apps.initiatives.models import Initiative, InitiativeTarget, PopulationGroup
from apps.municipalities.choices import Level
from apps.municipalities.models import Municipality
from apps.sdg.models import Goal, Indicator, Target
from apps.vlr.choices import SECTIONS
from apps.vlr.models import Edition, EditionSection

BATCH = 5000

# Disaggregation series beyond the total, in the order they are added.
SERIES = [
    {"sex": "female"},
    {"sex": "male"},
    {"age_group": "0-19"},
    {"age_group": "20-64"},
    {"age_group": "65+"},
    {"disability": "with"},
    {"disability": "without"},
    {"income_group": "하위 20%"},
    {"income_group": "상위 20%"},
]
UNITS = ["%", "명", "천명당 명", "㎍/㎥", "톤", "원", "건", "㎡/인"]
WORDS = [
    "미세먼지",
    "재생에너지",
    "보육",
    "돌봄",
    "일자리",
    "녹지",
    "자전거",
    "폐기물",
    "안전",
    "건강",
    "주거",
    "교육",
]


@dataclass
class ScaleReport:
    municipalities: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def lines(self) -> list[str]:
        return [f"{name}: {n:,}" for name, n in self.counts.items()]


def _delete_municipality(muni: Municipality) -> None:
    EvidenceLink.objects.filter(municipality=muni).delete()
    Document.objects.filter(municipality=muni).delete()
    Edition.objects.filter(municipality=muni).delete()
    Initiative.objects.filter(municipality=muni).delete()
    Observation.objects.filter(local_indicator__municipality=muni).delete()
    LocalIndicator.objects.filter(municipality=muni).delete()
    muni.delete()


@transaction.atomic
def scale_data_generate(
    *,
    municipalities: int = 1,
    indicators: int = 300,
    years: int = 15,
    series: int = 3,
    initiatives: int = 500,
    documents: int = 500,
    evidence: int = 2000,
    last_year: int = 2024,
    code_prefix: str = "SCALE",
    seed: int = 1,
    replace: bool = False,
) -> ScaleReport:
    """Create ``municipalities`` sample municipalities (codes ``<prefix>001``…), each with
    ``indicators`` local indicators × ``years`` years (ending ``last_year``) × ``series``
    series (total plus ``series - 1`` disaggregations), ``initiatives`` initiatives,
    ``documents`` documents and ``evidence`` confirmed evidence links, and a VLR edition for
    ``last_year`` with the default outline and three focus goals."""
    if not 1 <= series <= len(SERIES) + 1:
        raise ValueError(f"series must be between 1 and {len(SERIES) + 1}")
    rng = random.Random(seed)
    report = ScaleReport()
    targets = list(Target.objects.select_related("goal"))
    global_by_target: dict[int, list[Indicator]] = {}
    for gi in Indicator.objects.all():
        global_by_target.setdefault(gi.target_id, []).append(gi)
    groups = list(PopulationGroup.objects.all())
    goals = list(Goal.objects.all())
    first_year = last_year - years + 1

    for m in range(1, municipalities + 1):
        code = f"{code_prefix}{m:03d}"
        existing = Municipality.objects.filter(code=code).first()
        if existing is not None:
            if not replace:
                raise ValueError(f"municipality {code} exists; use --replace to regenerate it")
            _delete_municipality(existing)
        muni = Municipality.objects.create(
            code=code,
            name_ko=f"가상시 {m}",
            name_en=f"Sample City {m}",
            level=Level.OTHER,
            kind="시",
            is_sample_data=True,
        )
        report.municipalities.append(code)

        inds = []
        for i in range(indicators):
            direction = rng.choice([1, -1])
            base = round(rng.uniform(5, 500), 2)
            has_target = rng.random() < 0.7
            target_value = round(base * (1 + direction * rng.uniform(0.1, 0.8)), 2) if has_target else None
            inds.append(
                LocalIndicator(
                    municipality=muni,
                    code=f"L{i + 1:04d}",
                    name_ko=f"{rng.choice(WORDS)} 지표 {i + 1}",
                    name_en=f"Sample indicator {i + 1}",
                    unit=rng.choice(UNITS),
                    direction=direction,
                    baseline_year=first_year,
                    baseline_value=base,
                    target_year=2030 if has_target else None,
                    target_value=target_value,
                    target_note="" if has_target else "지속 확대",
                    data_source="가상 자료 / sample",
                    department=f"{rng.choice(WORDS)}과",
                    definition=f"가상 지표 {i + 1}의 정의",
                    is_public=rng.random() < 0.8,
                )
            )
        inds = LocalIndicator.objects.bulk_create(inds, batch_size=BATCH)
        report.add("local indicators", len(inds))

        alignments = []
        for ind in inds:
            chosen = rng.sample(targets, k=rng.choice([1, 1, 2]))
            for target in chosen:
                gis = global_by_target.get(target.pk) or [None]
                gi = rng.choice(gis) if rng.random() < 0.5 else None
                alignments.append(
                    IndicatorAlignment(
                        local_indicator=ind,
                        target=target,
                        indicator=gi,
                        alignment="exact" if gi else "proxy",
                    )
                )
        IndicatorAlignment.objects.bulk_create(alignments, batch_size=BATCH)
        report.add("alignments", len(alignments))

        observations = []
        keys = [{}, *SERIES[: series - 1]]
        for ind in inds:
            trend = rng.uniform(-0.04, 0.06)
            for key in keys:
                level = ind.baseline_value * rng.uniform(0.9, 1.1)
                for year in range(first_year, last_year + 1):
                    value = round(level * (1 + trend) ** (year - first_year) * rng.uniform(0.97, 1.03), 3)
                    observations.append(
                        Observation(
                            local_indicator=ind,
                            year=year,
                            value=value,
                            source="가상 자료 / sample",
                            is_provisional=year == last_year,
                            **key,
                        )
                    )
            if len(observations) >= BATCH:
                Observation.objects.bulk_create(observations, batch_size=BATCH)
                report.add("observations", len(observations))
                observations = []
        Observation.objects.bulk_create(observations, batch_size=BATCH)
        report.add("observations", len(observations))
        progress_refresh(municipality_ids=[muni.pk])

        inis = []
        for i in range(initiatives):
            start = date(rng.randint(first_year, last_year), rng.randint(1, 12), 1)
            inis.append(
                Initiative(
                    municipality=muni,
                    title_ko=f"{rng.choice(WORDS)} 사업 {i + 1}",
                    title_en=f"Sample initiative {i + 1}",
                    summary_ko=f"가상 사업 {i + 1} 요약",
                    kind=rng.choice(Kind.values),
                    status=rng.choice(InitiativeStatus.values),
                    department=f"{rng.choice(WORDS)}과",
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(30, 1500)),
                    budget_krw=rng.randint(1, 5000) * 1_000_000,
                    partners="시민단체\n대학",
                    is_public=rng.random() < 0.8,
                )
            )
        inis = Initiative.objects.bulk_create(inis, batch_size=BATCH)
        report.add("initiatives", len(inis))
        links, group_rows, indicator_rows = [], [], []
        GroupThrough = Initiative.groups_served.through
        IndicatorThrough = Initiative.local_indicators.through
        for ini in inis:
            for index, target in enumerate(rng.sample(targets, k=2)):
                links.append(InitiativeTarget(initiative=ini, target=target, is_primary=index == 0))
            for group in rng.sample(groups, k=min(2, len(groups))):
                group_rows.append(GroupThrough(initiative_id=ini.pk, populationgroup_id=group.pk))
            if inds:
                indicator_rows.append(
                    IndicatorThrough(initiative_id=ini.pk, localindicator_id=rng.choice(inds).pk)
                )
        InitiativeTarget.objects.bulk_create(links, batch_size=BATCH)
        GroupThrough.objects.bulk_create(group_rows, batch_size=BATCH)
        IndicatorThrough.objects.bulk_create(indicator_rows, batch_size=BATCH)

        docs = []
        for i in range(documents if evidence else 0):
            body = f"{muni.name_ko}는 {rng.choice(WORDS)} 정책을 추진했다. 가상 기사 {i + 1}. " * 3
            docs.append(
                Document(
                    municipality=muni,
                    title=f"{muni.name_ko} {rng.choice(WORDS)} 소식 {i + 1}",
                    source_url=f"https://example.org/{code}/news/{i + 1}",
                    publisher="가상일보",
                    published_date=date(
                        rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    body=body,
                    content_hash=hashlib.sha256(f"{code}:{seed}:{i}:{body}".encode()).hexdigest(),
                    is_public=True,
                )
            )
        docs = Document.objects.bulk_create(docs, batch_size=BATCH)
        report.add("documents", len(docs))
        ev = []
        now = timezone.now()
        for i in range(evidence if docs else 0):
            doc = docs[i % len(docs)]
            kind = i % 3
            excerpt = doc.body[: doc.body.index(".") + 1]
            link = EvidenceLink(
                document=doc,
                municipality=muni,
                excerpt=excerpt,
                excerpt_start=0,
                excerpt_end=len(excerpt),
                origin=LinkOrigin.MANUAL,
                status=LinkStatus.CONFIRMED,
                decided_at=now,
            )
            if kind == 0 or not (inds or inis):
                link.target = rng.choice(targets)
            elif kind == 1 and inds:
                link.local_indicator = rng.choice(inds)
            else:
                link.initiative = rng.choice(inis) if inis else None
                if link.initiative is None:
                    link.local_indicator = rng.choice(inds)
            ev.append(link)
        EvidenceLink.objects.bulk_create(ev, batch_size=BATCH)
        report.add("evidence links", len(ev))

        edition = Edition.objects.create(
            municipality=muni,
            year=last_year,
            title_ko=f"{muni.name_ko} VLR {last_year}",
            title_en=f"{muni.name_en} VLR {last_year}",
            period_start=first_year,
            period_end=last_year,
        )
        EditionSection.objects.bulk_create(
            EditionSection(
                edition=edition,
                code=c,
                title_ko=ko,
                title_en=en,
                order=i,
                body_ko=f"{ko}: 가상 서술",
                body_en=f"{en}: sample text",
            )
            for i, (c, ko, en) in enumerate(SECTIONS, start=1)
        )
        edition.focus_goals.set(rng.sample(goals, k=3))
        report.add("editions", 1)
    return report
