"""Framework pages: the tree (queries independent of its size), a node's crosswalk edited through
the picker's select, the import page, and the dashboard switch between the UN SDGs and the city's
own framework (remembered in the session; both views count the same indicators)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from apps.frameworks.models import CrosswalkLink, Framework, FrameworkNode
from apps.indicators.models import LocalIndicator
from apps.municipalities.models import Municipality
from apps.portal.selectors import goal_overview, local_goal_overview
from tests.factories import make_indicator, make_initiative, make_local_framework

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client, url, data):
    client.get(url)
    return client.post(url, data, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


@pytest.mark.parametrize("goals", [1, 10])
def test_the_tree_page_runs_a_fixed_number_of_queries(goals, muni_a, planner_a, django_assert_num_queries):
    framework = make_local_framework(muni_a, goals=goals, links={"G1-S1": ("11.6",)})
    client = _client(planner_a)
    client.get("/")  # session set up
    # session, user, the user's scopes, switcher, unread count (base page: 5); framework, may-edit
    # check, nodes, crosswalk links with their end nodes' frameworks
    with django_assert_num_queries(9):
        response = client.get(f"/frameworks/{framework.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("data-node=") == goals * 7
    assert "→ UN-SDG 11.6" in response.content.decode()


def test_another_citys_planner_cannot_see_the_tree(muni_a, planner_b):
    framework = make_local_framework(muni_a)
    assert _client(planner_b).get(f"/frameworks/{framework.pk}/").status_code == 404


def test_a_planner_links_a_node_to_a_un_target_through_the_picker(muni_a, planner_a):
    framework = make_local_framework(muni_a)
    node = framework.nodes.get(code="G1-S1")
    target = FrameworkNode.objects.get(framework__code="UN-SDG", code="11.6")
    client = _client(planner_a)
    page = client.get(f"/frameworks/nodes/{node.pk}/").content.decode()
    assert 'data-picker="single"' in page and "11.6 " in page
    response = _post(
        client,
        f"/frameworks/nodes/{node.pk}/",
        {"add_link": "1", "to_node": target.pk, "relation": "part_of", "note": "시 전략 검토"},
    )
    assert response.status_code == 302
    link = CrosswalkLink.objects.get(from_node=node)
    assert (link.to_node, link.relation, link.created_by) == (target, "part_of", planner_a)
    response = _post(client, f"/frameworks/nodes/{node.pk}/", {"delete_link": link.pk})
    assert not CrosswalkLink.objects.filter(from_node=node).exists()


def test_a_planner_of_another_city_cannot_post_to_a_node(muni_a, planner_b):
    node = make_local_framework(muni_a).nodes.get(code="G1")
    client = _client(planner_b)
    client.get("/frameworks/")  # any page: the CSRF cookie
    response = client.post(
        f"/frameworks/nodes/{node.pk}/",
        {"code": "X", "title_ko": "바꿈"},
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 404
    node.refresh_from_db()
    assert node.code == "G1"


def test_the_import_page_imports_and_lists_bad_rows(muni_a, planner_a):
    client = _client(planner_a)
    bad = SimpleUploadedFile("f.csv", "code,parent_code,title_ko\nA,,가\nA-1,Q,나\n".encode("cp949"))
    response = _post(client, f"/m/{muni_a.code}/framework/import/", {"file": bad})
    assert "row 3, column B (parent_code)" in response.content.decode()
    assert not Framework.objects.filter(municipality=muni_a).exists()
    good = SimpleUploadedFile("f.csv", "code,parent_code,title_ko\nA,,가\nA-1,A,나\n".encode("cp949"))
    response = _post(client, f"/m/{muni_a.code}/framework/import/", {"file": good})
    assert response.status_code == 200
    assert FrameworkNode.objects.filter(framework__municipality=muni_a).count() == 2


def test_the_un_and_the_local_dashboards_count_the_same_indicators(muni_a, planner_a):
    framework = make_local_framework(
        muni_a, goals=2, links={"G1-S1": ("11.6",), "G1-S2": ("3.9",), "G2-S1": ("13.2",), "G2-S2": ("11.6",)}
    )
    nodes = {n.code: n for n in framework.nodes.all()}
    aligned = [
        ("A", "G1-S1"),  # local strategy → UN 11.6
        ("B", "G1-S2"),
        ("C", "G2-S1"),
        ("D", "G2-S2"),
    ]
    for code, node_code in aligned:
        indicator = make_indicator(muni_a, code, {2015: 1.0, 2020: 2.0}, targets=())
        indicator.framework_nodes.add(nodes[node_code])
    grid, overall = goal_overview(planner_a, [muni_a])
    un_cells = grid[muni_a.pk]
    assert {n: c.summary.total for n, c in un_cells.items() if c.summary.total} == {3: 1, 11: 2, 13: 1}
    cells, counted = local_goal_overview(planner_a, muni_a, framework)
    assert {c.node.code: c.summary.total for c in cells} == {"G1": 2, "G2": 2}
    assert overall[muni_a.pk].total == len(counted) == 4
    assert sum(c.summary.total for c in un_cells.values()) == sum(c.summary.total for c in cells)
    assert [c.un_targets for c in cells] == [["3.9", "11.6"], ["11.6", "13.2"]]


def test_an_initiative_counts_under_the_un_goals_its_nodes_reach_once_each(muni_a, planner_a):
    """The dashboard's initiative counts (grouped in the database) add the goals the crosswalk
    reaches, but never count an initiative twice under a goal its own targets already touch."""
    framework = make_local_framework(muni_a, goals=1, links={"G1-S1": ("11.6", "13.2")})
    node = framework.nodes.get(code="G1-S1")
    direct_and_reached = make_initiative(muni_a, "직접 11.6 + 노드", targets=("11.6",))
    direct_and_reached.framework_nodes.add(node)
    make_initiative(muni_a, "직접 3.9 만", targets=("3.9",))
    grid, _ = goal_overview(planner_a, [muni_a])
    assert {n: c.initiatives for n, c in grid[muni_a.pk].items() if c.initiatives} == {3: 1, 11: 1, 13: 1}


def test_the_dashboard_switch_is_remembered(muni_a, planner_a):
    make_local_framework(muni_a)
    client = _client(planner_a)
    assert 'data-goal="11"' in client.get(f"/m/{muni_a.code}/").content.decode()
    page = client.get(f"/m/{muni_a.code}/?view=local").content.decode()
    assert 'data-node="G1"' in page and 'data-goal="11"' not in page
    assert 'data-node="G1"' in client.get(f"/m/{muni_a.code}/").content.decode()  # remembered
    assert 'data-goal="11"' in client.get(f"/m/{muni_a.code}/?view=un").content.decode()


def test_the_demo_gives_one_city_a_sample_framework_aligned_through_the_crosswalk(planner_a):
    call_command("seed_demo", stdout=io.StringIO())
    framework = Framework.objects.get(municipality__code="44270", code="local")
    assert framework.is_sample_data and "sample data" in framework.source
    assert sorted(set(framework.nodes.values_list("level", flat=True))) == [1, 2, 3]
    assert framework.nodes.filter(level=1).count() == 17
    assert (
        CrosswalkLink.objects.filter(
            from_node__framework=framework, to_node__framework__code="UN-SDG"
        ).count()
        == 17
    )
    aligned = LocalIndicator.objects.filter(framework_nodes__framework=framework)
    assert aligned.count() == 6
    admin_view = local_goal_overview(None, Municipality.objects.get(code="44270"), framework)
    assert len(admin_view[0]) == 17


def test_the_gap_matrix_shows_the_citys_target_beside_the_un_target(muni_a, planner_a):
    framework = make_local_framework(muni_a, links={"G1-S1": ("11.6",)})
    node = framework.nodes.get(code="G1-S1")
    node.target_values = {"2030": {"text": "15㎍/㎥", "value": None}}
    node.save()
    indicator = make_indicator(muni_a, "PM", {2015: 26.0, 2020: 22.0}, targets=())
    indicator.framework_nodes.add(node)
    page = _client(planner_a).get(f"/m/{muni_a.code}/gaps/").content.decode()
    row = page[page.index('id="gap-11.6"') :].split("</tr>")[0]
    assert "G1-S1" in row and "(2030: 15㎍/㎥)" in row
    assert ">PM<" in row  # counted under the UN target through the crosswalk


def test_the_workbook_has_both_views(muni_a, planner_a):
    import openpyxl

    from apps.vlr.exports.vlr_workbook import LOCAL_FRAMEWORK, OVERVIEW, vlr_workbook_bytes

    framework = make_local_framework(muni_a, links={"G1-S1": ("11.6", "3.9")})
    indicator = make_indicator(muni_a, "PM", {2015: 26.0, 2020: 22.0}, targets=())
    indicator.framework_nodes.add(framework.nodes.get(code="G1-S1"))
    content = vlr_workbook_bytes(municipality=muni_a, year=2021, user=planner_a)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert OVERVIEW in wb.sheetnames and LOCAL_FRAMEWORK in wb.sheetnames
    rows = {r[0]: r for r in wb[LOCAL_FRAMEWORK].iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 14
    assert rows["G1-S1"][9] == "3.9, 11.6" and rows["G1-S1"][10] == "PM"
    overview = {r[0]: r for r in wb[OVERVIEW].iter_rows(min_row=2, values_only=True)}
    assert overview[11][5] == 1 and overview[3][5] == 1  # the UN view counts it under both goals


def test_an_approved_editions_framework_sheet_stays_as_approved(muni_a, planner_a):
    import openpyxl

    from apps.vlr.exports.vlr_workbook import CONTENTS, LOCAL_FRAMEWORK
    from tests.factories import make_edition

    framework = make_local_framework(muni_a, goals=1, links={"G1-S1": ("11.6",)})
    node = framework.nodes.get(code="G1-S1")
    node.target_values = {"2030": {"text": "15㎍/㎥", "value": None}}
    node.save()
    ksdg = FrameworkNode.objects.get(framework__code="K-SDG", code="11-6-3")
    CrosswalkLink.objects.create(from_node=node, to_node=ksdg)
    make_indicator(muni_a, "PM", {2015: 26.0, 2020: 22.0}, targets=()).framework_nodes.add(node)
    edition = make_edition(muni_a, year=2021, state="approved")

    def sheet():
        response = _client(planner_a).get(f"/api/v1/editions/{edition.pk}/workbook/")
        assert response.status_code == 200
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        contents = " ".join(str(c) for row in wb[CONTENTS].iter_rows(values_only=True) for c in row)
        return list(wb[LOCAL_FRAMEWORK].iter_rows(values_only=True)), contents

    approved, contents = sheet()
    assert "as it stands now" not in contents
    assert approved[0][7:9] == (
        "출처 주의 / Caveat about the source",
        "연계 항목 (K-SDG 등: 목표값, 주의) / Linked nodes (K-SDGs …: target values, caveats)",
    )
    by_code = {row[0]: row for row in approved[1:]}
    assert by_code["G1-S1"][3:11] == (
        "항목 G1-S1",
        "Node G1-S1",
        None,
        "2030: 15㎍/㎥",
        None,
        "K-SDG 11-6-3 (2030: 지속 감소; 2040: 지속 감소) [주의 / caveat: dashboard build report: target "
        "values were recovered from the indicator-name cell by its PDF parser — check against plan page 126]",
        "11.6",
        "PM",
    )
    # After approval: a title, a target value, crosswalk links, an alignment and a new node change.
    node.title_ko, node.target_values = "바뀐 제목", {"2030": {"text": "10㎍/㎥", "value": None}}
    node.save()
    CrosswalkLink.objects.create(from_node=node, to_node=FrameworkNode.objects.get(code="3.9"))
    CrosswalkLink.objects.filter(to_node=ksdg).delete()
    node.local_indicators.clear()
    FrameworkNode.objects.create(
        framework=framework, parent=node, code="G1-S1-I9", level=3, title_ko="새 항목", sort_key="x"
    )
    assert sheet() == (approved, contents)
    # A draft (not frozen) edition's workbook shows the framework as it is now.
    rows = {r[0]: r for r in vlr_rows(muni_a, planner_a)}
    assert rows["G1-S1"][3] == "바뀐 제목" and "G1-S1-I9" in rows


def vlr_rows(muni, user):
    import openpyxl

    from apps.vlr.exports.vlr_workbook import LOCAL_FRAMEWORK, vlr_workbook_bytes

    wb = openpyxl.load_workbook(io.BytesIO(vlr_workbook_bytes(municipality=muni, year=2030, user=user)))
    return list(wb[LOCAL_FRAMEWORK].iter_rows(min_row=2, values_only=True))


def test_the_goal_page_lists_an_indicator_aligned_through_the_crosswalk_beside_the_citys_target(
    muni_a, planner_a
):
    framework = make_local_framework(muni_a, links={"G1-S1": ("11.6",)})
    node = framework.nodes.get(code="G1-S1")
    node.target_values = {"2030": {"text": "15㎍/㎥", "value": None}}
    node.save()
    make_indicator(muni_a, "PM", {2015: 26.0, 2020: 22.0}, targets=()).framework_nodes.add(node)
    page = _client(planner_a).get(f"/m/{muni_a.code}/goals/11/").content.decode()
    section = page[page.index('id="target-11.6"') :].split("</section>")[0]
    assert "지표 PM" in section and "Through our framework" in section and "2030: 15㎍/㎥" in section
    # The K-SDG indicator the city's node links to: its value, and the caveat about where it came from.
    CrosswalkLink.objects.create(
        from_node=node, to_node=FrameworkNode.objects.get(framework__code="K-SDG", code="11-6-3")
    )
    for language, label in (("en", "Caveat about the source"), ("ko", "출처에 관한 주의")):
        client = _client(planner_a)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        page = client.get(f"/m/{muni_a.code}/goals/11/").content.decode()
        line = page[page.index('class="facts local-node"') :].split("</p>")[0]
        assert "→ K-SDG 11-6-3 (2030: 지속 감소)" in line and f"<strong>{label}:</strong>" in line
        page = client.get(f"/m/{muni_a.code}/gaps/").content.decode()
        row = page[page.index('id="gap-11.6"') :].split("</tr>")[0]
        assert "→ K-SDG 11-6-3 (2030: 지속 감소)" in row and "check against plan page 126" in row
    assert "지표 PM" not in _client(planner_a).get(f"/m/{muni_a.code}/goals/3/").content.decode()


def test_the_network_page_compares_cities_on_the_same_ksdg_indicator_and_says_when_it_cannot(
    muni_a, muni_b, coordinator
):
    poverty = FrameworkNode.objects.get(framework__code="K-SDG", code="1-1-1")  # 상대빈곤율, %
    make_indicator(muni_a, "POV", {2020: 14.0, 2022: 13.1}, targets=(), unit="%").framework_nodes.add(poverty)
    make_indicator(muni_b, "POV-B", {2021: 12.5}, targets=(), unit=" % ").framework_nodes.add(poverty)
    make_indicator(muni_a, "PM", {2022: 22.0}, targets=("11.6.2",), unit="㎍/㎥")
    make_indicator(muni_b, "PM-B", {2022: 31.0}, targets=("11.6.2",), unit="ppm")
    page = _client(coordinator).get("/network/").content.decode()
    ksdg = page[page.index('id="compare-k-sdg-1-1-1"') :].split("</table>")[0]
    assert "POV" in ksdg and "POV-B" in ksdg and "2022: 13.1" in ksdg and "2021: 12.5" in ksdg
    assert "Not comparable" not in ksdg
    un = page[page.index('id="compare-un-1162"') :].split("</table>")[0]
    assert "Not comparable: the units differ" in un and "ppm" in un


def test_the_ksdg_row_caveats_are_kept_and_shown_beside_the_values(muni_a, planner_a):
    node = FrameworkNode.objects.get(framework__code="K-SDG", code="11-6-3")
    assert node.caveat.startswith("dashboard build report: target values were recovered")
    two = FrameworkNode.objects.get(framework__code="K-SDG", code="5-5")  # two notes in the file
    assert len(two.caveat.splitlines()) == 2
    assert FrameworkNode.objects.filter(framework__code="K-SDG").exclude(caveat="").count() == 152
    for language, label in (("en", "Caveat about the source"), ("ko", "출처에 관한 주의")):
        client = _client(planner_a)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        tree = client.get(f"/frameworks/{node.framework_id}/").content.decode()
        line = tree[tree.index('data-node="11-6-3"') :].split("</li>")[0]
        assert (
            "2030: 지속 감소" in line
            and f'<strong>{label}:</strong> <span lang="en">dashboard build report' in line
        )
        page = client.get(f"/frameworks/nodes/{node.pk}/").content.decode()
        assert "지속 감소" in page and f"<dt>{label}</dt>" in page and "check against plan page 126" in page
    # A city's node linked to it shows the K-SDG value and its caveat beside the link.
    framework = make_local_framework(muni_a, goals=1)
    mine = framework.nodes.get(code="G1-S1")
    CrosswalkLink.objects.create(from_node=mine, to_node=node)
    tree = _client(planner_a).get(f"/frameworks/{framework.pk}/").content.decode()
    line = tree[tree.index('data-node="G1-S1"') :].split("<ul")[0]
    assert "→ K-SDG 11-6-3" in line and "2030: 지속 감소" in line and "check against plan page 126" in line
    page = _client(planner_a).get(f"/frameworks/nodes/{mine.pk}/").content.decode()
    assert "2030: 지속 감소" in page and "check against plan page 126" in page
