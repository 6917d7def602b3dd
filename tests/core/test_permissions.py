"""Tenancy through ``for_user``: who reads and who changes what, for every tenant model."""
import pytest

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
        document = Document.objects.create(municipality=muni, title=f"기사 {key}", body=f"본문 {key}", content_hash=key * 64)
        link = EvidenceLink.objects.create(document=document, municipality=muni, target=Target.objects.get(code="13.2"),
                                           status=LinkStatus.CONFIRMED)
        edition = Edition.objects.create(municipality=muni, year=2025)
        section = EditionSection.objects.create(edition=edition, code="opening", title_ko="발간사", title_en="Opening")
        comment = Comment.objects.create(edition=edition, author=planner_a, body="의견")
        objects[key] = [indicator, observation, initiative, update, document, link, edition, section, comment]
    return objects


MODELS = [LocalIndicator, Observation, Initiative, ProgressUpdate, Document, EvidenceLink, Edition, EditionSection, Comment]


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
    indicator_b, _, initiative_b, _, document_b, link_b, edition_b, section_b, comment_b = world["b"]
    LocalIndicator.objects.filter(pk=indicator_b.pk).update(is_public=True)
    Initiative.objects.filter(pk=initiative_b.pk).update(is_public=True)
    Document.objects.filter(pk=document_b.pk).update(is_public=True)
    Edition.objects.filter(pk=edition_b.pk).update(status=EditionStatus.PUBLISHED)
    assert list(LocalIndicator.objects.for_user(anon)) == [indicator_b]
    assert Observation.objects.for_user(anon).get().local_indicator == indicator_b
    assert list(Initiative.objects.for_user(anon)) == [initiative_b]
    assert list(ProgressUpdate.objects.for_user(anon).values_list("initiative", flat=True)) == [initiative_b.pk]
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
def test_documents_without_municipality_are_for_coordinators_and_their_author(planner_a, planner_b, coordinator):
    national = Document.objects.create(title="고용노동부 보도자료", body="본문", content_hash="n" * 64, created_by=planner_a)
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
