"""Pages answer with a fixed number of queries, however large the register."""
import pytest

from secassure.accounts.models import Person
from secassure.assurance.models import Assessment
from secassure.registry.models import Party, PartyRole, ResourceSharing


def build_register(size: int) -> None:
    """`size` parties with roles, sharing and two assessments each, written in bulk."""
    parties = Party.objects.bulk_create(
        Party(party_id=f"P{i:05d}", name=f"Party {i}", domestic_premises=i * 300,
              non_domestic_premises=i) for i in range(size))
    roles = ["import_supplier", "electricity_distributor", "other_user", "gas_supplier"]
    PartyRole.objects.bulk_create(PartyRole(party=p, role=roles[i % 4])
                                  for i, p in enumerate(parties))
    ResourceSharing.objects.bulk_create(ResourceSharing(party=a, partner=b)
                                        for a, b in zip(parties[::2], parties[1::2]))
    Assessment.objects.bulk_create(
        Assessment(party=p, category=c, completed=f"202{k}-03-01", initial=k == 2,
                   assurance_status="approved" if k == 2 else "",
                   status_set=f"202{k}-04-01" if k == 2 else None)
        for p in parties for k, c in ((2, "FUSA"), (3, "VUSA")))


@pytest.fixture
def secas(db):
    return Person.objects.create(username="clerk", kind="secas")


def queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


PAGES = {"/register/": 5, "/schedule/": 8, "/register/P00007/": 17, "/": 9}


@pytest.mark.parametrize("url", list(PAGES))
def test_page_queries_do_not_grow_with_the_register(client, secas, url):
    client.force_login(secas)
    build_register(10)
    small = queries_for(client, url)
    build_register_more(990)
    large = queries_for(client, url)
    assert small == large == PAGES[url]


def build_register_more(size):
    start = Party.objects.count()
    parties = Party.objects.bulk_create(
        Party(party_id=f"Q{i:05d}", name=f"Party {i}", domestic_premises=i)
        for i in range(start, start + size))
    PartyRole.objects.bulk_create(PartyRole(party=p, role="gas_transporter") for p in parties)
    Assessment.objects.bulk_create(Assessment(party=p, category="FUSA", completed="2024-01-01",
                                              initial=True, assurance_status="approved",
                                              status_set="2024-02-01") for p in parties)
