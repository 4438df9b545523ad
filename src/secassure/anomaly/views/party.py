"""A party's thresholds page: its thresholds, the mandatory ones its User IDs lack (G6.3) and
those breaking the zero rule (G6.4A), its test statuses (G6.4A), its signing keys and signed
submissions (G6.6A)."""
from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from secassure.code.classification import PersonKind
from secassure.code.permissions import Action
from secassure.code.roles import UserRole
from secassure.code.srv import load_srvs
from secassure.core.journal.models import JournalEntry
from secassure.core.permissions import can, require
from secassure.core.visibility import person_kind
from secassure.registry.models import Party
from secassure.registry.selectors import visible_parties

from .. import selectors, services
from ..forms import SigningKeyForm, TestStatusForm
from ..services import REFUSALS
from .common import first_error

#: The journal's record of a party's keys, shown to its people (G6.6A).
KEY_EVENTS = ("anomaly.key.registered", "anomaly.key.revoked")


def _party(request, party_id: str) -> Party:
    return get_object_or_404(visible_parties(request.user), party_id=party_id)


def _coverage(party: Party, user_ids: list[tuple[str, UserRole]]) -> list[dict]:
    """Per User ID: its gaps, each with the SRV's name (G6.3 missing, G6.4A violations)."""
    reference = load_srvs()
    gaps = defaultdict(list)
    for gap in selectors.coverage(party):
        gaps[gap.user_id].append({"required": gap.required, "problem": gap.problem,
                                  "name": reference[gap.required.srv].name})
    return [{"value": value, "role": role, "gaps": gaps[value],
             "missing": sum(g["problem"] == "missing" for g in gaps[value])}
            for value, role in user_ids]


def _page(request, party, status=200, error="", **forms):
    user = request.user
    user_ids = selectors.user_ids(party)
    return render(request, "anomaly/party.html", {
        "party": party, "error": error, "coverage": _coverage(party, user_ids),
        "thresholds": selectors.party_thresholds(user, party),
        "tests": selectors.critical_test_statuses(user, party),
        "keys": selectors.signing_keys(user, party),
        # the party is told of every registration and revocation of its keys (G6.6A)
        "key_events": JournalEntry.objects.visible_to(user).filter(
            party=party, action__in=KEY_EVENTS).order_by("-id")[:20],
        "can_revoke": services.own_people(user, party)
        or person_kind(user) in (PersonKind.DCC, PersonKind.SECAS),
        "submissions": selectors.submissions(user, party)[:50],
        "can_test": can(user, Action.RECORD_TEST_STATUS) and bool(user_ids),
        "can_key": services.own_people(user, party),  # the party's own (G6.4, G6.6A)
        "test_form": forms.get("test_form") or TestStatusForm(user_ids=[v for v, _ in user_ids]),
        "key_form": forms.get("key_form") or SigningKeyForm()}, status=status)


@login_required
def party_thresholds(request, party_id: str):
    return _page(request, _party(request, party_id))


@login_required
@require_POST
def party_test_status(request, party_id: str):
    """The DCC or SECAS records whether a User ID passed testing for a Critical Service Request
    (G6.4A); until it has, its threshold for it must be zero."""
    require(request.user, Action.RECORD_TEST_STATUS)
    party = _party(request, party_id)
    form = TestStatusForm(request.POST, user_ids=[v for v, _ in selectors.user_ids(party)])
    if not form.is_valid():
        return _page(request, party, 400, first_error(form), test_form=form)
    data = form.cleaned_data
    user_id = selectors.user_id_of(party, data["user_id"])  # the form allows only the party's
    if user_id is None:
        raise Http404("No such User ID of this party.")
    try:
        services.record_test_status(request.user, user_id, data["srv"], data["passed"])
    except REFUSALS as error:
        return _page(request, party, 400, str(error), test_form=form)
    messages.success(request, f"{data['user_id']} {data['srv']}: "
                              f"{'passed' if data['passed'] else 'not passed'} recorded.")
    return redirect("adt-party", party_id=party_id)


@login_required
@require_POST
def party_key(request, party_id: str):
    """The party's own people register its public key for signed files (G6.4, G6.6A); the
    service refuses anyone else (403)."""
    party = _party(request, party_id)
    if not services.own_people(request.user, party):
        raise PermissionDenied("Only the party's own people register its signing key (G6.6A).")
    form = SigningKeyForm(request.POST)
    if not form.is_valid():
        return _page(request, party, 400, first_error(form), key_form=form)
    try:
        key = services.register_signing_key(request.user, party, form.cleaned_data["public_pem"])
    except REFUSALS as error:
        return _page(request, party, 400, str(error), key_form=form)
    messages.success(request, f"Key {key.fingerprint[:16]}… registered for {party.party_id}.")
    return redirect("adt-party", party_id=party_id)


@login_required
@require_POST
def party_key_revoke(request, party_id: str, pk: int):
    """The party's own people, the DCC or SECAS revoke one of its keys (G6.6A), with a reason."""
    party = _party(request, party_id)
    key = get_object_or_404(selectors.signing_keys(request.user, party), pk=pk)
    try:
        services.revoke_signing_key(request.user, key, request.POST.get("reason", ""))
    except REFUSALS as error:
        return _page(request, party, 400, str(error))
    messages.success(request, f"Key {key.fingerprint[:16]}… of {party.party_id} revoked.")
    return redirect("adt-party", party_id=party_id)
