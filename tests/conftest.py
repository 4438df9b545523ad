"""Shared fixtures: the demo register, a person of every kind, clients signed in as them.

The demo register is built once (per test process) and held open in a transaction; every test
that asks for `demo` runs inside it, in its own savepoint that pytest-django rolls back at the
test's end, so each test sees the demo as loaded and tests stay independent. A test that uses
the database without asking for the demo sees an empty register: the held transaction is rolled
back first (and the demo built again when a later test asks for it; tests are ordered so that
this happens at most once per process). A transactional test (a live server for the browser)
cannot run inside a held transaction: the demo is rolled back and loaded for real, and the
flush at the end of the test removes it.

Each test is marked `nodb` when it uses no database (no `db`, `transactional_db` or
`live_server` fixture, no `django_db` marker): pytest-django refuses it any access, so it
cannot behave differently on PostgreSQL, and CI's PostgreSQL pass leaves it out
(`-m "not nodb"`). A test that hands `DATABASE_URL` to a subprocess must take the `db`
fixture to be run there.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("SECASSURE_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var"))
# The second factor (SECASSURE_MFA) is off for the suite, whose tests sign in with force_login
# and demo logins, and for the commands it runs (`_second_factor_off` below); the tests of the
# second factor turn it on (tests/web/test_mfa*.py).
os.environ.setdefault("SECASSURE_MFA", "0")

# The services date what they do by the platform's TIME_ZONE (Europe/London), which is a day
# ahead of the machine's UTC date from 23:00 in summer; the demo is relative to this date.
TODAY = datetime.now(ZoneInfo("Europe/London")).date()

#: One demo login of every kind, and what party it acts for.
PEOPLE = {
    "secas": None, "ssc-member": None, "panel-member": None, "cio-assessor": None,
    "dcc": None, "triage-operator": "TRIAGEWORKS", "rep-HEARTH": "HEARTH",
}

DatabaseUse = Literal["test", "transactional"] | None


def database_use(item: pytest.Item) -> DatabaseUse:
    """How a test uses the database, read as pytest-django reads it: not at all, inside a
    transaction rolled back at its end ("test"), or committing for real ("transactional")."""
    django_case = {k.__name__ for k in getattr(getattr(item, "cls", None), "__mro__", ())
                   if k.__module__ == "django.test.testcases"}
    if django_case:  # a Django test case class: TestCase rolls back, TransactionTestCase flushes
        return ("test" if "TestCase" in django_case else
                "transactional" if "TransactionTestCase" in django_case else None)
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    options = _django_db_options(*marker.args, **marker.kwargs) if marker else {}
    if options.get("transaction") or options.get("reset_sequences") or names & {
            "transactional_db", "live_server", "django_db_reset_sequences",
            "django_db_serialized_rollback"}:
        return "transactional"
    if marker is not None or "db" in names:
        return "test"
    return None


def _django_db_options(transaction: bool = False, reset_sequences: bool = False,
                       **_others: Any) -> dict[str, bool]:
    """The `django_db` marker's arguments that decide whether a test is transactional."""
    return {"transaction": transaction, "reset_sequences": reset_sequences}


def _order(item: pytest.Item) -> int:
    """Database tests without the demo, then with it, then transactional ones, then the rest:
    the held demo register is built once per process, and rolled back before it is in the way."""
    use = database_use(item)
    if use == "test":
        return 1 if "demo" in getattr(item, "fixturenames", ()) else 0
    return 2 if use == "transactional" else 3


#: The longest tests (seconds measured with `pytest -n auto --durations=0` on 2 cores, setup
#: included), started first within their group so that none is the last on one worker while
#: the other has nothing left (the xdist tail); those that use no database go before all the
#: others. Only the order depends on this list: a stale entry costs time, never a check.
SLOW = {
    "tests/assurance/test_concurrency.py::test_twenty_concurrent_writers": 44,
    "tests/adt/test_live.py::test_kill_9_at_random_points": 19,
    "tests/anomaly/test_cli.py::test_keygen_sign_register_submit_and_export": 17,
    "tests/assurance/test_browser.py::": 14,
    "tests/assurance/test_cli.py::test_the_real_executable": 14,
    "tests/assurance/test_determination.py::test_only_fusa_vusa_or_ssa": 13,
    "tests/test_cli.py::test_serve_demo_runs_the_platform": 11,
    "tests/committee/test_browser.py::": 11,
    "tests/web/test_server.py::test_two_workers_share_the_port": 10,
    "tests/test_cli_hostile.py::test_texts_dates_and_numbers": 10,
    "tests/test_cli.py::test_schedule_from_a_file": 9,
    "tests/anomaly/test_browser": 8,
    "tests/web/test_security.py::test_the_server_refuses_a_body_over_32_mib": 7,
    "tests/notices/test_browser.py::": 6,
    "tests/web/test_mfa_browser.py::": 6,
}


def _slowness(item: pytest.Item) -> int:
    return max((s for prefix, s in SLOW.items() if item.nodeid.startswith(prefix)), default=0)


def _start(item: pytest.Item) -> tuple[int, int]:
    """Where a test goes: its group (`_order`; a long test using no database before every
    group), the longest first within it."""
    order, slowness = _order(item), _slowness(item)
    return (-1 if order == 3 and slowness else order), -slowness


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the tests (after pytest-django's own ordering, which this refines) and mark those
    that use no database `nodb` (before `-m` selects on it)."""
    items.sort(key=_start)
    for item in items:
        if database_use(item) is None:
            item.add_marker(pytest.mark.nodb)


class DemoRegister:
    """The demo register, loaded once and held in an open transaction on the default database
    connection; tests nest their own transactions (savepoints) inside it."""

    def __init__(self, blocker: Any) -> None:
        self._blocker = blocker
        self._atomic: Any = None
        self._connection: Any = None
        self.builds = 0

    @property
    def held(self) -> bool:
        """Whether the demo is held on the connection this test uses (Playwright's sync API,
        once running, gives this thread a new connection)."""
        from django.db import DEFAULT_DB_ALIAS, connections
        return self._atomic is not None and self._connection is connections[DEFAULT_DB_ALIAS]

    def hold(self) -> bool:
        """Load the demo in a transaction kept open, unless it already is; False when the
        connection is already inside someone else's transaction (the caller loads it there)."""
        from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

        from secassure.demo import load_demo
        if self.held:
            return True
        self.release()
        with self._blocker.unblock():
            if connection.in_atomic_block:
                return False
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                assert load_demo(TODAY), "the register was not empty"
            except BaseException as error:
                transaction.set_rollback(True)
                atomic.__exit__(type(error), error, error.__traceback__)
                raise
            self._connection = connections[DEFAULT_DB_ALIAS]
        self._atomic = atomic
        self.builds += 1
        return True

    def release(self) -> None:
        """Roll the held demo back, on the connection that holds it (which may no longer be
        this thread's): the database is as the migrations left it, and no lock is left held."""
        from django.db import DEFAULT_DB_ALIAS, connections, transaction
        if self._atomic is None:
            return
        atomic, self._atomic = self._atomic, None
        holder, self._connection = self._connection, None
        if holder.atomic_blocks[-1:] != [atomic]:
            raise RuntimeError("the held demo register is not the innermost transaction")
        with self._blocker.unblock():
            current = connections[DEFAULT_DB_ALIAS]
            connections[DEFAULT_DB_ALIAS] = holder
            try:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
            finally:
                connections[DEFAULT_DB_ALIAS] = current


@pytest.fixture(scope="session", autouse=True)
def _second_factor_off() -> None:
    """SECASSURE_MFA off for the suite (pytest-django reads the settings before this file sets
    the environment); a test turns it on with the `settings` fixture, which restores it."""
    from django.conf import settings
    settings.SECASSURE_MFA = False


@pytest.fixture(scope="session")
def demo_register(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoRegister]:
    """The process's held demo register, rolled back before the test database is dropped."""
    register = DemoRegister(django_db_blocker)
    yield register
    register.release()


@pytest.fixture(autouse=True)
def _database_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Before the test's other function-scoped fixtures (autouse ones come first): hold the
    demo for a test that asks for it, roll it back for any other database test; after a
    transactional test (whose flush empties every table, seeded reference data included), put
    the reference data back."""
    use = database_use(request.node)
    if use is not None:
        register: DemoRegister = request.getfixturevalue("demo_register")
        if use == "test" and "demo" in request.fixturenames:
            register.hold()
        else:
            register.release()
    yield
    if use == "transactional":
        with request.getfixturevalue("django_db_blocker").unblock():
            reseed()


@pytest.fixture
def demo(db: None, settings: Any, demo_register: DemoRegister) -> dict[str, Any]:
    """The demo register and its logins, as `secassure serve --demo` loads them: the held
    register, or (in a transactional test) loaded for real."""
    from secassure.accounts.models import Person
    from secassure.demo import load_demo
    settings.SECASSURE_DEMO = True
    if not demo_register.held:
        load_demo(TODAY)
    return {p.username: p for p in Person.objects.select_related("party")}


@pytest.fixture
def client_for(client: Any, demo: dict[str, Any]) -> Callable[[str], Any]:
    """A Django test client signed in as the named demo login."""
    def sign_in(username: str) -> Any:
        client.force_login(demo[username])
        return client
    return sign_in


@pytest.fixture
def api_for(demo: dict[str, Any]) -> Callable[[str | None], Any]:
    """A DRF API client authenticated with the named demo login's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(username: str | None) -> Any:
        api = APIClient()
        if username is not None:
            token, _ = Token.objects.get_or_create(user=demo[username])
            api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api
    return make


#: The reference data the migrations seed (each seed is idempotent).
SEEDS = [("secassure.assurance.migrations.0002_compliance_statuses", "seed"),
         ("secassure.anomaly.migrations.0002_service_reference_variants", "load")]


@pytest.fixture
def reseeded(transactional_db: None) -> None:
    """A transactional test's database with the reference data again (a transactional test
    before it flushed them; serialized_rollback cannot restore them once another thread or
    Playwright has used the connection). Ask for it before `demo`."""
    reseed()


@pytest.fixture
def browser_ready(reseeded: None, monkeypatch: Any) -> None:
    """What a test driving Chromium against the live server needs: the reference data again,
    and Django's permission to use the database from the thread where Playwright's sync API
    runs its event loop, for this test only (DJANGO_ALLOW_ASYNC_UNSAFE set at import leaked
    into every test of the process)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def reseed() -> None:
    from importlib import import_module

    from django.apps import apps
    for module, function in SEEDS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture
def secassure_here(db: None, tmp_path: Any, monkeypatch: Any,
                   capsys: Any) -> Iterator[Callable[..., subprocess.CompletedProcess[str]]]:
    """Run `secassure ARGS` in this process on the test database, as a subprocess would be
    seen: its exit status, standard output and error, standard input from `stdin`, the
    working directory `tmp_path` (about 1.5 s less per command than starting the executable;
    each area keeps at least one test of the real executable). What a command puts in the
    environment (`serve --demo` sets SECASSURE_DEMO) is undone after the test."""
    from secassure import cli
    monkeypatch.chdir(tmp_path)
    environment = dict(os.environ)

    def run(*args: Any, stdin: str = "") -> subprocess.CompletedProcess[str]:
        argv = [str(a) for a in args]
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            status = cli.main(argv)
        except SystemExit as exit:  # argparse's own refusals
            status = exit.code if isinstance(exit.code, int) else 1
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["secassure", *argv], status, out, err)
    yield run
    os.environ.clear()
    os.environ.update(environment)
