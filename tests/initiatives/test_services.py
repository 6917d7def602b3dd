import pytest
from django.core.exceptions import ValidationError

from apps.initiatives.models import Initiative
from apps.initiatives.services import initiative_targets_set
from apps.sdg.models import Target


@pytest.mark.django_db
def test_targets_are_replaced_with_one_primary(muni_a):
    initiative = Initiative.objects.create(municipality=muni_a, title_ko="태양광 보급")
    t72, t132, t116 = (Target.objects.get(code=c) for c in ("7.2", "13.2", "11.6"))
    initiative_targets_set(initiative=initiative, links=[(t72, True), (t132, False)])
    initiative_targets_set(initiative=initiative, links=[(t132, True), (t116, False)])
    assert list(initiative.target_links.values_list("target__code", "is_primary")) == [("13.2", True), ("11.6", False)]


@pytest.mark.django_db
@pytest.mark.parametrize("codes, message", [
    ([("7.2", True), ("7.2", False)], "listed twice"),
    ([("7.2", True), ("13.2", True)], "only one primary"),
])
def test_bad_target_lists_are_refused_and_change_nothing(muni_a, codes, message):
    initiative = Initiative.objects.create(municipality=muni_a, title_ko="태양광 보급")
    initiative_targets_set(initiative=initiative, links=[(Target.objects.get(code="11.6"), True)])
    with pytest.raises(ValidationError, match=message):
        initiative_targets_set(initiative=initiative, links=[(Target.objects.get(code=c), p) for c, p in codes])
    assert list(initiative.target_links.values_list("target__code", flat=True)) == ["11.6"]
