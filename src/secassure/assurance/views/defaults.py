"""Events of Default (G8.54-G8.60; the DCC G9.34-G9.41): the SSC refers actual
non-compliance to the Panel (G8.57); the Panel decides, notifies the party and those
affected (G8.58) and approves any remedial action plan (G8.60)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from secassure.code.classification import PARTY_SIDE
from secassure.code.permissions import Action
from secassure.code.workflow import DEFAULT_STEPS, DefaultStep, default_step_refusal
from secassure.core.permissions import can, require
from secassure.core.visibility import person_kind

from .. import forms, selectors, services
from ..services import AssuranceError, WorkflowError

STATES = [("", "all"), ("undecided", "awaiting the Panel"), ("default", "Events of Default"),
          ("not_default", "not an Event of Default")]


@login_required
def defaults(request):
    state = request.GET.get("state", "")
    return render(request, "assurance/defaults.html", {
        "items": selectors.defaults_for(request.user, state)[:200], "state": state,
        "states": STATES, "can_refer": can(request.user, Action.REFER_EVENT_OF_DEFAULT)})


@login_required
def refer(request):
    require(request.user, Action.REFER_EVENT_OF_DEFAULT)
    initial = {"party": request.GET.get("party"), "assessment": request.GET.get("assessment")}
    form = forms.ReferForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                eod = services.refer_event_of_default(
                    request.user, data["party"], clauses=data["clauses"],
                    referral=data["referral"], assessment=data["assessment"])
            except AssuranceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Referred to the Panel (G8.57).")
                return redirect("default", pk=eod.pk)
    return render(request, "assurance/default_refer.html", {"form": form}, status=status)


def steps_open_to(user, eod) -> list[tuple[str, str]]:
    """The steps `user` may record on `eod` now (value, label with clause)."""
    kind = person_kind(user)
    if kind in PARTY_SIDE and user.party_id != eod.party_id:
        return []
    recorded = frozenset(DefaultStep(s.step) for s in eod.default_steps.all())
    return [(step.value, f"{rule.label} ({rule.clause_for(eod.party.is_dcc)})")
            for step, rule in DEFAULT_STEPS.items()
            if kind in rule.who
            and default_step_refusal(step, eod.is_event_of_default, recorded) is None]


def _context(request, eod, decide=None, remedial=None, step=None, error="") -> dict:
    panel = can(request.user, Action.DECIDE_EVENT_OF_DEFAULT)
    open_steps = steps_open_to(request.user, eod)
    return {
        "steps": eod.default_steps.all(),
        "step_form": (step or forms.DefaultStepForm(steps=open_steps)) if open_steps else None,
        "eod": eod, "error": error, "affected": eod.visible_affected,
        "decide": (decide or forms.DecideDefaultForm(user=request.user))
        if panel and eod.is_event_of_default is None else None,
        "remedial": (remedial or forms.RemedialPlanForm())
        if can(request.user, Action.APPROVE_REMEDIAL_ACTION_PLAN) and eod.is_event_of_default
        and not eod.remedial_plan_approved_on else None,
    }


def _visible(request, pk):
    """The referral, if `user` may see it, with those notified that `user` may see."""
    return get_object_or_404(selectors.events_of_default(request.user), pk=pk)


@login_required
def default_detail(request, pk: int):
    return render(request, "assurance/default.html", _context(request, _visible(request, pk)))


#: The Panel's two actions on a referral: (permission, form, the one service call).
DEFAULT_ACTIONS = {
    "decide": (Action.DECIDE_EVENT_OF_DEFAULT, forms.DecideDefaultForm,
               lambda user, eod, d: services.decide_event_of_default(
                   user, eod, is_event_of_default=d["decision"] == "yes", reason=d["reason"],
                   steps=d["steps"], affected=d["affected"]),
               "The Panel's decision is recorded; the party and those affected are told "
               "(G8.58(a))."),
    "remedial-plan": (Action.APPROVE_REMEDIAL_ACTION_PLAN, forms.RemedialPlanForm,
                      lambda user, eod, d: services.approve_remedial_action_plan(
                          user, eod, d["plan"]),
                      "Remedial action plan approved (G8.60)."),
}


@login_required
@require_POST
def default_act(request, pk: int, action: str):
    if action == "step":
        return _record_step(request, _visible(request, pk))
    if action not in DEFAULT_ACTIONS:
        raise Http404("No such action.")
    permission, form_class, run, done = DEFAULT_ACTIONS[action]
    eod = _visible(request, pk)
    require(request.user, permission)
    extra = {"user": request.user} if form_class is forms.DecideDefaultForm else {}
    form = form_class(request.POST, **extra)
    key = "decide" if action == "decide" else "remedial"
    if not form.is_valid():
        return render(request, "assurance/default.html",
                      _context(request, eod, error="Check the form.", **{key: form}), status=400)
    try:
        run(request.user, eod, form.cleaned_data)
    except AssuranceError as error:
        return render(request, "assurance/default.html",
                      _context(request, eod, error=str(error), **{key: form}), status=400)
    messages.success(request, done)
    return redirect("default", pk=eod.pk)


def _record_step(request, eod):
    """One step after the referral (G8.56, G8.58(b), G8.59): the service checks the person
    (403) and the order of the steps (409)."""
    form = forms.DefaultStepForm(request.POST, steps=[(s.value, s.value) for s in DefaultStep])
    if not form.is_valid():
        return render(request, "assurance/default.html",
                      _context(request, eod, error="Check the form.", step=form), status=400)
    try:
        services.record_default_step(request.user, eod, **form.cleaned_data)
    except WorkflowError as error:
        return render(request, "assurance/default.html",
                      _context(request, eod, error=str(error)), status=409)
    except AssuranceError as error:
        return render(request, "assurance/default.html",
                      _context(request, eod, error=str(error), step=form), status=400)
    messages.success(request, "Step recorded.")
    return redirect("default", pk=eod.pk)
