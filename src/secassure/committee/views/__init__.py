"""The committee's pages: meetings (the secretariat prepares the agenda and records the
meeting; members read the papers they may see), members and seats, the action log, the
publications and minutes as downloads, and each person's calendar (iCal)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from secassure.code.classification import PersonKind
from secassure.code.publications import PublicationError
from secassure.core.visibility import person_kind

from .. import forms, publications, selectors, services
from ..exports import download
from ..models import (
    AgendaItem,
    BusinessLink,
    Election,
    Invitee,
    Meeting,
    Minutes,
    Nomination,
    PaperVersion,
)
from ..rules import SEAT_CHOICES, rejection_deadline
from ..selectors.calendar import ical_feed
from ..services.base import COMMITTEE, CommitteeError

SECRETARIAT = {PersonKind.SECAS}


def _committee_only(request: HttpRequest) -> None:
    if person_kind(request.user) not in COMMITTEE:
        raise Http404("No such page.")


def _meeting(pk: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(request.user, **form.cleaned_data)
        except CommitteeError as error:
            messages.error(request, str(error))
        else:
            return redirect("committee-meeting", pk=meeting.pk)
    return render(request, "committee/meetings.html", {
        "meetings": selectors.meetings_for(request.user), "form": form,
        "secretariat": person_kind(request.user) in SECRETARIAT})


#: The actions of the meeting page: the form (or None) and what the service is given.
def _item(meeting: Meeting, request: HttpRequest) -> AgendaItem:
    item = AgendaItem.objects.visible_to(request.user).filter(
        meeting=meeting, pk=request.POST.get("item") or 0).first()
    if item is None:
        raise CommitteeError("item: no such item")
    return item


def _do(request: HttpRequest, meeting: Meeting) -> None:
    user, do, post = request.user, request.POST.get("do", ""), request.POST
    handlers: dict[str, Callable[[], Any]] = {
        "add_item": lambda: _with(forms.ItemForm(post), lambda d: services.add_item(
            user, meeting, **d)),
        "add_paper": lambda: _with(forms.PaperForm(post, request.FILES), lambda d: (
            services.add_paper(user, _item(meeting, request), title=d["title"],
                               classification=d["classification"], upload=d["file"],
                               filename=d["file"].name))),
        "attendance": lambda: _with(forms.AttendanceForm(post), lambda d: (
            services.record_attendance(user, meeting, **d))),
        "conflict": lambda: services.declare_conflict(user, _item(meeting, request),
                                                      note=post.get("note", "")),
        "hold": lambda: services.hold_meeting(
            user, meeting, members_in_office=sum(len(s.members) for s in selectors.seats(
                meeting.date)) or meeting.attendance.filter(role="member").count()),
        "decision": lambda: _with(forms.DecisionForm(post), lambda d: (
            services.record_decision(user, meeting, item=_item(meeting, request)
                                     if post.get("item") else None, **d))),
        "attach": lambda: services.attach_business(user, meeting),
        "move": lambda: services.move_business(
            user, BusinessLink.objects.get(pk=post.get("link"), meeting=meeting),
            to=_meeting(int(post.get("to") or 0))),
        "action": lambda: _with(forms.ActionForm(post), lambda d: (
            services.record_action(user, meeting, **d))),
        "done": lambda: services.complete_action(
            user, selectors.action_log(user).get(pk=post.get("action")),
            done_on=timezone.localdate(), at=meeting),
        "draft_minutes": lambda: services.draft_minutes(user, meeting,
                                                        text=post.get("text") or None),
        "approve_minutes": lambda: services.approve_minutes(
            user, Minutes.objects.visible_to(user).get(pk=post.get("minutes")), at=meeting),
        "headline": lambda: services.set_headline(
            user, _item(meeting, request), headline=post.get("headline", ""),
            publish=bool(post.get("publish"))),
    }
    if do not in handlers:
        raise CommitteeError(f"do: {do!r} is not an action of this page")
    handlers[do]()


def _with(form: Any, call: Callable[[dict[str, Any]], Any]) -> Any:
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise CommitteeError(f"{field}: {errors[0]}")
    return call(form.cleaned_data)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    if request.method == "POST":
        try:
            _do(request, meeting)
        except (CommitteeError, PublicationError) as error:
            messages.error(request, str(error))
        except (BusinessLink.DoesNotExist, Minutes.DoesNotExist):
            messages.error(request, "No such record.")
        else:
            messages.success(request, "Recorded.")
        return redirect("committee-meeting", pk=meeting.pk)
    user = request.user
    previous = (Meeting.objects.filter(body=meeting.body, title=meeting.title,
                                       date__lt=meeting.date).order_by("-date", "-number").first())
    committee = person_kind(user) in COMMITTEE
    return render(request, "committee/meeting.html", {
        "meeting": meeting, "agenda": selectors.agenda(user, meeting),
        "secretariat": person_kind(user) in SECRETARIAT, "committee": committee,
        "attendance": meeting.attendance.all() if committee else [],
        "decisions": meeting.decisions.visible_to(user),
        "business": selectors.attached_business(meeting) if committee else [],
        "actions": selectors.action_log(user).filter(meeting=meeting),
        "outstanding": selectors.action_log(user, outstanding=True).exclude(meeting=meeting)
        if committee else [],
        "minutes": Minutes.objects.visible_to(user).filter(meeting=meeting).first(),
        "previous_minutes": Minutes.objects.visible_to(user).filter(
            meeting=previous, approved_at__isnull=True).first() if previous else None,
        "item_form": forms.ItemForm(), "action_form": forms.ActionForm(),
        "meetings": Meeting.objects.exclude(pk=meeting.pk) if committee else [],
    })


@login_required
def paper_download(request: HttpRequest, pk: int) -> FileResponse:
    """A version of a paper the person may read (a conflict withholds it); else 404."""
    version = PaperVersion.objects.filter(
        pk=pk, paper__in=selectors.papers_for(request.user)).first()
    if version is None:
        raise Http404("No such paper.")
    return FileResponse(version.file.open("rb"), as_attachment=True,
                        filename=version.file.name.rsplit("/", 1)[-1])


def _date(value: str | None, field: str) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise CommitteeError(f"{field}: give a date (YYYY-MM-DD)") from None


def _nomination(request: HttpRequest) -> Nomination:
    found = Nomination.objects.select_related("election").filter(
        pk=request.POST.get("nomination") or 0).first()
    if found is None:
        raise CommitteeError("nomination: no such nomination")
    return found


def _members_do(request: HttpRequest) -> None:
    user, post, do = request.user, request.POST, request.POST.get("do", "")
    handlers: dict[str, Callable[[], Any]] = {
        "appoint": lambda: services.appoint_member(
            user, seat=post.get("seat", ""), name=post.get("name", ""),
            started=_date(post.get("started"), "started"),
            no_objection_on=_date(post.get("no_objection_on"), "no_objection_on")
            if post.get("no_objection_on") else None),
        "open_election": lambda: services.open_election(
            user, seat=post.get("seat", ""),
            nominations_close=_date(post.get("nominations_close"), "nominations_close")),
        "nominate": lambda: services.nominate(
            user, Election.objects.get(pk=post.get("election") or 0),
            candidate=post.get("candidate", "")),
        "reject": lambda: services.reject_candidate(
            user, _nomination(request), on=_date(post.get("on"), "on"),
            reason=post.get("reason", "")),
        "refer": lambda: services.refer_rejection(user, _nomination(request),
                                                  on=_date(post.get("on"), "on")),
        "determine": lambda: services.determine_referral(
            user, _nomination(request), eligible=post.get("eligible") == "yes"),
        "result": lambda: services.declare_result(
            user, _nomination(request).election, winner=_nomination(request),
            started=_date(post.get("started"), "started")),
    }
    if do not in handlers:
        raise CommitteeError(f"do: {do!r} is not an action of this page")
    handlers[do]()


@login_required
def members(request: HttpRequest) -> HttpResponse:
    """The seats with their members and vacancies (G7.3), invitees (G7.16), elections (G7.14);
    the secretariat appoints and runs elections here, the SSC rejects a candidate, the Panel
    determines a referral."""
    if request.method == "POST":
        try:
            _members_do(request)
        except CommitteeError as error:
            messages.error(request, str(error))
        except Election.DoesNotExist:
            messages.error(request, "election: no such election")
        else:
            messages.success(request, "Recorded.")
        return redirect("committee-members")
    today = timezone.localdate()
    kind = person_kind(request.user)
    elections = list(Election.objects.prefetch_related("nominations"))
    return render(request, "committee/members.html", {
        "seats": selectors.seats(today), "invitees": Invitee.objects.all(),
        "elections": [(e, rejection_deadline(e.nominations_close)) for e in elections],
        "seat_choices": SEAT_CHOICES, "today": today,
        "secretariat": kind in SECRETARIAT,
        "may_reject": kind in services.RULES["reject_candidate"].who,
        "may_determine": kind in services.RULES["determine_referral"].who})


@login_required
def action_log(request: HttpRequest) -> HttpResponse:
    outstanding = request.GET.get("all") != "1"
    return render(request, "committee/actions.html", {
        "actions": selectors.action_log(request.user, outstanding=outstanding),
        "outstanding": outstanding, "today": timezone.localdate()})


def _headlines(request: HttpRequest, pk: int) -> tuple[Meeting, list[str]]:
    meeting = _meeting(pk)
    _committee_only(request)
    try:
        return meeting, publications.headlines(meeting)
    except PublicationError as error:
        raise CommitteeError(str(error)) from None


@login_required
def headlines(request: HttpRequest, pk: int, kind: str = "") -> HttpResponse:
    """The SSC's public headlines of the meeting (WHITE), as a page, PDF or Word."""
    try:
        meeting, lines = _headlines(request, pk)
    except CommitteeError as error:
        messages.error(request, f"The headlines cannot be published: {error}")
        return redirect("committee-meeting", pk=pk)
    if kind:
        return download(lines, "WHITE", f"SSC-headlines-{meeting.reference}", kind)
    return render(request, "committee/document.html", {
        "title": f"Headlines {meeting.reference}", "text": "\n".join(lines), "meeting": meeting,
        "pdf": reverse("committee-headlines-pdf", args=[pk]),
        "docx": reverse("committee-headlines-docx", args=[pk])})


@login_required
def minutes_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    minutes = Minutes.objects.visible_to(request.user).filter(meeting_id=pk).first()
    if minutes is None:
        raise Http404("No such minutes.")
    return download(minutes.text.splitlines(), minutes.classification,
                    f"minutes-{minutes.meeting.reference}", kind)


@login_required
def monthly(request: HttpRequest, kind: str = "") -> HttpResponse:
    """The monthly report to the Panel (and, with ?appendix=1, its RED Appendix A)."""
    _committee_only(request)
    month = request.GET.get("month") or timezone.localdate().strftime("%Y-%m")
    appendix = request.GET.get("appendix") == "1"
    try:
        lines = publications.monthly_report(month, appendix=appendix)
    except PublicationError as error:
        raise Http404(str(error)) from None
    level = "RED" if appendix else "AMBER"
    if kind:
        return download(lines, level, f"monthly-report-{month}", kind)
    query = f"?month={month}" + ("&appendix=1" if appendix else "")
    return render(request, "committee/document.html", {
        "title": f"Monthly report {month}", "text": "\n".join(lines),
        "pdf": reverse("committee-monthly-pdf") + query,
        "docx": reverse("committee-monthly-docx") + query})


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The person's iCal feed: meetings, papers due, their actions' due dates."""
    return HttpResponse(ical_feed(request.user), content_type="text/calendar")
