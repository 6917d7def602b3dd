"""Demo data for trying vlrtracker: four ICLEI Korea cities, their planners, a coordinator,
an admin, a few local indicators with values, initiatives and a draft VLR per city.

All values are fictional; the municipalities are flagged ``is_sample_data`` so every page and
export says so.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.services import progress_refresh
from apps.initiatives.models import Initiative, InitiativeTarget, PopulationGroup
from apps.municipalities.choices import Role
from apps.municipalities.models import CoordinatorScope, Membership, Municipality
from apps.sdg.models import Goal, Target
from apps.vlr.models import Edition
from apps.vlr.services import edition_create

DEMO_CITIES = {"11260": "jungnang", "41210": "gwangmyeong", "41450": "hanam", "44270": "dangjin"}
REPORT_YEAR = 2025

# code, name_ko, name_en, unit, direction, target (year, value) or None, target note, SDG target,
# base value, yearly change, disaggregated by sex
INDICATORS = [
    (
        "L-7.2",
        "신재생에너지 발전 비중",
        "Share of renewable electricity",
        "%",
        1,
        (2030, 30.0),
        "",
        "7.2",
        8.0,
        0.9,
        False,
    ),
    (
        "L-11.6",
        "초미세먼지(PM2.5) 연평균 농도",
        "Annual mean PM2.5",
        "㎍/㎥",
        -1,
        (2030, 15.0),
        "",
        "11.6",
        26.0,
        -0.8,
        False,
    ),
    (
        "L-13.2",
        "1인당 온실가스 배출량",
        "Greenhouse gas emissions per capita",
        "tCO2eq",
        -1,
        (2030, 6.0),
        "",
        "13.2",
        9.5,
        0.05,
        False,
    ),
    (
        "L-4.7",
        "지속가능발전교육 참여자 수",
        "Participants in ESD programmes",
        "명",
        1,
        None,
        "지속 확대",
        "4.7",
        1200.0,
        60.0,
        False,
    ),
    (
        "L-5.5",
        "위원회 여성 위원 비율",
        "Share of women on municipal committees",
        "%",
        1,
        (2030, 40.0),
        "",
        "5.5",
        28.0,
        0.6,
        True,
    ),
    (
        "L-3.4",
        "자살률(인구 10만명당)",
        "Suicide rate per 100,000",
        "명/10만명",
        -1,
        (2030, 17.0),
        "",
        "3.4",
        27.0,
        0.3,
        True,
    ),
]

INITIATIVES = [
    (
        "탄소중립 실천 포인트제",
        "Carbon-neutral action points",
        "programme",
        "ongoing",
        "13.2",
        ["low_income"],
        450_000_000,
    ),
    (
        "지속가능발전 기본조례 제정",
        "Sustainable development framework ordinance",
        "ordinance",
        "completed",
        "17.14",
        [],
        0,
    ),
    (
        "주민 ESG 순회 교육",
        "ESG education tour for residents",
        "education",
        "ongoing",
        "4.7",
        ["older_people", "women"],
        38_000_000,
    ),
    (
        "공공건물 태양광 설치",
        "Solar panels on public buildings",
        "project",
        "planned",
        "7.2",
        [],
        1_200_000_000,
    ),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    municipality: str
    password: str | None  # None when the user already existed (password unchanged)


def _user(username: str, *, reset: bool, **extra) -> tuple[object, str | None]:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None and not reset:
        return user, None
    password = secrets.token_urlsafe(9)
    if user is None:
        user = User(username=username, **extra)
    user.set_password(password)
    user.save()
    return user, password


def _series(base: float, step: float, years: range, seed: int) -> list[tuple[int, float]]:
    """A plausible wobbly line: deterministic, so re-running changes nothing."""
    return [
        (year, round(base + step * i + 0.35 * abs(step + 0.5) * math.sin(seed + i * 1.7), 2))
        for i, year in enumerate(years)
    ]


@transaction.atomic
def demo_seed(*, reset_passwords: bool = False) -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    _admin, password = _user(
        "admin", reset=reset_passwords, is_staff=True, is_superuser=True, email="admin@example.org"
    )
    logins.append(DemoLogin("admin", "staff admin / 관리자", "all / 전체", password))
    coordinator, password = _user(
        "coordinator", reset=reset_passwords, email="coordinator@example.org", first_name="ICLEI Korea"
    )
    scope, _ = CoordinatorScope.objects.get_or_create(
        user=coordinator, defaults={"network": "ICLEI Korea (demo)"}
    )
    cities = list(Municipality.objects.filter(code__in=DEMO_CITIES))
    scope.municipalities.add(*cities)
    logins.append(DemoLogin("coordinator", "coordinator / 코디네이터", "4 cities / 4개 도시", password))

    targets = {
        t.code: t
        for t in Target.objects.filter(
            code__in={row[7] for row in INDICATORS} | {row[4] for row in INITIATIVES}
        )
    }
    groups = {g.code: g for g in PopulationGroup.objects.all()}
    for seed, city in enumerate(sorted(cities, key=lambda m: m.code)):
        if not city.is_sample_data:
            city.is_sample_data = True
            city.save(update_fields=["is_sample_data"])
        username = f"planner_{DEMO_CITIES[city.code]}"
        planner, password = _user(username, reset=reset_passwords, email=f"{username}@example.org")
        Membership.objects.get_or_create(user=planner, municipality=city, defaults={"role": Role.PLANNER})
        logins.append(DemoLogin(username, "planner / 담당자", f"{city.name_ko} {city.code}", password))
        _seed_city(city, planner, targets, groups, seed)
    return logins


def _seed_city(city, planner, targets, groups, seed: int) -> None:
    for code, name_ko, name_en, unit, direction, target, note, target_code, base, step, by_sex in INDICATORS:
        indicator, created = LocalIndicator.objects.get_or_create(
            municipality=city,
            code=code,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "unit": unit,
                "direction": direction,
                "baseline_year": 2015,
                "baseline_value": base,
                "target_year": target[0] if target else None,
                "target_value": target[1] if target else None,
                "target_note": note,
                "data_source": "시연용 가상 자료 / fictional demo data",
                "department": "지속가능발전팀",
                "definition": "시연용 지표 / demo indicator",
            },
        )
        if not created:
            continue
        IndicatorAlignment.objects.create(local_indicator=indicator, target=targets[target_code])
        rows = []
        series = [("", 0.0)] + ([("female", -2.0), ("male", 2.0)] if by_sex else [])
        for sex, offset in series:
            for year, value in _series(base + offset + seed, step, range(2015, REPORT_YEAR), seed + len(sex)):
                rows.append(
                    Observation(
                        local_indicator=indicator,
                        year=year,
                        sex=sex,
                        value=max(value, 0.0),
                        source="시연용 가상 자료 / fictional",
                        is_estimated=True,
                    )
                )
        Observation.objects.bulk_create(rows)
    progress_refresh(municipality_ids=[city.pk])
    for title_ko, title_en, kind, status, target_code, group_codes, budget in INITIATIVES:
        initiative, created = Initiative.objects.get_or_create(
            municipality=city,
            title_ko=title_ko,
            defaults={
                "title_en": title_en,
                "kind": kind,
                "status": status,
                "budget_krw": budget,
                "department": "지속가능발전팀",
                "summary_ko": "시연용 가상 사업입니다.",
                "summary_en": "Fictional demo initiative.",
            },
        )
        if created:
            InitiativeTarget.objects.create(
                initiative=initiative, target=targets[target_code], is_primary=True
            )
            initiative.groups_served.set([groups[c] for c in group_codes])
    if not Edition.objects.filter(municipality=city, year=REPORT_YEAR).exists():
        edition = edition_create(
            municipality=city, year=REPORT_YEAR, actor=planner, period_start=2015, period_end=REPORT_YEAR - 1
        )
        edition.focus_goals.set(Goal.objects.filter(number__in=[7, 11, 13]))
