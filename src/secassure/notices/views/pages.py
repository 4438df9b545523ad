"""Pages: every read through `selectors` (a notice you may not see is a 404, as a missing
one); every write one service call. A refused write keeps its page: 400 for bad input, 409
when the notice's state does not allow it; PermissionDenied is Django's 403."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from secassure.assurance.models import Assessment
from secassure.code.classification import PARTY_SIDE, PersonKind
from secassure.committee.models import Body, Meeting
from secassure.core.visibility import person_kind

from .. import exports, selectors, services
from ..forms import (
    AttachForm,
    CountForm,
    CplForm,
    DayForm,
    NoticeForm,
    PlanReviewForm,
    ProviderListForm,
    RemedialPlanForm,
    TextForm,
)
from ..models import NoticeAttachment
from ..reminders import Due, due_items
from ..rules import FINAL, KINDS, REMIND_DAYS, Kind, State, clock_for, elapsed
from ..services import NoticeConflict, NoticeError

COMMITTEE = {PersonKind.SSC_MEMBER, PersonKind.SECAS}


def _status(error: Exception) -> int:
    return 409 if isinstance(error, NoticeConflict) else 400


def _files(user: Any) -> bool:
    return person_kind(user) in PARTY_SIDE | {PersonKind.SECAS}


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    chosen = {k: request.GET.get(k, "").strip()[:40] for k in ("kind", "state", "party")}
    found = selectors.notices(request.user, **chosen)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for n in page:
        n.elapsed = elapsed(n.event_on, today)
    return render(request, "notices/list.html", {
        "page": page, "chosen": chosen, "kinds": KINDS, "states": list(State),
        "may_file": _files(request.user), "today": today,
        "due": due_items(today, user=request.user)[:50],
        "remind_days": REMIND_DAYS})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    queue = list(selectors.review_queue(request.user)[:200])
    for n in queue:
        n.elapsed = elapsed(n.filed_at.date(), today)
    plans = list(selectors.plans_waiting(request.user)[:200])
    return render(request, "notices/review.html", {"queue": queue, "plans": plans,
                                                   "today": today})


@login_required
def file_notice(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        chosen = Kind(kind)
    except ValueError:
        raise Http404("no such kind of notice") from None
    form = NoticeForm(request.POST or None, kind=chosen, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notice = services.file_notice(request.user, kind=chosen, **form.arguments())
            except NoticeError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, f"{KINDS[chosen].label} notified ({notice.clause}).")
                return redirect("notice", pk=notice.pk)
        else:
            status = 400
    return render(request, "notices/file.html", {"form": form, "kind": chosen,
                                                 "rule": KINDS[chosen]}, status=status)


def _visible(request: HttpRequest, pk: int) -> Any:
    notice = selectors.notice(request.user, pk)
    if notice is None:
        raise Http404("no such notice")
    return notice


def _due(user: Any, today: Any) -> list[Due]:
    """What the reminders (`secassure notices remind`, run daily by cron) tell about: falling
    due within the reminder period, of what `user` sees; of what is overdue, the certificates
    (the attention page lists the other overdue items under their own headings)."""
    return [i for i in due_items(today, user=user)
            if i.due >= today or i.clause == "G7.20(d)"][:50]


@login_required
def attention(request: HttpRequest) -> HttpResponse:
    """The notices part of the attention page (loaded into it): every notice waiting on the
    SSC and every overdue one."""
    today = timezone.localdate()
    user = request.user
    overdue_counts = [c for c in selectors.counts_due(user) if c.overdue(today)]
    sections = [
        ("waiting", "Notices waiting on the SSC", "G7.20", list(selectors.review_queue(user)
                                                                [:50]), "filed"),
        ("steps", "Vulnerability steps past their stated time", "G3.9(b)(ii)",
         list(selectors.steps_overdue(user, today)[:50]), "complete_by"),
        ("unauthorised", "Systems operational without the SSC's authorisation",
         "G3.9(a)(iii)", list(selectors.operational_without_authorisation(user)[:50]),
         "operational_on"),
        ("no_assessment", "Incidents without their vulnerability assessment", "G3.8(c)",
         list(selectors.incidents_without_assessment(user)[:50]), "event_on"),
    ]
    plans = [p for p in selectors.remedial_plans(user).filter(
        reviewed_on__isnull=True, review_by__lt=today)[:50]]
    return render(request, "notices/_attention.html", {
        "sections": sections, "counts": overdue_counts, "plans": plans, "today": today,
        "due": _due(user, today), "remind_days": REMIND_DAYS,
        "plans_waiting": list(selectors.plans_waiting(user)[:50]),
        "base": "notices/_bare.html" if request.headers.get("HX-Request") else "base.html"})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible(request, pk)
    kind = person_kind(request.user)
    today = timezone.localdate()
    party_side = kind in PARTY_SIDE or kind == PersonKind.SECAS
    return render(request, "notices/detail.html", {
        "n": notice, "rule": notice.rule, "today": today,
        "elapsed": elapsed(notice.event_on, today),
        "clock": clock_for(Kind(notice.kind), smets1_csp=notice.smets1_csp),
        "updates": notice.updates.select_related("by").all(),
        "attachments": notice.attachments.all(),
        "follow_ons": selectors.notices(request.user).filter(incident=notice),
        "open": notice.state not in FINAL, "party_side": party_side,
        "committee": kind in COMMITTEE, "ssc": kind == PersonKind.SSC_MEMBER,
        "overdue": bool(notice.complete_by and not notice.completed_on
                        and notice.complete_by < today),
        "reviews": services.REVIEWS, "text_form": TextForm(), "day_form": DayForm(),
        "meetings": Meeting.objects.filter(body=Body.SSC).order_by("-date")[:12]
        if kind in COMMITTEE else [],
        "attach_form": AttachForm()})


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on a notice: update, attach, complete, operational, or a review action."""
    notice = _visible(request, pk)
    try:
        if action == "update":
            services.add_update(request.user, notice, request.POST.get("text", ""))
        elif action == "attach":
            form = AttachForm(request.POST, request.FILES)
            if not form.is_valid():
                raise NoticeError("file: choose a file to attach")
            services.attach(request.user, notice, form.cleaned_data["file"])
        elif action in ("complete", "operational"):
            day = DayForm(request.POST)
            if not day.is_valid():
                raise NoticeError("on: a date (YYYY-MM-DD)")
            if action == "complete":
                services.complete_steps(request.user, notice, day.cleaned_data["on"],
                                        request.POST.get("text", ""))
            else:
                services.mark_operational(request.user, notice, day.cleaned_data["on"])
        elif action == "link-assessment":
            code = request.POST.get("assessment", "").strip()
            found = Assessment.objects.visible_to(request.user).filter(
                pk=int(code) if code.isdigit() and len(code) < 10 else 0).first()
            if found is None:
                raise NoticeError("assessment: no such assessment")
            services.link_assessment(request.user, notice, found)
        elif action in services.REVIEWS:
            chosen = request.POST.get("meeting_id", "").strip()
            if chosen and not (chosen.isdigit() and len(chosen) < 10):
                raise NoticeError("meeting_id: choose a meeting")
            services.review_notice(request.user, notice, action, request.POST.get("text", ""),
                                   request.POST.get("meeting", ""),
                                   int(chosen) if chosen else None)
        else:
            raise Http404("no such action")
    except (NoticeError, NoticeConflict) as error:
        messages.error(request, str(error))
        response = detail(request, pk)
        response.status_code = _status(error)
        return response
    messages.success(request, "Done.")
    return redirect("notice", pk=pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of a notice, served only while it has the SHA-256 recorded at upload (a refusal
    is journaled)."""
    row = NoticeAttachment.objects.visible_to(request.user).select_related(
        "notice__party").filter(pk=pk).first()
    if row is None:
        raise Http404("no such file")
    check, handle = services.open_attachment(request.user, row)
    if handle is None:
        return HttpResponse(f"The file cannot be served: {check.describe()}.", status=409,
                            content_type="text/plain")
    response = FileResponse(handle, as_attachment=True, filename=row.name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def counts(request: HttpRequest) -> HttpResponse:
    """G5.27: each User's count of Smart Metering Systems, when the next is due, overdue."""
    form = CountForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_sms_count(request.user, form.cleaned_data["party"],
                                          form.cleaned_data["count"],
                                          form.cleaned_data["reported_on"])
            except NoticeError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Count notified (G5.27).")
                return redirect("notice-counts")
        else:
            status = 400
    today = timezone.localdate()
    return render(request, "notices/counts.html", {
        "rows": [(c, c.overdue(today), c.soon(today), (c.due - today).days)
                 for c in selectors.counts_due(request.user)], "today": today, "form": form,
        "may_file": _files(request.user)}, status=status)


@login_required
def provider_lists(request: HttpRequest) -> HttpResponse:
    """G10.4: each provider's current list of Users (the SSC's copy)."""
    form = ProviderListForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_provider_list(request.user, form.cleaned_data["provider"],
                                              list(form.cleaned_data["users"]))
            except NoticeError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "List submitted (G10.4(c)).")
                return redirect("notice-providers")
        else:
            status = 400
    return render(request, "notices/providers.html", {
        "lists": selectors.current_provider_lists(request.user), "form": form,
        "may_file": _files(request.user)}, status=status)


@login_required
def cpl(request: HttpRequest) -> HttpResponse:
    """CPL entries with their firmware hashes and certificates (G7.20(d))."""
    form = CplForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_cpl_entry(request.user, **form.cleaned_data)
            except NoticeError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "CPL entry recorded.")
                return redirect("notice-cpl")
        else:
            status = 400
    return render(request, "notices/cpl.html", {
        "entries": selectors.cpl_entries(request.user),
        "plans": selectors.remedial_plans(request.user), "form": form,
        "may_add": person_kind(request.user) in COMMITTEE, "may_file": _files(request.user),
        "today": timezone.localdate()}, status=status)


@login_required
def file_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A CPA Certificate Remedial Plan (G8.64) for the CPL entry `pk`, if the person sees it."""
    found = selectors.cpl_entries(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404("no such CPL entry")
    if not _files(request.user):
        raise PermissionDenied("CPA Certificate Remedial Plan: only a party's own people, or "
                               "SECAS on its behalf, file one (G8.64).")
    form = RemedialPlanForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.file_remedial_plan(
                    request.user, form.cleaned_data["party"], found, form.cleaned_data["plan"],
                    form.cleaned_data["review_by"])
            except NoticeError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "CPA Certificate Remedial Plan filed (G8.64).")
                return redirect("notice-plan", pk=plan.pk)
        else:
            status = 400
    return render(request, "notices/plan_file.html", {
        "entry": found, "form": form,
        "earlier": selectors.remedial_plans(request.user).filter(entry=found)},
        status=status)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A remedial plan, and (for the SSC, or SECAS recording it) its review (G8.64)."""
    plan = selectors.remedial_plans(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404("no such remedial plan")
    form = PlanReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_remedial_plan(request.user, plan,
                                              outcome=form.cleaned_data["outcome"],
                                              reasons=form.cleaned_data["reasons"])
            except (NoticeError, NoticeConflict) as error:
                form.add_error(None, str(error))
                status = _status(error)
            else:
                messages.success(request, "Review recorded (G8.64).")
                return redirect("notice-plan", pk=plan.pk)
        else:
            status = 400
    today = timezone.localdate()
    return render(request, "notices/plan.html", {
        "plan": plan, "form": form, "today": today,
        "reviews": person_kind(request.user) in COMMITTEE and plan.state == "filed",
        "may_revise": _files(request.user) and plan.state == "changes",
        "overdue": plan.state == "filed" and plan.review_by < today}, status=status)


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every notice the person may see, as CSV or JSON (for SECAS)."""
    if fmt not in ("csv", "json"):
        raise Http404("csv or json")
    found = selectors.notices(request.user).order_by("id")
    if fmt == "json":
        return HttpResponse(exports.as_json(found), content_type="application/json")
    response = HttpResponse(exports.as_csv(found), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="notices.csv"'
    return response
