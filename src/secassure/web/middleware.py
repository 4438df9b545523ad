"""Middleware of the deployed platform."""
from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


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
