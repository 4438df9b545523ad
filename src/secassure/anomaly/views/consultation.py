"""Pages of consultation, notification and review (G6.7(b)-G6.10): the DCC's proposals and the
SSC's opinions on them, Users' consultations of the DCC, the SSC's feed of thresholds set and
its monthly summary (no User IDs), and the thresholds due for review.

Each POST is one service call; a refusal keeps its page: 400 for bad input, 409 when the
record's state does not allow it (the clause says why); the wrong person gets 403.
"""
from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from secassure.code.classification import USER_PARTY_SIDE, PersonKind
from secassure.code.permissions import Action
from secassure.core.permissions import can, require
from secassure.core.visibility import person_kind

from .. import consultations as g6
from .. import selectors, services
from ..forms import (
    AnswerForm,
    ConsultationForm,
    ProposalForm,
    ProposalOpinionForm,
    ProposalSetForm,
    ReviewForm,
    ReviewPeriodForm,
    WithdrawForm,
)
from ..services import REFUSALS
from .common import first_error, today
from .register import threshold_page


def _status(error: Exception) -> int:
    return 409 if isinstance(error, services.ThresholdConflict) else 400


REFUSED = (*REFUSALS, services.ThresholdConflict)


# --- The DCC's proposals (G6.7(b)) ---------------------------------------------------------

def _proposals_page(request, status=200, error="", form=None):
    if person_kind(request.user) not in g6.PROPOSAL_READERS:
        raise PermissionDenied("The DCC's proposals are the DCC's, the SSC's and SECAS's.")
    return render(request, "anomaly/proposals.html", {
        "rows": g6.proposals(request.user)[:200], "error": error,
        "can_propose": can(request.user, Action.PROPOSE_DCC_THRESHOLD),
        "form": form or ProposalForm()}, status=status)


@login_required
def proposals(request):
    """The DCC's proposals, newest first; the DCC proposes from here (G6.7(b))."""
    if request.method != "POST":
        return _proposals_page(request)
    require(request.user, Action.PROPOSE_DCC_THRESHOLD)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return _proposals_page(request, 400, first_error(form), form)
    data = form.cleaned_data
    try:
        if form.is_limits:  # G6.6(b): an SRV's data-value limits
            proposal = services.propose_dcc_limits(request.user, data["srv"], data["value_min"],
                                                   data["value_max"], data["reason"])
        else:
            proposal = services.propose_dcc_threshold(
                request.user, data["counter"], data["quarantine"], data["warning"],
                srv=data["srv"], command=data["command"], reason=data["reason"])
    except REFUSED as error:
        return _proposals_page(request, _status(error), str(error), form)
    messages.success(request, f"Proposal {proposal.pk} sent to the SSC for its opinion.")
    return redirect("adt-proposal", pk=proposal.pk)


def _proposal_page(request, proposal, status=200, error="", **forms):
    kind = person_kind(request.user)
    return render(request, "anomaly/proposal.html", {
        "p": proposal, "error": error,
        "can_opine": kind == PersonKind.SSC_MEMBER and proposal.state == "proposed",
        "can_set": kind == PersonKind.DCC and proposal.state == "opinion_given",
        "can_withdraw": kind == PersonKind.DCC and proposal.state in ("proposed",
                                                                       "opinion_given"),
        "opinion_form": forms.get("opinion_form") or ProposalOpinionForm(),
        "set_form": forms.get("set_form") or ProposalSetForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm()}, status=status)


@login_required
def proposal_detail(request, pk: int):
    return _proposal_page(request, get_object_or_404(g6.proposals(request.user), pk=pk))


@login_required
@require_POST
def proposal_action(request, pk: int, step: str):
    """One step of a proposal: the SSC's opinion, the DCC sets it, or withdraws it."""
    steps: dict[str, tuple[type[forms.Form], str]] = {
        "opinion": (ProposalOpinionForm, "opinion_form"), "set": (ProposalSetForm, "set_form"),
        "withdraw": (WithdrawForm, "withdraw_form")}
    if step not in steps:
        raise Http404
    proposal = get_object_or_404(g6.proposals(request.user), pk=pk)
    form_class, key = steps[step]
    form = form_class(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, 400, first_error(form), **{key: form})
    data = form.cleaned_data
    try:
        if step == "opinion":
            services.give_ssc_opinion_on_proposal(request.user, proposal, data["text"],
                                                  data["level"])
            done = "The SSC's opinion is recorded; the DCC may now set the threshold."
        elif step == "set":
            services.set_proposed_threshold(request.user, proposal, data["account"])
            done = "The threshold is set; the SSC is notified (G6.8(a))."
        else:
            services.withdraw_proposal(request.user, proposal, data["reason"])
            done = "The proposal is withdrawn."
    except REFUSED as error:
        return _proposal_page(request, proposal, _status(error), str(error), **{key: form})
    messages.success(request, done)
    return redirect("adt-proposal", pk=pk)


# --- Users consult the DCC (G6.9) ----------------------------------------------------------

def _own_user_ids(user) -> list[str]:
    if person_kind(user) not in USER_PARTY_SIDE or user.party is None:
        return []
    return [value for value, _ in selectors.user_ids(user.party)]


def _consultations_page(request, status=200, error="", form=None):
    rows = g6.consultations(request.user)
    if person_kind(request.user) not in g6.CONSULTATION_READERS:
        raise PermissionDenied("Consultations are the User's own people's and the DCC's.")
    user_ids = _own_user_ids(request.user)
    return render(request, "anomaly/consultations.html", {
        "rows": rows[:200], "error": error, "show_ids": g6.shows_user_ids(request.user),
        "can_ask": can(request.user, Action.CONSULT_DCC) and bool(user_ids),
        "form": form or ConsultationForm(user_ids=user_ids)}, status=status)


@login_required
def consultation_list(request):
    """A User's consultations of the DCC (G6.9); its own people ask from here."""
    if request.method != "POST":
        return _consultations_page(request)
    require(request.user, Action.CONSULT_DCC)
    user_ids = _own_user_ids(request.user)
    form = ConsultationForm(request.POST, user_ids=user_ids)
    if not form.is_valid():
        return _consultations_page(request, 400, first_error(form), form)
    data = form.cleaned_data
    user_id = selectors.user_id_of(request.user.party, data["user_id"])
    if user_id is None:
        raise Http404
    try:
        consultation = services.consult_dcc(request.user, user_id, data["srv"],
                                            data["counter"], data["quarantine"],
                                            data["warning"], data["note"])
    except REFUSED as error:
        return _consultations_page(request, _status(error), str(error), form)
    messages.success(request, "The DCC is consulted; its opinion will show here (G6.9).")
    return redirect("adt-consultation", pk=consultation.pk)


def _consultation_page(request, consultation, status=200, error="", form=None):
    return render(request, "anomaly/consultation.html", {
        "c": consultation, "error": error, "show_ids": g6.shows_user_ids(request.user),
        "can_answer": (person_kind(request.user) == PersonKind.DCC
                       and consultation.state == "asked"),
        "form": form or AnswerForm(initial={"level": consultation.quarantine})}, status=status)


@login_required
def consultation_detail(request, pk: int):
    return _consultation_page(request, get_object_or_404(g6.consultations(request.user), pk=pk))


@login_required
@require_POST
def consultation_answer(request, pk: int):
    consultation = get_object_or_404(g6.consultations(request.user), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _consultation_page(request, consultation, 400, first_error(form), form)
    try:
        services.answer_consultation(request.user, consultation, form.cleaned_data["text"],
                                     form.cleaned_data["level"])
    except REFUSED as error:
        return _consultation_page(request, consultation, _status(error), str(error), form)
    messages.success(request, "The DCC's opinion is given (G6.9(a)).")
    return redirect("adt-consultation", pk=pk)


# --- What the SSC is notified of (G6.8) ----------------------------------------------------

#: How many notices the feed page shows, newest first.
FEED_LENGTH = 300


def _month(text: str) -> date | None:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


@login_required
def notices(request):
    """The feed of thresholds set (G6.8(a)-(b)), newest first, and the month's summary per
    SRV and counter: by party and User Role, never by User ID."""
    require(request.user, Action.VIEW_THRESHOLD_NOTICES)
    wanted = request.GET.get("month", "").strip()
    month = _month(wanted) if wanted else today().replace(day=1)
    if month is None:
        return render(request, "anomaly/notices.html", {
            "error": "month: YYYY-MM", "feed": [], "summary": [], "month": None}, status=400)
    return render(request, "anomaly/notices.html", {
        "feed": g6.notices(request.user, newest=FEED_LENGTH), "month": month,
        "summary": g6.monthly_summary(request.user, month)})


# --- Review (G6.10) ------------------------------------------------------------------------

def _reviews_page(request, status=200, error="", form=None):
    return render(request, "anomaly/reviews.html", {
        "overdue": g6.overdue(request.user)[:300], "flagged": g6.flagged(request.user),
        "period": services.review_period(), "error": error,
        "can_set_period": can(request.user, Action.SET_REVIEW_PERIOD),
        "form": form or ReviewPeriodForm(initial={"months": services.review_period().months})},
        status=status)


@login_required
def reviews(request):
    """Thresholds not reviewed within the period SECAS set, and those found no longer
    appropriate and not yet replaced (G6.10); SECAS sets the period here."""
    if request.method != "POST":
        return _reviews_page(request)
    require(request.user, Action.SET_REVIEW_PERIOD)
    form = ReviewPeriodForm(request.POST)
    if not form.is_valid():
        return _reviews_page(request, 400, first_error(form), form)
    try:
        services.set_review_period(request.user, form.cleaned_data["months"])
    except REFUSED as error:
        return _reviews_page(request, _status(error), str(error), form)
    messages.success(request, f"Review period set to {form.cleaned_data['months']} months.")
    return redirect("adt-reviews")


@login_required
@require_POST
def threshold_reviewed(request, pk: int):
    """The owner records its review of a threshold (G6.10(a))."""
    threshold = get_object_or_404(selectors.thresholds(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return threshold_page(request, threshold, 400, first_error(form), reviewed_form=form)
    try:
        services.review_threshold(request.user, threshold, form.cleaned_data["outcome"],
                                  form.cleaned_data["reasons"])
    except REFUSED as error:
        return threshold_page(request, threshold, _status(error), str(error),
                               reviewed_form=form)
    messages.success(request, "Review recorded (G6.10).")
    return redirect("adt-threshold", pk=pk)
