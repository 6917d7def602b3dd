"""Login throttling (django-axes, counted in the database) on every login form, the client
address behind proxies, and password reset by e-mail through a real SMTP server."""

from __future__ import annotations

import re
import socket
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from apps.core.client_ip import client_ip

UI, ADMIN, TOKEN = "/accounts/login/", "/admin/login/", "/api/v1/auth/token/"


def attempt(client, form: str, username: str, password: str, **extra) -> int:
    """One login through ``form`` as a browser (or API client) would send it; the status code."""
    if form == TOKEN:
        return client.post(
            TOKEN, {"username": username, "password": password}, format="json", **extra
        ).status_code
    client.get(form, **extra)  # sets the CSRF cookie, as a browser's first visit does
    data = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    return client.post(form, data, **extra).status_code


def new_client(form: str):
    return APIClient(enforce_csrf_checks=True) if form == TOKEN else Client(enforce_csrf_checks=True)


SUCCESS = {UI: 302, ADMIN: 302, TOKEN: 200}
FAILURE = {UI: 200, ADMIN: 200, TOKEN: 400}


@pytest.mark.django_db
@pytest.mark.parametrize("form", [UI, ADMIN, TOKEN])
def test_three_workers_and_a_changing_forwarded_for_cannot_get_past_the_limit(form, admin, settings):
    limit = settings.AXES_FAILURE_LIMIT
    workers = [new_client(form) for _ in range(3)]  # three processes share only the database
    codes = [
        attempt(workers[n % 3], form, "admin", f"guess-{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        for n in range(limit + 3)
    ]
    assert codes[: limit - 1] == [FAILURE[form]] * (limit - 1)
    assert codes[limit - 1 :] == [429] * 4  # the attempt reaching the limit is already answered 429
    # The right password is refused as well, through any form and any worker.
    for other in (UI, ADMIN, TOKEN):
        assert (
            attempt(new_client(other), other, "admin", "pw-admin", HTTP_X_FORWARDED_FOR="198.51.100.1") == 429
        )


@pytest.mark.django_db
def test_a_locked_account_opens_again_only_when_the_window_has_passed(planner_a, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(new_client(TOKEN), TOKEN, "planner_a", f"guess-{n}")
    locked = new_client(TOKEN).post(
        TOKEN, {"username": "planner_a", "password": "pw-planner_a"}, format="json"
    )
    assert locked.status_code == 429 and locked.json()["code"] == "throttled"
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # One minute before the window ends: still refused.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        + timedelta(minutes=1)
    )
    assert attempt(new_client(UI), UI, "planner_a", "pw-planner_a") == 429
    # Refused attempts during the lockout restart the window (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert attempt(new_client(UI), UI, "planner_a", "pw-planner_a") == SUCCESS[UI]
    assert not AccessAttempt.objects.exists()  # a successful login clears the count


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_locked_out_but_others_are_not(planner_a, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(new_client(UI), UI, f"someone-{n}", "guess", REMOTE_ADDR="192.0.2.9")
    assert attempt(new_client(UI), UI, "planner_a", "pw-planner_a", REMOTE_ADDR="192.0.2.9") == 429
    assert attempt(new_client(UI), UI, "planner_a", "pw-planner_a", REMOTE_ADDR="192.0.2.10") == SUCCESS[UI]


@pytest.mark.django_db
def test_the_lockout_page_is_bilingual_and_offers_a_password_reset(admin, settings):
    client = new_client(UI)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, UI, "admin", f"guess-{n}")
    page = client.post(
        UI,
        {
            "username": "admin",
            "password": "pw-admin",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    text = page.content.decode()
    assert page.status_code == 429
    assert "로그인 시도가 너무 많" in text and "Too many failed login attempts" in text
    assert 'href="/accounts/password-reset/"' in text


def test_forwarded_for_is_ignored_unless_the_connection_is_a_trusted_proxy(settings):
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(spoofed) == "192.0.2.1"  # default: nobody trusted
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(spoofed) == "192.0.2.1"  # not from our proxy
    # From our proxy: the right-most address that is not ours; what the client wrote further left is ignored.
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.0.0.3")
    assert client_ip(proxied) == "203.0.113.5"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


@pytest.mark.django_db
def test_lockout_counts_the_forwarded_address_of_a_trusted_proxy(planner_a, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(new_client(UI), UI, f"someone-{n}", "guess", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert attempt(new_client(UI), UI, "planner_a", "pw-planner_a", HTTP_X_FORWARDED_FOR="203.0.113.7") == 429
    assert attempt(new_client(UI), UI, "planner_a", "pw-planner_a", HTTP_X_FORWARDED_FOR="203.0.113.8") == 302


# ----------------------------------------------------------------------------- password reset


class _Inbox:
    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port; Django's SMTP backend talks to it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


def _wait_for(inbox, count: int = 1):
    # The server stores the message before answering "250", so it is there once send() returned;
    # the loop only guards against a slow event loop thread, it never decides the outcome.
    for _ in range(100):
        if len(inbox.messages) >= count:
            return inbox.messages
        time.sleep(0.05)
    return inbox.messages


@pytest.mark.django_db
def test_password_reset_mails_an_absolute_link_through_smtp_and_the_link_sets_a_new_password(
    planner_a, smtp_server, settings
):
    settings.SITE_URL = "https://vlr.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # as behind a proxy that passes any Host through
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/password-reset/")
    sent = client.post(
        "/accounts/password-reset/",
        {
            "email": "planner_a@example.org",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        HTTP_HOST="attacker.example",
    )  # the Host header must not end up in the link
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password-reset/sent/"
    [(recipients, content)] = _wait_for(smtp_server)
    assert recipients == ["planner_a@example.org"]
    text = content.decode()
    assert "attacker.example" not in text
    link = re.search(r"https://vlr\.example\.org(/accounts/reset/\S+/)", text).group(1)
    form = client.get(link, follow=True)
    assert "새 비밀번호 / New password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a-new-long-passphrase-41",
            "new_password2": "a-new-long-passphrase-41",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert attempt(Client(enforce_csrf_checks=True), UI, "planner_a", "a-new-long-passphrase-41") == 302
    # The link works once.
    assert "이미 쓰였거나 만료" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(planner_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/password-reset/")
    answer = client.post(
        "/accounts/password-reset/",
        {
            "email": "nobody@example.org",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
