"""Pages answer with a fixed number of queries, however large the register."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secassure.accounts.models import Person
from secassure.demo import load_synthetic

#: The pinned query counts (session and user included).
#: /schedule/, the home page and the party page read the roles each assessment covers
#: (G8.30(a)(i)): one query more each than before issue 9; the home page two more since issue 12
#: (thresholds overdue for review, G6.10: the review period SECAS sets, then one count)
PAGES = {"/register/": 5, "/schedule/": 9, "/register/S00007/": 18, "/": 16}


@pytest.fixture
def secas(db):
    return Person.objects.create(username="clerk", kind="secas")


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", list(PAGES))
def test_page_queries_do_not_grow_with_the_register(client, secas, url):
    client.force_login(secas)
    load_synthetic(10)
    small = queries_for(client, url)
    load_synthetic(990, prefix="T")
    large = queries_for(client, url)
    assert small == large == PAGES[url]


def test_one_partys_schedule_agrees_with_the_whole_registers(demo):
    """The party page works out one schedule from the parties its size depends on (G8.43,
    G8.46, G8.63); it must give what the register-wide schedule gives, for every party."""
    from secassure.assurance.selectors import party_schedule, register_schedule
    from secassure.registry.models import Party
    from tests.conftest import TODAY
    whole = {e.party_id: e for e in register_schedule(TODAY)}
    for party in Party.objects.filter(is_dcc=False):
        assert party_schedule(party, TODAY) == whole[party.party_id], party.party_id
