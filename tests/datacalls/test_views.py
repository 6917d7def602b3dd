"""The data-call pages and API over real HTTP (CSRF enforced as in a browser): opening, the
completeness page, an owner's page, closing, the dashboard's and network page's summaries, the
owner fields of the indicator and initiative forms and API, and refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from apps.datacalls.models import DataCall
from apps.initiatives.models import Initiative
from tests.api.conftest import client_for as api_client
from tests.factories import make_data_call

from .conftest import KIM, LEE

pytestmark = pytest.mark.django_db


def browser(user, lang="en") -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def post(client, url, data, *, via=None):
    client.get(via or url)  # the page sets the CSRF cookie, as a browser would get it
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_a_coordinator_opens_a_call_and_sees_who_has_not_reported(muni_a, owners, coordinator):
    client = browser(coordinator)
    url = reverse("datacalls:list", args=["11260"])
    response = post(client, url, {"year": 2025, "due_date": "2026-03-31", "message": "3월 말까지"})
    call = DataCall.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "datacalls:detail", args=["11260", call.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "2 of 5 items reported" in page and "3월 말까지" in page
    assert "환경과" in page and "복지과" in page and "(no department)" in page
    assert "L-3" in page and "2026-03-15" in page  # its own due date
    assert "Close data call" in page


def test_bad_input_is_refused_with_a_bilingual_message(muni_a, coordinator):
    client = browser(coordinator)
    url = reverse("datacalls:list", args=["11260"])
    response = post(client, url, {"year": 1800, "due_date": "2026-02-30"})
    assert response.status_code == 200 and not DataCall.objects.exists()
    make_data_call(muni_a, 2024)
    response = post(client, url, {"year": 2025, "due_date": "2026-03-31"})
    assert response.status_code == 200
    assert "a data call is already open: close it first" in response.content.decode()
    assert DataCall.objects.count() == 1


def test_a_planner_without_the_lead_sees_the_calls_but_cannot_open_one(muni_a, owners, planner_a, lead_a):
    client = browser(planner_a)
    url = reverse("datacalls:list", args=["11260"])
    page = client.get(url).content.decode()
    assert "Open a data call" not in page
    response = post(client, url, {"year": 2025, "due_date": "2026-03-31"})
    assert response.status_code == 404 and not DataCall.objects.exists()
    assert "Open a data call" in browser(lead_a).get(url).content.decode()


def test_another_citys_planner_and_the_public_see_nothing(muni_a, owners, planner_b):
    call = make_data_call(muni_a, 2025)
    pages = [
        reverse("datacalls:list", args=["11260"]),
        reverse("datacalls:detail", args=["11260", call.pk]),
        reverse("datacalls:owed", args=["11260", call.pk]) + f"?owner={KIM}",
    ]
    for url in pages:
        assert browser(planner_b).get(url).status_code == 404, url
        assert Client().get(url).status_code == 302, url  # to the login page
    assert browser(planner_b).get(pages[0].replace("11260", "41210")).status_code == 200  # their own city
    response = browser(planner_b).post(reverse("datacalls:close", args=["11260", call.pk]))
    assert response.status_code == 403  # no CSRF token
    dashboard = browser(planner_b).get(reverse("municipalities:dashboard", args=["11260"])).content.decode()
    assert "Data calls" not in dashboard
    api = api_client(planner_b)
    assert api.get("/api/v1/data-calls/").json()["count"] == 0
    assert api.get(f"/api/v1/data-calls/{call.pk}/completeness/").status_code == 404


def test_an_owner_page_lists_what_they_owe_with_links_to_the_forms(muni_a, owners, planner_a):
    call = make_data_call(muni_a, 2025)
    client = browser(planner_a)
    page = client.get(
        reverse("datacalls:owed", args=["11260", call.pk]) + f"?owner={LEE.upper()}"
    ).content.decode()
    early, care = owners["early"], owners["ini_reported"]
    assert reverse("indicators:detail", args=["11260", early.pk]) + "#observations" in page
    assert reverse("initiatives:detail", args=["11260", care.pk]) in page
    assert "L-1" not in page and "L-2" not in page  # Kim's
    department = client.get(reverse("datacalls:owed", args=["11260", call.pk]) + "?department=환경과")
    assert "L-1" in department.content.decode() and "L-3" not in department.content.decode()
    # Without a parameter: the items of the user's own address (none for planner_a).
    assert (
        "Nothing is owed here."
        in client.get(reverse("datacalls:owed", args=["11260", call.pk])).content.decode()
    )


def test_closing_from_the_page_freezes_the_record(muni_a, owners, coordinator):
    call = make_data_call(muni_a, 2025)
    client = browser(coordinator)
    detail = reverse("datacalls:detail", args=["11260", call.pk])
    response = post(client, reverse("datacalls:close", args=["11260", call.pk]), {}, via=detail)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closed_by == coordinator and len(call.frozen_rows) == 5
    page = client.get(detail).content.decode()
    assert "frozen as it stood at closing" in page and "Close data call" not in page
    # A second close (another tab) is told, not a 500.
    client.get(detail)
    again = client.post(
        reverse("datacalls:close", args=["11260", call.pk]),
        {"csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        follow=True,
    )
    assert "already closed" in again.content.decode()


def test_the_dashboard_and_the_network_page_summarise_the_open_call(muni_a, owners, planner_a, coordinator):
    call = make_data_call(muni_a, 2025)
    dashboard = browser(planner_a).get(reverse("municipalities:dashboard", args=["11260"])).content.decode()
    assert "2 of 5 items reported" in dashboard
    assert reverse("datacalls:detail", args=["11260", call.pk]) in dashboard
    network = browser(coordinator).get(reverse("municipalities:network")).content.decode()
    assert "Open data calls" in network and "2 / 5 (40 %)" in network


def test_korean_pages_speak_korean(muni_a, owners, coordinator):
    call = make_data_call(muni_a, 2025)
    page = (
        browser(coordinator, "ko").get(reverse("datacalls:detail", args=["11260", call.pk])).content.decode()
    )
    assert "5건 중 2건 제출" in page and "부서별 미제출 현황" in page


def test_owner_and_due_date_are_edited_through_the_forms_and_the_api(muni_a, owners, planner_a):
    indicator = owners["missing"]
    client = browser(planner_a)
    edit = reverse("indicators:edit", args=["11260", indicator.pk])
    form = client.get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        targets=list(data.get("targets", [])),
        owner_name="박담당",
        owner_email="park@example.org",
        report_due="2026-02-28",
        framework_nodes=[],
    )
    response = post(client, edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    indicator.refresh_from_db()
    assert (indicator.owner_name, indicator.owner_email, indicator.report_due) == (
        "박담당",
        "park@example.org",
        date(2026, 2, 28),
    )
    assert indicator.history.first().owner_email == "park@example.org"
    bad = post(client, edit, {**data, "owner_email": "not an address"})
    assert bad.status_code == 200 and "enter a valid e-mail address" in bad.content.decode()
    assert indicator.__class__.objects.get(pk=indicator.pk).owner_email == "park@example.org"

    api = api_client(planner_a)
    initiative = owners["ini_missing"]
    response = api.patch(
        f"/api/v1/initiatives/{initiative.pk}/",
        {"owner_name": "최사업", "owner_email": "choi@example.org", "report_due": "2026-01-31"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert Initiative.objects.get(pk=initiative.pk).owner_email == "choi@example.org"
    refused = api.patch(f"/api/v1/local-indicators/{indicator.pk}/", {"owner_email": "x"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["owner_email"] == [
        "전자우편 주소가 올바르지 않습니다 / enter a valid e-mail address"
    ]


def test_the_api_opens_closes_and_reports_completeness(muni_a, owners, coordinator, lead_a):
    api = api_client(lead_a)
    response = api.post(
        "/api/v1/data-calls/",
        {"municipality": "11260", "year": 2025, "due_date": "2026-03-31", "message": "부탁드립니다"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["is_open"] is True and response.json()["opened_by"] == lead_a.pk
    body = api.get(f"/api/v1/data-calls/{pk}/completeness/").json()
    assert (body["total"], body["reported"], body["frozen"]) == (5, 2, False)
    assert {d["department"]: d["missing"] for d in body["departments"]} == {"": 1, "복지과": 1, "환경과": 1}
    assert {i["code"] for i in body["items"] if i["kind"] == "indicator" and not i["reported"]} == {
        "L-2",
        "L-3",
    }
    again = api.post(
        "/api/v1/data-calls/",
        {"municipality": "11260", "year": 2026, "due_date": "2027-03-31"},
        format="json",
    )
    assert again.status_code == 400 and "already open" in again.content.decode()
    closed = api_client(coordinator).post(f"/api/v1/data-calls/{pk}/close/")
    assert closed.status_code == 200 and closed.json()["is_open"] is False
    assert api.get(f"/api/v1/data-calls/{pk}/completeness/").json()["frozen"] is True
    assert api_client(coordinator).post(f"/api/v1/data-calls/{pk}/close/").status_code == 409
    assert [c["id"] for c in api.get("/api/v1/data-calls/", {"is_open": "false"}).json()["results"]] == [pk]


def test_the_public_reads_a_public_indicator_without_its_owner(muni_a, owners, planner_a, planner_b):
    indicator = owners["reported"]
    indicator.is_public = True
    indicator.save()
    for reader in (None, planner_b):
        client = api_client(reader)
        row = client.get(f"/api/v1/local-indicators/{indicator.pk}/").json()
        listed = next(
            r for r in client.get("/api/v1/local-indicators/").json()["results"] if r["id"] == indicator.pk
        )
        for seen in (row, listed):
            assert (seen["owner_name"], seen["owner_email"], seen["report_due"]) == ("", "", None)
            assert seen["department"] == "환경과"
        page = (Client() if reader is None else browser(reader)).get(
            reverse("indicators:detail", args=["11260", indicator.pk])
        )
        assert KIM not in page.content.decode()
    inside = api_client(planner_a).get(f"/api/v1/local-indicators/{indicator.pk}/").json()
    assert (inside["owner_name"], inside["owner_email"]) == ("김환경", KIM)
    assert (
        KIM
        in browser(planner_a).get(reverse("indicators:detail", args=["11260", indicator.pk])).content.decode()
    )
