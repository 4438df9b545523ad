"""Pages answer with a fixed number of queries, however large the register."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secassure.accounts.models import Person
from secassure.demo import load_synthetic

#: The pinned query counts (session and user included).
PAGES = {"/register/": 5, "/schedule/": 9, "/register/S00007/": 17, "/": 9}


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
