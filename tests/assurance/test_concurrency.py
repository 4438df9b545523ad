"""No lost write under concurrent use (issue 8): twenty writers at once through the API.

The real server (`secassure serve --demo`: waitress, a thread and a database connection per
request) runs on 127.0.0.1 against a database of its own: a SQLite file (WAL, as deployed),
or, when the suite runs on PostgreSQL (`DATABASE_URL`), a fresh database on the same server.
Twenty threads, released together by a `threading.Barrier`, then send what people do at the
same moment: SECAS books Verification assessments of seven parties (one of them twice, a
double click), the User CIO records findings on booked assessments, two SSC members request a
Follow-up of the same assessment (G8.29) and two set conflicting compliance statuses on it
(G7.20). Before the lock order (journal head last, no lock on the party), the retry of a
transaction that loses a race, and the refusal of a stale or repeated decision, PostgreSQL
answered about one write in seven with 500 "deadlock detected", and on both databases the
double request booked two Follow-ups and both compliance statuses were accepted.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.urls import reverse

from secassure.assurance import services
from secassure.assurance.models import Assessment
from secassure.code.workflow import WorkflowError
from secassure.core import retry
from secassure.core.journal.models import JournalEntry
from tests.conftest import TODAY

WRITERS = 20
ROUNDS = 3
#: Parties whose Verification assessments are booked together (the first twice at once).
BOOKED = ["KESTREL", "FENWAY", "HEARTH", "LUMEN", "MERIDIAN", "ORBIT", "SUNNYSIDE"]
#: Per round, the party whose Full assessment is taken to "plan agreed": the target of the
#: two Follow-up requests and the two compliance statuses.
TARGETS = ["PYLON", "GRIDSHARE", "CLOUDVAULT"]
#: Parties whose booked Verification assessments receive the findings.
FOR_FINDINGS = ["AGENTCO", "FIXLAB"]


def day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database(db: None) -> Iterator[dict[str, str]]:
    """The environment of a server with a database of its own: a fresh PostgreSQL database
    beside the test database when the suite runs on PostgreSQL, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {}
        return
    import psycopg
    parts = urlsplit(url)
    name = f"secassure_concurrency_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    """`secassure serve --demo` on a free port of 127.0.0.1, and its command line."""

    def __init__(self, data: Path, database: dict[str, str]):
        self.env = {**os.environ, "SECASSURE_DATA_DIR": str(data), "SECASSURE_DEMO": "1",
                    "DJANGO_SETTINGS_MODULE": "secassure.web.settings"}
        self.env.pop("DATABASE_URL", None)
        self.env.update(database)
        self.data, self.port = data, free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/assurance"
        self.log = open(data / "server.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "secassure.cli", "serve", "--demo", "--host", "127.0.0.1",
             "--port", str(self.port)], env=self.env, cwd=data, stdout=self.log,
            stderr=subprocess.STDOUT)
        self._wait()
        people = ["secas", "cio-assessor", "ssc-member", *(f"rep-{p}" for p in TARGETS)]
        self.tokens, self.roles = self.read(
            f"({{u: api_token(u) for u in {people!r}}}, "
            "{p.party_id: [r.role for r in p.roles.all()] for p in Party.objects.all()})")

    def _wait(self) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.data / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "secassure.cli", *args], env=self.env,
                              cwd=self.data, capture_output=True, text=True, timeout=300)

    def read(self, expression: str) -> Any:
        """A value read from the server's database: a Python expression over the assurance
        models, answered as JSON."""
        done = self.cli("manage", "shell", "-c",
                        "import json; from secassure.accounts.services import api_token; "
                        "from secassure.assurance.models import Assessment, Decision; "
                        "from secassure.registry.models import Party; "
                        f"print(json.dumps({expression}))")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def post(self, who: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.base}/{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Token {self.tokens[who]}",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, text[:500]

    def ok(self, who: str, path: str, body: dict[str, Any]) -> Any:
        code, answer = self.post(who, path, body)
        assert code in (200, 201), (path, code, answer)
        return answer

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def server(tmp_path: Path, database: dict[str, str]) -> Iterator[Server]:
    started = Server(tmp_path, database)
    yield started
    started.stop()


def book(server: Server, party: str, category: str) -> dict[str, Any]:
    return {"party": party, "category": category, "roles": server.roles[party],
            "assessor": "cio-assessor", "fieldwork_start": day(-20), "fieldwork_end": day(-10)}


def plan_agreed(server: Server, party: str) -> int:
    """A Full assessment of `party` taken through the API to its plan agreed (G8.27(a))."""
    target = server.ok("secas", "assessments/", book(server, party, "FUSA"))["id"]
    finding = server.ok("cio-assessor", f"assessments/{target}/findings/", {
        "kind": "non_compliance", "clause": "G5.14", "title": "Asset list incomplete",
        "evidence": "Two servers were not on the list."})["id"]
    server.ok("cio-assessor", f"assessments/{target}/issue-report/", {"summary": "Assessed."})
    server.ok(f"rep-{party}", f"assessments/{target}/submit-response/", {"answers": [{
        "finding": finding, "accepted": True,
        "steps": [{"description": "Complete the list", "due": day(30)}]}]})
    server.ok("ssc-member", f"assessments/{target}/accept-plan/", {})
    return target


def writes(server: Server, round_no: int, target: int, booked: list[int]) -> list[tuple]:
    """The round's twenty writes: (kind, who, path, body)."""
    plan: list[tuple] = [("booking", "secas", "assessments/", book(server, party, "VUSA"))
                         for party in [BOOKED[0], *BOOKED]]
    for _ in range(2):
        plan.append(("follow_up", "ssc-member", f"assessments/{target}/follow-up/",
                     {"by": day(60), "reason": "Check the asset list."}))
    plan.append(("compliance", "ssc-member", f"assessments/{target}/compliance-status/",
                 {"status": "compliant", "reason": "All steps are agreed."}))
    plan.append(("compliance", "ssc-member", f"assessments/{target}/compliance-status/",
                 {"status": "compliant_subject_to_plan", "reason": "A plan is needed."}))
    while len(plan) < WRITERS:
        pk = booked[len(plan) % len(booked)]
        plan.append(("finding", "cio-assessor", f"assessments/{pk}/findings/", {
            "kind": "risk_increase", "title": f"Round {round_no}, finding {len(plan)}",
            "evidence": "Seen during fieldwork."}))
    return plan


def together(server: Server, plan: list[tuple]) -> list[tuple[str, int, Any]]:
    """Send every write at once (threads released together), each answer with its kind."""
    barrier = threading.Barrier(len(plan))
    answers: list[tuple[str, int, Any]] = [("", 0, None)] * len(plan)

    def send(index: int, kind: str, who: str, path: str, body: dict[str, Any]) -> None:
        barrier.wait()
        answers[index] = (kind, *server.post(who, path, body))

    threads = [threading.Thread(target=send, args=(i, *write)) for i, write in enumerate(plan)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return answers


def test_twenty_concurrent_writers_lose_nothing_and_decide_once(server):
    booked = [server.ok("secas", "assessments/", book(server, party, "VUSA"))["id"]
              for party in FOR_FINDINGS]
    for round_no, party in enumerate(TARGETS[:ROUNDS]):
        target = plan_agreed(server, party)
        newest = server.read("Assessment.objects.order_by('-id').first().id")
        answers = together(server, writes(server, round_no, target, booked))

        failed = [(kind, code, answer) for kind, code, answer in answers
                  if code >= 500 or code == 0]
        assert not failed, f"round {round_no}: writes answered 5xx: {failed}"
        by_kind: dict[str, list[int]] = {}
        for kind, code, _ in answers:
            by_kind.setdefault(kind, []).append(code)
        assert set(by_kind["finding"]) == {201}, by_kind
        assert set(by_kind["booking"]) <= {201, 409}, by_kind
        made = server.read(
            f"{{'follow_ups': Assessment.objects.filter(follows_id={target}).count(), "
            f"'statuses': Decision.objects.filter(assessment_id={target}, "
            "kind='compliance_status').count(), "
            f"'booked': sorted(Assessment.objects.filter(id__gt={newest}, category='VUSA')"
            ".values_list('party__party_id', flat=True))}")

        # G8.29: the double request books one Follow-up; the other is refused (409).
        assert sorted(by_kind["follow_up"]) == [201, 409], by_kind
        assert made["follow_ups"] == 1
        # G7.20: of two conflicting statuses exactly one is accepted; the other, made without
        # knowing of it, is refused (409) rather than silently replacing it.
        assert sorted(by_kind["compliance"]) == [200, 409], by_kind
        assert made["statuses"] == 1
        # The double click books once (both answered with the one booking, or one refused);
        # every other party's booking is made once.
        assert made["booked"] == sorted(BOOKED), made
        cancel_new_bookings(server, newest)

    verified = server.cli("journal", "verify")
    assert verified.returncode == 0 and "journal intact" in verified.stdout, (
        verified.stdout + verified.stderr)


def cancel_new_bookings(server: Server, newest: int) -> None:
    """Cancel the round's Verification bookings, so that the next round books them again."""
    for pk in server.read(f"list(Assessment.objects.filter(id__gt={newest}, category='VUSA', "
                          "stage='booked').values_list('pk', flat=True))"):
        server.ok("secas", f"assessments/{pk}/cancel/", {"reason": "Next round."})


# --- The pieces, one by one -------------------------------------------------------------------

class Deadlock(Exception):
    """What psycopg raises for a deadlock: SQLSTATE 40P01."""

    sqlstate = "40P01"


def lost(message: str, cause: BaseException | None = None) -> OperationalError:
    error = OperationalError(message)
    error.__cause__ = cause
    return error


def outside_any_transaction(action: Any) -> Any:
    """`run_retried(action)` in a thread of its own: its own database connection, outside any
    transaction (the test's thread may hold the demo register's)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = retry.run_retried(action)
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.mark.parametrize("error, again", [
    (lost("deadlock detected", Deadlock()), True),
    (lost("database is locked"), True),
    (lost("could not connect to server"), False),
    (WorkflowError("A Follow-up of this assessment is already booked"), False),
    (PermissionDenied("only the SSC"), False),
])
def test_only_a_transaction_that_lost_a_race_is_run_again(monkeypatch, error, again):
    monkeypatch.setattr(retry.time, "sleep", lambda seconds: None)
    calls = []

    def action() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise error
        return "done"

    if again:
        assert outside_any_transaction(action) == "done" and len(calls) == 3
    else:
        with pytest.raises(type(error)):
            outside_any_transaction(action)
        assert len(calls) == 1, "a refusal or another error is never run again"


def test_a_race_lost_every_time_is_given_up_after_a_few_tries(monkeypatch):
    monkeypatch.setattr(retry.time, "sleep", lambda seconds: None)
    calls = []

    def action() -> None:
        calls.append(1)
        raise lost("deadlock detected", Deadlock())

    with pytest.raises(OperationalError):
        outside_any_transaction(action)
    assert len(calls) == retry.ATTEMPTS


def test_inside_another_transaction_the_caller_runs_it_again_not_the_service(db):
    calls = []

    def action() -> None:
        calls.append(1)
        raise lost("deadlock detected", Deadlock())

    with transaction.atomic(), pytest.raises(OperationalError):
        retry.run_retried(action)
    assert len(calls) == 1


def test_a_second_follow_up_is_refused_while_one_is_booked(flow, people):
    """G8.29: a repeated request (a double click, a retry) books no second Follow-up."""
    agreed = flow.agreed("VUSA")
    services.request_follow_up(people["ssc-member"], agreed, TODAY + timedelta(days=60))
    with pytest.raises(WorkflowError, match="already booked"):
        services.request_follow_up(people["ssc-member"], agreed, TODAY + timedelta(days=60))
    assert agreed.follow_ups.count() == 1


def test_a_compliance_status_set_since_is_replaced_only_when_the_decision_says_so(flow, people):
    """G7.20: a status decided without knowing of the one set since is refused (409)."""
    ssc, agreed = people["ssc-member"], flow.agreed("VUSA")
    services.set_compliance_status(ssc, agreed, "compliant", "All steps agreed.")
    with pytest.raises(WorkflowError, match="already Compliant"):
        services.set_compliance_status(ssc, agreed, "compliant_subject_to_plan", "A plan.")
    with pytest.raises(WorkflowError, match="already Compliant"):
        services.set_compliance_status(ssc, agreed, "compliant_subject_to_plan", "A plan.",
                                       replaces="compliant_subject_to_plan")
    agreed.refresh_from_db()
    assert agreed.compliance_status.code == "compliant"
    services.set_compliance_status(ssc, agreed, "compliant_subject_to_plan", "A plan.",
                                   replaces="compliant")
    agreed.refresh_from_db()
    assert agreed.compliance_status.code == "compliant_subject_to_plan"
    entry = JournalEntry.objects.filter(action="assurance.compliance_status").last()
    assert entry.details["replaces"] == "compliant"


def test_the_same_booking_asked_twice_is_made_once(flow, people):
    """A double click or a retry answers with the first booking; a different booking of the
    same assessment is refused (409) rather than standing in twice for the party's next."""
    first, again = flow.book("VUSA"), flow.book("VUSA")
    assert again.pk == first.pk
    assert Assessment.objects.filter(party=flow.party, category="VUSA").count() == 1
    with pytest.raises(WorkflowError, match="already has this assessment booked"):
        flow.book("VUSA", due=TODAY + timedelta(days=5))


def test_the_api_refuses_a_decision_on_a_stage_that_has_moved_on(flow, people, api_for):
    responded = flow.responded("VUSA")
    url = f"/api/assurance/assessments/{responded.pk}/compliance-status/"
    body = {"status": "compliant", "reason": "Fine."}
    stale = api_for("ssc-member").post(url, {**body, "seen_stage": "report_issued"},
                                       format="json")
    assert stale.status_code == 409 and "moved on" in stale.json()["detail"]
    responded.refresh_from_db()
    assert responded.compliance_status is None
    fresh = api_for("ssc-member").post(url, {**body, "seen_stage": "response_submitted"},
                                       format="json")
    assert fresh.status_code == 200, fresh.content
    again = api_for("ssc-member").post(url, {"status": "compliant_subject_to_plan",
                                             "reason": "A plan."}, format="json")
    assert again.status_code == 409 and "replaces=compliant" in again.json()["detail"]


def test_the_page_sends_what_it_showed_and_a_stale_form_is_refused(flow, people, client_for):
    responded = flow.responded("VUSA")
    page = client_for("ssc-member").get(f"/assurance/{responded.pk}/")
    html = page.content.decode()
    assert 'name="seen_stage" value="response_submitted"' in html
    assert 'type="hidden" name="replaces"' in html
    url = reverse("assessment-act", args=[responded.pk, "set-compliance-status"])
    form = {"seen_stage": "response_submitted", "replaces": "", "status": "compliant",
            "reason": "Fine."}
    # Another SSC member decides first; the form, filled in before, is refused.
    services.set_compliance_status(people["ssc-member"], responded, "compliant_subject_to_plan",
                                   "A plan is needed.")
    refused = client_for("ssc-member").post(url, form)
    assert refused.status_code == 409
    assert "already Compliant subject to" in refused.content.decode()
    responded.refresh_from_db()
    assert responded.compliance_status.code == "compliant_subject_to_plan"
    # A form from before the party responded (the stage it showed) is refused as well.
    stale = client_for("ssc-member").post(url, {**form, "seen_stage": "report_issued",
                                                "replaces": "compliant_subject_to_plan"})
    assert stale.status_code == 409 and "moved on" in stale.content.decode()
    # Seen as it is now, it replaces the status.
    done = client_for("ssc-member").post(url, {**form, "replaces": "compliant_subject_to_plan"})
    assert done.status_code == 302
    responded.refresh_from_db()
    assert responded.compliance_status.code == "compliant"
