"""The one set of test builders: indicators with observations, initiatives, documents, evidence
suggestions and links, editions (in any workflow state). Every test module builds its data
here; ``tests/api/factories.py`` only names the states the API permission table uses."""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib.auth import get_user_model

from apps.datacalls.models import DataCall
from apps.evidence.choices import LinkOrigin, LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.services import progress_refresh
from apps.initiatives.models import Initiative, InitiativeTarget, PopulationGroup
from apps.sdg.models import Goal, Indicator, Target
from apps.vlr.choices import ReportKind
from apps.vlr.models import Edition, EditionSection
from apps.vlr.outlines import outline_of
from apps.vlr.services import edition_transition

# Names of the population groups the builders use; transactional (browser) tests flush the
# groups the migration loaded, so they are created when missing.
GROUPS = {"women": ("여성", "Women"), "older_people": ("노인", "Older people")}


def make_indicator(
    municipality, code, values=None, *, targets=("11.6",), series=None, **fields
) -> LocalIndicator:
    """An indicator aligned to ``targets`` (target or global indicator codes) with total values
    ``{year: value}`` and optional disaggregated ``series`` ``{(dim, value): {year: value}}``;
    ``fields`` are LocalIndicator fields."""
    fields.setdefault("name_ko", f"지표 {code}")
    fields.setdefault("name_en", f"Indicator {code}")
    fields.setdefault("unit", "%")
    ind = LocalIndicator.objects.create(municipality=municipality, code=code, **fields)
    for target_code in targets:
        if target_code.count(".") == 2:
            gi = Indicator.objects.get(code=target_code)
            IndicatorAlignment.objects.create(
                local_indicator=ind, target=gi.target, indicator=gi, alignment="exact"
            )
        else:
            IndicatorAlignment.objects.create(
                local_indicator=ind, target=Target.objects.get(code=target_code)
            )
    rows = []
    for year, value in (values or {}).items():
        rows.append(Observation(local_indicator=ind, year=year, value=value, source="통계청"))
    for (dim, dim_value), points in (series or {}).items():
        for year, value in points.items():
            rows.append(Observation(local_indicator=ind, year=year, value=value, **{dim: dim_value}))
    Observation.objects.bulk_create(rows)
    progress_refresh(indicator_ids=[ind.pk])
    return ind


def make_initiative(
    municipality, title, *, targets=("11.6",), groups=("women", "older_people"), **fields
) -> Initiative:
    """An initiative whose first target is the primary one, serving ``groups``."""
    fields.setdefault("budget_krw", 1_000_000)
    fields.setdefault("start_date", date(2021, 3, 1))
    ini = Initiative.objects.create(municipality=municipality, title_ko=title, **fields)
    for index, code in enumerate(targets):
        InitiativeTarget.objects.create(
            initiative=ini, target=Target.objects.get(code=code), is_primary=index == 0
        )
    ini.groups_served.set(
        [
            PopulationGroup.objects.get_or_create(
                code=code, defaults={"name_ko": GROUPS[code][0], "name_en": GROUPS[code][1]}
            )[0]
            for code in groups
        ]
    )
    return ini


def make_document(
    municipality,
    body="중랑구는 미세먼지 저감을 위해 전기버스를 도입한다. 대기질 개선이 목표다.",
    *,
    title="중랑구 대기질 개선 보도자료",
    **fields,
) -> Document:
    fields.setdefault("content_hash", hashlib.sha256(f"{title}{body}".encode()).hexdigest())
    return Document.objects.create(municipality=municipality, title=title, body=body, **fields)


def make_suggestion(document, target="11.6", term="미세먼지", *, status=LinkStatus.SUGGESTED) -> EvidenceLink:
    """A classifier suggestion of ``target`` for the document, its reason the first ``term`` of
    the body (the classifier's reason shape)."""
    start = document.body.index(term)
    return EvidenceLink.objects.create(
        document=document,
        municipality=document.municipality,
        target=Target.objects.get(code=target),
        origin=LinkOrigin.SUGGESTED,
        score=0.82,
        status=status,
        reasons=[
            {
                "term": term,
                "match": term,
                "target": target,
                "start": start,
                "end": start + len(term),
                "field": "body",
            }
        ],
    )


def make_evidence(
    municipality,
    *,
    target=None,
    local_indicator=None,
    initiative=None,
    status=LinkStatus.CONFIRMED,
    url="https://www.jungnang.go.kr/news/1",
    title="중랑구 미세먼지 저감 사업",
    is_public=False,
) -> EvidenceLink:
    """A document with a link to a target, indicator or initiative quoting "미세먼지를 줄였습니다."."""
    doc = make_document(
        municipality,
        f"{title} 본문입니다. 미세먼지를 줄였습니다. {url}",
        title=title,
        source_url=url,
        publisher="중랑구청",
        published_date=date(2023, 5, 4),
        is_public=is_public,
    )
    return EvidenceLink.objects.create(
        document=doc,
        municipality=municipality,
        target=target,
        local_indicator=local_indicator,
        initiative=initiative,
        excerpt="미세먼지를 줄였습니다.",
        excerpt_start=len(title) + 7,
        excerpt_end=len(title) + 19,
        status=status,
    )


def owner():
    """A superuser that performs setup steps (the workflow needs an actor)."""
    user, _ = get_user_model().objects.get_or_create(
        username="setup_owner", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


# The workflow moves that bring a new draft to each state (through the real service).
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "approved": ["submit", "approve"],
    "published": ["submit", "approve", "publish"],
}


def make_edition(
    municipality, year=2023, *, focus_goals=(11,), state="draft", kind=ReportKind.VLR, **fields
) -> Edition:
    """An edition of ``kind`` with its kind's outline (each section with a narrative), moved to
    ``state`` by ``apps.vlr.services.edition_transition``."""
    fields.setdefault("period_start", 2015)
    fields.setdefault("period_end", year)
    edition = Edition.objects.create(
        municipality=municipality,
        kind=kind,
        year=year,
        title_ko=f"{municipality.name_ko} {'VLR' if kind == ReportKind.VLR else kind} {year}",
        title_en=f"{'VLR' if kind == ReportKind.VLR else kind} {year}",
        **fields,
    )
    EditionSection.objects.bulk_create(
        EditionSection(
            edition=edition,
            code=code,
            title_ko=ko,
            title_en=en,
            order=index,
            body_ko=f"{ko} 본문",
            body_en=f"{en} text",
        )
        for index, (code, ko, en) in enumerate(outline_of(kind).sections, start=1)
    )
    edition.focus_goals.set(Goal.objects.filter(number__in=focus_goals))
    for verb in PATHS[state]:
        edition = edition_transition(edition=edition, action=verb, actor=owner())
    return edition


def populate(municipality, n_indicators=3, *, year=2023):
    """A municipality with ``n_indicators`` indicators (total + female/male series), one
    initiative and evidence per indicator, and an edition."""
    indicators = []
    for i in range(n_indicators):
        base = 10.0 + i
        indicators.append(
            make_indicator(
                municipality,
                f"L{i:03d}",
                {y: base + 0.5 * (y - 2015) * (1 if i % 3 else -1) for y in range(2015, year + 1)},
                targets=("11.6", "3.9") if i % 2 else ("11.6.2",),
                series={
                    ("sex", "female"): {2015: base, 2022: base + 1.5},
                    ("sex", "male"): {2015: base, 2022: base - 0.2},
                },
                target_year=2030,
                target_value=base * 2,
                baseline_year=2015,
                baseline_value=base,
                direction=1,
                data_source="통계청",
                department="환경과",
                is_public=i % 2 == 0,
            )
        )
        ini = make_initiative(municipality, f"사업 {i}", targets=("11.6", "13.2"))
        ini.local_indicators.add(indicators[-1])
        make_evidence(
            municipality,
            local_indicator=indicators[-1],
            url=f"https://example.org/news/{municipality.code}/{i}",
            title=f"기사 {municipality.code} {i}",
        )
    edition = make_edition(municipality, year)
    return indicators, edition


def make_local_framework(municipality, goals=2, per_goal=2, *, links=None, code="local"):
    """A local framework goal → strategy → indicator (``goals`` × ``per_goal`` × 2 nodes, codes
    G1, G1-S1, G1-S1-I1 …) and crosswalk links ``{node code: (UN target code, …)}`` to the UN
    framework that load_reference builds."""
    from apps.frameworks.models import CrosswalkLink, Framework, FrameworkNode, node_sort_key

    framework = Framework.objects.create(
        kind="local", municipality=municipality, code=code, name_ko="시험 프레임워크", is_sample_data=True
    )

    def node(node_code, parent, level):
        return FrameworkNode.objects.create(
            framework=framework,
            parent=parent,
            code=node_code,
            level=level,
            title_ko=f"항목 {node_code}",
            title_en=f"Node {node_code}",
            sort_key=node_sort_key(node_code),
        )

    for g in range(1, goals + 1):
        goal = node(f"G{g}", None, 1)
        for s in range(1, per_goal + 1):
            strategy = node(f"G{g}-S{s}", goal, 2)
            for i in (1, 2):
                node(f"G{g}-S{s}-I{i}", strategy, 3)
    for node_code, targets in (links or {}).items():
        for target in targets:
            CrosswalkLink.objects.create(
                from_node=FrameworkNode.objects.get(framework=framework, code=node_code),
                to_node=FrameworkNode.objects.get(framework__code="UN-SDG", code=target),
                relation="contributes_to",
            )
    return framework


def make_data_call(
    municipality, year=2025, *, due_date=date(2026, 3, 31), message="", opened_by=None
) -> DataCall:
    """An open data call of ``municipality`` for ``year``."""
    return DataCall.objects.create(
        municipality=municipality, year=year, due_date=due_date, message=message, opened_by=opened_by
    )
