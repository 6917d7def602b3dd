"""Links in notification e-mails are absolute, built from SITE_URL."""

from __future__ import annotations

import pytest
from django.core import mail

from apps.vlr.services import edition_create, edition_transition


@pytest.mark.django_db
def test_a_review_notification_mail_links_to_the_edition_on_the_site(
    muni_a, planner_a, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://vlr.example.org"
    edition = edition_create(municipality=muni_a, year=2025, actor=planner_a)
    with django_capture_on_commit_callbacks(execute=True):
        edition_transition(edition=edition, action="submit", actor=planner_a)
    [message] = mail.outbox
    assert message.to == ["coordinator@example.org"]
    assert message.body.rstrip().endswith(f"https://vlr.example.org/vlr/{edition.pk}/")
