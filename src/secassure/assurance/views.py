"""Pages of the assurance workflow."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from secassure.accounts.permissions import can
from secassure.code.permissions import Action


@login_required
def attention(request):
    if not can(request.user, Action.VIEW_ATTENTION):
        raise PermissionDenied("The meeting's business is for the committee and SECAS.")
    return render(request, "assurance/attention.html", {})
