"""The framework endpoints: query counts pinned whatever the number of rows, the import endpoint,
filters, and the schema."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.frameworks.models import Framework
from tests.factories import make_local_framework

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
