"""Values as people type them (thousands separators, a unit after the number) by the imports'
one number rule, refused when they are not a number, and shown back exactly when edited."""

from __future__ import annotations

import pytest
from django import forms

from apps.indicators.forms import ObservationForm, ValueField
from apps.indicators.models import Observation


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("1,234", (1234.0, "")),
        ("17.2", (17.2, "")),
        ("12 %", (12.0, "%")),
        ("0.5㎍/㎥", (0.5, "㎍/㎥")),
        ("-3", (-3.0, "")),
        ("1e-05", (1e-05, "")),
        ("+4.5 명", (4.5, "명")),
    ],
)
def test_a_value_is_read_as_typed(typed, parsed):
    assert ValueField().clean(typed) == parsed


@pytest.mark.parametrize("typed", ["abc", "1e999", "12..5", "nan", "%"])
def test_what_is_not_a_number_is_refused_in_both_languages(typed):
    with pytest.raises(forms.ValidationError, match="숫자가 아닙니다 / not a number"):
        ValueField().clean(typed)


@pytest.mark.parametrize("typed", ["22,85", "1,23"])
def test_a_decimal_comma_is_refused_not_guessed_as_in_imports(typed):
    with pytest.raises(forms.ValidationError, match="a comma may only separate thousands"):
        ValueField().clean(typed)


def test_an_edited_value_is_shown_with_every_digit():
    form = ObservationForm(instance=Observation(pk=1, year=2020, value=1234567.891), prefix="edit")
    assert 'value="1234567.891"' in str(form["value"])
