"""The web form and the API refuse the same initiatives, with the service's bilingual messages
(real HTTP: a session with CSRF enforced for the form, a token for the API)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.sdg.models import Target

API = "/api/v1/initiatives/"


def _indicator(municipality, code: str) -> LocalIndicator:
    # Public: the API lets anyone *see* it, which is exactly why visibility is not the rule.
    return LocalIndicator.objects.create(
        municipality=municipality, code=code, name_ko=code, name_en=code, unit="%", is_public=True
    )


def _token_client(user) -> APIClient:
    return APIClient(
        enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
    )


def _form_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _post_form(client, path: str, data: dict):
    client.get(path)
    return client.post(path, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


@pytest.mark.django_db
def test_the_api_refuses_another_citys_indicator(muni_a, muni_b, planner_a):
    theirs = _indicator(muni_b, "B-1")
    response = _token_client(planner_a).post(
        API,
        {
            "municipality": "11260",
            "title_ko": "태양광",
            "targets": [{"target": "7.2", "is_primary": True}],
            "local_indicators": [theirs.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["local_indicators"] == [
        "다른 지자체의 지표는 연결할 수 없습니다: B-1 / indicators of another municipality cannot be linked: B-1"
    ]
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_adding_another_citys_indicator_later(muni_a, muni_b, planner_a):
    client = _token_client(planner_a)
    created = client.post(
        API,
        {"municipality": "11260", "title_ko": "태양광", "targets": [{"target": "7.2", "is_primary": True}]},
        format="json",
    )
    assert created.status_code == 201
    theirs = _indicator(muni_b, "B-1")
    response = client.patch(f"{API}{created.json()['id']}/", {"local_indicators": [theirs.pk]}, format="json")
    assert response.status_code == 400 and "local_indicators" in response.json()["errors"]
    assert not Initiative.objects.get().local_indicators.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("targets", [None, [], [{"target": "7.2"}]])
def test_the_api_refuses_an_initiative_without_a_primary_sdg_target(planner_a, targets):
    body = {"municipality": "11260", "title_ko": "태양광"}
    if targets is not None:
        body["targets"] = targets
    response = _token_client(planner_a).post(API, body, format="json")
    assert response.status_code == 400
    [message] = response.json()["errors"]["targets"]
    assert "세부목표" in message and "target" in message  # Korean and English
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_the_same_and_saves_through_the_service(muni_a, muni_b, planner_a):
    theirs = _indicator(muni_b, "B-1")
    mine = _indicator(muni_a, "A-1")
    client = _form_client(planner_a)
    path = "/m/11260/initiatives/new/"
    base = {"title_ko": "태양광", "kind": "programme", "status": "planned"}
    no_target = _post_form(client, path, base)
    assert (
        no_target.status_code == 200
        and "필수 항목입니다 / this field is required" in no_target.content.decode()
    )
    foreign = _post_form(client, path, {**base, "primary_target": "7.2", "local_indicators": [theirs.pk]})
    assert foreign.status_code == 200 and "선택지에 없는 값입니다" in foreign.content.decode()
    assert not Initiative.objects.exists()
    saved = _post_form(
        client,
        path,
        {
            **base,
            "primary_target": "7.2",
            "targets": [Target.objects.get(code="13.2").pk],
            "local_indicators": [mine.pk],
        },
    )
    item = Initiative.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/m/11260/initiatives/{item.pk}/"
    assert list(item.target_links.values_list("target__code", "is_primary")) == [
        ("7.2", True),
        ("13.2", False),
    ]
    assert list(item.local_indicators.all()) == [mine] and item.history.first().history_user == planner_a


@pytest.mark.django_db
def test_an_anonymous_list_hides_private_indicators_with_one_more_query(muni_a, django_assert_num_queries):
    from apps.initiatives.models import InitiativeTarget

    private = LocalIndicator.objects.create(
        municipality=muni_a, code="P-1", name_ko="p", name_en="p", unit="%"
    )
    public = _indicator(muni_a, "A-1")
    for size in (1, 20):
        while Initiative.objects.count() < size:
            item = Initiative.objects.create(municipality=muni_a, title_ko="공개 사업", is_public=True)
            InitiativeTarget.objects.create(
                initiative=item, target=Target.objects.get(code="11.6"), is_primary=True
            )
            item.local_indicators.set([private, public])
        # rows (+ total), one UNION of the page's targets, groups and indicator ids, then which of
        # those indicators the reader may view (only for rows outside the reader's own cities)
        with django_assert_num_queries(3):
            rows = APIClient().get(API, {"page_size": 50}).json()["results"]
        assert len(rows) == size and {tuple(r["local_indicators"]) for r in rows} == {(public.pk,)}


@pytest.mark.django_db
def test_filtering_by_a_private_indicator_answers_as_for_one_that_does_not_exist(muni_a, planner_a):
    """``?local_indicator=`` filters by the indicators the reader may see: an anonymous reader
    learns nothing of a private indicator's id from which public initiatives it returns."""
    from apps.initiatives.models import InitiativeTarget

    private = LocalIndicator.objects.create(municipality=muni_a, code="P-1", name_ko="p", unit="%")
    public = _indicator(muni_a, "A-1")
    item = Initiative.objects.create(municipality=muni_a, title_ko="공개 사업", is_public=True)
    InitiativeTarget.objects.create(initiative=item, target=Target.objects.get(code="11.6"), is_primary=True)
    item.local_indicators.set([private, public])
    missing = max(private.pk, public.pk) + 1000

    def answer(client, indicator_id):
        response = client.get(API, {"local_indicator": indicator_id})
        return response.status_code, response.content

    anonymous = APIClient()
    assert answer(anonymous, private.pk) == answer(anonymous, missing)
    assert answer(anonymous, missing)[0] == 200
    assert anonymous.get(API, {"local_indicator": private.pk}).json()["count"] == 0
    assert anonymous.get(API, {"local_indicator": public.pk}).json()["count"] == 1
    # Who may see the indicator filters by it, through the API and on the initiatives page.
    assert _token_client(planner_a).get(API, {"local_indicator": private.pk}).json()["count"] == 1
    page = _form_client(planner_a).get("/m/11260/initiatives/", {"local_indicator": private.pk})
    assert [row.pk for row in page.context["initiatives"]] == [item.pk]
    anonymous_page = Client().get("/m/11260/initiatives/", {"local_indicator": private.pk})
    assert anonymous_page.context["initiatives"] == []
