"""Register pages: the list of parties, a party's page (with the panels other apps add to it)
and SECAS's party form."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from secassure.code.applicability import obligations
from secassure.code.clauses import load
from secassure.code.dates import parse_iso_date
from secassure.code.interchange import RegisterFormatError
from secassure.code.permissions import Action
from secassure.code.roles import UserRole
from secassure.core.journal.selectors import page_of, timeline
from secassure.core.permissions import can

from . import selectors, services
from .forms import PartyForm
from .models import Party
from .panels import render_party_panels


def _as_of(request) -> date:
    try:
        return parse_iso_date(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def register(request):
    parties = selectors.visible_parties(request.user)
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if query:
        parties = parties.filter(Q(party_id__icontains=query) | Q(name__icontains=query))
    if role in {r.value for r in UserRole}:
        parties = parties.filter(roles__role=role)
    page = Paginator(parties, 100).get_page(request.GET.get("page"))
    return render(request, "registry/register.html", {
        "page": page, "query": query, "role": role, "roles": list(UserRole),
        "can_edit": can(request.user, Action.EDIT_REGISTER)})


@login_required
def party(request, party_id: str) -> HttpResponse:
    """A party's page. It links only to the parties its reader may open: a provider or a partner
    the reader may not see is named without a link (their pages answer 404 for that reader)."""
    openable = Party.objects.visible_to(request.user)
    item = get_object_or_404(selectors.visible_parties(request.user)
                             .prefetch_related("roles__user_ids").annotate(
        provider_open=Exists(openable.filter(pk=OuterRef("resource_provider_id")))),
        party_id=party_id)
    as_of = _as_of(request)
    catalogue = load()
    return render(request, "registry/party.html", {
        "party": item, "as_of": as_of,
        "roles": [{"role": UserRole(r.role), "user_ids": [u.value for u in r.user_ids.all()],
                   "obligations": obligations(UserRole(r.role), catalogue)}
                  for r in item.roles.all()],
        "panels": render_party_panels(request, item, as_of),
        "sharing": item.sharing.select_related("partner").annotate(
            partner_open=Exists(openable.filter(pk=OuterRef("partner_id")))),
        "shared_by": openable.filter(sharing__partner=item),
        "resource_users": item.resource_users.visible_to(request.user),
        "history": page_of(timeline(request.user, item), request.GET.get("history")),
        "history_keep": urlencode({"as_of": as_of.isoformat()}) if "as_of" in request.GET
        else "",
        "can_edit": can(request.user, Action.EDIT_REGISTER)})


@login_required
def party_form(request, party_id: str | None = None):
    if not can(request.user, Action.EDIT_REGISTER):
        raise PermissionDenied("Only the secretariat changes the register.")
    existing = None
    if party_id is not None:
        item = get_object_or_404(selectors.visible_parties(request.user), party_id=party_id)
        existing = selectors.party_records([item.pk])[0]
    form = PartyForm(request.POST or None, existing=existing)
    if request.method == "POST" and form.is_valid() and existing is None and Party.objects.filter(
            party_id=form.cleaned_data["party_id"]).exists():
        form.add_error("party_id", "A party with this id is already in the register.")
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_party(request.user, form.record(),
                                        reason=request.POST.get("reason") or "edited on the web")
        except RegisterFormatError as error:
            form.add_error(None, error.message if error.field is None
                           else f"{error.field}: {error.message}")
        else:
            messages.success(request, f"Saved {saved.party_id}.")
            return redirect("party", party_id=saved.party_id)
    return render(request, "registry/party_form.html", {"form": form, "existing": existing})
