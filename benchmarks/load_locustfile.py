"""The load mix of issue 8, for locust (run by `benchmarks/load.py`, which prepares it).

Half the users are people on the pages (signed in through the login form), half are API
clients (`Authorization: Token <key>`). Each reads, with equal weight: home, the register, a
party page, the schedule, the assessments, an assessment, Section G (the index and a clause)
and the thresholds; the API clients read the counterparts under /api/. Each user is one of the
demo people, in turn, so every kind of reader (SECAS, the committee, the assessor, the DCC and
party representatives) is in the mix.

`LOAD_PLAN` names a JSON file written by load.py: for each person, their API token, the party
they look at and the assessments they may open. `LOAD_PAUSE=0` makes users ask again at once
(the capacity run); otherwise each pauses 0.5-1.5 s between requests (the latency run).

Users are locust's FastHttpUser (geventhttpclient), which costs the machine far less CPU per
request than HttpUser (python-requests): on 2 cores the load tool competes with the server.
Written for locust 2.47.0 (`pip install locust==2.47.0` in a virtualenv of its own).
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import urllib.parse
from pathlib import Path

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
PAUSE = os.environ.get("LOAD_PAUSE", "1") != "0"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_turn = itertools.count()
#: Every request as (start time, route, milliseconds, failed), written to LOAD_LOG at the end,
#: so that load.py can report the whole run and the steady state after the last user started.
_log: list[tuple[float, str, float, bool]] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, start_time=None,
            **kwargs) -> None:
    _log.append((start_time or time.time(), name, response_time, exception is not None))


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs) -> None:
    _log.append((time.time(), "(all users started)", 0.0, False))


@events.quitting.add_listener
def _write(environment, **kwargs) -> None:
    if os.environ.get("LOAD_LOG"):
        with open(os.environ["LOAD_LOG"], "w", encoding="utf-8") as out:
            json.dump(_log, out)


class Reader:
    """What one user reads: a demo person's party and assessments."""

    wait_time = between(0.5, 1.5) if PAUSE else constant(0)

    def choose_person(self) -> dict:
        person = PLAN["people"][next(_turn) % len(PLAN["people"])]
        self.person = person
        return person

    def party(self) -> str:
        """Their own party, or one whose assessment business they may see."""
        return self.person["party"]

    def pick_assessment(self) -> int | str:
        """One of the assessments they may open ("" for the list, if they may open none)."""
        return random.choice(self.person["assessments"] or [""])


class PageReader(Reader, FastHttpUser):
    """A person on the pages, signed in through the login form."""

    weight = 1

    def on_start(self) -> None:
        person = self.choose_person()
        form = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(form.text).group(1)
        form = urllib.parse.urlencode({"username": person["username"],
                                       "password": PLAN["password"],
                                       "csrfmiddlewaretoken": token})
        with self.client.post("/accounts/login/", name="login", allow_redirects=False,
                              catch_response=True, data=form, headers={
                                  "Content-Type": "application/x-www-form-urlencoded"}) as answer:
            if answer.status_code != 302:
                answer.failure(f"login as {person['username']}: {answer.status_code}")

    @task
    def home(self) -> None:
        self.client.get("/", name="/")

    @task
    def register(self) -> None:
        self.client.get("/register/", name="/register/")

    @task
    def party_page(self) -> None:
        self.client.get(f"/register/{self.party()}/", name="/register/[party]/")

    @task
    def schedule(self) -> None:
        self.client.get("/schedule/", name="/schedule/")

    @task
    def assessments(self) -> None:
        self.client.get("/assurance/", name="/assurance/")

    @task
    def assessment(self) -> None:
        self.client.get(f"/assurance/{self.pick_assessment()}/", name="/assurance/[id]/")

    @task
    def clauses(self) -> None:
        if random.random() < 0.5:
            self.client.get("/code/", name="/code/")
        else:
            self.client.get(f"/code/{random.choice(PLAN['clauses'])}/", name="/code/[clause]/")

    @task
    def thresholds(self) -> None:
        self.client.get("/adt/", name="/adt/")


class ApiReader(Reader, FastHttpUser):
    """An API client with a token."""

    weight = 1

    def on_start(self) -> None:
        person = self.choose_person()
        self.client.auth_header = f"Token {person['token']}"

    @task
    def parties(self) -> None:
        self.client.get("/api/parties/", name="/api/parties/")

    @task
    def party_detail(self) -> None:
        party = self.party()
        if random.random() < 0.5 or not self.person["party_schedule"]:
            self.client.get(f"/api/parties/{party}/", name="/api/parties/[party]/")
        else:
            self.client.get(f"/api/parties/{party}/schedule/",
                            name="/api/parties/[party]/schedule/")

    @task
    def schedule(self) -> None:
        self.client.get("/api/schedule/", name="/api/schedule/")

    @task
    def assessments(self) -> None:
        self.client.get("/api/assurance/assessments/", name="/api/assurance/assessments/")

    @task
    def assessment(self) -> None:
        self.client.get(f"/api/assurance/assessments/{self.pick_assessment()}/",
                        name="/api/assurance/assessments/[id]/")

    @task
    def clauses(self) -> None:
        if random.random() < 0.5:
            self.client.get("/api/clauses/?section=G8", name="/api/clauses/?section=G8")
        else:
            self.client.get(f"/api/clauses/{random.choice(PLAN['clauses'])}/",
                            name="/api/clauses/[clause]/")

    @task
    def thresholds(self) -> None:
        self.client.get("/api/adt/thresholds/", name="/api/adt/thresholds/")
