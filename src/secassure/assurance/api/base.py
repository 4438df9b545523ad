"""What every assurance endpoint shares: the refusals and their shapes, input validation.

The workflow's refusals become HTTP answers here rather than in the project-wide handler:
- PermissionDenied (the wrong person for the action): 403 `{"detail"}`;
- a record the person may not see: 404 (its existence is not revealed);
- WorkflowError (the action is not open at the assessment's stage): 409 `{"detail"}`;
- AssuranceError or invalid input: 400 `{"detail", "field"}`, the field being the one the
  message names ("reason: give the Panel's reasons" -> "reason").
They come in that order: who may see it, who may act, when, and only then what was sent.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from secassure.code.workflow import ACTIONS, Act, WorkflowError

from ..models import Assessment
from ..services import AssuranceError, allow
from .serializers import ErrorSerializer

_FIELD = re.compile(r"^([a-z][a-z_]*): ")


def error_field(message: str) -> str | None:
    """The field an AssuranceError names at the start of its message, if any."""
    match = _FIELD.match(message)
    return match.group(1) if match else None


def first_error(detail, path: str = "") -> tuple[str | None, str]:
    """The first (field path, message) of a DRF validation error, e.g.
    ("answers[0].steps[1].due", "Date has wrong format...")."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":
                name = path
            elif str(key).isdigit():
                name = f"{path}[{key}]"
            else:
                name = f"{path}.{key}" if path else str(key)
            if value:
                return first_error(value, name)
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                if value:
                    return first_error(value, f"{path}[{index}]")
            else:
                return path or None, str(value)
    return path or None, str(detail)


def refusal(error: Exception, default_field: str | None = None) -> Response | None:
    """The HTTP answer to a refusal by the workflow or the input, or None for other errors."""
    if isinstance(error, WorkflowError):
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    if isinstance(error, AssuranceError):
        message = str(error)
        return Response({"detail": message, "field": error_field(message) or default_field},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, ValidationError):
        field, message = first_error(error.detail)
        return Response({"detail": f"{field}: {message}" if field else message,
                         "field": field, "errors": error.detail},
                        status=status.HTTP_400_BAD_REQUEST)
    return None


#: The refusals every action may give, for the schema.
REFUSALS = {
    400: OpenApiResponse(ErrorSerializer, description="Bad input; `field` names it."),
    403: OpenApiResponse(ErrorSerializer, description="Not this person's action."),
    404: OpenApiResponse(ErrorSerializer, description="No such record that you may see."),
    409: OpenApiResponse(ErrorSerializer, description="Not possible at this stage."),
}


def outcomes(ok, code: int = 200) -> dict:
    """The responses of an action for the schema: `ok` on success, then the refusals."""
    return {code: ok, **REFUSALS}


#: Per workflow action (the route's method is named after it), the field an AssuranceError
#: concerns when its message names none (e.g. the whole response's `answers`).
ERROR_FIELDS = {act.value: d.error_field for act, d in ACTIONS.items() if d.error_field}


class WorkflowAPIMixin:
    """Refusals as documented above; `valid(Input)` validates the request body with the acting
    person in the context, `valid_input(Input)` gives a declared action's service keywords."""

    if TYPE_CHECKING:  # what the DRF view this is mixed into provides
        request: Request

        def get_object(self) -> Any: ...

    def handle_exception(self, exc: Exception) -> Response:
        response = refusal(exc, ERROR_FIELDS.get(getattr(self, "action", None) or ""))
        if response is not None:
            return response
        return super().handle_exception(exc)  # type: ignore[misc]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(),  # type: ignore[misc]
                "user": self.request.user}

    def acting(self, act: Act, assessment: Assessment | None = None) -> Assessment:
        """The assessment of the URL (404 if the caller may not see it), once the workflow
        lets the caller take `act` on it now (403 the wrong person, 409 the wrong stage).
        Checked before the input, so a refusal does not depend on what was sent; the service
        checks again, under its lock, before it changes anything."""
        assessment = assessment or self.get_object()
        allow(self.request.user, act, assessment)
        return assessment

    def valid(self, serializer_class: Any) -> dict:
        serializer = serializer_class(data=self.request.data,
                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def valid_input(self, serializer_class: Any) -> dict[str, Any]:
        """A declared action's input, validated, as its service's keywords."""
        serializer = serializer_class(data=self.request.data,
                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.to_service()

    def show(self, serializer_class, instance, code: int = 200, many: bool = False) -> Response:
        serializer = serializer_class(instance, many=many, context=self.get_serializer_context())
        return Response(serializer.data, status=code)
