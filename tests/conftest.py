"""Shared fixtures: the demo register, a person of every kind, clients signed in as them."""
import os
from datetime import date

import pytest

os.environ.setdefault("SECASSURE_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var"))

TODAY = date.today()  # the services date what they do today; the demo is relative to it

#: One demo login of every kind, and what party it acts for.
PEOPLE = {
    "secas": None, "ssc-member": None, "panel-member": None, "cio-assessor": None,
    "dcc": None, "triage-operator": "TRIAGEWORKS", "rep-HEARTH": "HEARTH",
}


@pytest.fixture
def demo(db, settings):
    """The demo register and its logins, as `secassure serve --demo` loads them."""
    settings.SECASSURE_DEMO = True
    from secassure.demo import load_demo
    assert load_demo(TODAY)
    from secassure.accounts.models import Person
    return {p.username: p for p in Person.objects.select_related("party")}


@pytest.fixture
def client_for(client, demo):
    """A Django test client signed in as the named demo login."""
    def sign_in(username):
        client.force_login(demo[username])
        return client
    return sign_in


@pytest.fixture
def api_for(demo):
    """A DRF API client authenticated with the named demo login's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(username):
        api = APIClient()
        if username is not None:
            token, _ = Token.objects.get_or_create(user=demo[username])
            api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api
    return make


#: The reference data the migrations seed (each seed is idempotent).
SEEDS = [("secassure.assurance.migrations.0002_compliance_statuses", "seed"),
         ("secassure.anomaly.migrations.0002_service_reference_variants", "load")]


def reseed() -> None:
    from importlib import import_module

    from django.apps import apps
    for module, function in SEEDS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _keep_reference_data(request, django_db_blocker):
    """A transactional test (a live server for the browser) ends with a flush of every table,
    seeded reference data included; put it back for the tests that follow."""
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock():
            reseed()
