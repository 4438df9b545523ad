"""The second step of signing in: the code page and the enrolment page (accounts.mfa). Until a
person who is asked for a code gives one, every other page sends them here
(web.middleware.SecondFactorGate)."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from . import mfa

REFUSED = "That code is not right. Enter the code your authenticator app shows now."


class CodeForm(forms.Form):
    otp = forms.CharField(
        label="Code", max_length=12, strip=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "autofocus": True, "size": 8}))


def _next(request: HttpRequest) -> str:
    """Where to go once verified: the page asked for, if it is one of ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _refusal(check: mfa.Check) -> str:
    if check.wait_seconds:
        return (f"Too many wrong codes: wait {check.wait_seconds} seconds, then enter the code "
                "your authenticator app shows.")
    return REFUSED


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """'Enter the 6-digit code from your authenticator app'."""
    step = mfa.pending_step(request)
    if step is None:
        return HttpResponseRedirect(_next(request))
    if step == mfa.ENROL:
        return redirect(f"{reverse('mfa-enrol')}?next={_quoted_next(request)}")
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        check = mfa.verify_sign_in(request, request.user, form.cleaned_data["otp"])
        if check.accepted:
            return HttpResponseRedirect(_next(request))
        error = _refusal(check)
    return render(request, "registration/mfa_verify.html",
                  {"form": form, "error": error, "next": _next(request)},
                  status=400 if error else 200)


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: its QR code and secret, confirmed by a code from it."""
    person = request.user
    if not (mfa.must_use(person) or mfa.may_enrol(person)):
        return HttpResponseRedirect(_next(request))
    if mfa.device_of(person) is not None:  # a second one only after SECAS resets the first
        step = mfa.pending_step(request)
        return (HttpResponseRedirect(_next(request)) if step is None
                else redirect(f"{reverse('mfa-verify')}?next={_quoted_next(request)}"))
    device = mfa.pending_device(person)
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            check = mfa.confirm_enrolment(request, person, device, form.cleaned_data["otp"])
        except PermissionError:  # enrolled meanwhile, in another session
            return redirect(f"{reverse('mfa-verify')}?next={_quoted_next(request)}")
        if check.accepted:
            return HttpResponseRedirect(_next(request))
        error = _refusal(check)
    return render(request, "registration/mfa_enrol.html",
                  {"form": form, "error": error, "next": _next(request),
                   "qr": mfa.qr_svg(device), "secret": mfa.secret(device),
                   "required": mfa.must_use(person)},
                  status=400 if error else 200)


def _quoted_next(request: HttpRequest) -> str:
    return quote(_next(request), safe="/")


def offer(request: HttpRequest) -> dict[str, Any]:
    """Template context: whether to offer the signed-in person to enrol an authenticator by
    choice (a party representative or triage operator without one, the second factor on)."""
    user = getattr(request, "user", None)
    return {"mfa_offer": bool(
        settings.SECASSURE_MFA and user is not None and user.is_authenticated
        and mfa.may_enrol(user) and getattr(user, "otp_device", None) is None)}
