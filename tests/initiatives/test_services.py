"""initiative_create / initiative_update: the one write path of the web form and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.core.exceptions import PermissionDeniedError
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative, PopulationGroup
from apps.initiatives.services import initiative_create, initiative_update
from apps.sdg.models import Target


def _t(code: str) -> Target:
    return Target.objects.get(code=code)


def _indicator(municipality, code: str, *, public=False) -> LocalIndicator:
    return LocalIndicator.objects.create(
        municipality=municipality, code=code, name_ko=code, name_en=code, unit="%", is_public=public
    )


@pytest.mark.django_db
def test_it_creates_an_initiative_with_its_targets_groups_and_indicators(muni_a, planner_a):
    own = _indicator(muni_a, "A-1")
    women = PopulationGroup.objects.get(code="women")
    item = initiative_create(
        municipality=muni_a,
        actor=planner_a,
        title_ko="태양광 보급",
        targets=[(_t("7.2"), True), (_t("13.2"), False)],
        groups_served=[women],
        local_indicators=[own],
    )
    assert list(item.target_links.values_list("target__code", "is_primary")) == [
        ("7.2", True),
        ("13.2", False),
    ]
    assert list(item.groups_served.all()) == [women] and list(item.local_indicators.all()) == [own]
    assert item.history.first().history_user == planner_a


@pytest.mark.django_db
@pytest.mark.parametrize(
    "codes, message",
    [
        ([], "choose at least one SDG target"),
        ([("7.2", True), ("7.2", False)], "listed twice"),
        ([("7.2", True), ("13.2", True)], "only one primary"),
        ([("7.2", False), ("13.2", False)], "mark one target as the primary"),
    ],
)
def test_bad_target_lists_are_refused_and_nothing_is_saved(muni_a, planner_a, codes, message):
    with pytest.raises(ValidationError, match=message) as refused:
        initiative_create(
            municipality=muni_a,
            actor=planner_a,
            title_ko="태양광 보급",
            targets=[(_t(c), p) for c, p in codes],
        )
    assert "targets" in refused.value.message_dict and "세부목표" in refused.value.message_dict["targets"][0]
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_another_citys_indicator_is_refused_even_a_public_one(muni_a, muni_b, planner_a):
    theirs = _indicator(muni_b, "B-1", public=True)
    with pytest.raises(ValidationError) as refused:
        initiative_create(
            municipality=muni_a,
            actor=planner_a,
            title_ko="x",
            targets=[(_t("11.6"), True)],
            local_indicators=[theirs],
        )
    assert refused.value.message_dict == {
        "local_indicators": [
            "다른 지자체의 지표는 연결할 수 없습니다: B-1 / indicators of another municipality cannot be linked: B-1"
        ]
    }
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_update_keeps_what_it_is_not_given_and_checks_the_final_state(muni_a, muni_b, planner_a, admin):
    own = _indicator(muni_a, "A-1")
    item = initiative_create(
        municipality=muni_a,
        actor=planner_a,
        title_ko="x",
        targets=[(_t("11.6"), True)],
        local_indicators=[own],
    )
    initiative_update(initiative=item, actor=planner_a, title_en="Solar")
    item.refresh_from_db()
    assert item.title_en == "Solar" and list(item.local_indicators.all()) == [own]
    assert list(item.target_links.values_list("target__code", flat=True)) == ["11.6"]
    # Moved to another city, its indicators would belong to someone else.
    with pytest.raises(ValidationError, match="another municipality"):
        initiative_update(initiative=item, actor=admin, municipality=muni_b)
    item.refresh_from_db()
    assert item.municipality == muni_a


@pytest.mark.django_db
def test_an_actor_outside_the_municipality_is_refused(muni_a, planner_b):
    with pytest.raises(PermissionDeniedError):
        initiative_create(municipality=muni_a, actor=planner_b, title_ko="x", targets=[(_t("11.6"), True)])
    assert not Initiative.objects.exists()
