"""The live engine in the platform: its quarantines and deletions reach the desk within a second
(G6.1(a)(ii), G6.1(d)(i)): ``secassure adt live`` puts them on ``OUT:desk``, the sink
(``secassure adt live-desk``, ``anomaly.live.DeskSink``) records them through the desk's one
service; and the register's thresholds reach the running engine (``secassure adt
live-publish``, G6.6A)."""
from __future__ import annotations

import shutil
import time

import pytest
import redis

from secassure.adt.live import Live, Options, load_config
from secassure.anomaly.cli import run_command
from secassure.anomaly.demo import HEARTH_ID
from secassure.anomaly.live import DeskSink
from secassure.anomaly.models import QuarantinedCommunication
from secassure.anomaly.selectors import thresholds_csv
from tests.adt.helpers import iso
from tests.adt.test_live import redis_url  # noqa: F401 (fixture: a redis-server of our own)

from .test_pages import adt  # noqa: F401 (fixture: the demo register with its desk)

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="redis-server is not installed (apt-get install redis-server): the live engine's "
           "tests start their own server")
BASE = 1_772_323_200_000_000


def _entry(i: int, smets1: int = 0, value: str = "") -> dict[str, str]:
    return {"id": f"live-{i}", "ts": iso(BASE + i), "user_id": HEARTH_ID, "srv": "7.2",
            "critical": "1", "encrypted": "0", "smets1": str(smets1), "value": value}


def test_quarantines_and_deletions_reach_the_desk_within_a_second(adt, request,  # noqa: F811
                                                                   tmp_path):
    url = request.getfixturevalue("redis_url")
    r = redis.Redis.from_url(url)
    r.flushdb()
    r.client_kill_filter(_type="normal", skipme=True)  # engines of earlier tests
    th = tmp_path / "t.csv"
    th.write_text(f"user_id,srv,counter,warning,quarantine\n{HEARTH_ID},7.2,critical,,1\n")
    lim = tmp_path / "l.csv"
    lim.write_text("srv,min,max\n7.2,0,10\n")
    live = Live(r, Options(url, "in", "out", batch=100, block_ms=1),
                load_config(str(th), str(lim), None))
    sink = DeskSink(r, "out", adt["dcc"], block_ms=1)
    start = time.monotonic()
    for e in (_entry(1), _entry(2), _entry(3, smets1=1, value="11"), _entry(4, value="5")):
        r.xadd("in", e)
    while time.monotonic() - start < 1.0 and not QuarantinedCommunication.objects.filter(
            communication_id="live-3").exists():
        live.step()
        sink.step()
    took = time.monotonic() - start
    rows = dict(QuarantinedCommunication.objects.filter(communication_id__startswith="live-")
                .values_list("communication_id", "decision"))
    assert rows == {"live-2": "quarantine", "live-3": "delete", "live-4": "quarantine"}
    assert took < 1.0
    two = QuarantinedCommunication.objects.get(communication_id="live-2")
    assert (two.user_id_value, two.srv, two.key) == (HEARTH_ID, "7.2",
                                                     f"{HEARTH_ID}/7.2/critical:quarantine>1")
    assert two.status == QuarantinedCommunication.Status.PENDING
    # a sink that read the entries again (killed before it moved its position) adds nothing
    r.delete("out:desk:pos")
    sink.step()
    assert QuarantinedCommunication.objects.filter(
        communication_id__startswith="live-").count() == 3




def test_the_registers_thresholds_reach_the_running_engine(adt, request, tmp_path,  # noqa: F811
                                                           capsys):
    """After a signed file is applied, ``secassure adt live-publish`` sends the register's
    thresholds to the engine's control stream; the engine, started with other files, decides
    from the stated entry on by the register's level (the demo's HEARTH threshold on 7.2)."""
    url = request.getfixturevalue("redis_url")
    r = redis.Redis.from_url(url)
    r.flushdb()
    r.client_kill_filter(_type="normal", skipme=True)  # engines of earlier tests
    th = tmp_path / "t.csv"
    th.write_text(f"user_id,srv,counter,warning,quarantine\n{HEARTH_ID},7.2,critical,,100\n")
    register = [line for line in thresholds_csv().splitlines()
                if line.startswith(f"{HEARTH_ID},7.2,,critical")]
    level = int(register[0].split(",")[-1])
    assert level < 95
    live = Live(r, Options(url, "in", "out", batch=5, block_ms=1),
                load_config(str(th), None, None))
    sent = [r.xadd("in", _entry(i)) for i in range(1, level + 6)]
    live.step()  # the first five by the command line's file
    assert run_command(["live-publish", "--output", "out", "--redis", url,
                        "--from", sent[5].decode()]) == 0
    control = r.xrange("out:control")
    assert control[0][1][b"thresholds"].decode() == thresholds_csv()
    while live.step():
        pass
    decisions = [f[b"decision"].decode() for _, f in r.xrange("out")]
    assert len(decisions) == level + 5
    assert decisions[:6] == ["PROCESS"] * 6  # before the point: the old level (100)
    # from it the register's level, the count carried over (the first six count too)
    assert decisions[6:] == ["QUARANTINE" if n > level else "PROCESS"
                             for n in range(7, level + 6)]
    assert decisions[-5:] == ["QUARANTINE"] * 5
    assert r.hget("out:applied", control[0][0]) == sent[5]
