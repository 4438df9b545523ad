"""Consultation, notification and review of thresholds (G6.7(b)-G6.10), at the services.

G6.7(b): the DCC sets a threshold "before doing so consult, and take into account the opinion
of, the Security Sub-Committee". G6.8: "The DCC shall notify the Security Sub-Committee of (a)
each Anomaly Detection Threshold that it sets; and (b) each ... set by a User and notified to
the DCC". G6.9: consulted by a User, the DCC shall "provide to the User its opinion as to the
appropriate level". G6.10: the DCC and each User keep each threshold "under review", have
regard to the SSC's opinion "from time to time", and "where the level ... is no longer
appropriate, set a new Anomaly Detection Threshold".
"""
import json
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from secassure.adt.signing import sign
from secassure.anomaly import consultations, selectors, services
from secassure.anomaly.demo import HEARTH_ID, LUMEN_IDS, demo_private_key, load_anomaly_demo
from secassure.anomaly.models import DccProposal, SscOpinion, Threshold, UserConsultation
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import UserId
from tests.conftest import TODAY

PEOPLE = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc-assessor", "dcc",
          "triage-operator", "rep-HEARTH", "rep-LUMEN"]


@pytest.fixture
def adt(demo):
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    return demo


def hearth_file(identifier: str, rows: list[tuple]) -> tuple[bytes, bytes]:
    content = json.dumps({"format": "secassure-thresholds/1", "id": identifier,
                          "party": "HEARTH", "thresholds": [
                              {"user_id": u, "srv": s, "counter": c, "warning": w,
                               "quarantine": q} for u, s, c, w, q in rows]}).encode()
    return content, sign(content, demo_private_key("HEARTH"))


# --- G6.7(b): the order rule ---------------------------------------------------------------

@pytest.mark.parametrize("username, may_propose, may_opine, may_set", [
    ("dcc", True, False, True),
    ("ssc-member", False, True, False),
    ("secas", False, False, False),
    ("panel-member", False, False, False),
    ("rep-HEARTH", False, False, False),
    ("dcc-assessor", False, False, False),
])
def test_who_proposes_gives_the_opinion_and_sets(adt, username, may_propose, may_opine,
                                                 may_set):
    """G6.7(b): the DCC proposes and sets; the SSC gives its opinion; no one else does either."""
    person = adt[username]
    if may_propose:
        proposal = services.propose_dcc_threshold(person, "critical", 300, srv="7.1")
    else:
        with pytest.raises(PermissionDenied):
            services.propose_dcc_threshold(person, "critical", 300, srv="7.1")
        proposal = services.propose_dcc_threshold(adt["dcc"], "critical", 300, srv="7.1")
    if may_opine:
        services.give_ssc_opinion_on_proposal(person, proposal, "Fine.", 300)
    else:
        with pytest.raises(PermissionDenied):
            services.give_ssc_opinion_on_proposal(person, proposal, "Fine.", 300)
        services.give_ssc_opinion_on_proposal(adt["ssc-member"], proposal, "Fine.", 300)
    if may_set:
        assert services.set_proposed_threshold(person, proposal).quarantine == 300
    else:
        with pytest.raises(PermissionDenied):
            services.set_proposed_threshold(person, proposal)
        assert DccProposal.objects.get(pk=proposal.pk).state == "opinion_given"


def test_the_dcc_sets_only_after_the_ssc_opinion_and_once(adt):
    """G6.7(b): "before doing so consult, and take into account the opinion of, the SSC"."""
    dcc, ssc = adt["dcc"], adt["ssc-member"]
    before = Threshold.objects.get(user_id=None, srv__srv="7.1", counter="critical").quarantine
    proposal = services.propose_dcc_threshold(dcc, "critical", 4500, 4000, srv="7.1",
                                              reason="volumes fell")
    with pytest.raises(services.ThresholdConflict, match=r"G6\.7\(b\).*awaits the SSC"):
        services.set_proposed_threshold(dcc, proposal)
    with pytest.raises(services.ThresholdConflict, match=r"G6\.7\(b\)"):
        services.set_dcc_threshold(dcc, "7.1", "critical", 4500, 4000)  # the old door too
    assert Threshold.objects.get(user_id=None, srv__srv="7.1",
                                 counter="critical").quarantine == before
    with pytest.raises(services.ThresholdConflict, match="still open"):
        services.propose_dcc_threshold(dcc, "critical", 4600, srv="7.1")
    services.give_ssc_opinion_on_proposal(ssc, proposal, "4000 would be better.", 4000)
    with pytest.raises(services.ThresholdConflict, match="already given by ssc-member"):
        services.give_ssc_opinion_on_proposal(adt["ssc-member"], proposal, "Again.")
    # departing from the SSC's level needs the DCC's reasons (400 naming the field)
    with pytest.raises(services.ThresholdError, match="^account: .*departs"):
        services.set_proposed_threshold(dcc, proposal)
    threshold = services.set_proposed_threshold(dcc, proposal, "peaks of 4300 seen in March")
    assert (threshold.quarantine, threshold.warning) == (4500, 4000)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.account, proposal.threshold_id) == (
        "set", "peaks of 4300 seen in March", threshold.pk)
    with pytest.raises(services.ThresholdConflict, match="already set"):
        services.set_proposed_threshold(dcc, proposal, "again")
    actions = list(JournalEntry.objects.filter(subject__in=[f"proposal:{proposal.pk}",
                                                            f"threshold:{threshold.pk}"])
                   .order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["anomaly.proposal.made", "anomaly.proposal.ssc_opinion",
                            "anomaly.dcc_threshold.set"]


def test_a_withdrawn_proposal_is_never_set(adt):
    proposal = services.propose_dcc_threshold(adt["dcc"], "encrypted", 9, srv="4.8.1")
    services.withdraw_proposal(adt["dcc"], proposal, "wrong SRV")
    with pytest.raises(services.ThresholdConflict, match="withdrawn"):
        services.give_ssc_opinion_on_proposal(adt["ssc-member"], proposal, "Fine.")
    with pytest.raises(services.ThresholdConflict, match="withdrawn"):
        services.set_proposed_threshold(adt["dcc"], proposal)


def test_a_critical_command_not_related_to_an_srv(adt):
    """G6.6(c): the DCC's threshold on each Critical Command not related to an SRV, exported
    as the engine reads it (user_id `*`, srv empty, command, counter critical)."""
    dcc = adt["dcc"]
    for kwargs, field in [({"srv": "7.1", "command": "CS11"}, "srv"), ({}, "srv"),
                          ({"command": "CS 11"}, "command")]:
        with pytest.raises(services.ThresholdError, match=f"^{field}: "):
            services.propose_dcc_threshold(dcc, "critical", 10, **kwargs)
    with pytest.raises(services.ThresholdError, match="^counter: "):
        services.propose_dcc_threshold(dcc, "encrypted", 10, command="CS12")
    proposal = services.propose_dcc_threshold(dcc, "critical", 12, 10, command="CS12")
    services.give_ssc_opinion_on_proposal(adt["ssc-member"], proposal, "Agreed.")
    threshold = services.set_proposed_threshold(dcc, proposal)
    assert (threshold.srv, threshold.command, threshold.user_id) == (None, "CS12", None)
    assert "*,,CS12,critical,10,12" in selectors.thresholds_csv().splitlines()
    assert selectors.thresholds_csv().splitlines()[0] == \
        "user_id,srv,command,counter,warning,quarantine"


@pytest.mark.django_db(transaction=True)
def test_two_ssc_members_at_once_and_the_dcc_setting_twice(reseeded, demo):
    """A race gives one result and a clear conflict, never an error: two SSC members give an
    opinion at the same moment; then the DCC sets the same proposal twice at once."""
    from django.db import connection
    ssc_two = type(demo["ssc-member"]).objects.create(username="ssc-two", kind="ssc_member")
    proposal = services.propose_dcc_threshold(demo["dcc"], "critical", 77, srv="7.1")

    def together(calls):
        barrier = threading.Barrier(len(calls))
        outcomes: list[object] = []

        def run(call):
            try:
                barrier.wait()
                outcomes.append(call())
            except BaseException as error:  # noqa: BLE001 (the test reports every outcome)
                outcomes.append(error)
            finally:
                connection.close()
        threads = [threading.Thread(target=run, args=(c,)) for c in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    outcomes = together([
        lambda: services.give_ssc_opinion_on_proposal(demo["ssc-member"], proposal, "A."),
        lambda: services.give_ssc_opinion_on_proposal(ssc_two, proposal, "B.")])
    conflicts = [o for o in outcomes if isinstance(o, services.ThresholdConflict)]
    assert len(conflicts) == 1 and len([o for o in outcomes if isinstance(o, DccProposal)]) == 1
    outcomes = together([lambda: services.set_proposed_threshold(demo["dcc"], proposal)] * 2)
    assert sorted(type(o).__name__ for o in outcomes) == ["Threshold", "ThresholdConflict"]
    assert JournalEntry.objects.filter(action="anomaly.dcc_threshold.set",
                                       details__proposal=proposal.pk).count() == 1


def test_ssc_opinions_on_any_threshold_are_kept(adt):
    """G6.10(b): "any opinion provided to it by the Security Sub-Committee from time to time":
    each is kept with who and when; the latest is the threshold's `ssc_view`."""
    threshold = Threshold.objects.get(user_id__value=HEARTH_ID, srv__srv="7.2")
    services.give_opinion(adt["ssc-member"], threshold, "First view.")
    services.give_opinion(adt["ssc-member"], threshold, "Second view.", level=45)
    kept = list(SscOpinion.objects.filter(threshold=threshold).values_list("text", "level",
                                                                           "given_by__username"))
    assert kept[:2] == [("Second view.", 45, "ssc-member"), ("First view.", None, "ssc-member")]
    threshold.refresh_from_db()
    assert threshold.ssc_view == "Second view."


# --- G6.8: what the SSC is notified of, without User IDs -----------------------------------

def test_the_ssc_is_notified_of_every_threshold_without_user_ids(adt):
    """G6.8(a) the DCC's thresholds set; G6.8(b) the Users' notified by signed file."""
    content, signature = hearth_file("HEARTH-feed-1", [(HEARTH_ID, "7.2", "critical", 30, 35)])
    services.submit_signed_file(adt["rep-HEARTH"], content, signature)
    feed = consultations.notices(adt["ssc-member"])
    newest = feed[0]
    assert (newest.kind, newest.party, newest.role, newest.target, newest.quarantine,
            newest.source) == ("user", "HEARTH", "Import Supplier", "7.2", 35, "HEARTH-feed-1")
    assert {("dcc", "7.1", 5000), ("dcc", "4.1.1", 200_000)} <= {
        (n.kind, n.target, n.quarantine) for n in feed}
    values = set(UserId.objects.values_list("value", flat=True))
    assert not any(value in repr(n) for n in feed for value in values)
    assert [n.at for n in feed] == sorted((n.at for n in feed), reverse=True)
    assert consultations.notices(adt["ssc-member"], newest=3) == feed[:3]  # the page's cut
    for username in ("rep-HEARTH", "panel-member", "triage-operator"):
        assert consultations.notices(adt[username]) == []


def test_the_monthly_summary(adt):
    """G6.8: per SRV and counter, how many User thresholds were set or changed in the month,
    their lowest, median and highest levels, and the DCC's level."""
    rows = {(r.target, r.counter): r for r in consultations.monthly_summary(
        adt["ssc-member"], timezone.localdate())}
    encrypted = rows["4.1.1", "encrypted"]
    assert (encrypted.count, encrypted.low, encrypted.median, encrypted.high,
            encrypted.dcc_level) == (3, 900, 1000, 1200, 200_000)
    assert consultations.monthly_summary(adt["ssc-member"],
                                         timezone.localdate() - timedelta(days=62)) == []


# --- G6.9: Users consult the DCC ------------------------------------------------------------

def test_a_user_consults_the_dcc_and_the_register_shows_its_opinion(adt):
    """G6.9(a): the DCC "provide[s] to the User its opinion as to the appropriate level"; the
    register shows it beside the level the signed file then set, "not consulted" elsewhere."""
    user_id = UserId.objects.get(value=HEARTH_ID)
    for username in ("rep-LUMEN", "dcc", "ssc-member", "secas"):
        with pytest.raises(PermissionDenied):
            services.consult_dcc(adt[username], user_id, "11.3", "critical", 15)
    with pytest.raises(services.ThresholdError, match="^warning: "):
        services.consult_dcc(adt["rep-HEARTH"], user_id, "11.3", "critical", 15, warning=20)
    asked = services.consult_dcc(adt["rep-HEARTH"], user_id, "11.3", "critical", 15)
    for username in ("ssc-member", "rep-HEARTH"):
        with pytest.raises(PermissionDenied):
            services.answer_consultation(adt[username], asked, "ok", 15)
    with pytest.raises(services.ThresholdError, match="^level: "):
        services.answer_consultation(adt["dcc"], asked, "ok", None)
    services.answer_consultation(adt["dcc"], asked, "12 is enough for your volumes.", 12)
    with pytest.raises(services.ThresholdConflict, match=r"G6\.9: .*already given"):
        services.answer_consultation(adt["dcc"], asked, "again", 13)
    content, signature = hearth_file("HEARTH-after-advice", [(HEARTH_ID, "11.3", "critical",
                                                              None, 12)])
    services.submit_signed_file(adt["rep-HEARTH"], content, signature)
    rows = list(selectors.thresholds(adt["rep-HEARTH"]).filter(user_id=user_id))
    beside = consultations.consultation_beside(adt["rep-HEARTH"], rows)
    by_srv = {t.srv.srv: beside.get(t.pk) for t in rows}
    assert by_srv["11.3"].opinion_level == 12 and by_srv["7.2"].opinion_level == 50
    assert by_srv["4.8.1"] is None  # not consulted


def test_another_partys_consultation_is_not_there(adt):
    """G6.9: a User's consultation is its own people's and the DCC's: another party (and
    anyone outside the SSC and SECAS) does not see it."""
    lumen = UserConsultation.objects.get(user_id__value=LUMEN_IDS[1])
    seen = {u: set(consultations.consultations(adt[u]).values_list("pk", flat=True))
            for u in PEOPLE}
    for username in ("rep-LUMEN", "dcc", "ssc-member", "secas"):
        assert lumen.pk in seen[username], username
    for username in ("rep-HEARTH", "panel-member", "cio-assessor", "dcc-assessor"):
        assert lumen.pk not in seen[username], username
    assert consultations.shows_user_ids(adt["dcc"]) and consultations.shows_user_ids(
        adt["rep-LUMEN"])
    assert not consultations.shows_user_ids(adt["ssc-member"])


# --- G6.10: review --------------------------------------------------------------------------

def test_review_period_overdue_and_no_longer_appropriate(adt):
    """G6.10: SECAS sets the period; thresholds not reviewed within it are listed to their
    owner; "no longer appropriate" flags the threshold until a new signed one replaces it."""
    for username in ("dcc", "ssc-member", "rep-HEARTH"):
        with pytest.raises(PermissionDenied):
            services.set_review_period(adt[username], 6)
    for bad in (0, 121, "6"):
        with pytest.raises(services.ThresholdError, match="^months: "):
            services.set_review_period(adt["secas"], bad)
    assert services.review_period().months == 12
    Threshold.objects.update(set_at=timezone.now() - timedelta(days=200))
    assert consultations.overdue(adt["rep-HEARTH"]).count() == 0
    services.set_review_period(adt["secas"], 6)
    mine = set(consultations.overdue(adt["rep-HEARTH"]))
    assert mine and {t.user_id.party_role.party.party_id for t in mine} == {"HEARTH"}
    assert {t.user_id for t in consultations.overdue(adt["dcc"])} == {None}
    threshold = Threshold.objects.get(user_id__value=HEARTH_ID, srv__srv="4.1.1")
    for username in ("dcc", "rep-LUMEN", "ssc-member", "secas"):
        with pytest.raises(PermissionDenied):
            services.review_threshold(adt[username], threshold, "appropriate", "x")
    with pytest.raises(services.ThresholdError, match="^reasons: "):
        services.review_threshold(adt["rep-HEARTH"], threshold, "no_longer", " ")
    with pytest.raises(services.ThresholdError, match="^outcome: "):
        services.review_threshold(adt["rep-HEARTH"], threshold, "fine", "x")
    services.review_threshold(adt["rep-HEARTH"], threshold, "no_longer", "portfolio doubled")
    threshold.refresh_from_db()
    assert threshold.flagged and threshold not in consultations.overdue(adt["rep-HEARTH"])
    assert threshold in consultations.flagged(adt["rep-HEARTH"])
    content, signature = hearth_file("HEARTH-review-1", [(HEARTH_ID, "4.1.1", "encrypted",
                                                          1600, 2000)])
    services.submit_signed_file(adt["rep-HEARTH"], content, signature)
    threshold.refresh_from_db()
    assert not threshold.flagged and threshold.quarantine == 2000


def test_the_dccs_threshold_no_longer_appropriate_is_replaced_by_a_proposal(adt):
    """G6.10(c) for the DCC: a new threshold "in accordance with ... this Section G6", so
    through a proposal and the SSC's opinion (G6.7(b))."""
    dcc = adt["dcc"]
    threshold = Threshold.objects.get(user_id=None, srv__srv="7.2")
    with pytest.raises(PermissionDenied):
        services.review_threshold(adt["rep-HEARTH"], threshold, "appropriate", "x")
    services.review_threshold(dcc, threshold, "no_longer", "too high")
    threshold.refresh_from_db()
    assert threshold.flagged
    proposal = services.propose_dcc_threshold(dcc, "critical", 3000, 2500, srv="7.2")
    services.give_ssc_opinion_on_proposal(adt["ssc-member"], proposal, "Agreed.", 3000)
    services.set_proposed_threshold(dcc, proposal)
    threshold.refresh_from_db()
    assert not threshold.flagged and threshold.quarantine == 3000


# --- Who may do what, for every kind of person: the table and the services agree ---------

#: (person, consults the DCC for HEARTH's User ID (G6.9), answers a consultation (G6.9(a)),
#: sets the review period (G6.10), reviews HEARTH's threshold, reviews the DCC's (G6.10(a)))
WHO = [
    ("secas", False, False, True, False, False),
    ("ssc-member", False, False, False, False, False),
    ("panel-member", False, False, False, False, False),
    ("cio-assessor", False, False, False, False, False),
    ("dcc-assessor", False, False, False, False, False),
    ("dcc", False, True, False, False, True),
    ("triage-operator", False, False, False, False, False),   # another party's
    ("rep-HEARTH", True, False, False, True, False),
    ("rep-LUMEN", False, False, False, False, False),
]


@pytest.mark.parametrize("username, consults, answers, sets_period, reviews_users, "
                         "reviews_dccs", WHO)
def test_who_consults_answers_and_reviews(adt, username, consults, answers, sets_period,
                                          reviews_users, reviews_dccs):
    """G6.9: "Where the DCC is consulted by a User ... the DCC shall provide to the User its
    opinion"; G6.10: "The DCC and each User shall, in relation to each Anomaly Detection
    Threshold that it sets: (a) keep [it] under review"."""
    person = adt[username]
    user_id = UserId.objects.get(value=HEARTH_ID)

    def outcome(call):
        try:
            call()
            return True
        except PermissionDenied:
            return False
    assert outcome(lambda: services.consult_dcc(person, user_id, "11.3", "critical",
                                                5)) is consults
    asked = UserConsultation.objects.filter(state="asked").first()
    assert outcome(lambda: services.answer_consultation(person, asked, "ok", 5)) is answers
    assert outcome(lambda: services.set_review_period(person, 6)) is sets_period
    users = Threshold.objects.get(user_id=user_id, srv__srv="7.2")
    assert outcome(lambda: services.review_threshold(person, users, "appropriate",
                                                     "fine")) is reviews_users
    dccs = Threshold.objects.get(user_id=None, srv__srv="7.2")
    assert outcome(lambda: services.review_threshold(person, dccs, "appropriate",
                                                     "fine")) is reviews_dccs


def test_value_limits_are_agreed_with_the_ssc(adt):
    """G6.6(b): the DCC sets a threshold "in respect of a data value that has been agreed with
    the Security Sub-Committee": the limits are a proposal too, set after the SSC's opinion;
    the old door (keep_srv_reference) sets only limits so agreed."""
    from decimal import Decimal

    from secassure.anomaly.models import ServiceReferenceVariant
    dcc, ssc = adt["dcc"], adt["ssc-member"]
    for low, high, field in [(None, None, "value_min"), (Decimal(9), Decimal(1), "value_max")]:
        with pytest.raises(services.ThresholdError, match=f"^{field}: "):
            services.propose_dcc_limits(dcc, "1.5", low, high)
    with pytest.raises(PermissionDenied):
        services.propose_dcc_limits(ssc, "1.5", Decimal(0), Decimal(400))
    with pytest.raises(services.ThresholdConflict, match=r"G6\.6\(b\)"):
        services.keep_srv_reference(dcc, "1.5", value_max=Decimal(400))
    proposal = services.propose_dcc_limits(dcc, "1.5", Decimal(0), Decimal(400))
    with pytest.raises(services.ThresholdConflict, match="still open"):
        services.propose_dcc_limits(dcc, "1.5", Decimal(0), Decimal(300))
    with pytest.raises(services.ThresholdConflict, match="awaits the SSC"):
        services.set_proposed_threshold(dcc, proposal)
    services.give_ssc_opinion_on_proposal(ssc, proposal, "400 is the largest reading seen.")
    variant = services.set_proposed_threshold(dcc, proposal)
    assert isinstance(variant, ServiceReferenceVariant)
    assert (variant.value_min, variant.value_max) == (0, 400)
    assert ServiceReferenceVariant.objects.get(srv="1.5").value_max == 400
    assert "1.5,0,400" in selectors.limits_csv().splitlines()
    proposal.refresh_from_db()
    assert proposal.state == "set" and str(proposal).endswith("limits 0 to 400")
    # guidance, not limits, is the DCC's own (G6.4(b)): no proposal needed
    services.keep_srv_reference(dcc, "1.5", guidance_critical=7)
