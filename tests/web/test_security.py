"""The deployed profile (issue 8, "Exposure"): throttled sign-in, expiring tokens, private
responses, styled error pages and a `check --deploy` that is clean in production."""
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from secassure.accounts.services import api_token
from secassure.core.journal.models import JournalEntry

SECASSURE = Path(sys.executable).with_name("secassure")


def _production(tmp_path: Path) -> dict[str, str]:
    # an operator's environment: no test database, and never Django's permission for
    # Playwright's event loop (the browser tests set it only while they run)
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(SECASSURE_DATA_DIR=str(tmp_path), SECASSURE_ENV="production",
               SECASSURE_SECRET_KEY=secrets.token_urlsafe(50),
               SECASSURE_CSRF_TRUSTED_ORIGINS="https://assure.example.org")
    return env


def test_check_deploy_is_clean_in_the_production_profile(tmp_path):
    result = subprocess.run([str(SECASSURE), "manage", "check", "--deploy"],
                            capture_output=True, text=True, env=_production(tmp_path),
                            timeout=300)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output


def test_the_production_profile_secures_cookies_and_transport(tmp_path):
    script = ("import json; from django.conf import settings as s; print(json.dumps({k: "
              "getattr(s, k) for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
              " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT',"
              " 'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS']}))")
    env = _production(tmp_path) | {"SECASSURE_DEBUG": "1"}
    result = subprocess.run([str(SECASSURE), "manage", "shell", "-c", script],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {"DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                     "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                     "SECURE_SSL_REDIRECT": True,
                     "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
                     "CSRF_TRUSTED_ORIGINS": ["https://assure.example.org"]}


def test_responses_to_a_signed_in_person_are_never_cached(client_for, api_for):
    client = client_for("secas")
    for page in ["/", "/register/", "/register/HEARTH/", "/journal/"]:
        control = client.get(page)["Cache-Control"]
        assert "no-store" in control and "private" in control, page
    control = api_for("secas").get("/api/parties/")["Cache-Control"]
    assert "no-store" in control and "private" in control


def test_public_pages_stay_cacheable_for_anonymous_visitors(client):
    assert "no-store" not in client.get("/code/G8.42/").get("Cache-Control", "")


def test_error_pages_are_styled_with_the_navigation(client_for, settings):
    settings.DEBUG = False
    client = client_for("rep-HEARTH")
    missing = client.get("/register/NO-SUCH-PARTY/")
    assert missing.status_code == 404
    assert "Not found" in missing.content.decode() and 'href="/register/"' in (
        missing.content.decode())
    refused = client.get("/journal/")
    assert refused.status_code == 403 and "Not yours to see" in refused.content.decode()
    assert 'aria-label="Main"' in refused.content.decode()
    # Django renders 500.html with no request and no context processors.
    crashed = render_to_string("500.html")
    assert "Something went wrong" in crashed and 'aria-label="Main"' in crashed


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR="203.0.113.7")


def test_a_username_is_locked_out_after_five_wrong_passwords(client, demo):
    for _ in range(4):
        assert _sign_in(client, "secas", "wrong password").status_code == 200
    assert _sign_in(client, "secas", "wrong password").status_code == 429  # the fifth
    locked = _sign_in(client, "secas", "demo")
    assert locked.status_code == 429 and "locked out for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is refused too: the username is locked wherever it is tried from.
    other = client.post("/accounts/login/", {"username": "secas", "password": "demo"},
                        REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 429


def test_an_address_is_locked_out_whatever_usernames_it_tries(client, demo):
    for name in ["secas", "dcc", "ssc-member", "panel-member", "cio-assessor"]:
        _sign_in(client, name, "wrong password")
    assert _sign_in(client, "rep-HEARTH", "demo").status_code == 429


def test_the_token_endpoint_is_locked_out_too(demo):
    api = APIClient(REMOTE_ADDR="203.0.113.8")
    for _ in range(4):
        refused = api.post("/api/token/", {"username": "dcc", "password": "nope"})
        assert refused.status_code == 400
    assert api.post("/api/token/", {"username": "dcc", "password": "nope"}).status_code == 429
    locked = api.post("/api/token/", {"username": "dcc", "password": "demo"})
    assert locked.status_code == 429 and "locked out" in locked.json()["detail"]


def test_failed_sign_ins_are_journaled_without_the_password(client, demo):
    _sign_in(client, "secas", "hunter2-secret")
    entry = JournalEntry.objects.filter(action="accounts.login.failed").latest("pk")
    assert entry.details == {"username": "secas", "address": "203.0.113.7"}
    assert entry.subject == "person:secas"
    stored = json.dumps(entry.details) + entry.reason + entry.subject
    assert "hunter2" not in stored


def _age(username, days):
    Token.objects.filter(user__username=username).update(
        created=timezone.now() - timedelta(days=days))


@pytest.mark.parametrize("days, status", [(29, 200), (31, 401)])
def test_api_tokens_expire_after_thirty_days(api_for, days, status):
    api = api_for("dcc")
    _age("dcc", days)
    response = api.get("/api/parties/")
    assert response.status_code == status
    if status == 401:
        assert response.json()["detail"] == "token expired"


def test_an_expired_token_is_replaced_by_a_fresh_one(api_for, demo):
    old = Token.objects.get_or_create(user=demo["dcc"])[0].key
    _age("dcc", 31)
    assert api_token("dcc") != old  # what `secassure token dcc` prints
    fresh = APIClient().post("/api/token/", {"username": "dcc", "password": "demo"})
    assert fresh.status_code == 200
    assert APIClient(HTTP_AUTHORIZATION=f"Token {fresh.json()['token']}").get(
        "/api/parties/").status_code == 200
    assert not Token.objects.filter(key=old).exists()
    assert JournalEntry.objects.filter(
        action="accounts.token.issued",
        reason="API token issued (the previous one had expired)").exists()


def test_a_valid_token_is_kept(api_for, demo):
    key = api_token("dcc")
    assert api_token("dcc") == key


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status_of(port: int, request: bytes) -> bytes:
    """The status line the server answers `request` with (only what was sent is sent)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(request)
        return conn.recv(4096).split(b"\r\n", 1)[0]


def test_the_server_refuses_a_body_over_32_mib_before_buffering_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECASSURE_DEMO"}}
    env["SECASSURE_DATA_DIR"] = str(tmp_path / "data")
    port = _free_port()
    server = subprocess.Popen([str(SECASSURE), "serve", "--port", str(port), "--workers", "1",
                               "--threads", "2"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _status_of(port, b"GET /code/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") \
                        .endswith(b"200 OK"):
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.25)
        # A 1 GiB body is announced and none of it sent: the answer comes at once, so the
        # server never waited to buffer it.
        announced = (b"POST /api/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n")
        assert _status_of(port, announced % (1 << 30)).endswith(b"413 Request Entity Too Large")
        assert _status_of(port, announced % (32 * 1024 * 1024 + 1)).split()[1] == b"413"
        # A body within the limit reaches the application (an anonymous 400, not a 413).
        assert _status_of(port, (announced % 2) + b"{}").split()[1] == b"400"
    finally:
        server.terminate()
        server.wait(timeout=20)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_pages_carry_a_content_security_policy_without_inline_script(client_for):
    client = client_for("secas")
    for page in ["/", "/register/HEARTH/", "/accounts/login/"]:
        response = client.get(page)
        policy = _policy(response)
        assert policy["default-src"] == "default-src 'self'", page
        assert policy["script-src"] == "script-src 'self'", page
        assert policy["style-src"] == "style-src 'self'", page
        assert policy["frame-ancestors"] == "frame-ancestors 'none'", page
        body = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), page
        assert not re.search(r"\sstyle=|\son[a-z]+=", body), page


def test_the_api_docs_work_under_the_policy(client_for):
    client = client_for("secas")
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    policy = _policy(docs)
    assert policy["script-src"] == "script-src 'self'"  # still no inline script
    assert "'unsafe-inline'" in policy["style-src"]  # Swagger UI's own styles, this page only
    page = docs.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    script = re.search(r'<script src="([^"]*\?script=?)"', page)
    assert script is not None, page
    loaded = client.get(script.group(1).replace("&amp;", "&"))
    assert loaded.status_code == 200 and b"SwaggerUIBundle" in loaded.content


SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup_restore_check.sh"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="the backup script is for PostgreSQL (DATABASE_URL)")
def test_a_backup_restores_and_its_journal_verifies(transactional_db, settings):
    from django.db import connection

    from secassure.core.journal.services import record
    from secassure.core.permissions import SYSTEM
    record(SYSTEM, "accounts.login.failed", reason="sign-in refused", subject="person:x",
           details={"username": "x", "address": "unknown"})
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")
    env = {k: v for k, v in os.environ.items()}
    env.update(DATABASE_URL=url, SECASSURE=str(SECASSURE),
               SECASSURE_DATA_DIR=str(settings.SECASSURE_DATA_DIR))
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the restored journal verifies" in result.stdout
