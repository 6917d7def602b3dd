"""One check per filter of every FilterSet (the same classes serve the API and the web UI).

A small world of two cities is built once per test; each row says which named objects a filter
must keep and which it must drop. Ordering is checked separately, and one row per resource goes
through the API to prove the viewsets use these FilterSets.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from apps.evidence.choices import LinkOrigin, LinkStatus
from apps.evidence.filtersets import DocumentFilterSet, EvidenceLinkFilterSet
from apps.evidence.models import EvidenceLink
from apps.indicators.filtersets import LocalIndicatorFilterSet, ObservationFilterSet
from apps.indicators.models import IndicatorAlignment, Observation
from apps.initiatives.filtersets import InitiativeFilterSet, ProgressUpdateFilterSet
from apps.initiatives.models import InitiativeTarget, PopulationGroup, ProgressUpdate
from apps.municipalities.filtersets import MunicipalityFilterSet
from apps.municipalities.models import Municipality
from apps.sdg.filtersets import GoalFilterSet, IndicatorFilterSet, TargetFilterSet
from apps.sdg.models import Goal, Indicator, Target
from apps.vlr.filtersets import (
    CommentFilterSet,
    EditionFilterSet,
    EditionSectionFilterSet,
)
from apps.vlr.models import Comment, EditionSection

from . import factories as f


@pytest.fixture
def world(muni_a, muni_b):
    """Named objects of 중랑구 (a) and 광명시 (b)."""
    w = {"muni_a": muni_a, "muni_b": muni_b}
    t = {code: Target.objects.get(code=code) for code in ("11.2", "11.6", "13.2", "4.7")}
    w["li_a"] = f.local_indicator(muni_a, code="A-1", public=True)  # aligned to 11.6 by the factory
    w["li_a"].name_en, w["li_a"].direction = "PM2.5 concentration", -1
    w["li_a"].save()
    w["li_b"] = f.local_indicator(muni_b, code="B-1")
    IndicatorAlignment.objects.filter(local_indicator=w["li_b"]).update(target=t["4.7"])
    w["obs_a_2019"] = Observation.objects.create(local_indicator=w["li_a"], year=2019, value=30)
    w["obs_a_2022_f"] = Observation.objects.create(
        local_indicator=w["li_a"], year=2022, quarter=2, sex="female", value=25
    )
    w["obs_b_2020"] = Observation.objects.create(
        local_indicator=w["li_b"], year=2020, value=100, is_provisional=True
    )

    w["ini_a"] = f.initiative(muni_a, public=True)  # primary target 11.6 from the factory
    w["ini_a"].title_ko, w["ini_a"].title_en, w["ini_a"].kind, w["ini_a"].status = (
        "자전거 도로",
        "Bike lanes",
        "project",
        "ongoing",
    )
    w["ini_a"].start_date, w["ini_a"].end_date = datetime.date(2020, 1, 1), datetime.date(2021, 12, 31)
    w["ini_a"].save()
    InitiativeTarget.objects.create(initiative=w["ini_a"], target=t["13.2"])
    w["ini_a"].groups_served.add(PopulationGroup.objects.get(code="women"))
    w["ini_a"].local_indicators.add(w["li_a"])
    w["ini_b"] = f.initiative(muni_b)
    w["ini_b"].title_ko, w["ini_b"].title_en, w["ini_b"].start_date = (
        "작은 도서관",
        "Small libraries",
        datetime.date(2024, 1, 1),
    )
    w["ini_b"].save()
    InitiativeTarget.objects.filter(initiative=w["ini_b"]).update(target=t["4.7"])

    w["pu_a"] = ProgressUpdate.objects.create(
        initiative=w["ini_a"], date=datetime.date(2021, 3, 1), text="착공 완료"
    )
    w["pu_b"] = ProgressUpdate.objects.create(
        initiative=w["ini_b"], date=datetime.date(2024, 5, 1), text="개관"
    )

    w["doc_a"] = f.document(muni_a)
    w["doc_a"].published_date, w["doc_a"].title, w["doc_a"].kind = (
        datetime.date(2021, 7, 2),
        "중랑구 자전거길 개통",
        "news",
    )
    w["doc_a"].save()
    w["doc_b"] = f.document(muni_b)
    w["doc_b"].published_date, w["doc_b"].kind = datetime.date(2023, 1, 5), "report"
    w["doc_b"].save()
    w["link_a"] = EvidenceLink.objects.create(
        document=w["doc_a"],
        municipality=muni_a,
        target=t["11.6"],
        origin=LinkOrigin.SUGGESTED,
        score=0.9,
        note="대기질",
    )
    w["link_b"] = EvidenceLink.objects.create(
        document=w["doc_b"],
        municipality=muni_b,
        initiative=w["ini_b"],
        origin=LinkOrigin.MANUAL,
        status=LinkStatus.CONFIRMED,
        score=None,
    )
    # A goal-level suggestion: a goal, no target yet (issue 21).
    w["link_goal_only"] = EvidenceLink.objects.create(
        document=w["doc_b"],
        municipality=muni_b,
        goal=Goal.objects.get(number=4),
        origin=LinkOrigin.SUGGESTED,
        score=0.6,
    )

    w["ed_a"] = f.edition(muni_a, year=2023)
    w["ed_a"].focus_goals.add(Goal.objects.get(number=11))
    w["ed_b"] = f.edition(muni_b, year=2025, state="submitted")
    w["sec_a_lnob"] = w["ed_a"].sections.get(code="enabling.lnob")
    w["sec_b_lnob"] = w["ed_b"].sections.get(code="enabling.lnob")
    EditionSection.objects.filter(pk=w["sec_a_lnob"].pk).update(included=False, body_ko="장애인 이동권")
    w["com_a"] = Comment.objects.create(edition=w["ed_a"], author=f.owner(), body="근거 보완 필요")
    w["com_b"] = Comment.objects.create(edition=w["ed_b"], author=f.owner(), body="좋습니다")
    return w


def _id(w, name):
    return str(w[name].pk)


# (FilterSet, params (callable on world for ids), kept, dropped)
ROWS = [
    # initiatives
    (InitiativeFilterSet, {"municipality": "11260"}, ["ini_a"], ["ini_b"]),
    (InitiativeFilterSet, {"municipality_id": lambda w: _id(w, "muni_b")}, ["ini_b"], ["ini_a"]),
    (InitiativeFilterSet, {"goal": "13"}, ["ini_a"], ["ini_b"]),
    (InitiativeFilterSet, {"target": "4.7"}, ["ini_b"], ["ini_a"]),
    (InitiativeFilterSet, {"primary_target": "11.6"}, ["ini_a"], ["ini_b"]),
    (InitiativeFilterSet, {"status": "ongoing"}, ["ini_a"], ["ini_b"]),
    (InitiativeFilterSet, {"kind": "programme"}, ["ini_b"], ["ini_a"]),
    (InitiativeFilterSet, {"group": "women"}, ["ini_a"], ["ini_b"]),
    (InitiativeFilterSet, {"local_indicator": lambda w: _id(w, "li_a")}, ["ini_a"], ["ini_b"]),
    (InitiativeFilterSet, {"year_min": "2022"}, ["ini_b"], ["ini_a"]),
    (InitiativeFilterSet, {"year_max": "2021"}, ["ini_a"], ["ini_b"]),
    (InitiativeFilterSet, {"q": "bike"}, ["ini_a"], ["ini_b"]),
    (InitiativeFilterSet, {"q": "도서관"}, ["ini_b"], ["ini_a"]),
    (InitiativeFilterSet, {"is_public": "true"}, ["ini_a"], ["ini_b"]),
    (ProgressUpdateFilterSet, {"municipality": "11260"}, ["pu_a"], ["pu_b"]),
    (ProgressUpdateFilterSet, {"municipality_id": lambda w: _id(w, "muni_b")}, ["pu_b"], ["pu_a"]),
    (ProgressUpdateFilterSet, {"initiative": lambda w: _id(w, "ini_b")}, ["pu_b"], ["pu_a"]),
    (ProgressUpdateFilterSet, {"date_from": "2022-01-01"}, ["pu_b"], ["pu_a"]),
    (ProgressUpdateFilterSet, {"date_to": "2022-01-01"}, ["pu_a"], ["pu_b"]),
    (ProgressUpdateFilterSet, {"year_min": "2024"}, ["pu_b"], ["pu_a"]),
    (ProgressUpdateFilterSet, {"year_max": "2021"}, ["pu_a"], ["pu_b"]),
    (ProgressUpdateFilterSet, {"q": "bike"}, ["pu_a"], ["pu_b"]),
    # indicators
    (LocalIndicatorFilterSet, {"municipality": "41210"}, ["li_b"], ["li_a"]),
    (LocalIndicatorFilterSet, {"municipality_id": lambda w: _id(w, "muni_a")}, ["li_a"], ["li_b"]),
    (LocalIndicatorFilterSet, {"goal": "4"}, ["li_b"], ["li_a"]),
    (LocalIndicatorFilterSet, {"target": "11.6"}, ["li_a"], ["li_b"]),
    (LocalIndicatorFilterSet, {"code": "B-1"}, ["li_b"], ["li_a"]),
    (LocalIndicatorFilterSet, {"direction": "-1"}, ["li_a"], ["li_b"]),
    (LocalIndicatorFilterSet, {"is_public": "true"}, ["li_a"], ["li_b"]),
    (LocalIndicatorFilterSet, {"is_binary": "false"}, ["li_a", "li_b"], []),
    (LocalIndicatorFilterSet, {"q": "pm2.5"}, ["li_a"], ["li_b"]),
    (ObservationFilterSet, {"municipality": "11260"}, ["obs_a_2019", "obs_a_2022_f"], ["obs_b_2020"]),
    (ObservationFilterSet, {"municipality_id": lambda w: _id(w, "muni_b")}, ["obs_b_2020"], ["obs_a_2019"]),
    (ObservationFilterSet, {"local_indicator": lambda w: _id(w, "li_b")}, ["obs_b_2020"], ["obs_a_2019"]),
    (ObservationFilterSet, {"local_indicator_code": "A-1"}, ["obs_a_2019"], ["obs_b_2020"]),
    (ObservationFilterSet, {"goal": "11"}, ["obs_a_2019"], ["obs_b_2020"]),
    (ObservationFilterSet, {"target": "4.7"}, ["obs_b_2020"], ["obs_a_2019"]),
    (ObservationFilterSet, {"year": "2020"}, ["obs_b_2020"], ["obs_a_2019", "obs_a_2022_f"]),
    (ObservationFilterSet, {"year_min": "2020"}, ["obs_b_2020", "obs_a_2022_f"], ["obs_a_2019"]),
    (ObservationFilterSet, {"year_max": "2020"}, ["obs_b_2020", "obs_a_2019"], ["obs_a_2022_f"]),
    (ObservationFilterSet, {"quarter": "2"}, ["obs_a_2022_f"], ["obs_a_2019"]),
    (ObservationFilterSet, {"sex": "female"}, ["obs_a_2022_f"], ["obs_a_2019"]),
    (ObservationFilterSet, {"total_only": "true"}, ["obs_a_2019", "obs_b_2020"], ["obs_a_2022_f"]),
    (ObservationFilterSet, {"is_provisional": "true"}, ["obs_b_2020"], ["obs_a_2019"]),
    # evidence
    (DocumentFilterSet, {"municipality": "11260"}, ["doc_a"], ["doc_b"]),
    (DocumentFilterSet, {"municipality_id": lambda w: _id(w, "muni_b")}, ["doc_b"], ["doc_a"]),
    (DocumentFilterSet, {"kind": "report"}, ["doc_b"], ["doc_a"]),
    (DocumentFilterSet, {"goal": "11"}, ["doc_a"], ["doc_b"]),
    (DocumentFilterSet, {"target": "11.6"}, ["doc_a"], ["doc_b"]),
    (DocumentFilterSet, {"link_status": "confirmed"}, ["doc_b"], ["doc_a"]),
    (DocumentFilterSet, {"year_min": "2022"}, ["doc_b"], ["doc_a"]),
    (DocumentFilterSet, {"year_max": "2022"}, ["doc_a"], ["doc_b"]),
    (DocumentFilterSet, {"date_from": "2021-07-02", "date_to": "2021-07-02"}, ["doc_a"], ["doc_b"]),
    (DocumentFilterSet, {"q": "자전거길"}, ["doc_a"], ["doc_b"]),
    (EvidenceLinkFilterSet, {"municipality": "41210"}, ["link_b"], ["link_a"]),
    (EvidenceLinkFilterSet, {"municipality_id": lambda w: _id(w, "muni_a")}, ["link_a"], ["link_b"]),
    (EvidenceLinkFilterSet, {"document": lambda w: _id(w, "doc_a")}, ["link_a"], ["link_b"]),
    (EvidenceLinkFilterSet, {"goal": "4"}, ["link_b", "link_goal_only"], ["link_a"]),
    (EvidenceLinkFilterSet, {"goal": "11"}, ["link_a"], ["link_b", "link_goal_only"]),
    (EvidenceLinkFilterSet, {"target": "11.6"}, ["link_a"], ["link_b"]),
    (EvidenceLinkFilterSet, {"initiative": lambda w: _id(w, "ini_b")}, ["link_b"], ["link_a"]),
    (EvidenceLinkFilterSet, {"status": "suggested"}, ["link_a"], ["link_b"]),
    (EvidenceLinkFilterSet, {"origin": "manual"}, ["link_b"], ["link_a"]),
    (EvidenceLinkFilterSet, {"min_score": "0.5"}, ["link_a"], ["link_b"]),
    (EvidenceLinkFilterSet, {"year_min": "2022"}, ["link_b"], ["link_a"]),
    (EvidenceLinkFilterSet, {"year_max": "2022"}, ["link_a"], ["link_b"]),
    (EvidenceLinkFilterSet, {"q": "대기질"}, ["link_a"], ["link_b"]),
    # VLR
    (EditionFilterSet, {"municipality": "11260"}, ["ed_a"], ["ed_b"]),
    (EditionFilterSet, {"municipality_id": lambda w: _id(w, "muni_b")}, ["ed_b"], ["ed_a"]),
    (EditionFilterSet, {"status": "submitted"}, ["ed_b"], ["ed_a"]),
    (EditionFilterSet, {"year": "2023"}, ["ed_a"], ["ed_b"]),
    (EditionFilterSet, {"year_min": "2024"}, ["ed_b"], ["ed_a"]),
    (EditionFilterSet, {"year_max": "2024"}, ["ed_a"], ["ed_b"]),
    (EditionFilterSet, {"goal": "11"}, ["ed_a"], ["ed_b"]),
    (EditionFilterSet, {"q": "광명"}, ["ed_b"], ["ed_a"]),
    (
        EditionSectionFilterSet,
        {"municipality": "11260", "code": "enabling.lnob"},
        ["sec_a_lnob"],
        ["sec_b_lnob"],
    ),
    (
        EditionSectionFilterSet,
        {"municipality_id": lambda w: _id(w, "muni_b"), "code": "enabling.lnob"},
        ["sec_b_lnob"],
        ["sec_a_lnob"],
    ),
    (
        EditionSectionFilterSet,
        {"edition": lambda w: _id(w, "ed_a"), "code": "enabling.lnob"},
        ["sec_a_lnob"],
        ["sec_b_lnob"],
    ),
    (EditionSectionFilterSet, {"year": "2025", "code": "enabling.lnob"}, ["sec_b_lnob"], ["sec_a_lnob"]),
    (EditionSectionFilterSet, {"included": "false"}, ["sec_a_lnob"], ["sec_b_lnob"]),
    (EditionSectionFilterSet, {"q": "이동권"}, ["sec_a_lnob"], ["sec_b_lnob"]),
    (CommentFilterSet, {"municipality": "11260"}, ["com_a"], ["com_b"]),
    (CommentFilterSet, {"municipality_id": lambda w: _id(w, "muni_b")}, ["com_b"], ["com_a"]),
    (CommentFilterSet, {"edition": lambda w: _id(w, "ed_b")}, ["com_b"], ["com_a"]),
    (CommentFilterSet, {"author": "setup_owner"}, ["com_a", "com_b"], []),
    (CommentFilterSet, {"q": "보완"}, ["com_a"], ["com_b"]),
]

MODELS = {
    InitiativeFilterSet: "initiatives.Initiative",
    ProgressUpdateFilterSet: "initiatives.ProgressUpdate",
    LocalIndicatorFilterSet: "indicators.LocalIndicator",
    ObservationFilterSet: "indicators.Observation",
    DocumentFilterSet: "evidence.Document",
    EvidenceLinkFilterSet: "evidence.EvidenceLink",
    EditionFilterSet: "vlr.Edition",
    EditionSectionFilterSet: "vlr.EditionSection",
    CommentFilterSet: "vlr.Comment",
}


def _params(world, params) -> QueryDict:
    """As the UI passes ``request.GET`` (multi-value filters need a QueryDict)."""
    return QueryDict(urlencode({k: (v(world) if callable(v) else v) for k, v in params.items()}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filterset,params,kept,dropped",
    ROWS,
    ids=[f"{r[0].__name__}-{'-'.join(r[1])}" for r in ROWS],
)
def test_filter_keeps_and_drops(filterset, params, kept, dropped, world):
    queryset = filterset.Meta.model.objects.all()
    result = filterset(_params(world, params), queryset=queryset)
    assert result.is_valid(), result.errors
    ids = set(result.qs.values_list("pk", flat=True))
    for name in kept:
        assert world[name].pk in ids, f"{name} should be kept by {params}"
    for name in dropped:
        assert world[name].pk not in ids, f"{name} should be dropped by {params}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filterset,params",
    [(r[0], r[1]) for r in ROWS]
    + [
        (ObservationFilterSet, {"year_min": "abc", "sex": "zz"}),
        (InitiativeFilterSet, {"status": "bogus", "q": "x"}),
        (LocalIndicatorFilterSet, {"is_public": "maybe", "ordering": "-nope"}),
    ],
    ids=lambda value: getattr(value, "__name__", None) or "-".join(value),
)
def test_the_api_form_of_given_parameters_filters_alike(filterset, params, world):
    """The API's filter backend builds the form of the given parameters only
    (``only_given_fields``): same rows in the same order, same errors as the whole form."""
    data = _params(world, params)
    whole = filterset(data, queryset=filterset.Meta.model.objects.all())
    given = filterset(data, queryset=filterset.Meta.model.objects.all())
    given.only_given_fields = True
    assert set(given.form.fields) < set(whole.form.fields)
    assert given.is_valid() == whole.is_valid()
    assert given.errors == whole.errors
    if whole.is_valid():
        assert list(given.qs.values_list("pk", flat=True)) == list(whole.qs.values_list("pk", flat=True))


REFERENCE_ROWS = [
    (GoalFilterSet, {"number": "11"}, Goal, "number", [11], [13]),
    (GoalFilterSet, {"q": "기후"}, Goal, "number", [13], [11]),
    (GoalFilterSet, {"q": "climate"}, Goal, "number", [13], [11]),
    (TargetFilterSet, {"goal": "11"}, Target, "code", ["11.6"], ["13.2"]),
    (TargetFilterSet, {"code": "16.b"}, Target, "code", ["16.b"], ["16.1"]),
    (TargetFilterSet, {"q": "air quality"}, Target, "code", ["11.6"], ["13.2"]),
    (IndicatorFilterSet, {"goal": "11"}, Indicator, "code", ["11.6.2"], ["13.2.1"]),
    (IndicatorFilterSet, {"target": "11.6"}, Indicator, "code", ["11.6.2"], ["11.7.1"]),
    (IndicatorFilterSet, {"code": "11.6.2"}, Indicator, "code", ["11.6.2"], ["11.6.1"]),
    (IndicatorFilterSet, {"tier": "tier"}, Indicator, "code", [], []),
    (IndicatorFilterSet, {"q": "미세먼지"}, Indicator, "code", ["11.6.2"], ["13.2.1"]),
    (MunicipalityFilterSet, {"level": "province"}, Municipality, "code", ["11000"], ["11260"]),
    (MunicipalityFilterSet, {"kind": "구"}, Municipality, "code", ["11260"], ["41210"]),
    (MunicipalityFilterSet, {"parent": "41000"}, Municipality, "code", ["41210", "41450"], ["11260"]),
    (MunicipalityFilterSet, {"country": "KR"}, Municipality, "code", ["11260"], []),
    (MunicipalityFilterSet, {"q": "jungnang"}, Municipality, "code", ["11260"], ["41210"]),
    (MunicipalityFilterSet, {"q": "광명"}, Municipality, "code", ["41210"], ["11260"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filterset,params,model,key,kept,dropped",
    REFERENCE_ROWS,
    ids=[f"{r[0].__name__}-{'-'.join(f'{k}={v}' for k, v in r[1].items())}" for r in REFERENCE_ROWS],
)
def test_reference_filter_keeps_and_drops(filterset, params, model, key, kept, dropped):
    result = filterset(params, queryset=model.objects.all())
    assert result.is_valid(), result.errors
    keys = set(result.qs.values_list(key, flat=True))
    assert keys, "the filter should keep something"
    assert set(kept) <= keys and not set(dropped) & keys


@pytest.mark.django_db
def test_municipality_parent_id_filter(muni_b):
    keys = set(
        MunicipalityFilterSet(
            {"parent_id": str(muni_b.parent_id)}, queryset=Municipality.objects.all()
        ).qs.values_list("code", flat=True)
    )
    assert "41210" in keys and "11260" not in keys


@pytest.mark.django_db
def test_ordering_is_by_the_named_field_then_id(world):
    qs = InitiativeFilterSet({"ordering": "-start_date"}, queryset=world["ini_a"].__class__.objects.all()).qs
    assert list(qs.values_list("pk", flat=True)) == [world["ini_b"].pk, world["ini_a"].pk]
    qs = ObservationFilterSet({"ordering": "-year"}, queryset=Observation.objects.all()).qs
    assert [o.year for o in qs] == [2022, 2020, 2019]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,query,expected",
    [
        ("initiatives", "goal=13", ["ini_a"]),
        ("local-indicators", "municipality=41210", ["li_b"]),
        ("observations", "year_min=2021", ["obs_a_2022_f"]),
        ("progress-updates", "year_max=2021", ["pu_a"]),
        ("documents", "kind=report", ["doc_b"]),
        ("evidence-links", "status=confirmed", ["link_b"]),
        ("editions", "status=submitted", ["ed_b"]),
        ("comments", "q=보완", ["com_a"]),
    ],
)
def test_the_api_lists_use_the_filtersets(path, query, expected, world, admin, api):
    response = api(admin).get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [world[name].pk for name in expected]
