"""The live engine's state (``/adt/live/``): position, lag, rate, last checkpoint.

Read from the status hash ``secassure adt live`` writes to Redis every second (``OUT:status``);
nothing is stored in the database.  Visible to the DCC (who runs the engine), SECAS and the SSC
(G6.8: the SSC follows the DCC's anomaly detection); a position and a rate name no User, but the
page is kept to those who oversee the engine.  When Redis is not configured or does not answer
the page says so (status 200, never a server error).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from secassure.code.classification import PersonKind
from secassure.core.visibility import person_kind

from ..live import live_status

#: Who may look at the live engine (the DCC runs it; SECAS and the SSC oversee it).
LIVE_VIEWERS = frozenset({PersonKind.DCC, PersonKind.SECAS, PersonKind.SSC_MEMBER})


def may_see_live(user) -> bool:
    return person_kind(user) in LIVE_VIEWERS


@login_required
@require_GET
def live_engine(request):
    if not may_see_live(request.user):
        raise PermissionDenied("You are not allowed to view the live engine.")
    return render(request, "anomaly/live.html", {"status": live_status()})
