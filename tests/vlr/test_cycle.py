"""The statutory calendar: the rules as pure functions of dates, a city's calendar with its own
dates and submissions, and the daily reminders sent once through a real SMTP server."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.notifications.models import Notification
from apps.vlr.choices import ReportKind
from apps.vlr.cycle import deadline, due_years, is_due_year, reminder_step, standing
from apps.vlr.models import CycleDate, CycleSettings, Submission
from apps.vlr.selectors import calendar_items, network_calendar
from apps.vlr.services import cycle_settings_set, submission_create
from tests.core.test_login_security import _wait_for, smtp_server  # noqa: F401  (a fixture)
from tests.factories import make_edition

K = ReportKind


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Submitted files are kept under MEDIA_ROOT: here, never inside the clone."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _years(kind, **settings):
    return [(d.year, d.review) for d in due_years(**settings) if d.kind == kind]


def test_a_strategy_started_in_y_is_reviewed_every_5_years_and_renewed_after_20():
    assert _years(K.STRATEGY, strategy_start=2022, until=2047) == [
        (2022, False),
        (2027, True),
        (2032, True),
        (2037, True),
        (2042, False),
        (2047, True),
    ]


def test_the_plan_is_due_every_5_years_from_the_strategy_or_the_citys_first_year():
    assert _years(K.PLAN, strategy_start=2022, until=2033) == [(2022, False), (2027, False), (2032, False)]
    assert _years(K.PLAN, strategy_start=2022, plan_first=2023, until=2033) == [
        (2023, False),
        (2028, False),
        (2033, False),
    ]


def test_check_assessment_and_local_report_are_due_every_2_years():
    for kind in (K.CHECK, K.ASSESSMENT, K.LOCAL_REPORT):
        assert [y for y, _ in _years(kind, strategy_start=2022, until=2030)] == [2024, 2026, 2028, 2030]
        assert [y for y, _ in _years(kind, strategy_start=2022, biennial_first=2023, until=2027)] == [
            2023,
            2025,
            2027,
        ]
    assert is_due_year(K.LOCAL_REPORT, 2026, strategy_start=2022)
    assert not is_due_year(K.LOCAL_REPORT, 2025, strategy_start=2022)
    assert not is_due_year(K.VLR, 2026, strategy_start=2022)  # voluntary: no rule


def test_deadlines_standing_and_reminder_steps_are_pure_date_arithmetic():
    assert deadline(2026) == date(2026, 12, 31)
    assert deadline(2027, 2, 29) == date(2027, 2, 28)  # the city's 29 February in a common year
    due = date(2026, 12, 31)
    assert standing(due, date(2026, 10, 2), submitted=False) == "soon"  # 90 days
    assert standing(due, date(2026, 10, 1), submitted=False) == "later"  # 91 days
    assert standing(due, date(2027, 1, 1), submitted=False) == "overdue"
    assert standing(due, date(2027, 1, 1), submitted=True) == "submitted"
    assert reminder_step(due, date(2026, 10, 1)) is None
    assert reminder_step(due, date(2026, 10, 2)) == 90
    assert reminder_step(due, date(2026, 12, 1)) == 30
    assert reminder_step(due, date(2026, 12, 24)) == 7
    assert reminder_step(due, date(2026, 12, 31)) == 0
    assert reminder_step(due, date(2027, 3, 1)) == 0


@pytest.fixture
def city(muni_a, planner_a):
    """중랑구, strategy from 2022: the 2-yearly reports are due at the end of 2024 and 2026; the
    2024 check and report were submitted, the 2024 assessment was not; the city set its VLR 2026
    for 1 November."""
    cycle_settings_set(municipality=muni_a, actor=planner_a, strategy_start=2022)
    for kind in (K.CHECK, K.LOCAL_REPORT):
        edition = make_edition(muni_a, 2024, kind=kind, state="approved")
        submission_create(
            edition=edition,
            actor=planner_a,
            recipient="국가지속가능발전위원회",
            sent_on=date(2024, 12, 20),
            reference="지속-2024-17",
            file_name=f"{kind}.pdf",
            content=b"%PDF-1.4 " + kind.encode(),
        )
    CycleDate.objects.create(municipality=muni_a, kind=K.VLR, year=2026, due=date(2026, 11, 1))
    return muni_a


@pytest.mark.django_db
def test_the_calendar_of_a_city_shows_due_overdue_and_submitted(city, django_assert_num_queries):
    # Queries: settings, city dates, submissions.
    with django_assert_num_queries(3):
        items = calendar_items(municipality_ids=[city.pk], today=date(2026, 10, 2))
    got = [(i.kind, i.year, i.due, i.standing, i.source) for i in items if i.year <= 2026]
    assert got == [
        (K.CHECK, 2024, date(2024, 12, 31), "submitted", "rule"),
        (K.ASSESSMENT, 2024, date(2024, 12, 31), "overdue", "rule"),
        (K.LOCAL_REPORT, 2024, date(2024, 12, 31), "submitted", "rule"),
        (K.VLR, 2026, date(2026, 11, 1), "soon", "city"),
        (K.CHECK, 2026, date(2026, 12, 31), "soon", "rule"),
        (K.ASSESSMENT, 2026, date(2026, 12, 31), "soon", "rule"),
        (K.LOCAL_REPORT, 2026, date(2026, 12, 31), "soon", "rule"),
    ]
    later = [(i.kind, i.year, i.title_ko) for i in items if i.year == 2027]
    assert (K.STRATEGY, 2027, "지속가능발전 지방기본전략 타당성 검토") in later
    assert (K.PLAN, 2027, "지방추진계획") in later


@pytest.mark.django_db
def test_the_coordinators_network_calendar_groups_overdue_soon_and_submitted(city, coordinator, planner_b):
    groups = network_calendar(coordinator, date(2026, 10, 2))
    assert [(i.kind, i.year) for i in groups["overdue"]] == [(K.ASSESSMENT, 2024)]
    assert len(groups["soon"]) == 4 and len(groups["submitted"]) == 2
    assert network_calendar(planner_b, date(2026, 10, 2)) == {}  # reviews nothing


@pytest.mark.django_db
def test_a_submission_keeps_the_exact_file_sent(city):
    submission = Submission.objects.get(edition__kind=K.CHECK)
    with submission.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 check"
    assert submission.reference == "지속-2024-17" and len(submission.file_sha256) == 64


@pytest.mark.django_db
def test_reminders_are_sent_once_through_smtp_with_a_fixed_clock(
    city,
    planner_a,
    smtp_server,  # noqa: F811  (the fixture imported above)
    django_capture_on_commit_callbacks,
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_reminders", "--today", "2026-10-02", stdout=out)
    assert "5 reminder(s) sent for 2026-10-02" in out.getvalue()
    mails = _wait_for(smtp_server, 5)
    assert len(mails) == 5 and {tuple(to) for to, _ in mails} == {("planner_a@example.org",)}
    keys = sorted(Notification.objects.filter(verb="due").values_list("event_key", flat=True))
    assert keys == sorted(
        [
            f"due:{city.pk}:assessment:2024:2024-12-31:0",
            f"due:{city.pk}:vlr:2026:2026-11-01:30",
            f"due:{city.pk}:check:2026:2026-12-31:90",
            f"due:{city.pk}:assessment:2026:2026-12-31:90",
            f"due:{city.pk}:local_report:2026:2026-12-31:90",
        ]
    )
    # The same day again, and the next day: nothing new.
    for day in ("2026-10-02", "2026-10-03"):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_due_reminders", "--today", day, stdout=StringIO())
    assert Notification.objects.filter(verb="due").count() == 5 and len(smtp_server.messages) == 5
    # 30 days before the end of the year: the next step of the three 2026 reports, and the VLR
    # of 1 November is now overdue.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_reminders", "--today", "2026-12-01", stdout=StringIO())
    assert Notification.objects.filter(verb="due").count() == 9 and len(_wait_for(smtp_server, 9)) == 9


@pytest.mark.django_db
def test_the_reminder_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_due_reminders", "--today", "2026-13-01", stdout=StringIO())


@pytest.mark.django_db
def test_calendar_settings_are_the_citys_own(muni_a, planner_b):
    from apps.core.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        cycle_settings_set(municipality=muni_a, actor=planner_b, strategy_start=2022)
    assert not CycleSettings.objects.exists()


@pytest.mark.django_db
def test_dashboard_and_network_page_show_what_is_overdue_and_submitted(city, planner_a, coordinator):
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    today = timezone.localdate()
    CycleDate.objects.create(
        municipality=city,
        kind=K.PLAN,
        year=today.year,
        due=today - timedelta(days=10),
        title_ko="추진계획 조례 기한",
    )
    for user, url in ((planner_a, "/m/11260/"), (coordinator, "/network/")):
        client = Client()
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert 'data-standing="overdue" data-kind="plan"' in html and "추진계획 조례 기한" in html
        assert 'data-standing="submitted" data-kind="check"' in html


@pytest.mark.django_db
def test_a_submission_is_recorded_from_the_edition_page_and_its_file_downloads_only_for_insiders(
    muni_a, planner_a, planner_b
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    edition = make_edition(muni_a, 2026, kind=K.LOCAL_REPORT, state="approved")
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner_a)
    page = client.get(f"/vlr/{edition.pk}/")
    sent = client.post(
        f"/vlr/{edition.pk}/submissions/",
        {
            "recipient": "중랑구의회",
            "sent_on": "2026-12-20",
            "reference": "지속가능-123",
            "file": SimpleUploadedFile("지방보고서.pdf", b"%PDF-1.7 report"),
            "csrfmiddlewaretoken": page.context["csrf_token"],
        },
    )
    assert sent.status_code == 302
    submission = Submission.objects.get()
    assert (submission.recipient, submission.sent_on, submission.reference) == (
        "중랑구의회",
        date(2026, 12, 20),
        "지속가능-123",
    )
    download = client.get(f"/vlr/{edition.pk}/submissions/{submission.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.7 report"
    outsider = Client()
    outsider.force_login(planner_b)
    assert outsider.get(f"/vlr/{edition.pk}/submissions/{submission.pk}/file/").status_code == 404
    draft = make_edition(muni_a, 2027, kind=K.CHECK)
    with pytest.raises(Exception, match="approved"):
        submission_create(
            edition=draft,
            actor=planner_a,
            recipient="x",
            sent_on=date(2027, 1, 1),
            file_name="a.pdf",
            content=b"x",
        )
