from io import StringIO

import pytest
from django.core.management import call_command

from apps.frameworks.models import Framework
from apps.municipalities.models import Municipality
from apps.sdg.models import Goal, Indicator, Target, code_sort_key


def run(name: str) -> str:
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_reference_data_has_the_whole_framework_and_every_local_government():
    assert Goal.objects.count() == 17
    assert Target.objects.count() == 169
    assert Indicator.objects.count() == 251
    assert Indicator.objects.values("unsd_code").distinct().count() == 235
    assert Municipality.objects.filter(level="province").count() == 17
    assert Municipality.objects.filter(level="municipality").count() == 226


@pytest.mark.django_db
def test_load_reference_is_idempotent_and_says_so():
    output = run("load_reference")
    assert "no change" in output
    assert "goals: 0 created, 0 updated, 17 unchanged" in output
    assert "local governments: 0 created, 0 updated, 226 unchanged" in output


@pytest.mark.django_db
def test_load_reference_from_empty_database_creates_then_reports_no_change():
    Framework.objects.all().delete()  # its UN-SDG nodes point at the targets
    Indicator.objects.all().delete()
    Target.objects.all().delete()
    Goal.objects.filter(number=17).update(colour="#000000")
    first = run("load_reference")
    assert "targets: 169 created" in first
    assert "goals: 0 created, 1 updated, 16 unchanged" in first
    assert Goal.objects.get(number=17).colour == "#19486A"
    assert "frameworks: 2 created" in first and "K-SDG framework nodes: 372 created" in first
    assert "no change" in run("load_reference")


@pytest.mark.django_db
def test_goals_carry_colours_and_both_languages():
    goal = Goal.objects.get(number=13)
    assert goal.colour.startswith("#") and len(goal.colour) == 7
    assert goal.short_ko and goal.short_en == "Climate action"
    assert "/" in str(goal) and goal.short_ko in str(goal) and "Climate action" in str(goal)


@pytest.mark.django_db
def test_municipalities_keep_their_province_and_tell_homonyms_apart():
    jungnang = Municipality.objects.get(code="11260")
    assert (jungnang.name_ko, jungnang.name_en, jungnang.parent.code) == ("중랑구", "Jungnang-gu", "11000")
    seo_gu = Municipality.objects.filter(name_ko="서구")
    assert seo_gu.count() == 5
    assert len({m.full_name_ko for m in seo_gu}) == 5


@pytest.mark.django_db
def test_repeated_global_indicators_share_a_unsd_code():
    codes = set(
        Indicator.objects.filter(unsd_code=Indicator.objects.get(code="1.5.1").unsd_code).values_list(
            "code", flat=True
        )
    )
    assert codes == {"1.5.1", "11.5.1", "13.1.1"}


def test_code_sort_key_orders_numbers_numerically_and_letters_last():
    codes = ["17.18", "1.a", "1.10", "1.2", "16.b", "16.10"]
    assert sorted(codes, key=code_sort_key) == ["1.2", "1.10", "1.a", "16.10", "16.b", "17.18"]
