"""The sign-in lockout and the Content-Security-Policy in a real browser (headless Chromium
against a live server)."""
import os

import pytest

from secassure.core.journal.models import JournalEntry

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]



@pytest.fixture
def page(live_server, browser_ready, demo):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context().new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.errors = errors
        yield page
        browser.close()


def _try(page, url, password):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "secas")
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_repeated_wrong_passwords_lock_the_login_out(page, live_server):
    for _ in range(4):
        _try(page, live_server.url, "not the password")
        assert "Please enter a correct username and password" in page.content()
    _try(page, live_server.url, "not the password")
    assert "Signing in is paused" in page.content()
    _try(page, live_server.url, "demo")  # the right password, too late
    assert "Signing in is paused" in page.content() and "Sign out" not in page.content()
    assert JournalEntry.objects.filter(action="accounts.login.failed",
                                       subject="person:secas").count() == 6
    # No page broke the Content-Security-Policy along the way.
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors


def test_the_api_docs_render_under_the_policy(page, live_server):
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=30_000)
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
