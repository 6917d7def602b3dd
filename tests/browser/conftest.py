"""Real-browser tests: Playwright for Python driving Debian's chromium (no downloaded browser).

CI installs ``chromium`` and ``fonts-noto-cjk`` (Korean glyphs in screenshots). Without them the
tests are skipped locally, and fail under CI=true so a missing package cannot pass silently."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ROOT = Path(__file__).resolve().parents[2]
# Tests never rewrite tracked files: pictures go to tests/screenshots/ (ignored by git) unless
# `make screenshots` points SCREENSHOT_DIR at docs/screenshots/ to refresh the README's pictures.
SCREENSHOTS = ROOT / os.environ.get("SCREENSHOT_DIR", "tests/screenshots")


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -r requirements-dev.txt)")
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} not found (apt-get install -y chromium fonts-noto-cjk)")
    # Playwright's sync API keeps an event loop in this thread while the browser is open;
    # Django refuses ORM calls from such a thread unless told so. Set only while the browser
    # runs (module scope), so it never leaks into other tests or their subprocesses.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        # launch() gives chromium a fresh temporary user-data-dir (no cache, cookies or
        # extensions from elsewhere), removed when the browser closes.
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()`` → a page in its own context (own cookies), Korean browser, 1280×900."""
    contexts = []

    def make(locale: str = "ko-KR"):
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.locator("form.login button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
