"""Data calls: who opens and closes them, what they cover, what counts as reported, the frozen
record, and the reminders e-mailed through a real SMTP server with a fixed clock."""

from __future__ import annotations

import email
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from apps.core.exceptions import ConflictError, PermissionDeniedError
from apps.datacalls.models import DataCall, DataCallReminder
from apps.datacalls.selectors import by_department, call_rows, open_call_summaries
from apps.datacalls.services import data_call_close, data_call_open, reminder_step
from apps.indicators.models import Observation
from apps.municipalities.models import Membership
from tests.core.test_login_security import _wait_for, smtp_server  # noqa: F401  (a fixture)
from tests.factories import make_data_call, make_indicator

from .conftest import KIM, LEE

pytestmark = pytest.mark.django_db


def _open(muni, actor, year=2025):
    return data_call_open(
        municipality=muni, year=year, due_date=date(2026, 3, 31), message="부탁", actor=actor
    )


def test_a_coordinator_in_scope_or_a_lead_planner_opens_a_call(
    muni_a, planner_a, viewer_a, planner_b, coordinator, lead_a, admin
):
    for refused in (planner_a, viewer_a, planner_b):
        with pytest.raises(PermissionDeniedError):
            _open(muni_a, refused)
    assert not DataCall.objects.exists()
    call = _open(muni_a, lead_a)
    assert (call.year, call.opened_by, call.is_open) == (2025, lead_a, True)
    data_call_close(data_call=call, actor=coordinator)
    assert _open(muni_a, admin, year=2026).is_open


def test_a_lead_planner_leads_only_their_own_city(muni_b, lead_a):
    with pytest.raises(PermissionDeniedError):
        _open(muni_b, lead_a)


def test_only_a_planner_can_be_a_lead(muni_a, viewer_a):
    membership = Membership.objects.get(user=viewer_a)
    membership.is_lead = True
    with pytest.raises(ValidationError, match="lead planner must be a planner"):
        membership.full_clean()


def test_one_call_is_open_per_municipality(muni_a, coordinator):
    _open(muni_a, coordinator)
    with pytest.raises(ValidationError, match="already open"):
        _open(muni_a, coordinator, year=2024)


def test_a_value_or_update_of_the_call_year_counts_as_reported(muni_a, owners):
    call = make_data_call(muni_a, 2025)
    rows = call_rows(call)
    by_code = {(r.kind, r.code or r.name_ko): r for r in rows}
    # Retired indicators and initiatives not ongoing are not asked for.
    assert sorted(by_code) == [
        ("indicator", "L-1"),
        ("indicator", "L-2"),
        ("indicator", "L-3"),
        ("initiative", "돌봄 사업"),
        ("initiative", "숲 가꾸기"),
    ]
    assert [key for key, r in sorted(by_code.items()) if r.reported] == [
        ("indicator", "L-1"),
        ("initiative", "돌봄 사업"),
    ]
    # Each item is due on its own reporting date when it has one, else on the call's.
    assert by_code[("indicator", "L-3")].due == date(2026, 3, 15)
    assert by_code[("indicator", "L-2")].due == date(2026, 3, 31)
    counts = [(d.department, d.total, d.reported, d.missing) for d in by_department(rows)]
    assert counts == [("", 1, 0, 1), ("복지과", 2, 1, 1), ("환경과", 2, 1, 1)]
    # Only the call's year counts: asked for 2024, L-2 and the forest have reported, L-3 has not.
    call.delete()
    earlier = make_data_call(muni_a, 2024, due_date=date(2025, 3, 1))
    assert sorted(r.code or r.name_ko for r in call_rows(earlier) if r.reported) == [
        "L-1",
        "L-2",
        "숲 가꾸기",
    ]


def test_closing_freezes_the_record(muni_a, owners, coordinator):
    call = make_data_call(muni_a, 2025)
    before = call_rows(call)
    data_call_close(data_call=call, actor=coordinator)
    Observation.objects.create(local_indicator=owners["missing"], year=2025, value=3.0)
    make_indicator(muni_a, "L-9", {2025: 1.0})
    call.refresh_from_db()
    assert call_rows(call) == before and call.closed_by == coordinator
    with pytest.raises(ConflictError, match="already closed"):
        data_call_close(data_call=call, actor=coordinator)


def test_open_call_summaries_count_every_city_in_three_queries(
    muni_a, muni_b, owners, coordinator, planner_b, django_assert_num_queries
):
    make_indicator(muni_b, "G-1", {2026: 1.0})
    make_indicator(muni_b, "G-2", {2025: 1.0})
    make_data_call(muni_a, 2025)
    make_data_call(muni_b, 2026)
    coordinator.__dict__.pop("_vlr_scopes", None)
    # 1 the user's scopes, 2 the open calls, 3 indicators grouped per city, 4 initiatives grouped
    with django_assert_num_queries(4):
        summaries = open_call_summaries(coordinator)
    assert [(s.call.municipality.code, s.total, s.reported) for s in summaries] == [
        ("11260", 5, 2),
        ("41210", 2, 1),
    ]
    # A planner of another city sees only their own city's call.
    assert [s.call.municipality.code for s in open_call_summaries(planner_b)] == ["41210"]


def test_reminder_steps_are_one_the_week_before_then_weekly_after():
    due = date(2026, 3, 31)
    assert reminder_step(due, date(2026, 3, 23)) is None
    assert reminder_step(due, date(2026, 3, 24)) == "2026-03-31:before"
    assert reminder_step(due, date(2026, 3, 31)) == "2026-03-31:before"
    assert reminder_step(due, date(2026, 4, 1)) == "2026-03-31:after-0"
    assert reminder_step(due, date(2026, 4, 7)) == "2026-03-31:after-0"
    assert reminder_step(due, date(2026, 4, 8)) == "2026-03-31:after-1"


def _remind(day: str) -> str:
    out = StringIO()
    call_command("send_data_call_reminders", "--today", day, stdout=out)
    return out.getvalue()


def _body(raw: bytes) -> str:
    return email.message_from_bytes(raw).get_payload(decode=True).decode()


def test_owners_are_reminded_once_per_step_through_smtp_with_a_fixed_clock(
    muni_a,
    owners,
    settings,
    smtp_server,  # noqa: F811  (the fixture imported above)
):
    settings.SITE_URL = "https://vlr.example.org"
    call = make_data_call(muni_a, 2025, message="3월 말까지 입력해 주세요")
    assert "0 reminder(s)" in _remind("2026-03-01")  # more than a week before every due date
    # Lee's L-3 is due on 15 March: the week before, Lee is told what is missing (L-3 only:
    # the care programme has its 2025 update).
    assert "1 reminder(s)" in _remind("2026-03-10")
    ((to, raw),) = _wait_for(smtp_server, 1)
    body = _body(raw)
    assert to == [LEE] and "L-3" in body and "돌봄" not in body and "3월 말까지" in body
    assert f"https://vlr.example.org/m/11260/data-calls/{call.pk}/owed/?owner=lee%40example.org" in body
    assert "0 reminder(s)" in _remind("2026-03-10")  # the same day again: nothing new
    # The week before the call's due date: Kim's first (L-2); Lee now overdue (second week).
    assert "2 reminder(s)" in _remind("2026-03-25")
    assert "0 reminder(s)" in _remind("2026-03-26")
    assert len(_wait_for(smtp_server, 3)) == 3
    # Kim enters the 2025 value: nothing owed any more, no overdue reminder for Kim.
    Observation.objects.create(local_indicator=owners["missing"], year=2025, value=2.5)
    assert "1 reminder(s)" in _remind("2026-04-01")
    assert [to for to, _ in _wait_for(smtp_server, 4)][-1] == [LEE]
    assert sorted(DataCallReminder.objects.values_list("email", "step")) == [
        (KIM, "2026-03-31:before"),
        (LEE, "2026-03-15:after-1"),
        (LEE, "2026-03-15:after-2"),
        (LEE, "2026-03-15:before"),
    ]
    # A closed call reminds nobody.
    call.closed_at = call.created_at
    call.save()
    assert "0 reminder(s)" in _remind("2026-04-30")


def test_a_reminder_that_could_not_be_mailed_is_sent_on_the_next_run(muni_a, owners, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    make_data_call(muni_a, 2025)
    assert "0 reminder(s)" in _remind("2026-03-10")
    assert not DataCallReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "1 reminder(s)" in _remind("2026-03-10")


def test_the_reminder_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_data_call_reminders", "--today", "2026-13-01", stdout=StringIO())
