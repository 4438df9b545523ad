"""The register pages: thresholds you may see (G6.3, G6.6(a)), one threshold with the DCC's
opinion (G6.9), the SSC's view (G6.8, G7.21(b)) and its review date (G6.10), and the 129 SRVs
with what the DCC keeps about them (G6.4(b), G6.6(b))."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from secassure.code.classification import PersonKind
from secassure.code.permissions import Action
from secassure.code.srv import load_srvs
from secassure.code.workflow import PARTY_SIDE
from secassure.core.permissions import can, require
from secassure.core.visibility import person_kind

from .. import consultations as g6
from .. import selectors, services
from ..forms import DccThresholdForm, OpinionForm, ReviewDateForm, ReviewForm, SrvReferenceForm
from ..models import COUNTERS
from ..services import REFUSALS
from ..services.review import owns
from .common import first_error, limits_text, today

ATTENTION = {"no_ssc_view": "without the SSC's view (G6.8)",
             "review_due": "review date passed or not set (G6.10)",
             "review_overdue": "not reviewed within the review period (G6.10(a))",
             "flagged": "reviewed as no longer appropriate, not yet replaced (G6.10(c))"}


@login_required
def threshold_list(request):
    """Every threshold you may see, filtered by party (`*`: the DCC's), User ID, SRV, counter."""
    rows = selectors.thresholds(request.user)
    wanted = {k: request.GET.get(k, "").strip() for k in ("party", "user_id", "srv", "counter",
                                                            "attention")}
    if wanted["party"] == "*":
        rows = rows.filter(user_id__isnull=True)
    elif wanted["party"]:
        rows = rows.filter(user_id__party_role__party__party_id=wanted["party"])
    if wanted["user_id"]:
        rows = rows.filter(user_id__value__icontains=wanted["user_id"])
    if wanted["srv"]:
        rows = rows.filter(srv__srv=wanted["srv"])
    if wanted["counter"] in dict(COUNTERS):
        rows = rows.filter(counter=wanted["counter"])
    if wanted["attention"] == "no_ssc_view":
        rows = rows.filter(ssc_view="")
    elif wanted["attention"] == "review_due":
        rows = rows.filter(Q(review_by__isnull=True) | Q(review_by__lte=today()))
    elif wanted["attention"] == "review_overdue":
        rows = rows.filter(pk__in=g6.overdue(request.user).values("pk"))
    elif wanted["attention"] == "flagged":
        rows = rows.filter(pk__in=[t.pk for t in g6.flagged(request.user)])
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    # G6.9: the DCC's opinion beside the level set ("not consulted" where none)
    beside = g6.consultation_beside(request.user, list(page))
    for threshold in page:
        threshold.advice = beside.get(threshold.pk)
    query = urlencode({k: v for k, v in wanted.items() if v})
    return render(request, "anomaly/thresholds.html", {
        "page": page, "wanted": wanted, "query": query, "counters": COUNTERS,
        "attention": ATTENTION, "today": today()})


def _owner(threshold):
    return threshold.user_id.party_role.party if threshold.user_id else None


def threshold_page(request, threshold, status=200, error="", **forms):
    """One threshold with its opinions (G6.9, G6.10(b)), consultation and reviews (G6.10)."""
    kind = person_kind(request.user)
    owner = _owner(threshold)
    guidance = getattr(threshold.srv, f"guidance_{threshold.counter}", None)
    return render(request, "anomaly/threshold.html", {
        "t": threshold, "owner": owner, "guidance": guidance, "error": error,
        "opinion_label": {PersonKind.DCC: "The DCC's opinion (G6.9)",
                          PersonKind.SSC_MEMBER: "The SSC's view (G6.8, G7.21(b))"}.get(kind),
        "can_review": kind == PersonKind.DCC or (kind in PARTY_SIDE and owner is not None
                                                  and request.user.party_id == owner.pk),
        "opinions": g6.opinions(request.user, threshold),
        "reviews": g6.reviews(request.user, threshold),
        "advice": g6.consultation_beside(request.user, [threshold]).get(threshold.pk),
        "owns": owns(request.user, threshold),
        "reviewed_form": forms.get("reviewed_form") or ReviewForm(),
        "opinion_form": forms.get("opinion_form") or OpinionForm(),
        "review_form": forms.get("review_form") or ReviewDateForm(
            initial={"review_by": threshold.review_by})}, status=status)


@login_required
def threshold_detail(request, pk: int):
    return threshold_page(request, get_object_or_404(selectors.thresholds(request.user),
                                                      pk=pk))


@login_required
@require_POST
def threshold_opinion(request, pk: int):
    """The DCC's opinion (G6.9) or the SSC's view (G7.21(b)): services.give_opinion decides."""
    threshold = get_object_or_404(selectors.thresholds(request.user), pk=pk)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return threshold_page(request, threshold, 400, first_error(form), opinion_form=form)
    try:
        services.give_opinion(request.user, threshold, form.cleaned_data["text"])
    except REFUSALS as error:
        return threshold_page(request, threshold, 400, str(error), opinion_form=form)
    messages.success(request, "Opinion recorded.")
    return redirect("adt-threshold", pk=pk)


@login_required
@require_POST
def threshold_review(request, pk: int):
    """G6.10: the owner (or the DCC) sets when the threshold is next reviewed."""
    threshold = get_object_or_404(selectors.thresholds(request.user), pk=pk)
    form = ReviewDateForm(request.POST)
    if not form.is_valid():
        return threshold_page(request, threshold, 400, first_error(form), review_form=form)
    try:
        services.set_review_date(request.user, threshold, form.cleaned_data["review_by"])
    except REFUSALS as error:
        return threshold_page(request, threshold, 400, str(error), review_form=form)
    messages.success(request, f"Review date set to {form.cleaned_data['review_by']:%d %b %Y}.")
    return redirect("adt-threshold", pk=pk)


@login_required
def srv_list(request):
    """The 129 SRVs of the DUIS with their critical flag, eligible roles and the DCC's data."""
    reference = load_srvs()
    query = request.GET.get("q", "").strip().lower()
    critical_only = bool(request.GET.get("critical"))
    dcc = selectors.dcc_levels(request.user)
    rows = [{"srv": s, "eligible": sorted(r.label for r in reference[s.srv].eligible),
             "limits": limits_text(s),
             "dcc_critical": dcc.get((s.srv, "critical")),
             "dcc_encrypted": dcc.get((s.srv, "encrypted"))}
            for s in selectors.srvs()
            if (not query or query in s.srv or query in s.name.lower())
            and (s.critical or not critical_only)]
    return render(request, "anomaly/srvs.html", {
        "rows": rows, "query": request.GET.get("q", ""), "critical_only": critical_only,
        "can_keep": can(request.user, Action.KEEP_SRV_REFERENCE)})


def _srv_page(request, variant, status=200, error="", **forms):
    return render(request, "anomaly/srv.html", {
        "srv": variant, "eligible": sorted(r.label for r in load_srvs()[variant.srv].eligible),
        "limits": limits_text(variant),
        "dcc": [t for _, t in sorted(selectors.dcc_levels(request.user, srv=variant).items())],
        "error": error,
        "can_keep": can(request.user, Action.KEEP_SRV_REFERENCE),
        "can_set": can(request.user, Action.SET_DCC_THRESHOLD),
        "reference_form": forms.get("reference_form") or SrvReferenceForm.for_srv(variant),
        "threshold_form": forms.get("threshold_form") or DccThresholdForm()}, status=status)


@login_required
def srv_detail(request, srv: str):
    return _srv_page(request, get_object_or_404(selectors.srvs(), srv=srv))


@login_required
@require_POST
def srv_reference(request, srv: str):
    """The DCC keeps guidance (G6.4(b)), the encrypted flag and the SMETS1 limits (G6.6(b))."""
    require(request.user, Action.KEEP_SRV_REFERENCE)
    variant = get_object_or_404(selectors.srvs(), srv=srv)
    form = SrvReferenceForm.for_srv(variant, request.POST)
    if not form.is_valid():
        return _srv_page(request, variant, 400, first_error(form), reference_form=form)
    changes = form.changes(variant)
    if changes:
        try:
            services.keep_srv_reference(request.user, srv, **changes)
        except services.ThresholdConflict as error:  # G6.6(b): limits agreed with the SSC
            return _srv_page(request, variant, 409, str(error), reference_form=form)
        except REFUSALS as error:
            return _srv_page(request, variant, 400, str(error), reference_form=form)
    messages.success(request, f"{srv}: " + (", ".join(sorted(changes)) + " saved." if changes
                                             else "nothing changed."))
    return redirect("adt-srv", srv=srv)


@login_required
@require_POST
def srv_dcc_threshold(request, srv: str):
    """The DCC sets its own threshold across all Users for this SRV (G6.6(a))."""
    require(request.user, Action.SET_DCC_THRESHOLD)
    variant = get_object_or_404(selectors.srvs(), srv=srv)
    form = DccThresholdForm(request.POST)
    if not form.is_valid():
        return _srv_page(request, variant, 400, first_error(form), threshold_form=form)
    data = form.cleaned_data
    try:
        services.set_dcc_threshold(request.user, srv, data["counter"], data["quarantine"],
                                   warning=data["warning"], reason=data["reason"])
    except services.ThresholdConflict as error:  # G6.7(b): not before the SSC's opinion
        return _srv_page(request, variant, 409, str(error), threshold_form=form)
    except REFUSALS as error:
        return _srv_page(request, variant, 400, str(error), threshold_form=form)
    messages.success(request, f"The DCC's {data['counter']} threshold for {srv} is set.")
    return redirect("adt-srv", srv=srv)
