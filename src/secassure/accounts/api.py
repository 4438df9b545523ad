"""/api/token/: a person's API token for their username and password (and, for a person who
signs in with a second factor, a code from their authenticator)."""
from __future__ import annotations

from django.http import HttpResponse
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from . import mfa
from .services import api_token
from .signin import locked_out

#: The refusal of a wrong password, given for a wrong code too (DRF's own words).
REFUSED = "Unable to log in with provided credentials."


class TokenRequest(AuthTokenSerializer):
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=12, write_only=True,
        help_text="The 6-digit code from the person's authenticator app: required of a person "
                  "who signs in with a second factor (SECASSURE_MFA).")


class ObtainToken(ObtainAuthToken):
    """The person's token, a fresh one if theirs has expired (journaled when issued). The
    password is checked through the authentication backends, so a locked-out username or
    address is refused here as on the sign-in form. A person asked for a code on the sign-in
    form is asked for it here (`otp`): a missing code is a 400 naming `otp`, a wrong one is
    refused like a wrong password (and journaled, accounts.mfa). A token so obtained counts
    as verified: requests that carry it are not asked again."""

    serializer_class = TokenRequest

    def post(self, request: Request, *args: object,
             **kwargs: object) -> Response | HttpResponse:
        serializer = self.get_serializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # django-axes marks the request it was given (DRF's, not Django's) when it locks
            # the username or address out; its middleware would not see the mark.
            if getattr(request, "axes_locked_out", False):
                return locked_out(request)
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if mfa.asks_for_code(user):
            code = serializer.validated_data.get("otp", "")
            if not code:
                raise ValidationError({"otp": ["A code from your authenticator app is "
                                               "required (enrol one by signing in on the "
                                               "web first)."]})
            device = mfa.device_of(user)
            if device is None:  # none enrolled yet: enrol on the web first
                mfa.journal_refusal(user, where="api", request=request)
                raise ValidationError({"non_field_errors": [REFUSED]})
            if not mfa.check_code(user, device, code, where="api", request=request).accepted:
                raise ValidationError({"non_field_errors": [REFUSED]})
        return Response({"token": api_token(user.username, actor=user)})
