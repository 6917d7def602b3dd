"""One error shape for every 4xx: {"detail", "code", "errors"}; never a 500 for bad input."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from rest_framework.test import APIClient

from apps.core.api.exceptions import exception_handler
from apps.core.exceptions import ConflictError

from . import factories as f

API = "/api/v1"


def shape(response) -> dict:
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    assert isinstance(body["errors"], dict)
    return body


@pytest.mark.django_db
def test_field_errors_are_listed_per_field_with_bilingual_model_messages(planner_a, api):
    response = api(planner_a).post(
        f"{API}/initiatives/",
        {
            "municipality": "11260",
            "title_ko": "",
            "title_en": "",
            "budget_krw": -5,
            "start_date": "2024-05-01",
            "end_date": "2024-01-01",
        },
        format="json",
    )
    body = shape(response)
    assert response.status_code == 400 and body["code"] == "invalid"
    assert "end_date" in body["errors"]
    assert any("/ a Korean or English title is required" in m for m in body["errors"]["non_field_errors"])


@pytest.mark.django_db
def test_nested_errors_are_flattened_with_dots(planner_a, api):
    response = api(planner_a).post(
        f"{API}/local-indicators/",
        {"municipality": "11260", "code": "X", "name_ko": "x", "alignments": [{"target": "99.9"}]},
        format="json",
    )
    assert response.status_code == 400
    assert list(shape(response)["errors"]) == ["alignments.0.target"]


@pytest.mark.django_db
def test_a_global_indicator_outside_its_target_is_a_field_error(planner_a, api):
    response = api(planner_a).post(
        f"{API}/local-indicators/",
        {
            "municipality": "11260",
            "code": "X",
            "name_ko": "x",
            "alignments": [{"target": "11.6", "indicator": "13.2.1"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "alignments.0.indicator" in shape(response)["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "year_min=abc",
        "year_min=99999",
        "municipality_id=99999999999999999999999",
        "goal=18",
        "status=bogus",
        "ordering=password",
    ],
)
def test_bad_filter_values_are_400_not_500(query, planner_a, api):
    response = api(planner_a).get(f"{API}/initiatives/?{query}")
    assert response.status_code == 400
    assert shape(response)["errors"]


@pytest.mark.django_db
def test_malformed_json_is_a_parse_error(planner_a, api):
    response = api(planner_a).post(f"{API}/initiatives/", "{not json", content_type="application/json")
    assert response.status_code == 400 and shape(response)["code"] == "parse_error"


@pytest.mark.django_db
def test_unknown_api_paths_and_methods_answer_json(planner_a, api):
    client = api(planner_a)
    assert shape(client.get(f"{API}/nothing-here/"))["code"] == "not_found"
    assert shape(client.get(f"{API}/initiatives/abc/"))["code"] == "not_found"
    response = client.delete(f"{API}/goals/1/")
    assert response.status_code == 405 and shape(response)["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_unauthenticated_writes_are_401_with_a_token_challenge(muni_a):
    response = APIClient().post(
        f"{API}/initiatives/", {"municipality": "11260", "title_ko": "x"}, format="json"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert shape(response)["code"] == "not_authenticated"


@pytest.mark.django_db
def test_page_size_is_capped_at_200_and_a_page_past_the_end_is_404(planner_a, api):
    response = api(planner_a).get(f"{API}/municipalities/", {"page_size": 1000})
    assert len(response.json()["results"]) == 200
    assert shape(api(planner_a).get(f"{API}/goals/", {"page": 99}))["code"] == "not_found"


@pytest.mark.django_db
def test_messages_follow_the_request_language_for_drf_field_errors(planner_a, api):
    client = api(planner_a)
    korean = client.post(f"{API}/observations/", {}, format="json", HTTP_ACCEPT_LANGUAGE="ko")
    english = client.post(f"{API}/observations/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["errors"]["year"] == ["This field is required."]
    assert korean.json()["errors"]["year"] != english.json()["errors"]["year"]
    assert korean.json()["detail"] == english.json()["detail"]  # ours are bilingual in one sentence


def test_integrity_errors_are_409_for_duplicates_and_400_for_broken_checks():
    duplicate = exception_handler(
        IntegrityError("UNIQUE constraint failed: indicators_localindicator.code"), {}
    )
    assert duplicate.status_code == 409 and duplicate.data["code"] == "conflict"
    check = exception_handler(IntegrityError("CHECK constraint failed: initiative_budget_not_negative"), {})
    assert check.status_code == 400
    assert check.data["detail"] == "예산은 0 이상 / budget cannot be negative"


def test_application_errors_keep_their_status_and_code():
    response = exception_handler(ConflictError("먼저 바뀜 / changed", code="concurrent_change"), {})
    assert response.status_code == 409
    assert response.data == {"detail": "먼저 바뀜 / changed", "code": "concurrent_change", "errors": {}}


@pytest.mark.django_db
def test_an_observation_cannot_move_to_another_citys_indicator(muni_a, muni_b, planner_a, api):
    mine = f.observation(muni_a)
    theirs = f.local_indicator(muni_b, public=True)
    response = api(planner_a).patch(
        f"{API}/observations/{mine.pk}/", {"local_indicator": theirs.pk}, format="json"
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.local_indicator_id != theirs.pk


@pytest.mark.django_db
def test_an_initiative_cannot_move_to_a_city_outside_the_edit_scope(muni_a, planner_a, api):
    mine = f.initiative(muni_a)
    response = api(planner_a).patch(f"{API}/initiatives/{mine.pk}/", {"municipality": "41210"}, format="json")
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.municipality_id == muni_a.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "targets, message",
    [
        ([{"target": "7.2", "is_primary": True}, {"target": "7.2"}], "listed twice"),
        ([{"target": "7.2", "is_primary": True}, {"target": "13.2", "is_primary": True}], "only one primary"),
    ],
)
def test_a_bad_target_list_is_a_400_and_saves_nothing(planner_a, api, targets, message):
    from apps.initiatives.models import Initiative

    response = api(planner_a).post(
        f"{API}/initiatives/",
        {"municipality": "11260", "title_ko": "태양광 보급", "targets": targets},
        format="json",
    )
    body = shape(response)
    assert response.status_code == 400 and any(message in m for m in body["errors"]["targets"])
    assert not Initiative.objects.exists()


# ----------------------------------------------------------------------------- unknown paths, CSRF

UNKNOWN = [
    f"{API}/nothing-here/",
    f"{API}/initiatives/abc/",
    f"{API}/initiatives/1/no-such-verb/",
    "/api/elsewhere",
]
WRITES = ("post", "put", "patch", "delete")


@pytest.mark.django_db
@pytest.mark.parametrize("method", WRITES)
def test_writes_to_unknown_api_paths_are_the_json_404_with_csrf_checks_on(method, planner_a):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=planner_a).key
    clients = {
        "token": Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token}"),
        "anonymous": Client(enforce_csrf_checks=True),
    }
    for who, client in clients.items():
        for path in UNKNOWN:
            response = getattr(client, method)(path, '{"a": 1}', content_type="application/json")
            assert response.status_code == 404, (who, method, path, response.content[:200])
            assert response["Content-Type"] == "application/json"
            assert shape(response)["code"] == "not_found"


@pytest.mark.django_db(transaction=True)
def test_over_real_http_unknown_api_paths_answer_json_for_every_method(live_server, planner_a):
    import http.client
    import json
    from urllib.parse import urlsplit

    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=planner_a).key
    address = urlsplit(live_server.url)
    for headers in ({"Authorization": f"Token {token}"}, {}):
        for method in ("GET", *(m.upper() for m in WRITES)):
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
            connection.request(
                method,
                f"{API}/nothing-here/",
                body=b'{"a": 1}',
                headers={**headers, "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            body = json.loads(response.read())
            connection.close()
            assert response.status == 404, (method, headers, body)
            assert body == {"detail": "찾을 수 없습니다 / not found", "code": "not_found", "errors": {}}


@pytest.mark.django_db
def test_a_browser_session_still_needs_the_csrf_token_to_write(planner_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(planner_a)
    data = {
        "municipality": "11260",
        "title_ko": "세션으로 만든 사업",
        "targets": [{"target": "11.6", "is_primary": True}],
    }
    refused = client.post(f"{API}/initiatives/", data, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in shape(refused)["detail"]
    token = "s3cr3t" * 5 + "ab"  # 32 characters: the cookie a page would have set, echoed in the header
    client.cookies["csrftoken"] = token
    accepted = client.post(
        f"{API}/initiatives/", data, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201, accepted.content[:300]


@pytest.mark.django_db
def test_a_bad_host_is_a_json_400_under_api_and_django_s_page_elsewhere():
    client = APIClient(HTTP_HOST="attacker.example")
    api_answer = client.get(f"{API}/goals/")
    assert api_answer.status_code == 400 and shape(api_answer)["code"] == "bad_request"
    page = client.get("/")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_an_unexpected_fault_is_a_json_500_under_api_and_django_s_page_elsewhere():
    """Django calls handler500 while it handles the exception; so does this test."""
    import json

    from django.test import RequestFactory

    from apps.core.api.handlers import server_error

    factory = RequestFactory()
    try:
        raise ZeroDivisionError  # a real fault, not a database one
    except ZeroDivisionError:
        api_answer = server_error(factory.get(f"{API}/initiatives/"))
        page = server_error(factory.get("/"))
    assert api_answer.status_code == 500 and "Retry-After" not in api_answer
    assert json.loads(api_answer.content) == {
        "detail": "서버 오류가 발생했습니다 / internal server error",
        "code": "server_error",
        "errors": {},
    }
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
