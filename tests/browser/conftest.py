"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from the system (apt-get install chromium fonts-noto-cjk): Playwright
cannot download its own browser here. Without it the tests are skipped with one
line saying so, except in CI (CI=true), where a missing browser fails the run.
On failure a screenshot and the page's console log are kept under test-artifacts/.
"""

import io
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.conftest import ROOT, SEED_2021

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "browser-test-pw"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def browser(monkeypatch):
    """A Chromium for one test; Playwright and the switch below last exactly as long as the test."""
    if not Path(CHROMIUM).exists():
        message = "browser tests need Chromium: apt-get install chromium fonts-noto-cjk (or set CHROMIUM=/path)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the
    # tests make here are still synchronous and safe. Only while this test runs:
    # monkeypatch puts the environment back, and Playwright stops with the test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


class Watcher:
    """Collects what a page must not do: log a JavaScript error, or ask for anything outside 127.0.0.1."""

    def __init__(self):
        self.console: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []

    def attach(self, context):
        def route(route):
            host = urlsplit(route.request.url).hostname
            if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()

        context.route("**/*", route)

    def watch(self, page):
        def on_console(message):
            self.console.append(f"[{message.type}] {message.text} ({page.url})")
            if message.type == "error" and "status of 404" not in message.text and "status of 403" not in message.text:
                self.errors.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))


@pytest.fixture
def session(browser, live_server, request, settings, tmp_path):
    """Opens signed-in pages: ``session.open(username)`` returns a Playwright page at the start page
    (``viewport={"width": 390, "height": 844}`` for a phone)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # The clock may be moved back to 2021 for a scenario; cookies without an expiry keep working then.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_USE_SESSIONS = True
    watcher = Watcher()
    contexts, pages = [], []

    class Session:
        url = live_server.url

        def new_page(self, name: str = "anonymous", viewport: dict | None = None):
            """A watched page in a browser of its own, signed in as nobody (1280 × 900 unless ``viewport``)."""
            context = browser.new_context(
                viewport=viewport or {"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN"
            )
            watcher.attach(context)
            page = context.new_page()
            watcher.watch(page)
            contexts.append(context)
            pages.append((name, page))
            return page

        def open(self, username: str, viewport: dict | None = None):
            page = self.new_page(username, viewport)
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            return page

    yield Session()

    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    if failed:
        folder = ARTIFACTS / request.node.name
        folder.mkdir(parents=True, exist_ok=True)
        for n, (username, page) in enumerate(pages):
            page.screenshot(path=str(folder / f"{n}-{username}.png"), full_page=True)
        (folder / "console.log").write_text("\n".join(watcher.console), encoding="utf-8")
        print(f"\nbrowser artefacts: {folder}")
    for context in contexts:
        context.close()
    if not failed:
        assert watcher.errors == [], f"JavaScript errors: {watcher.errors}"
        assert watcher.outside == [], f"requests outside 127.0.0.1: {watcher.outside}"


@pytest.fixture
def site(transactional_db):
    """make run's data: departments, the 2021 plan and the demo logins (all with PASSWORD)."""
    call_command("loaddata", "departments", verbosity=0)
    call_command("import_workplan", str(SEED_2021), stdout=io.StringIO())
    call_command("create_demo_users", "--password", PASSWORD, stdout=io.StringIO())
