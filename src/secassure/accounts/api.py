"""/api/token/: a person's API token for their username and password."""
from __future__ import annotations

from django.http import HttpResponse
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from .services import api_token
from .signin import locked_out


class ObtainToken(ObtainAuthToken):
    """The person's token, a fresh one if theirs has expired (journaled when issued). The
    password is checked through the authentication backends, so a locked-out username or
    address is refused here as on the sign-in form."""

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
        return Response({"token": api_token(user.username, actor=user)})
