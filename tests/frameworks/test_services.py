"""The framework import (xlsx, csv, CP949 csv; all or nothing; re-import in place) and the
one-node / one-link writes."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from apps.core.exceptions import PermissionDeniedError
from apps.core.imports import SpreadsheetImportError
from apps.frameworks.models import CrosswalkLink, Framework, FrameworkNode
from apps.frameworks.services import framework_import, link_create, node_create, target_value

HEADER = [
    "코드 / Code",
    "상위 코드 / Parent code",
    "단계 / Level",
    "제목(국문) / Title (Korean)",
    "제목(영문) / Title (English)",
    "단위 / Unit",
    "2030 목표값 / Target 2030",
    "연계 코드 / Mapped codes",
]


def framework_rows(goals=17, strategies=3, indicators=1):
    """17 goals → 51 strategies → 51 indicators (119 nodes), shaped like 당진's framework."""
    rows = []
    for g in range(1, goals + 1):
        rows.append([f"{g}", "", 1, f"목표 {g}", f"Goal {g}", "", "", ""])
        for s in range(1, strategies + 1):
            rows.append(
                [
                    f"{g}-{s}",
                    f"{g}",
                    2,
                    f"전략 {g}-{s} 지속가능한 도시",
                    f"Strategy {g}-{s}",
                    "",
                    "",
                    f"{min(g, 17)}.1",
                ]
            )
            for i in range(1, indicators + 1):
                rows.append([f"{g}-{s}-{i}", f"{g}-{s}", 3, f"지표 {g}-{s}-{i}", "", "%", "14.3%", ""])
    return rows


def as_csv(rows, encoding="utf-8") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def as_xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build", [as_xlsx, as_csv, lambda rows: as_csv(rows, "cp949")], ids=["xlsx", "csv", "cp949"]
)
def test_a_three_level_framework_of_100_plus_nodes_imports_then_reimports_unchanged(build, muni_a, planner_a):
    content = build(framework_rows())
    report = framework_import(file=content, municipality=muni_a, actor=planner_a)
    assert (report.rows, report.created, report.updated, report.unchanged) == (119, 119, 0, 0)
    framework = Framework.objects.get(municipality=muni_a, code="local")
    nodes = {n.code: n for n in FrameworkNode.objects.filter(framework=framework)}
    assert len(nodes) == 119
    assert nodes["3-2-1"].parent == nodes["3-2"] and nodes["3-2-1"].level == 3
    assert nodes["3-2-1"].title_ko == "지표 3-2-1" and nodes["3-2"].title_ko == "전략 3-2 지속가능한 도시"
    assert nodes["3-2-1"].target_values == {"2030": {"text": "14.3%", "value": 14.3}}
    link = CrosswalkLink.objects.get(from_node=nodes["3-2"])
    assert (link.to_node.framework.code, link.to_node.code) == ("UN-SDG", "3.1")

    again = framework_import(file=content, municipality=muni_a, actor=planner_a)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 119)
    assert FrameworkNode.objects.filter(framework=framework).count() == 119
    assert CrosswalkLink.objects.filter(from_node__framework=framework).count() == 51


@pytest.mark.django_db
def test_reimport_updates_in_place_and_replaces_a_rows_links(muni_a):
    framework_import(file=as_csv(framework_rows(goals=2)), municipality=muni_a)
    rows = framework_rows(goals=2)
    rows[1][4] = "Strategy renamed"  # 1-1
    rows[1][7] = "11.6; K-SDG:11-1"
    report = framework_import(file=as_csv(rows), municipality=muni_a)
    assert (report.created, report.updated, report.unchanged) == (0, 1, len(rows) - 1)
    node = FrameworkNode.objects.get(framework__municipality=muni_a, code="1-1")
    assert node.title_en == "Strategy renamed"
    assert sorted((li.to_node.framework.code, li.to_node.code) for li in node.links_out.all()) == [
        ("K-SDG", "11-1"),
        ("UN-SDG", "11.6"),
    ]


@pytest.mark.django_db
def test_a_bad_file_saves_nothing_and_names_each_bad_row(muni_a):
    rows = framework_rows(goals=2)
    rows[2][1] = "9-9"  # unknown parent
    rows[3][2] = 1  # level does not follow the parent
    rows[4][7] = "99.9"  # no such UN target
    rows.append(["1", "", 1, "중복", "", "", "", ""])  # code repeats
    rows.append(["X", "", 1, "", "", "", "", ""])  # no title
    with pytest.raises(SpreadsheetImportError) as caught:
        framework_import(file=as_csv(rows), municipality=muni_a)
    errors = caught.value.extra["errors"]
    assert len(errors) == 5, errors
    text = "\n".join(errors)
    assert (
        "row 4, column B (parent_code): 상위 코드가 파일과 프레임워크에 없습니다 / unknown parent code: 9-9"
        in text
    )
    assert "row 5, column C (level):" in text
    assert (
        "row 6, column H (mapped): UN-SDG 프레임워크에 없는 코드입니다 / no node 99.9 in framework UN-SDG"
        in text
    )
    assert f"row {len(rows)}, column A (code): 코드가 2행과 겹칩니다 / code repeats row 2: 1" in text
    assert f"row {len(rows) + 1}, column D (title_ko): 국문 또는 영문 제목이 필요합니다" in text
    assert not Framework.objects.filter(municipality=muni_a).exists()
    assert not FrameworkNode.objects.filter(framework__municipality=muni_a).exists()


@pytest.mark.django_db
def test_dry_run_reports_and_saves_nothing(muni_a):
    report = framework_import(file=as_csv(framework_rows(goals=1)), municipality=muni_a, dry_run=True)
    assert report.created == 7 and report.dry_run
    assert not Framework.objects.filter(municipality=muni_a).exists()


@pytest.mark.django_db
def test_a_planner_of_another_city_cannot_import_into_it(muni_a, planner_b):
    with pytest.raises(PermissionDeniedError):
        framework_import(file=as_csv(framework_rows(goals=1)), municipality=muni_a, actor=planner_b)
    assert not Framework.objects.filter(municipality=muni_a).exists()


@pytest.mark.django_db
def test_shared_frameworks_are_changed_by_admins_only(planner_a, admin):
    ksdg = Framework.objects.get(code="K-SDG")
    with pytest.raises(PermissionDeniedError):
        node_create(framework=ksdg, actor=planner_a, code="99", title_ko="새 목표")
    node = node_create(framework=ksdg, actor=admin, code="99", title_ko="새 목표")
    assert node.level == 1


@pytest.mark.django_db
def test_a_link_needs_two_frameworks_and_is_not_repeated(muni_a, planner_a):
    framework_import(file=as_csv(framework_rows(goals=1)), municipality=muni_a)
    local = FrameworkNode.objects.get(framework__municipality=muni_a, code="1-1")
    other = FrameworkNode.objects.get(framework__municipality=muni_a, code="1-2")
    with pytest.raises(ValidationError, match="another framework"):
        link_create(from_node=local, to_node=other, actor=planner_a)
    un = FrameworkNode.objects.get(framework__code="UN-SDG", code="1.1")  # already linked by the file
    with pytest.raises(ValidationError, match="already linked"):
        link_create(from_node=local, to_node=un, actor=planner_a)


def test_target_values_keep_the_words_and_read_numbers():
    assert target_value("14.3%") == {"text": "14.3%", "value": 14.3}
    assert target_value("1,200") == {"text": "1,200", "value": 1200.0}
    assert target_value("지속 감소") == {"text": "지속 감소", "value": None}


@pytest.mark.django_db
def test_an_indicator_aligns_to_its_own_citys_nodes_and_reaches_un_targets(muni_a, muni_b, planner_a):
    from apps.frameworks.selectors import effective_targets
    from apps.indicators.services import indicator_create
    from apps.sdg.models import Target
    from tests.factories import make_local_framework

    own = make_local_framework(muni_a, links={"G1-S1": ("11.6",)}).nodes.get(code="G1-S1")
    other = make_local_framework(muni_b).nodes.get(code="G1-S1")
    with pytest.raises(ValidationError, match="another municipality"):
        indicator_create(
            municipality=muni_a,
            fields={"code": "X", "name_ko": "지표"},
            framework_nodes=[other],
            actor=planner_a,
        )
    indicator = indicator_create(
        municipality=muni_a, fields={"code": "X", "name_ko": "지표"}, framework_nodes=[own], actor=planner_a
    )
    assert effective_targets([indicator]) == {indicator.pk: {Target.objects.get(code="11.6").pk}}


@pytest.mark.django_db
def test_an_initiative_aligned_to_a_node_counts_under_the_un_goal_it_reaches(muni_a, muni_b, planner_a):
    from apps.initiatives.services import initiative_create
    from apps.portal.selectors import goal_overview
    from apps.sdg.models import Target
    from tests.factories import make_local_framework

    own = make_local_framework(muni_a, links={"G1-S1": ("13.2",)}).nodes.get(code="G1-S1")
    other = make_local_framework(muni_b).nodes.get(code="G1-S1")
    primary = [(Target.objects.get(code="11.6"), True)]
    with pytest.raises(ValidationError, match="another municipality"):
        initiative_create(
            municipality=muni_a, actor=planner_a, title_ko="사업", targets=primary, framework_nodes=[other]
        )
    initiative_create(
        municipality=muni_a, actor=planner_a, title_ko="사업", targets=primary, framework_nodes=[own]
    )
    grid, _overall = goal_overview(planner_a, [muni_a])
    assert (grid[muni_a.pk][11].initiatives, grid[muni_a.pk][13].initiatives) == (1, 1)
