"""Two-step sign-in in a real browser (headless Chromium against a live server with the second
factor on): SECAS enrols an authenticator by reading the secret off the page, signs out, signs
in again and is asked for the code; a wrong code is refused, the right one lets them in."""
import os
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from secassure.core.journal.models import JournalEntry

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ASK = "Enter the 6-digit code from your authenticator app"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]



@pytest.fixture
def page(live_server, browser_ready, demo, settings):
    settings.SECASSURE_MFA = True  # the live server runs in this process: it sees the override
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


def _sign_in(page, url):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "secas")
    page.fill("input[name=password]", "demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _enter(page, code):
    page.fill("input[name=otp]", code)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _code(key: bytes, steps_ahead: int = 0) -> str:
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_secas_enrols_then_signs_in_with_a_code(page, live_server):
    url = live_server.url
    _sign_in(page, url)
    assert page.url.startswith(f"{url}/accounts/mfa/enrol/")
    assert page.locator("figure.qr svg").is_visible()
    secret = page.inner_text("#totp-secret").replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    _enter(page, _code(key))
    assert page.url == f"{url}/" and "Sign out" in page.content()

    page.click("header button:has-text('Sign out')")
    page.wait_for_load_state()
    assert "Sign out" not in page.content()

    _sign_in(page, url)
    assert page.url.startswith(f"{url}/accounts/mfa/") and ASK in page.content()
    page.goto(f"{url}/schedule/")           # no page before the code
    assert page.url.startswith(f"{url}/accounts/mfa/?next=/schedule/")
    right = _code(key, steps_ahead=1)       # the enrolment's code is never accepted twice
    _enter(page, f"{(int(right) + 1) % 1_000_000:06d}")
    assert "not right" in page.content() and ASK in page.content()
    time.sleep(1.2)                         # django-otp's throttle after one wrong code: 1 s
    _enter(page, right)
    assert page.url == f"{url}/schedule/" and "Sign out" in page.content()

    assert JournalEntry.objects.filter(action="accounts.mfa.enrolled",
                                       subject="person:secas").count() == 1
    assert JournalEntry.objects.filter(action="accounts.mfa.failed",
                                       subject="person:secas").count() == 1
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
