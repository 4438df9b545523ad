"""Booking an assessment: the schedule proposes the category and the due date (G8.40-G8.47,
G12.8); SECAS or the party books it, with its scope (G8.15-G8.19, G8.30(a)(i))."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from secassure.registry.selectors import visible_parties

from .. import services
from ..forms import BOOKABLE, BookingForm
from ..selectors import may_book, party_schedule
from ..services import AssuranceError, WorkflowError
from .common import today


@login_required
def book(request, party_id: str):
    party = get_object_or_404(visible_parties(request.user), party_id=party_id)
    if not may_book(request.user, party):
        raise PermissionDenied("Book an assessment: only SECAS or the party's own people may "
                               "(G8.40).")
    proposed = party_schedule(party, today())  # the DCC too: its annual one (G9.3(b)(i))
    initial: dict[str, Any] = {"roles": list(party.roles.all())}
    if proposed is not None:
        initial["due"] = proposed.due
        if proposed.next.value in {str(c) for c in BOOKABLE}:
            initial["category"] = proposed.next.value
    form = BookingForm(request.POST or None, party=party, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booked = services.book_assessment(
                request.user, party, data["category"], roles=list(data.get("roles") or ()),
                assessor=data["assessor"], fieldwork_start=data["fieldwork_start"],
                fieldwork_end=data["fieldwork_end"], due=data["due"],
                dcc_trigger=data.get("dcc_trigger", ""), reason=data["reason"])
        except AssuranceError as error:
            form.add_error(None, str(error))
        except WorkflowError as error:  # already booked (a double click): 409
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, f"Booked: {booked.get_category_display()} of "
                                      f"{party.party_id}.")
            return redirect("assessment", pk=booked.pk)
    if request.method == "POST" and status == 200:
        status = 400
    return render(request, "assurance/book.html", {"party": party, "form": form,
                                                   "proposed": proposed}, status=status)
