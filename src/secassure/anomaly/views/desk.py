"""Signed submissions (G6.6A) and the quarantine desk (G6.1(a)(ii)-(iii)).

Signing happens offline with the party's private key: the platform never holds it. The desk
therefore prepares the exit-quarantine instruction as a file to sign; the User uploads the file
and its detached signature on the submit page, and only then is anything released or deleted.
"""
from __future__ import annotations

import json
import re
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from secassure.code.adt_files import ACTIONS, EXIT_FORMAT
from secassure.code.permissions import Action
from secassure.core.permissions import can, require

from .. import selectors, services
from ..forms import LoadRunForm, SubmitForm
from ..models import SignedSubmission
from ..quarantine import load_decisions
from ..services import REFUSALS
from .common import first_error, signing_party

#: The newest deletions the desk lists (read-only; the charts and the report count them all).
DELETIONS_SHOWN = 100
IDENTIFIER = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
SIGN_HINT = ("secassure adt sign {file} --key {key}    # writes {file}.sig\n"
             "# or, with OpenSSL:\n"
             "openssl dgst -sha256 -sign {key} {file} | base64 -w0 > {file}.sig")


def sign_command(user, file: str = "FILE.json") -> str:
    """The commands that sign `file` as G6.6A wants (with the demo key's path in demo mode)."""
    key = demo_key_path(user)
    return SIGN_HINT.format(key=key or "YOUR-PRIVATE-KEY.pem", file=file)


def demo_key_path(user) -> Path | None:
    """Demo mode only: where the demo wrote the party's private key (anomaly/demo.py)."""
    party = getattr(user, "party", None)
    if not settings.SECASSURE_DEMO or party is None:
        return None
    path = Path(settings.DATA_DIR) / "demo-keys" / f"{party.party_id}.pem"
    return path if path.exists() else None


def _submit_page(request, form, status=200, error=""):
    return render(request, "anomaly/submit.html", {
        "form": form, "error": error, "demo_key": demo_key_path(request.user),
        "sign_hint": sign_command(request.user),
        "recent": selectors.submissions(request.user)[:20]}, status=status)


@login_required
def submit(request):
    """Upload a signed threshold file or exit-quarantine instruction with its signature: it is
    applied only if the signature checks against the party's registered key and its id was
    never applied before (G6.6A); otherwise it is refused with the reason and changes nothing."""
    if request.method != "POST":
        return _submit_page(request, SubmitForm())
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        return _submit_page(request, form, 400, first_error(form))
    signature = form.cleaned_data["signature"]
    try:
        submission = services.submit_signed_file(
            request.user, form.cleaned_data["content"].read(),
            signature.read() if signature else b"")
    except REFUSALS as error:
        return _submit_page(request, SubmitForm(), 400, f"Refused, nothing changed: {error}")
    exit_file = submission.kind == SignedSubmission.Kind.EXIT_QUARANTINE
    messages.success(request, f"Applied {submission.identifier} "
                              f"({submission.get_kind_display()}).")
    if exit_file:
        return redirect("adt-quarantine")
    return redirect("adt-party", party_id=submission.party.party_id)


def instruction_document(party_id: str, identifier: str, picks: list[tuple[str, str]]) -> bytes:
    """The exit-quarantine instruction to sign, byte for byte (code/adt_files.py)."""
    return (json.dumps({"format": EXIT_FORMAT, "id": identifier, "party": party_id,
                        "instructions": [{"communication": c, "action": a} for c, a in picks]},
                       indent=2) + "\n").encode()


def _picks(request, queue) -> list[tuple[str, str]]:
    """The ticked communications of the person's own pending queue, with the action each."""
    wanted = request.GET.getlist("pick")
    own = set(queue.filter(communication_id__in=wanted).values_list("communication_id",
                                                                    flat=True))
    return [(c, request.GET.get(f"action-{c}", "process")) for c in wanted
            if c in own and request.GET.get(f"action-{c}", "process") in ACTIONS]


def _download_query(picks: list[tuple[str, str]], identifier: str) -> str:
    return urlencode([("pick", c) for c, _ in picks] + [(f"action-{c}", a) for c, a in picks]
                     + [("id", identifier)])


def _new_identifier(party) -> str:
    """A fresh file id: an applied id is never accepted again (G6.6A)."""
    return f"{party.party_id}-exit-{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def _notice_filter(request) -> int | None:
    """`?notice=N`: the desk filtered to one notice's communications (the notice's link)."""
    value = request.GET.get("notice", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _desk_page(request, status=200, error="", load_form=None):
    user = request.user
    notice = _notice_filter(request)
    queue = selectors.quarantine_queue(user)
    if notice is not None:
        queue = queue.filter(notice_id=notice)
    party = signing_party(user)
    picks = _picks(request, queue) if party else []
    identifier = request.GET.get("id", "")
    if picks and not IDENTIFIER.match(identifier):
        identifier = _new_identifier(party)
    return render(request, "anomaly/quarantine.html", {
        "page": Paginator(queue, 100).get_page(request.GET.get("page")),
        "party": party, "identifier": identifier, "picks": {c for c, _ in picks},
        "deletes": {c for c, a in picks if a == "delete"},
        "document": instruction_document(party.party_id, identifier, picks).decode()
        if picks else "",
        "download_query": _download_query(picks, identifier) if picks else "",
        "overview": list(selectors.queue_overview(user)) if party is None else [],
        "can_load": can(user, Action.LOAD_QUARANTINE), "error": error,
        "notice": notice, "notices": selectors.desk_notices(user)[:20],
        "deletions": list(selectors.deletions(user, notice)[:DELETIONS_SHOWN]),
        "deletions_shown": DELETIONS_SHOWN,
        "load_form": load_form or LoadRunForm(), "now": timezone.now(),
        "sign_hint": sign_command(user, f"{identifier}.json" if picks else "FILE.json"),
        "demo_key": demo_key_path(user)}, status=status)


@login_required
@require_GET
def desk(request):
    """The quarantine desk: the owner sees its own pending communications and their age and
    prepares the instruction to sign; the DCC sees every party's queue (G6.1(a)(iii))."""
    return _desk_page(request)


@login_required
@require_GET
def instruction(request):
    """The prepared instruction as a file to sign offline (never signed here)."""
    party = signing_party(request.user)
    identifier = request.GET.get("id", "")
    picks = _picks(request, selectors.quarantine_queue(request.user)) if party else []
    if not picks or not IDENTIFIER.match(identifier):
        return _desk_page(request, 400, "Tick at least one of your pending communications, "
                                        "then download the instruction from this page.")
    response = HttpResponse(instruction_document(party.party_id, identifier, picks),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{identifier}.json"'
    return response


@login_required
@require_POST
def load_run(request):
    """The DCC loads the quarantined and deleted communications of a run (G6.1(a)(ii),
    G6.1(d)(i)): the traffic and the decisions `secassure adt run` wrote; all or nothing; each
    owner party notified once."""
    require(request.user, Action.LOAD_QUARANTINE)
    form = LoadRunForm(request.POST, request.FILES)
    if not form.is_valid():
        return _desk_page(request, 400, first_error(form), load_form=form)
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name in ("traffic", "decisions"):
            paths[name] = Path(folder) / f"{name}.csv"
            with open(paths[name], "wb") as handle:
                for chunk in form.cleaned_data[name].chunks():
                    handle.write(chunk)
        label = f"{form.cleaned_data['traffic'].name} + {form.cleaned_data['decisions'].name}"
        try:
            loaded = load_decisions(request.user, paths["traffic"], paths["decisions"],
                                    label=label)
        except REFUSALS as error:
            message = str(error).replace(str(paths["traffic"]), "traffic").replace(
                str(paths["decisions"]), "decisions")
            return _desk_page(request, 400, message, load_form=form)
    messages.success(request, f"{loaded.quarantined} quarantined communication"
                              f"{'s' if loaded.quarantined != 1 else ''} and {loaded.deleted} "
                              f"deletion{'s' if loaded.deleted != 1 else ''} loaded; "
                              f"{len(loaded.notices)} owner notice"
                              f"{'s' if len(loaded.notices) != 1 else ''} sent.")
    return redirect("adt-quarantine")
