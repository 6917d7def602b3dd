"""Telling people what happened to a VLR edition, in the app and by e-mail.

``notify`` is the one writer; ``edition_transition_notify`` and ``comment_notify`` decide who is
concerned. Both are idempotent per event (``Notification.event_key``), so a caller may retry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from apps.municipalities.choices import Role
from apps.municipalities.models import Municipality
from apps.vlr.cycle import reminder_step
from apps.vlr.models import CycleDate, CycleSettings
from apps.vlr.selectors import calendar_items

from .models import Notification, Verb

logger = logging.getLogger(__name__)

_WHAT = {
    Verb.SUBMIT: ("검토를 위해 제출했습니다", "submitted for review"),
    Verb.REQUEST_CHANGES: ("수정을 요청했습니다", "requested changes to"),
    Verb.APPROVE: ("승인했습니다", "approved"),
    Verb.PUBLISH: ("공개했습니다", "published"),
    Verb.REOPEN: ("다시 작성 상태로 돌렸습니다", "reopened as a draft"),
    Verb.COMMENT: ("에 댓글을 남겼습니다", "commented on"),
}


def planners_of(municipality_id: int):
    return get_user_model().objects.filter(
        is_active=True, memberships__municipality_id=municipality_id, memberships__role=Role.PLANNER
    )


def coordinators_of(municipality_id: int):
    return get_user_model().objects.filter(
        Q(coordinator_scope__all_municipalities=True) | Q(coordinator_scope__municipalities=municipality_id),
        is_active=True,
    )


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    event_key: str,
    verb: str,
    actor,
    message_ko: str,
    message_en: str,
    url: str = "",
    edition=None,
) -> list[Notification]:
    """Create one notification per recipient (never the actor, never twice for one event) and
    e-mail those with an address. Returns the notifications created."""
    people = {u.pk: u for u in recipients if u is not None and (actor is None or u.pk != actor.pk)}
    already = set(
        Notification.objects.filter(event_key=event_key, recipient_id__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            actor=actor,
            verb=verb,
            event_key=event_key,
            edition=edition,
            message_ko=message_ko,
            message_en=message_en,
            url=url,
        )
        for pk, user in people.items()
        if pk not in already
    )
    mailed = [n for n in created if n.recipient.email]
    if mailed:
        transaction.on_commit(lambda: _send(mailed))
    return created


def _send(notifications: list[Notification]) -> None:
    for item in notifications:
        try:
            send_mail(
                subject=f"[vlrtracker] {item.message_ko} / {item.message_en}"[:200],
                # An absolute link: a mail reader has no page to resolve "/vlr/1/" against.
                message=f"{item.message_ko}\n{item.message_en}\n\n{settings.SITE_URL}{item.url}",
                from_email=None,
                recipient_list=[item.recipient.email],
            )
        except Exception:  # a mail server down must not undo a review step
            logger.exception("could not e-mail notification %s", item.pk)
            continue
        Notification.objects.filter(pk=item.pk).update(emailed=True)


def _messages(verb: str, actor, edition) -> tuple[str, str]:
    ko_what, en_what = _WHAT[Verb(verb)]
    who = getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "?")
    title_ko = f"{edition.municipality.name_ko} {edition.kind_short} {edition.year}"
    title_en = (
        f"{edition.municipality.name_en or edition.municipality.name_ko} {edition.kind_short} {edition.year}"
    )
    if verb == Verb.COMMENT:
        return f"{who}님이 {title_ko}{ko_what}", f"{who} {en_what} {title_en}"
    return f"{who}님이 {title_ko}을(를) {ko_what}", f"{who} {en_what} {title_en}"


def edition_transition_notify(*, transition) -> list[Notification]:
    """After ``apps.vlr.services.edition_transition``: a submission goes to the coordinators in
    scope; a decision (request changes, approve, publish, reopen) to the city's planners."""
    edition = transition.edition
    verb = transition.action
    if verb == Verb.SUBMIT:
        recipients = coordinators_of(edition.municipality_id)
    else:
        recipients = planners_of(edition.municipality_id)
    ko, en = _messages(verb, transition.actor, edition)
    if transition.comment:
        ko, en = f"{ko}: {transition.comment[:200]}", f"{en}: {transition.comment[:200]}"
    return notify(
        recipients=list(recipients.distinct()),
        event_key=f"transition:{transition.pk}",
        verb=verb,
        actor=transition.actor,
        message_ko=ko,
        message_en=en,
        url=reverse("vlr:edition", kwargs={"pk": edition.pk}),
        edition=edition,
    )


def comment_notify(*, comment) -> list[Notification]:
    """After ``apps.vlr.services.comment_create``: the city's planners, the coordinators in
    scope and everybody earlier in the thread, except the author."""
    edition = comment.edition
    recipients = list(planners_of(edition.municipality_id).distinct()) + list(
        coordinators_of(edition.municipality_id).distinct()
    )
    if comment.parent_id:
        thread_authors = (
            get_user_model()
            .objects.filter(Q(vlr_comments=comment.parent_id) | Q(vlr_comments__parent=comment.parent_id))
            .distinct()
        )
        recipients += list(thread_authors)
    ko, en = _messages(Verb.COMMENT, comment.author, edition)
    excerpt = comment.body[:200]
    return notify(
        recipients=recipients,
        event_key=f"comment:{comment.pk}",
        verb=Verb.COMMENT,
        actor=comment.author,
        message_ko=f"{ko}: {excerpt}",
        message_en=f"{en}: {excerpt}",
        url=reverse("vlr:edition", kwargs={"pk": edition.pk}) + f"#comment-{comment.pk}",
        edition=edition,
    )


def due_reminders_send(*, today: date) -> list[Notification]:
    """Remind each city's planners of the reports of its calendar (apps.vlr.selectors.cycle) not
    yet submitted: 90, 30 and 7 days before the due date, then on the day and after
    (``apps.vlr.cycle.reminder_step``: only the latest step reached, never skipped ones twice).
    Idempotent: the event key names city, report, year, due date and step, so a second run on
    the same day, or a run after a missed day, sends nothing already sent. ``today`` is the
    injectable clock of ``send_due_reminders``."""
    municipality_ids = set(CycleSettings.objects.values_list("municipality_id", flat=True)) | set(
        CycleDate.objects.values_list("municipality_id", flat=True)
    )
    cities = {
        pk: (name_ko, code, name_en or name_ko)
        for pk, name_ko, code, name_en in Municipality.objects.filter(pk__in=municipality_ids).values_list(
            "pk", "name_ko", "code", "name_en"
        )
    }
    sent: list[Notification] = []
    for item in calendar_items(municipality_ids=municipality_ids, today=today):
        if item.standing == "submitted":
            continue
        step = reminder_step(item.due, today)
        if step is None:
            continue
        days = (item.due - today).days
        when_ko = f"{days}일 남음" if days > 0 else ("오늘까지" if days == 0 else f"{-days}일 지남")
        when_en = (
            f"due in {days} days" if days > 0 else ("due today" if days == 0 else f"{-days} days overdue")
        )
        sent += notify(
            recipients=list(planners_of(item.municipality_id).distinct()),
            event_key=f"due:{item.municipality_id}:{item.kind or 'date'}:{item.year}:{item.due.isoformat()}:{step}",
            verb=Verb.DUE,
            actor=None,
            message_ko=f"{cities[item.municipality_id][0]} {item.title_ko} ({item.year}) 제출 기한 {item.due}: {when_ko}",
            message_en=f"{item.title_en} ({item.year}) of {cities[item.municipality_id][2]}: {when_en} ({item.due})",
            url=reverse("vlr:edition_list", kwargs={"code": cities[item.municipality_id][1]}),
        )
    return sent
