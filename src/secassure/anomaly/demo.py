"""Thresholds and a quarantine desk for the demo register, made through the real services (so the
signatures, refusals and journal are real): HEARTH and LUMEN each get a signing key (the private
key written where a demo user can sign with it), signed threshold files with gaps left, the DCC's
thresholds, guidance and a SMETS1 limit (G6.6), one replayed file refused (G6.6A), and
quarantined communications waiting for their Users (G6.1(a)(iii)), HEARTH's exceptions
(G6.1(a)(i)), deletions by the DCC with notices to their owners (G6.1(d)(i)) and a traffic
summary for the charts."""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone

from secassure.adt.signing import generate_key, sign
from secassure.adt.summary import summarise
from secassure.code.roles import UserRole
from secassure.code.srv import required_thresholds

from . import services
from .models import Threshold
from .quarantine import load_quarantine
from .services.desk import load_traffic_summary

HEARTH_ID = "90-B3-D5-1F-30-00-0A-00"
LUMEN_IDS = ("90-B3-D5-1F-30-00-01-00", "90-B3-D5-1F-30-00-02-00", "90-B3-D5-1F-30-00-03-00")


def demo_key_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo-keys"


def demo_private_key(party_id: str) -> bytes:
    """The party's demo private key (PEM): kept from an earlier demo load if there is one, so
    files a demo user signed before stay valid; otherwise made and written with mode 600.
    Two loads at once (parallel test runs) agree: the first key linked into place wins."""
    path = demo_key_dir() / f"{party_id}.pem"
    for _ in range(2):
        if path.exists():
            private = path.read_bytes()
            try:
                serialization.load_pem_private_key(private, password=None)
                return private
            except (ValueError, TypeError):
                path.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")  # mode 600
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(generate_key()[0])
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_bytes()


def _public(private: bytes) -> str:
    key = serialization.load_pem_private_key(private, password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _file(identifier: str, party: str, rows: list[tuple],
          exceptions: list[dict] | None = None) -> bytes:
    body: dict = {"format": "secassure-thresholds/1", "id": identifier, "party": party,
                  "thresholds": [{"user_id": u, "srv": s, "counter": c, "warning": w,
                                  "quarantine": q} for u, s, c, w, q in rows]}
    if exceptions:
        body["exceptions"] = exceptions
    return json.dumps(body, indent=1).encode()


def load_anomaly_demo(people: dict, today: date) -> None:
    """`people`: demo logins by username; HEARTH and LUMEN are in the demo register."""
    from secassure.registry.models import Party, UserId
    dcc, ssc = people["dcc"], people["ssc-member"]
    parties = {p.party_id: p for p in Party.objects.filter(party_id__in=["HEARTH", "LUMEN"])}
    keys = {pid: demo_private_key(pid) for pid in parties}
    for pid, private in keys.items():
        # the party's own people register its key (G6.4, G6.6A)
        services.register_signing_key(people[f"rep-{pid}"], parties[pid], _public(private))

    # The DCC's reference data (G6.3(a)(ii), G6.4(b), G6.6(b)) and its own thresholds (G6.6(a)).
    for srv, values in {"4.1.1": {"returns_encrypted": True, "guidance_encrypted": 1000},
                        "4.8.1": {"returns_encrypted": True, "guidance_encrypted": 2500},
                        "7.1": {"guidance_critical": 40}, "7.2": {"guidance_critical": 50}
                        }.items():
        services.keep_srv_reference(dcc, srv, **values)
    # the SMETS1 value limits are agreed with the SSC (G6.6(b)), through a proposal
    limits = services.propose_dcc_limits(dcc, "1.5", Decimal(0), Decimal(500))
    services.give_ssc_opinion_on_proposal(ssc, limits, "0 to 500 covers every meter seen.")
    services.set_proposed_threshold(dcc, limits, "as agreed with the SSC (G6.6(b))")
    for srv, counter, quarantine, warning in [("7.1", "critical", 5000, 4000),
                                              ("7.2", "critical", 5000, 4000),
                                              ("4.1.1", "encrypted", 200_000, 150_000)]:
        proposal = services.propose_dcc_threshold(dcc, counter, quarantine, warning, srv=srv)
        services.give_ssc_opinion_on_proposal(ssc, proposal, "Appropriate for the volumes "
                                              "the DCC reports (G6.7(b)).", quarantine)
        services.set_proposed_threshold(dcc, proposal, "the SSC's opinion agrees (G6.7(b))")

    # Testing of Critical Service Requests (G6.4A): above zero only once passed.
    ids = {u.value: u for u in UserId.objects.filter(value__in=(HEARTH_ID, *LUMEN_IDS))}
    for value, srv in [(HEARTH_ID, "7.2"), (HEARTH_ID, "11.3"), (LUMEN_IDS[0], "7.1"),
                       (LUMEN_IDS[0], "6.17")]:
        services.record_test_status(dcc, ids[value], srv, True)

    # G6.7(b): a DCC proposal for a Critical Command (G6.6(c)) awaiting the SSC's opinion, and
    # one the SSC has answered, not yet set; G6.9: HEARTH consults the DCC before setting 7.2.
    services.propose_dcc_threshold(dcc, "critical", 200, 150, command="CS11",
                                   reason="Critical Command not related to an SRV (G6.6(c))")
    answered = services.propose_dcc_threshold(dcc, "critical", 6000, 5000, srv="11.3")
    services.give_ssc_opinion_on_proposal(ssc, answered, "Lower: 4000 is enough for the volumes "
                                          "seen.", 4000)
    asked = services.consult_dcc(people["rep-HEARTH"], ids[HEARTH_ID], "7.2", "critical", 60,
                                 40, "Our peak is about 45 a day.")
    services.answer_consultation(dcc, asked, "50 detects a Compromise of your systems "
                                 "sooner (G6.9(b)).", 50)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    hearth = _file(f"HEARTH-{today:%Y%m%d}-001", "HEARTH", [
        (HEARTH_ID, "7.1", "critical", None, 0), (HEARTH_ID, "7.2", "critical", 40, 50),
        (HEARTH_ID, "11.3", "critical", None, 20), (HEARTH_ID, "6.15.1", "critical", None, 0),
        (HEARTH_ID, "4.1.1", "encrypted", 800, 1000),
        (HEARTH_ID, "4.8.1", "encrypted", None, 2000)], [
        # G6.1(a)(i), G6.6A: exceptions in the same signed file as the thresholds: one in
        # force now (a migration weekend), one ahead
        {"user_id": HEARTH_ID, "srv": "4.1.1", "counter": "encrypted",
         "from": _utc(hour - timedelta(days=1)), "to": _utc(hour + timedelta(days=2)),
         "warning": 1600, "quarantine": 2000},
        {"user_id": HEARTH_ID, "srv": "4.1.1", "counter": "encrypted",
         "from": _utc(hour + timedelta(days=20)), "to": _utc(hour + timedelta(days=23)),
         "warning": None, "quarantine": 3000}])
    levels = {"7.1": 30, "6.17": 10}
    complete = [(LUMEN_IDS[0], r.srv, r.counter, None,
                 levels.get(r.srv, 0) if r.counter == "critical" else 1200)
                for r in required_thresholds(UserRole.IMPORT_SUPPLIER,
                                             frozenset({"4.1.1", "4.8.1"}))]
    lumen = _file(f"LUMEN-{today:%Y%m%d}-001", "LUMEN", complete + [
        (LUMEN_IDS[1], "7.1", "critical", None, 0), (LUMEN_IDS[1], "4.1.1", "encrypted", 500, 900)])
    signature = sign(hearth, keys["HEARTH"])
    services.submit_signed_file(people["rep-HEARTH"], hearth, signature)
    services.submit_signed_file(people["rep-LUMEN"], lumen, sign(lumen, keys["LUMEN"]))
    with contextlib.suppress(services.SubmissionRefused):  # a replay: refused (G6.6A)
        services.submit_signed_file(people["rep-HEARTH"], hearth, signature)
    # A failed retest after the level was set: the page shows a G6.4A violation for LUMEN.
    services.record_test_status(dcc, ids[LUMEN_IDS[0]], "6.17", False)

    by_key = {(t.user_id.value, t.srv.srv, t.counter): t for t in Threshold.objects.filter(
        user_id__value=HEARTH_ID).select_related("user_id", "srv")}
    services.give_opinion(dcc, by_key[HEARTH_ID, "7.2", "critical"],
                          "In line with the DCC's guidance of 50 for 7.2 (G6.9).")
    services.give_opinion(ssc, by_key[HEARTH_ID, "4.1.1", "encrypted"],
                          "Acceptable for HEARTH's portfolio size; review in six months.")
    services.set_review_date(people["rep-HEARTH"], by_key[HEARTH_ID, "4.1.1", "encrypted"],
                             today + timedelta(days=182))
    services.set_review_date(people["rep-HEARTH"], by_key[HEARTH_ID, "7.2", "critical"],
                             today - timedelta(days=10))
    services.consult_dcc(people["rep-LUMEN"], ids[LUMEN_IDS[1]], "4.1.1", "encrypted", 1500,
                         note="A larger portfolio from next month.")
    # G6.10(a): HEARTH has reviewed one threshold, having regard to the SSC's opinion.
    services.review_threshold(people["rep-HEARTH"], by_key[HEARTH_ID, "4.1.1", "encrypted"],
                              str(Threshold.Review.APPROPRIATE),
                              "Volumes unchanged since it was set; the SSC's opinion agrees.")
    _quarantine(people, keys["LUMEN"])
    _traffic(people, hour)


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"


def _traffic(people: dict, now: datetime) -> None:
    """A traffic summary for the charts: three days of HEARTH's 4.1.1 (encrypted) and 7.2
    (critical) traffic and LUMEN's 7.1, hourly, counted in a one-day window as `adt run`
    counts."""
    rng = np.random.default_rng(12)
    keys = [(HEARTH_ID, "4.1.1", "", "encrypted"), (HEARTH_ID, "7.2", "", "critical"),
            (LUMEN_IDS[0], "7.1", "", "critical")]
    start = int((now - timedelta(days=3)).timestamp()) * 1_000_000
    hour = 3_600_000_000
    counts = rng.poisson([14.0, 1.2, 0.8], (72, len(keys)))
    times = np.concatenate([start + h * hour + rng.integers(0, hour, counts[h, k])
                            for h in range(72) for k in range(len(keys))])
    key = np.concatenate([np.full(counts[h, k], k, np.int64)
                          for h in range(72) for k in range(len(keys))])
    order = np.argsort(times, kind="stable")
    summary = summarise(key[order], times[order].astype(np.int64), keys, 24 * hour, hour)
    load_traffic_summary(people["dcc"], summary, 86400, 3600, label="demo traffic")


def _counter(srv: str) -> str:
    return "encrypted" if srv in ("4.1.1", "4.8.1") else "critical"


def _quarantine(people: dict, lumen_key: bytes) -> None:
    """Eleven quarantined communications from a run (six HEARTH, five LUMEN), one of which LUMEN
    has already released by a signed instruction (G6.1(a)(iii))."""
    now = timezone.now()
    rows = [(f"demo-q{n:02d}", now - timedelta(hours=hours), user_id, srv)
            for n, (hours, user_id, srv) in enumerate([
                (2, HEARTH_ID, "7.2"), (5, HEARTH_ID, "7.2"), (26, HEARTH_ID, "4.1.1"),
                (30, HEARTH_ID, "7.1"), (50, HEARTH_ID, "11.3"), (75, HEARTH_ID, "4.8.1"),
                (1, LUMEN_IDS[0], "7.1"), (8, LUMEN_IDS[0], "6.17"), (20, LUMEN_IDS[1], "7.1"),
                (44, LUMEN_IDS[1], "4.1.1"), (96, LUMEN_IDS[0], "4.8.1")], start=1)]
    with tempfile.TemporaryDirectory() as folder:
        traffic, decisions = Path(folder) / "traffic.csv", Path(folder) / "decisions.csv"
        # G6.1(d)(i): SMETS1 Service Requests outside 1.5's limits (0 to 500), deleted
        deleted = [("demo-d1", now - timedelta(hours=3), HEARTH_ID, "1.5", "900"),
                   ("demo-d2", now - timedelta(hours=27), HEARTH_ID, "1.5", "-4"),
                   ("demo-d3", now - timedelta(hours=28), LUMEN_IDS[0], "1.5", "501")]
        timed = sorted([(ts, f"{cid},{ts:%Y-%m-%dT%H:%M:%S}Z,{uid},{srv},1,0,0,\n")
                        for cid, ts, uid, srv in rows]
                       + [(ts, f"{cid},{ts:%Y-%m-%dT%H:%M:%S}Z,{uid},{srv},1,0,1,{value}\n")
                          for cid, ts, uid, srv, value in deleted])
        traffic.write_text("id,ts,user_id,srv,critical,encrypted,smets1,value\n"
                           + "".join(line for _, line in timed)
                           + f"demo-ok,{now:%Y-%m-%dT%H:%M:%S}Z,{HEARTH_ID},4.1.1,0,1,0,\n")
        # `adt run` v2: id,decision,warning,reason
        decisions.write_text("id,decision,warning,reason\n" + "".join(
            f"{cid},QUARANTINE,0,{uid}/{srv}/{_counter(srv)}:quarantine>0\n"
            for cid, _, uid, srv in rows)
            + "".join(f"{cid},DELETE,0,limit\n" for cid, *_ in deleted)
            + "demo-ok,PROCESS,0,\n")
        load_quarantine(people["dcc"], traffic, decisions, label="demo run")
    instruction = json.dumps({"format": "secassure-exit-quarantine/1", "id": "LUMEN-exit-demo",
                              "party": "LUMEN", "instructions": [
                                  {"communication": "demo-q11", "action": "process"}]}).encode()
    services.submit_signed_file(people["rep-LUMEN"], instruction, sign(instruction, lumen_key))
