"""Tenancy through ``for_user``: who reads and who changes what, for every tenant model."""

import pytest
from django.core.exceptions import EmptyResultSet

from apps.core.permissions import Action, can, municipality_scope
from apps.evidence.choices import LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.models import Initiative, ProgressUpdate
from apps.sdg.models import Target
from apps.vlr.choices import EditionStatus
from apps.vlr.models import Comment, Edition, EditionSection


@pytest.fixture
def world(muni_a, muni_b, muni_c, planner_a):
    """One draft (non-public) object of every tenant model in each of the three cities."""
    objects = {}
    for key, muni in (("a", muni_a), ("b", muni_b), ("c", muni_c)):
        indicator = LocalIndicator.objects.create(municipality=muni, code="L1", name_ko=f"지표 {key}")
        observation = Observation.objects.create(local_indicator=indicator, year=2020, value=1.0)
        initiative = Initiative.objects.create(municipality=muni, title_ko=f"사업 {key}")
        update = ProgressUpdate.objects.create(initiative=initiative, date="2024-01-01", text="진행")
        document = Document.objects.create(
            municipality=muni, title=f"기사 {key}", body=f"본문 {key}", content_hash=key * 64
        )
        link = EvidenceLink.objects.create(
            document=document,
            municipality=muni,
            target=Target.objects.get(code="13.2"),
            status=LinkStatus.CONFIRMED,
        )
        edition = Edition.objects.create(municipality=muni, year=2025, period_start=2025, period_end=2025)
        section = EditionSection.objects.create(
            edition=edition, code="opening", title_ko="발간사", title_en="Opening"
        )
        comment = Comment.objects.create(edition=edition, author=planner_a, body="의견")
        objects[key] = [indicator, observation, initiative, update, document, link, edition, section, comment]
    return objects


MODELS = [
    LocalIndicator,
    Observation,
    Initiative,
    ProgressUpdate,
    Document,
    EvidenceLink,
    Edition,
    EditionSection,
    Comment,
]


def visible(user, action=Action.VIEW) -> dict:
    """For each model, the set of city keys ('a', 'b', 'c') whose objects the user gets."""
    result = {}
    for model in MODELS:
        rows = model.objects.for_user(user, action)
        result[model.__name__] = rows.count()
    return result


# Expected number of visible rows per model (one per city) — the matrix of roles × actions.
MATRIX = {
    # user fixture: {action: cities visible}
    "anon": {Action.VIEW: 0, Action.EDIT: 0, Action.REVIEW: 0},
    "planner_a": {Action.VIEW: 1, Action.EDIT: 1, Action.REVIEW: 0},
    "viewer_a": {Action.VIEW: 1, Action.EDIT: 0, Action.REVIEW: 0},
    "planner_b": {Action.VIEW: 1, Action.EDIT: 1, Action.REVIEW: 0},
    "coordinator": {Action.VIEW: 2, Action.EDIT: 0, Action.REVIEW: 2},
    "coordinator_all": {Action.VIEW: 3, Action.EDIT: 0, Action.REVIEW: 3},
    "admin": {Action.VIEW: 3, Action.EDIT: 3, Action.REVIEW: 3},
}


@pytest.mark.django_db
@pytest.mark.parametrize("actor", list(MATRIX))
@pytest.mark.parametrize("action", [Action.VIEW, Action.EDIT, Action.REVIEW])
def test_every_role_sees_exactly_its_municipalities_on_every_model(request, world, actor, action):
    user = request.getfixturevalue(actor)
    expected = MATRIX[actor][action]
    assert visible(user, action) == {model.__name__: expected for model in MODELS}


@pytest.mark.django_db
def test_planner_of_jungnang_cannot_see_or_change_gwangmyeong_drafts(world, planner_a):
    for obj in world["b"]:
        assert not can(planner_a, Action.VIEW, obj), obj
        assert not can(planner_a, Action.EDIT, obj), obj
    for obj in world["a"]:
        assert can(planner_a, Action.EDIT, obj), obj


@pytest.mark.django_db
def test_coordinator_reads_all_four_demo_cities(coordinator_all, world):
    assert Edition.objects.for_user(coordinator_all).count() == 3
    assert not Edition.objects.for_user(coordinator_all, Action.EDIT).exists()


@pytest.mark.django_db
def test_anonymous_sees_only_published_data(world, anon, muni_b):
    indicator_b, _, initiative_b, _, document_b, link_b, edition_b, section_b, _comment_b = world["b"]
    LocalIndicator.objects.filter(pk=indicator_b.pk).update(is_public=True)
    Initiative.objects.filter(pk=initiative_b.pk).update(is_public=True)
    Document.objects.filter(pk=document_b.pk).update(is_public=True)
    Edition.objects.filter(pk=edition_b.pk).update(status=EditionStatus.PUBLISHED)
    assert list(LocalIndicator.objects.for_user(anon)) == [indicator_b]
    assert Observation.objects.for_user(anon).get().local_indicator == indicator_b
    assert list(Initiative.objects.for_user(anon)) == [initiative_b]
    assert list(ProgressUpdate.objects.for_user(anon).values_list("initiative", flat=True)) == [
        initiative_b.pk
    ]
    assert list(EvidenceLink.objects.for_user(anon)) == [link_b]
    assert list(Edition.objects.for_user(anon)) == [edition_b]
    assert list(EditionSection.objects.for_user(anon)) == [section_b]
    # Review comments stay internal even on a published edition, and nothing is editable.
    assert not Comment.objects.for_user(anon).exists()
    for model in MODELS:
        assert not model.objects.for_user(anon, Action.EDIT).exists()


@pytest.mark.django_db
def test_a_published_object_is_readable_by_planners_of_other_cities(world, planner_a):
    Edition.objects.filter(pk=world["b"][6].pk).update(status=EditionStatus.PUBLISHED)
    assert Edition.objects.for_user(planner_a).count() == 2
    assert Edition.objects.for_user(planner_a, Action.EDIT).count() == 1


@pytest.mark.django_db
def test_a_rejected_link_on_a_public_document_is_not_published(world, anon):
    document, link = world["a"][4], world["a"][5]
    Document.objects.filter(pk=document.pk).update(is_public=True)
    EvidenceLink.objects.filter(pk=link.pk).update(status=LinkStatus.REJECTED)
    assert not EvidenceLink.objects.for_user(anon).exists()


@pytest.mark.django_db
def test_documents_without_municipality_are_for_coordinators_and_their_author(
    planner_a, planner_b, coordinator
):
    national = Document.objects.create(
        title="고용노동부 보도자료", body="본문", content_hash="n" * 64, created_by=planner_a
    )
    assert can(planner_a, Action.VIEW, national) and can(planner_a, Action.EDIT, national)
    assert can(coordinator, Action.VIEW, national)
    assert not can(planner_b, Action.VIEW, national)


@pytest.mark.django_db
def test_inactive_users_have_no_scope(planner_a, muni_a):
    planner_a.is_active = False
    assert not municipality_scope(planner_a, Action.EDIT).allows(muni_a.pk)


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        municipality_scope(None, "delete-everything")


# --------------------------------------------------------------------------- one question, one home
# Each permission question below is one function of apps/core/permissions.py; the tests ask it
# directly, then ask every interface that restated it before (service, page, API) the same thing.

from django.test import Client  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from apps.core.exceptions import PermissionDeniedError  # noqa: E402
from apps.core.permissions import (  # noqa: E402
    OUT_OF_SCOPE,
    may_decide_evidence,
    require_scope,
    reviews_anywhere,
)
from apps.evidence import services as evidence_services  # noqa: E402


def _suggestion(muni):
    body = "중랑구는 미세먼지 저감을 위해 전기버스를 도입한다."
    document = Document.objects.create(municipality=muni, title="보도자료", body=body, content_hash="d" * 64)
    return EvidenceLink.objects.create(
        document=document,
        municipality=muni,
        target=Target.objects.get(code="11.6"),
        status=LinkStatus.SUGGESTED,
        reasons=[
            {
                "term": "미세먼지",
                "match": "미세먼지",
                "target": "11.6",
                "start": 9,
                "end": 13,
                "field": "body",
            }
        ],
    )


@pytest.mark.django_db
def test_who_may_decide_on_evidence_is_one_function(
    muni_a, muni_b, planner_a, viewer_a, coordinator, planner_b, coordinator_all, admin, anon
):
    expected = {
        planner_a: True,
        viewer_a: False,
        coordinator: True,
        planner_b: False,
        coordinator_all: True,
        admin: True,
        anon: False,
    }
    assert {u: may_decide_evidence(u, muni_a.pk) for u in expected} == expected
    # Evidence of no municipality: any coordinator (and admins); planners are not enough.
    nobody = {
        planner_a: False,
        viewer_a: False,
        coordinator: True,
        planner_b: False,
        coordinator_all: True,
        admin: True,
        anon: False,
    }
    assert {u: may_decide_evidence(u, None) for u in nobody} == nobody
    assert {u: reviews_anywhere(u) for u in (planner_a, coordinator, coordinator_all, anon)} == {
        planner_a: False,
        coordinator: True,
        coordinator_all: True,
        anon: False,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["planner_a", "viewer_a", "coordinator", "admin"])
def test_page_api_and_service_give_the_same_answer_on_deciding_evidence(who, request, muni_a):
    user = request.getfixturevalue(who)
    link = _suggestion(muni_a)
    allowed = may_decide_evidence(user, muni_a.pk)
    assert allowed == (who != "viewer_a")

    page = Client(HTTP_ACCEPT_LANGUAGE="ko")
    page.force_login(user)
    shown = 'value="confirm"' in page.get(f"/evidence/documents/{link.document_id}/").content.decode()
    api = APIClient()
    api.force_authenticate(user)
    answer = api.post(f"/api/v1/evidence-links/{link.pk}/confirm/", {}, format="json")
    assert (shown, answer.status_code) == ((True, 200) if allowed else (False, 403))

    link.refresh_from_db()
    link.status = LinkStatus.SUGGESTED
    link.save()
    if allowed:
        assert evidence_services.suggestion_reject(link=link, actor=user).status == LinkStatus.REJECTED
    else:
        with pytest.raises(PermissionDeniedError):
            evidence_services.suggestion_reject(link=link, actor=user)


@pytest.mark.django_db
def test_the_municipality_scope_refusal_is_one_error_with_one_message(muni_a, muni_b, planner_a):
    require_scope(planner_a, Action.EDIT, muni_a.pk)  # in scope: nothing happens
    with pytest.raises(PermissionDeniedError) as refused:
        require_scope(planner_a, Action.EDIT, muni_b.pk)
    assert (refused.value.message, refused.value.status_code) == (OUT_OF_SCOPE, 403)


@pytest.mark.django_db
def test_every_interface_refuses_out_of_scope_writes_with_the_same_answer(muni_b, planner_a):
    """The API's generic create, the edition create (a service behind the API) and the import
    service all answer with ``require_scope``'s refusal."""
    from apps.indicators.services import indicators_import
    from apps.vlr.services import edition_create

    api = APIClient()
    api.force_authenticate(planner_a)
    generic = api.post(
        "/api/v1/initiatives/", {"municipality": muni_b.code, "title_ko": "사업"}, format="json"
    )
    edition = api.post("/api/v1/editions/", {"municipality": muni_b.code, "year": 2026}, format="json")
    for response in (generic, edition):
        assert response.status_code == 403
        assert response.json()["detail"] == OUT_OF_SCOPE
    with pytest.raises(PermissionDeniedError) as refused:
        edition_create(municipality=muni_b, year=2026, actor=planner_a)
    assert refused.value.message == OUT_OF_SCOPE
    with pytest.raises(PermissionDeniedError) as refused:
        indicators_import(file=b"", municipality=muni_b, actor=planner_a)
    assert refused.value.message == OUT_OF_SCOPE
    assert not Edition.objects.filter(municipality=muni_b).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", list(MATRIX))
def test_the_scope_shortcut_writes_the_scope_django_writes(request, world, actor, settings):
    """``fast_path("scope")`` compiles a child's scope subquery (an observation's visible
    indicators, a progress update's visible initiatives) once per scope and keeps it: the same
    SQL and rows as the ORM compiling it for every query, for every role and action."""
    user = request.getfixturevalue(actor)
    world["b"][0].is_public = True  # a published indicator of another city
    world["b"][0].save()
    for action in Action.values:
        for model in (Observation, ProgressUpdate):
            answers = []
            for mode in ({"scope"}, frozenset()):
                settings.API_FAST_PATHS = mode
                rows = model.objects.for_user(user, action)
                try:
                    sql = str(rows.query)
                except EmptyResultSet:  # nothing can match: no query is sent
                    sql = None
                answers.append((sql, sorted(rows.values_list("pk", flat=True))))
            assert answers[0] == answers[1], (model.__name__, action)
