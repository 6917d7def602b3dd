"""The one write path for single indicators and values (indicator_* and observation_* services),
which the web forms and the API serializers both call: permissions, retire, plausibility,
restore, history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.core.exceptions import ApplicationError, PermissionDeniedError
from apps.indicators.api.serializers import LocalIndicatorSerializer
from apps.indicators.choices import Alignment
from apps.indicators.forms import LocalIndicatorForm
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.selectors import INDICATOR_HISTORY_FIELDS, local_indicators_for
from apps.indicators.services import (
    PlausibilityWarning,
    indicator_create,
    indicator_retire,
    indicator_update,
    observation_create,
    observation_delete,
    observation_restore,
    observation_update,
    observation_warnings,
)
from apps.sdg.models import Indicator, Target

pytestmark = pytest.mark.django_db

API = "/api/v1"


def target(code: str) -> Target:
    return Target.objects.get(code=code)


@pytest.fixture
def share(muni_a, planner_a) -> LocalIndicator:
    """A share in % (higher is better), baseline 2015, values 6, 6.5, 7."""
    ind = indicator_create(
        municipality=muni_a,
        actor=planner_a,
        alignments=[{"target": target("11.2")}],
        fields={
            "code": "L-1",
            "name_ko": "점유율",
            "unit": "%",
            "baseline_year": 2015,
            "baseline_value": 6.0,
        },
    )
    for year, value in ((2015, 6.0), (2019, 6.5), (2023, 7.0)):
        observation_create(indicator=ind, fields={"year": year, "value": value}, actor=planner_a)
    return ind


def test_one_list_names_what_a_planner_writes_of_an_indicator():
    """The services, the web form, the API serializer and the history page all read
    ``LocalIndicator.EDITABLE_FIELDS``; every other column has a write of its own."""
    editable = LocalIndicator.EDITABLE_FIELDS
    own_writes = {"id", "municipality", "retired_at", "created_at", "updated_at"}
    assert {field.name for field in LocalIndicator._meta.concrete_fields} == {*editable, *own_writes}
    assert LocalIndicatorForm._meta.fields == list(editable)
    serializer = LocalIndicatorSerializer()
    assert [name for name, field in serializer.fields.items() if not field.read_only] == [
        "municipality",
        *editable,
        "alignments",
        "framework_nodes",  # a relation, written by the same service (``framework_nodes=``)
    ]
    assert (*editable, "retired_at") == INDICATOR_HISTORY_FIELDS


def test_create_writes_fields_alignments_and_history_as_the_actor(share, planner_a):
    assert (share.code, share.unit, share.baseline_value) == ("L-1", "%", 6.0)
    alignment = share.alignments.get()
    assert (alignment.target.code, alignment.alignment) == ("11.2", Alignment.PROXY)
    assert share.history.get().history_user == planner_a
    assert IndicatorAlignment.history.get(local_indicator_id=share.pk).history_user == planner_a


@pytest.mark.parametrize("who", ["planner_b", "coordinator", "viewer_a"])
def test_only_planners_of_the_municipality_write(request, who, muni_a, share):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError):
        indicator_create(municipality=muni_a, fields={"code": "X", "name_ko": "x"}, actor=actor)
    with pytest.raises(PermissionDeniedError):
        indicator_update(indicator=share, fields={"unit": "명"}, actor=actor)
    with pytest.raises(PermissionDeniedError):
        indicator_retire(indicator=share, actor=actor)
    with pytest.raises(PermissionDeniedError):
        observation_create(indicator=share, fields={"year": 2024, "value": 7.1}, actor=actor, confirmed=True)
    with pytest.raises(PermissionDeniedError):
        observation_delete(observation=share.observations.first(), actor=actor)
    share.refresh_from_db()
    assert share.unit == "%" and not share.is_retired and share.observations.count() == 3


def test_update_replaces_alignments_keeping_what_is_not_said(share, planner_a):
    global_indicator = Indicator.objects.filter(target__code="11.2").first()
    indicator_update(
        indicator=share,
        fields={},
        actor=planner_a,
        alignments=[{"target": target("11.2"), "indicator": global_indicator, "alignment": Alignment.EXACT}],
    )
    indicator_update(
        indicator=share,
        fields={},
        actor=planner_a,
        alignments=[{"target": target("11.2")}, {"target": target("3.6")}],
    )
    rows = {a.target.code: (a.alignment, a.indicator_id) for a in share.alignments.all()}
    assert rows == {"11.2": (Alignment.EXACT, global_indicator.pk), "3.6": (Alignment.PROXY, None)}
    with pytest.raises(ValidationError, match="the same target is listed twice"):
        indicator_update(
            indicator=share,
            fields={},
            actor=planner_a,
            alignments=[{"target": target("3.6")}, {"target": target("3.6")}],
        )


def test_an_unchanged_alignment_writes_no_history(share, planner_a):
    before = IndicatorAlignment.history.count()
    indicator_update(
        indicator=share, fields={"unit": "%"}, actor=planner_a, alignments=[{"target": target("11.2")}]
    )
    assert IndicatorAlignment.history.count() == before


def test_retire_is_soft_and_leaves_the_summaries(share, planner_a, muni_a):
    indicator_retire(indicator=share, actor=planner_a)
    share.refresh_from_db()
    assert share.is_retired and share.observations.count() == 3 and share.alignments.count() == 1
    assert list(local_indicators_for(municipality=muni_a)) == []
    assert list(local_indicators_for(municipality=muni_a, include_retired=True)) == [share]
    with pytest.raises(ApplicationError, match="a retired indicator takes no new values"):
        observation_create(
            indicator=share, fields={"year": 2024, "value": 7.1}, actor=planner_a, confirmed=True
        )
    with pytest.raises(ApplicationError, match="cannot be changed"):
        indicator_update(indicator=share, fields={"unit": "명"}, actor=planner_a)
    history_rows = share.history.count()
    indicator_retire(indicator=share, actor=planner_a)
    assert share.history.count() == history_rows, "retiring twice writes nothing"
    indicator_retire(indicator=share, actor=planner_a, reinstate=True)
    share.refresh_from_db()
    assert not share.is_retired


@pytest.mark.parametrize(
    ("fields", "unit", "expected"),
    [
        ({"year": 2024, "value": 1234.0}, "", ["far outside the other values of this series (6–7)"]),
        ({"year": 2024, "value": 0.07}, "", []),  # within five spreads of 6–7 (a share may fall)
        ({"year": 2024, "value": 7.1}, "", []),
        ({"year": 2012, "value": 6.1}, "", ["2012 is before the baseline year (2015)"]),
        ({"year": 2024, "value": 7.1}, "명", ["the unit typed, '명', is not the indicator's unit, '%'"]),
        ({"year": 2024, "value": 7.1}, "%", []),
        ({"year": 2024, "value": 7.1, "sex": "female"}, "", []),  # a new series has nothing to compare with
    ],
)
def test_plausibility_warnings(share, fields, unit, expected):
    warnings = observation_warnings(observation=Observation(local_indicator=share, **fields), unit=unit)
    assert len(warnings) == len(expected)
    for warning, text in zip(warnings, expected, strict=True):
        assert text in warning and " / " in warning  # Korean / English


def test_a_questioned_value_is_saved_only_when_confirmed(share, planner_a):
    with pytest.raises(PlausibilityWarning) as raised:
        observation_create(indicator=share, fields={"year": 2024, "value": 1234.0}, actor=planner_a)
    assert raised.value.code == "needs_confirmation"
    assert not share.observations.filter(year=2024).exists()
    observation_create(
        indicator=share, fields={"year": 2024, "value": 1234.0}, actor=planner_a, confirmed=True
    )
    assert share.observations.get(year=2024).value == 1234.0


def test_changing_a_value_compares_it_with_the_others_only(share, planner_a):
    obs = share.observations.get(year=2023)
    assert observation_update(observation=obs, fields={"value": 7.3}, actor=planner_a).value == 7.3


def test_a_deleted_value_comes_back_with_its_id(share, planner_a):
    obs = share.observations.get(year=2019)
    pk = obs.pk
    observation_delete(observation=obs, actor=planner_a)
    deleted = Observation.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == planner_a
    restored = observation_restore(indicator=share, history_id=deleted.history_id, actor=planner_a)
    assert (restored.pk, restored.year, restored.value) == (pk, 2019, 6.5)


def test_restore_refuses_a_version_that_would_collide(share, planner_a):
    obs = share.observations.get(year=2019)
    pk = obs.pk
    observation_delete(observation=obs, actor=planner_a)
    observation_create(indicator=share, fields={"year": 2019, "value": 6.4}, actor=planner_a)
    deleted = Observation.history.filter(id=pk, history_type="-").get()
    with pytest.raises(ValidationError, match="already exists"):
        observation_restore(indicator=share, history_id=deleted.history_id, actor=planner_a)


# ------------------------------------------------------------------------------ the API calls the same services


def test_the_api_writes_alignments_through_the_service_with_history(api, planner_a, muni_a):
    response = api(planner_a).post(
        f"{API}/local-indicators/",
        {
            "municipality": "11260",
            "code": "L-API",
            "name_ko": "API 지표",
            "alignments": [{"target": "11.6"}, {"target": "3.9", "alignment": "exact"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    ind = LocalIndicator.objects.get(code="L-API")
    assert IndicatorAlignment.history.filter(local_indicator_id=ind.pk, history_user=planner_a).count() == 2
    assert {a.target.code: a.alignment for a in ind.alignments.all()} == {"11.6": "proxy", "3.9": "exact"}


def test_the_api_refuses_values_of_a_retired_indicator(api, planner_a, share):
    indicator_retire(indicator=share, actor=planner_a)
    response = api(planner_a).post(
        f"{API}/observations/", {"local_indicator": share.pk, "year": 2024, "value": 7.1}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "indicator_retired"


def test_the_values_of_a_retired_indicator_are_neither_moved_nor_deleted(api, planner_a, muni_a, share):
    other = indicator_create(
        municipality=muni_a, actor=planner_a, fields={"code": "L-2", "name_ko": "다른 지표", "unit": "%"}
    )
    value = share.observations.get(year=2019)
    indicator_retire(indicator=share, actor=planner_a)
    share.refresh_from_db()
    value.refresh_from_db()
    with pytest.raises(ApplicationError, match="a retired indicator takes no new values") as refused:
        observation_update(observation=value, fields={}, indicator=other, actor=planner_a, confirmed=True)
    assert refused.value.code == "indicator_retired"
    with pytest.raises(ApplicationError, match="reinstate it first"):
        observation_delete(observation=value, actor=planner_a)
    client = api(planner_a)
    moved = client.patch(f"{API}/observations/{value.pk}/", {"local_indicator": other.pk}, format="json")
    deleted = client.delete(f"{API}/observations/{value.pk}/")
    for response in (moved, deleted):
        assert response.status_code == 400 and response.json()["code"] == "indicator_retired"
        assert "폐지된 지표" in response.json()["detail"]
    assert list(share.observations.values_list("year", "value")) == [(2015, 6.0), (2019, 6.5), (2023, 7.0)]
    assert not other.observations.exists()


def test_the_api_deletes_a_value_with_history(api, planner_a, share):
    pk = share.observations.get(year=2019).pk
    assert api(planner_a).delete(f"{API}/observations/{pk}/").status_code == 204
    assert Observation.history.get(id=pk, history_type="-").history_user == planner_a


def test_the_api_reports_a_target_listed_twice_from_the_service(api, planner_a, muni_a):
    response = api(planner_a).post(
        f"{API}/local-indicators/",
        {
            "municipality": "11260",
            "code": "L-TWICE",
            "name_ko": "두 번",
            "alignments": [{"target": "11.6"}, {"target": "11.6", "alignment": "exact"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "the same target is listed twice" in response.json()["errors"]["alignments"][0]
    assert not LocalIndicator.objects.filter(code="L-TWICE").exists()


def test_the_api_shows_when_an_indicator_was_retired_and_cannot_set_it(api, planner_a, share):
    url = f"{API}/local-indicators/{share.pk}/"
    assert api(planner_a).get(url).json()["retired_at"] is None
    api(planner_a).patch(url, {"retired_at": "2024-01-01T00:00:00Z"}, format="json")
    share.refresh_from_db()
    assert share.retired_at is None
    indicator_retire(indicator=share, actor=planner_a)
    assert api(planner_a).get(url).json()["retired_at"] is not None


def test_a_unit_written_another_way_is_the_same_unit(muni_a, planner_a):
    ind = indicator_create(
        municipality=muni_a, actor=planner_a, fields={"code": "L-P", "name_ko": "인구", "unit": "천명"}
    )
    assert (
        observation_warnings(observation=Observation(local_indicator=ind, year=2024, value=5.0), unit="천 명")
        == []
    )


def test_the_api_does_not_relabel_the_unit_of_stored_values_either(api, planner_a, share):
    response = api(planner_a).patch(f"{API}/local-indicators/{share.pk}/", {"unit": "‰"}, format="json")
    assert response.status_code == 400
    assert "3 stored value(s) are in '%'" in response.json()["errors"]["unit"][0]
    assert (
        api(planner_a)
        .patch(f"{API}/local-indicators/{share.pk}/", {"unit": " % "}, format="json")
        .status_code
        == 200
    )
