"""The framework endpoints: query counts pinned whatever the number of rows, the import endpoint,
filters, and the schema."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.frameworks.models import Framework, FrameworkNode
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from tests.factories import make_local_framework

from . import factories as f

API = "/api/v1"


@pytest.mark.django_db
@pytest.mark.parametrize("goals", [1, 8])
def test_node_and_link_lists_run_a_fixed_number_of_queries(
    goals, muni_a, planner_a, api, django_assert_num_queries
):
    links = {f"G{g}-S1": ("11.6",) for g in range(1, goals + 1)}
    make_local_framework(muni_a, goals=goals, per_goal=2, links=links)
    client = api(planner_a)
    # The user's scope rows (1, then cached on the user for the next requests) and the page of
    # nodes with their UN target (1); no count query, the page is not full (StandardPagination).
    with django_assert_num_queries(2):
        response = client.get(f"{API}/framework-nodes/", {"municipality": muni_a.code, "page_size": 100})
    assert response.json()["count"] == goals * 7
    # the page of links with who set them (1)
    with django_assert_num_queries(1):
        response = client.get(f"{API}/crosswalk/", {"municipality": muni_a.code})
    assert response.json()["count"] == goals
    # the page of frameworks with their municipality (1)
    with django_assert_num_queries(1):
        response = client.get(f"{API}/frameworks/")
    assert {row["code"] for row in response.json()["results"]} == {"UN-SDG", "K-SDG", "local"}


@pytest.mark.django_db
def test_another_citys_planner_sees_none_of_its_framework(muni_a, planner_b, api):
    make_local_framework(muni_a, links={"G1-S1": ("11.6",)})
    client = api(planner_b)
    assert client.get(f"{API}/framework-nodes/", {"municipality": muni_a.code}).json()["count"] == 0
    assert client.get(f"{API}/crosswalk/", {"municipality": muni_a.code}).json()["count"] == 0
    assert [r["code"] for r in client.get(f"{API}/frameworks/").json()["results"]] == ["UN-SDG", "K-SDG"]


@pytest.mark.django_db
def test_the_filters_find_nodes_by_framework_level_and_words(api, planner_a):
    client = api(planner_a)
    rows = client.get(f"{API}/framework-nodes/", {"framework": "K-SDG", "level": 1}).json()
    assert rows["count"] == 17
    rows = client.get(f"{API}/framework-nodes/", {"framework": "UN-SDG", "sdg_target": "11.6"}).json()
    assert [r["code"] for r in rows["results"]] == ["11.6"]
    rows = client.get(f"{API}/framework-nodes/", {"framework": "K-SDG", "q": "상대빈곤율"}).json()
    assert [r["code"] for r in rows["results"]] == ["1-1-1"]
    assert rows["results"][0]["target_values"]["2030"] == {"text": "14.3%", "value": 14.3}


@pytest.mark.django_db
def test_import_endpoint_names_each_bad_row_and_saves_nothing(api, planner_a, muni_a):
    csv = "code,parent_code,title_ko\nA,,가\nA-1,Z,나\nA-2,A,\n".encode()
    response = api(planner_a).post(
        f"{API}/frameworks/import/",
        {"file": SimpleUploadedFile("f.csv", csv, content_type="text/csv"), "municipality": muni_a.code},
        format="multipart",
    )
    assert response.status_code == 400
    errors = sorted(response.json()["errors"]["non_field_errors"])
    assert errors[0].startswith(
        "row 3, column B (parent_code): 상위 코드가 파일과 프레임워크에 없습니다 / unknown parent code: Z"
    )
    assert errors[1].startswith("row 4, column C (title_ko): 국문 또는 영문 제목이 필요합니다")
    assert not Framework.objects.filter(municipality=muni_a).exists()


@pytest.mark.django_db
def test_the_schema_documents_the_framework_endpoints(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/frameworks/",
        "/api/v1/framework-nodes/",
        "/api/v1/crosswalk/",
        "/api/v1/frameworks/import/",
    ):
        assert path in schema["paths"]


def _session(user):
    """A browser's session: logged in, CSRF enforced, the token read from a page's cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/m/11260/indicators/")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


@pytest.mark.django_db
def test_an_indicator_and_an_initiative_are_aligned_to_framework_nodes_through_the_api(muni_a, planner_a):
    framework = make_local_framework(muni_a, goals=1, links={"G1-S1": ("11.6",)})
    ours = framework.nodes.get(code="G1-S1")
    ksdg = FrameworkNode.objects.get(framework__code="K-SDG", code="11-1")
    client, csrf = _session(planner_a)
    body = {"municipality": muni_a.code, "code": "L-1", "name_ko": "지표", "framework_nodes": [ksdg.pk]}
    assert client.post(f"{API}/local-indicators/", body, content_type="application/json").status_code == 403
    created = client.post(f"{API}/local-indicators/", body, content_type="application/json", **csrf)
    assert created.status_code == 201, created.json()
    indicator = LocalIndicator.objects.get(pk=created.json()["id"])
    assert created.json()["framework_nodes"] == [ksdg.pk]
    answer = client.patch(
        f"{API}/local-indicators/{indicator.pk}/",
        {"framework_nodes": [ksdg.pk, ours.pk]},
        content_type="application/json",
        **csrf,
    )
    assert answer.status_code == 200, answer.json()
    assert set(indicator.framework_nodes.all()) == {ours, ksdg}
    # The list reads the same ids, in the framework's order, as the detail answer did.
    listed = client.get(f"{API}/local-indicators/", {"framework_node": ours.pk}).json()["results"]
    assert [row["id"] for row in listed] == [indicator.pk]
    assert listed[0]["framework_nodes"] == answer.json()["framework_nodes"]
    assert client.get(f"{API}/local-indicators/", {"framework_node": ksdg.pk + 10**6}).json()["count"] == 0

    body = {
        "municipality": muni_a.code,
        "title_ko": "사업",
        "targets": [{"target": "11.6", "is_primary": True}],
        "framework_nodes": [ours.pk],
    }
    created = client.post(f"{API}/initiatives/", body, content_type="application/json", **csrf)
    assert created.status_code == 201, created.json()
    initiative = Initiative.objects.get(pk=created.json()["id"])
    assert list(initiative.framework_nodes.all()) == [ours]
    client.patch(
        f"{API}/initiatives/{initiative.pk}/",
        {"framework_nodes": [ksdg.pk, ours.pk]},
        content_type="application/json",
        **csrf,
    )
    listed = client.get(f"{API}/initiatives/", {"framework_node": ksdg.pk}).json()["results"]
    assert [row["id"] for row in listed] == [initiative.pk]
    detail = client.get(f"{API}/initiatives/{initiative.pk}/").json()
    assert (
        listed[0]["framework_nodes"]
        == detail["framework_nodes"]
        == [n.pk for n in initiative.framework_nodes.all()]
    )
    # Leaving the field out keeps the alignment.
    client.patch(
        f"{API}/initiatives/{initiative.pk}/", {"title_en": "x"}, content_type="application/json", **csrf
    )
    assert initiative.framework_nodes.count() == 2


@pytest.mark.django_db
def test_a_node_of_another_citys_framework_is_refused_in_both_languages(
    muni_a, muni_b, planner_a, admin, api
):
    theirs = make_local_framework(muni_b, goals=1).nodes.get(code="G1")
    indicator = f.local_indicator(muni_a)
    item = f.initiative(muni_a)
    # planner_a cannot see 광명시's framework: "does not exist"
    for path, pk in (("local-indicators", indicator.pk), ("initiatives", item.pk)):
        answer = api(planner_a).patch(f"{API}/{path}/{pk}/", {"framework_nodes": [theirs.pk]}, format="json")
        assert answer.status_code == 400
        assert answer.json()["errors"]["framework_nodes"] == [
            f"프레임워크 항목 {theirs.pk}이(가) 없거나 볼 수 없습니다 / framework node {theirs.pk} does not "
            "exist or is not visible to you"
        ]
        # the admin sees it, and the service refuses it
        answer = api(admin).patch(f"{API}/{path}/{pk}/", {"framework_nodes": [theirs.pk]}, format="json")
        assert answer.status_code == 400
        assert answer.json()["errors"]["framework_nodes"] == [
            "다른 지자체의 프레임워크 항목입니다 / a node of another municipality's framework"
        ]
    assert not indicator.framework_nodes.exists() and not item.framework_nodes.exists()


@pytest.mark.django_db
def test_the_schema_documents_framework_nodes_on_indicators_and_initiatives(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for name in ("LocalIndicator", "Initiative"):
        assert schema["components"]["schemas"][name]["properties"]["framework_nodes"]["type"] == "array"
    for path in ("/api/v1/local-indicators/", "/api/v1/initiatives/"):
        params = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert "framework_node" in params


@pytest.mark.django_db
def test_a_write_answers_with_the_links_as_written_not_as_read_before(muni_a, planner_a, api):
    """The viewsets attach a page's links before the write: the answer must not repeat them."""
    item = f.initiative(muni_a)
    answer = api(planner_a).patch(
        f"{API}/initiatives/{item.pk}/",
        {"targets": [{"target": "13.2", "is_primary": True}]},
        format="json",
    )
    assert answer.json()["targets"] == [{"target": "13.2", "is_primary": True}]
