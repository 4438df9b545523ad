"""Pages that belong to no one app: home and the journal."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from secassure.code.permissions import Action
from secassure.core.journal.selectors import entries, page_of
from secassure.core.permissions import can
from secassure.registry.selectors import visible_parties

from .home import waiting_for


def home(request: HttpRequest) -> HttpResponse:
    """The start of every path: what waits on the signed-in person, then where to go."""
    context: dict[str, Any] = {}
    if request.user.is_authenticated:
        today = timezone.localdate()
        context = waiting_for(request.user, today)
        context["party_count"] = visible_parties(request.user).count()
    return render(request, "home.html", context)


@login_required
def journal(request: HttpRequest) -> HttpResponse:
    """The register-wide journal, in words, a page at a time."""
    if not can(request.user, Action.VIEW_REGISTER_WIDE):
        raise PermissionDenied("The register-wide journal is for the committee and SECAS.")
    return render(request, "journal.html",
                  {"page": page_of(entries(request.user), request.GET.get("page"))})
