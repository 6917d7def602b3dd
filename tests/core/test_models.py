"""Database constraints and clean() give clear bilingual errors."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.initiatives.models import Initiative, InitiativeTarget
from apps.municipalities.models import Membership, Municipality
from apps.sdg.models import Indicator, Target
from apps.vlr.models import Edition


def messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@pytest.mark.django_db
def test_local_indicator_code_is_unique_per_municipality_with_a_clear_message(muni_a, muni_b):
    LocalIndicator.objects.create(municipality=muni_a, code="L1", name_ko="지표")
    duplicate = LocalIndicator(municipality=muni_a, code="L1", name_ko="다른 지표")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already used" in messages(error.value) and "같은 코드" in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    LocalIndicator.objects.create(municipality=muni_b, code="L1", name_ko="광명 지표")  # other city: fine


@pytest.mark.django_db
def test_one_observation_per_indicator_period_and_disaggregation(muni_a):
    indicator = LocalIndicator.objects.create(municipality=muni_a, code="L1", name_ko="지표")
    Observation.objects.create(local_indicator=indicator, year=2020, value=1)
    Observation.objects.create(local_indicator=indicator, year=2020, sex="female", value=2)
    Observation.objects.create(local_indicator=indicator, year=2020, quarter=1, value=3)
    with pytest.raises(ValidationError) as error:
        Observation(local_indicator=indicator, year=2020, value=9).full_clean()
    assert "already exists" in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(local_indicator=indicator, year=2020, sex="female", value=9)


@pytest.mark.django_db
def test_indicator_needs_a_name_and_consistent_baseline_and_target(muni_a):
    with pytest.raises(ValidationError) as error:
        LocalIndicator(
            municipality=muni_a, code="L2", baseline_year=2015, target_year=2010, target_value=1
        ).full_clean()
    text = messages(error.value)
    assert "name is required" in text
    assert "baseline year and value together" in text
    assert "target year must be after baseline year" in text


@pytest.mark.django_db
def test_alignment_global_indicator_must_sit_under_the_target(muni_a):
    indicator = LocalIndicator.objects.create(municipality=muni_a, code="L1", name_ko="지표")
    alignment = IndicatorAlignment(
        local_indicator=indicator,
        target=Target.objects.get(code="11.6"),
        indicator=Indicator.objects.get(code="13.2.2"),
    )
    with pytest.raises(ValidationError, match="not under this target"):
        alignment.full_clean()


@pytest.mark.django_db
def test_initiative_rules(muni_a):
    with pytest.raises(ValidationError) as error:
        Initiative(
            municipality=muni_a, budget_krw=-1, start_date="2024-05-01", end_date="2024-01-01"
        ).full_clean()
    text = messages(error.value)
    assert "title is required" in text and "budget cannot be negative" in text and "end date" in text
    initiative = Initiative.objects.create(municipality=muni_a, title_ko="사업")
    InitiativeTarget.objects.create(
        initiative=initiative, target=Target.objects.get(code="13.2"), is_primary=True
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeTarget.objects.create(
            initiative=initiative, target=Target.objects.get(code="7.2"), is_primary=True
        )


@pytest.mark.django_db
def test_evidence_link_points_at_exactly_one_thing_and_quotes_inside_the_body(muni_a):
    document = Document.objects.create(
        municipality=muni_a, title="t", body="짧은 본문", content_hash="x" * 64
    )
    initiative = Initiative.objects.create(municipality=muni_a, title_ko="사업")
    both = EvidenceLink(document=document, target=Target.objects.get(code="13.2"), initiative=initiative)
    with pytest.raises(ValidationError, match="exactly one"):
        both.full_clean()
    outside = EvidenceLink(document=document, initiative=initiative, excerpt_start=2, excerpt_end=500)
    with pytest.raises(ValidationError, match="outside the document body"):
        outside.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceLink.objects.create(document=document, initiative=initiative, excerpt_start=4, excerpt_end=2)


@pytest.mark.django_db
def test_document_content_hash_is_unique(muni_a):
    Document.objects.create(municipality=muni_a, body="본문", content_hash="h" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(municipality=muni_a, body="본문", content_hash="h" * 64)


@pytest.mark.django_db
def test_one_edition_per_municipality_kind_and_period(muni_a):
    Edition.objects.create(municipality=muni_a, year=2025, period_start=2025, period_end=2025)
    with pytest.raises(ValidationError, match="already has an edition of that kind for that period"):
        Edition(municipality=muni_a, year=2025, period_start=2025, period_end=2025).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(municipality=muni_a, year=2025, period_start=2025, period_end=2025)
    # Another kind for the same city and period is another edition.
    Edition.objects.create(
        municipality=muni_a, kind="local_report", year=2025, period_start=2025, period_end=2025
    )


@pytest.mark.django_db
def test_membership_is_unique_and_municipality_codes_are_unique(planner_a, muni_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=planner_a, municipality=muni_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(code="11260", name_ko="중복")


@pytest.mark.django_db
def test_foreign_local_governments_are_accepted(db):
    bonn = Municipality(code="DE-BONN", name_en="Bonn", country="DE", level="other")
    bonn.full_clean()
    bonn.save()
    assert str(bonn) == "Bonn (DE-BONN)"


@pytest.mark.django_db
def test_history_records_who_changed_what(muni_a, planner_a):
    initiative = Initiative(municipality=muni_a, title_ko="초안")
    initiative._history_user = planner_a
    initiative.save()
    initiative.title_ko = "수정안"
    initiative._history_user = planner_a
    initiative.save()
    latest, first = initiative.history.all()[:2]
    assert latest.history_user == planner_a and latest.history_type == "~"
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("title_ko", "초안", "수정안")]
