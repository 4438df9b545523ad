"""Signing in: the address a request came from, the answer to a locked-out username or address,
and failed sign-ins in the journal (who was tried and from where, never the password)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from secassure.core.journal.services import record
from secassure.core.permissions import SYSTEM


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from: behind the proxy of the production profile, the last
    address in X-Forwarded-For (the one the proxy itself appended; earlier ones are the
    client's word), otherwise the socket's peer."""
    meta = getattr(request, "META", {})
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if settings.PRODUCTION and forwarded:
        return forwarded.split(",")[-1].strip() or None
    return meta.get("REMOTE_ADDR") or None


def locked_out(request: HttpRequest, credentials: dict[str, Any] | None = None,
               *args: Any, **kwargs: Any) -> HttpResponse:
    """429 for a username or address locked out after repeated failures: JSON for the API, a
    page for the sign-in form."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (f"Too many failed sign-ins: locked out for {minutes} minutes. "
               "Ask SECAS if you have forgotten your password.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return HttpResponse(render_to_string("registration/locked_out.html",
                                         {"message": message}, request), status=429)


@receiver(user_login_failed, dispatch_uid="secassure.accounts.login_failed")
def journal_failed_login(sender: Any, credentials: dict[str, Any],
                         request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Journal a failed sign-in (the form or /api/token/): the username tried and the
    address. Django has already masked the password in `credentials`; it is not read."""
    username = str(credentials.get("username") or "")[:150]
    address = client_address(request) if request is not None else None
    record(SYSTEM, "accounts.login.failed", reason="sign-in refused",
           subject=f"person:{username}",
           details={"username": username, "address": address or "unknown"})
