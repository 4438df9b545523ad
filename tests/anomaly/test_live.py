"""The live engine's state on /adt/live/: shown to the DCC, SECAS and the SSC (position, lag,
rate, last checkpoint), read from Redis; a page that says so when Redis is not configured or
does not answer, never a server error."""
from __future__ import annotations

import shutil

import pytest
import redis

from secassure.adt.live import Live, Options, load_config
from secassure.anomaly.demo import HEARTH_ID
from tests.adt.helpers import iso
from tests.adt.test_live import redis_url  # noqa: F401 (fixture: a redis-server of our own)

from .test_pages import adt  # noqa: F401 (fixture: the demo register with its desk)

needs_redis = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="redis-server is not installed (apt-get install redis-server): the live engine's "
           "tests start their own server")
BASE = 1_772_323_200_000_000


def _entry(i: int, smets1: int = 0, value: str = "") -> dict[str, str]:
    return {"id": f"live-{i}", "ts": iso(BASE + i), "user_id": HEARTH_ID, "srv": "7.2",
            "critical": "1", "encrypted": "0", "smets1": str(smets1), "value": value}


@pytest.mark.parametrize(("username", "status"), [("dcc", 200), ("secas", 200),
                                                  ("ssc-member", 200), ("rep-HEARTH", 403),
                                                  ("dcc-assessor", 403)])
def test_the_live_page_says_when_redis_is_not_configured(client_for, adt, settings,  # noqa: F811
                                                        username, status):
    settings.SECASSURE_REDIS_URL = ""
    name = username
    response = client_for(name).get("/adt/live/")
    assert response.status_code == status
    if status == 200:
        assert "Redis is not configured" in response.content.decode()
        assert "live-link" in client_for(name).get("/adt/").content.decode()
    else:
        assert "live-link" not in client_for(name).get("/adt/").content.decode()


def test_the_live_page_says_when_redis_is_down(client_for, adt, settings):  # noqa: F811
    settings.SECASSURE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client_for("dcc").get("/adt/live/")
    assert response.status_code == 200
    assert "Redis is not reachable" in response.content.decode()


@needs_redis
def test_the_live_page_shows_position_lag_rate_and_checkpoint(client_for, adt, settings,  # noqa: F811
                                                              request, tmp_path):
    url = request.getfixturevalue("redis_url")
    r = redis.Redis.from_url(url)
    r.flushdb()
    r.client_kill_filter(_type="normal", skipme=True)  # engines of earlier tests
    th = tmp_path / "t.csv"
    th.write_text(f"user_id,srv,counter,warning,quarantine\n{HEARTH_ID},7.2,critical,,1\n")
    sent = [r.xadd("in", _entry(i)) for i in range(1, 31)]
    live = Live(r, Options(url, "in", "out", batch=10, block_ms=1),
                load_config(str(th), None, None))
    live.step()
    live.checkpoint_now()
    live._status(force=True)
    settings.SECASSURE_REDIS_URL = url
    body = client_for("dcc").get("/adt/live/").content.decode()
    assert sent[9].decode() in body and sent[-1].decode() in body  # position, newest input
    assert '<td class="num">20</td>' in body  # 20 entries behind
    assert "UTC" in body and "none yet" not in body  # the last checkpoint's time
