"""Middleware of the deployed platform."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from secassure.accounts import mfa


class PrivateResponses:
    """Every response to a signed-in person says `Cache-Control: no-store, private`: pages and
    downloads carry AMBER and RED business (each record's classification), and no browser
    cache, shared proxy or back button may keep a copy once they sign out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # request.user is lazy: only a request that carried a session cookie or a token can be
        # a signed-in person's, and only then is it asked (DRF sets its own user on the
        # request it wraps, so a token is recognised by the header).
        signed_in = (user is not None and user.is_authenticated) or bool(
            request.META.get("HTTP_AUTHORIZATION"))
        if signed_in:
            patch_cache_control(response, no_store=True, private=True)
        return response


class SecondFactorGate:
    """Until a person who is asked for a second-factor code (accounts.mfa) has given one in
    this session, every page sends them to the code page, or to the enrolment page if they
    must use an authenticator and have none; the admin too. Signing in and out, those pages,
    /api/token/ (which asks for the code itself) and static files stay open. The API answers
    403 in JSON to such a session; a request with `Authorization: Token` is let through, its
    token having been issued for a verified sign-in (/api/token/ asks for the code)."""

    OPEN = ("login", "logout", "mfa-verify", "mfa-enrol", "api-token")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: frozenset[str] | None = None

    def _is_open(self, path: str) -> bool:
        if self._open is None:
            self._open = frozenset(reverse(name) for name in self.OPEN)
        return path in self._open or path.startswith("/" + settings.STATIC_URL.lstrip("/"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.SECASSURE_MFA or self._is_open(request.path_info):
            return self.get_response(request)
        if request.path_info.startswith("/api/") and request.META.get(
                "HTTP_AUTHORIZATION", "").startswith("Token "):
            return self.get_response(request)
        step = mfa.pending_step(request)
        if step is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": "Two-step sign-in is not complete: enter the code "
                                           "from your authenticator app first."}, status=403)
        page = reverse("mfa-enrol" if step == mfa.ENROL else "mfa-verify")
        return HttpResponseRedirect(f"{page}?next={quote(request.get_full_path(), safe='/')}")
