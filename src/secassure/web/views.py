"""Pages that belong to no one app: home and the journal."""
from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from secassure.core.permissions import can
from secassure.code.permissions import Action
from secassure.core.journal.selectors import recent
from secassure.assurance.selectors import schedule_for
from secassure.registry.selectors import visible_parties


def home(request):
    context = {}
    if request.user.is_authenticated:
        context["party_count"] = visible_parties(request.user).count()
        context["overdue_count"] = sum(
            1 for _, entry in schedule_for(request.user, date.today()) if entry.overdue)
    return render(request, "home.html", context)


@login_required
def journal(request):
    if not can(request.user, Action.VIEW_REGISTER_WIDE):
        raise PermissionDenied("The register-wide journal is for the committee and SECAS.")
    return render(request, "journal.html", {"entries": recent(request.user)})
