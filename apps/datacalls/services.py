"""Writes of data calls: open, close (freezing the completeness record) and the reminders
(README "Data calls")."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.core.exceptions import ConflictError, PermissionDeniedError
from apps.core.permissions import OUT_OF_SCOPE, may_run_data_calls

from .models import DataCall, DataCallReminder
from .selectors import Item, call_rows

logger = logging.getLogger(__name__)

ALREADY_CLOSED = "이미 닫힌 데이터 요청입니다 / this data call is already closed"
REMIND_DAYS_BEFORE = 7  # the one reminder before an item is due comes in its last week


def _require(actor, municipality_id: int) -> None:
    if not may_run_data_calls(actor, municipality_id):
        raise PermissionDeniedError(OUT_OF_SCOPE)


@transaction.atomic
def data_call_open(*, municipality, year: int, due_date: date, message: str = "", actor) -> DataCall:
    """Open a data call of ``municipality`` for ``year`` (a coordinator in scope or a lead
    planner). One call is open per municipality at a time (the model's constraint)."""
    _require(actor, municipality.pk)
    call = DataCall(
        municipality=municipality,
        year=year,
        due_date=due_date,
        message=(message or "").strip(),
        opened_by=actor,
    )
    call.full_clean()
    call._history_user = actor
    call.save()
    return call


@transaction.atomic
def data_call_close(*, data_call: DataCall, actor) -> DataCall:
    """Close ``data_call`` and freeze who had reported (``frozen_rows``). Of two concurrent
    closes one wins (a conditional UPDATE); the other is told it is already closed."""
    _require(actor, data_call.municipality_id)
    rows = [row.as_json() for row in call_rows(data_call)] if data_call.frozen_rows is None else None
    now = timezone.now()
    changed = DataCall.objects.filter(pk=data_call.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=actor, frozen_rows=rows, updated_at=now
    )
    if not changed:
        raise ConflictError(ALREADY_CLOSED)
    data_call.refresh_from_db()
    return data_call


def reminder_step(due: date, today: date) -> str | None:
    """The reminder owed today for items due on ``due``: one in the week before (the due day
    included), then one the day after and every 7 days after that; None earlier. A run that
    missed days sends only the current step."""
    days = (due - today).days
    if days > REMIND_DAYS_BEFORE:
        return None
    if days >= 0:
        return f"{due.isoformat()}:before"
    return f"{due.isoformat()}:after-{(-days - 1) // 7}"


def owed_url(call: DataCall, email: str = "") -> str:
    url = reverse("datacalls:owed", kwargs={"code": call.municipality.code, "pk": call.pk})
    return f"{url}?owner={quote(email)}" if email else url


def _mail(call: DataCall, email: str, items: list[Item], due: date, today: date) -> None:
    city = call.municipality
    days = (due - today).days
    when_ko = f"{days}일 남음" if days > 0 else ("오늘까지" if days == 0 else f"{-days}일 지남")
    when_en = f"due in {days} days" if days > 0 else ("due today" if days == 0 else f"{-days} days overdue")
    lines = [
        f"- {item.code or '사업 / initiative'} {item.name_ko or item.name_en}"
        f"{' / ' + item.name_en if item.name_ko and item.name_en else ''} ({item.due.isoformat()})"
        for item in items
    ]
    body = "\n".join(
        [
            f"{city.name_ko} {call.year}년 데이터 요청: {len(items)}건 미제출, 기한 {due} ({when_ko})",
            f"Data call of {city.name_en or city.name_ko} for {call.year}: {len(items)} item(s) "
            f"not reported, due {due} ({when_en})",
            "",
            *([call.message, ""] if call.message else []),
            *lines,
            "",
            f"{settings.SITE_URL}{owed_url(call, email)}",
        ]
    )
    send_mail(
        subject=f"[vlrtracker] {city.name_ko} {call.year} 데이터 요청 / data call: {when_ko} / {when_en}"[
            :200
        ],
        message=body,
        from_email=None,
        recipient_list=[email],
    )


def data_call_reminders_send(*, today: date) -> list[DataCallReminder]:
    """E-mail each owner (``owner_email`` of an indicator or initiative) of every open call the
    items they have not reported, with the link to their page: once in the week before their
    earliest due date and then weekly from the day after (``reminder_step``). Idempotent: a
    ``DataCallReminder`` names call, address, due date and step, so a second run the same day
    or a run after a missed day sends nothing already sent. A mail that fails is logged and
    its reminder left unsent, for the next run. ``today`` is the injectable clock of
    ``send_data_call_reminders``."""
    sent: list[DataCallReminder] = []
    for call in DataCall.objects.open().select_related("municipality").order_by("pk"):
        owed: dict[str, list[Item]] = defaultdict(list)
        for item in call_rows(call):
            if not item.reported and item.owner_email:
                owed[item.owner_email.lower()].append(item)
        for email, items in sorted(owed.items()):
            due = min(item.due for item in items)
            step = reminder_step(due, today)
            if step is None:
                continue
            try:
                with transaction.atomic():  # claim the step first, so two runs cannot both send it
                    reminder = DataCallReminder.objects.create(data_call=call, email=email, step=step)
            except IntegrityError:
                continue
            try:
                _mail(call, email, items, due, today)
            except Exception:  # a mail server down must not stop the other reminders
                logger.exception("could not e-mail data call reminder %s", reminder.pk)
                reminder.delete()
                continue
            sent.append(reminder)
    return sent
