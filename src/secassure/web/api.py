"""API plumbing shared by every app: error shapes, bounded pagination.

Whatever a client sends, the answer is a 4xx with a message, never a server error: bad
register data names the party and field; JSON nested too deeply, and numbers beyond what the
database can hold (in a filter, an offset, a field), are refused as bad input.
"""
from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from secassure.code.interchange import RegisterFormatError

#: The largest offset a list accepts (larger ones answer an empty page, as past the end).
MAX_OFFSET = 2**31 - 1


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a 400 for bad register data (naming the party and field), for
    JSON nested too deeply, and for a number the database cannot hold. Every 400 of invalid
    input says what is wrong in `detail` and names the input in `field`, beside DRF's errors
    by field."""
    if isinstance(exc, RegisterFormatError):
        return Response({"detail": str(exc), "party": exc.party, "field": exc.field},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RecursionError):
        return Response({"detail": "the request body is nested too deeply"},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (OverflowError, DataError)):
        return Response({"detail": "a value in the request is out of range (too large or too "
                                   "long for the register)"},
                        status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, ValidationError) and response is not None:
        response.data = with_detail(response.data)
    return response


def with_detail(errors: Any) -> dict[str, Any]:
    """DRF's errors by field, with the first of them said in `detail` (and its input named in
    `field`), so every refusal has the same `detail`, whatever raised it."""
    if isinstance(errors, dict) and "detail" in errors:
        return errors
    field, message = _first(errors)
    said = {"detail": f"{field}: {message}" if field else message, "field": field}
    return {**errors, **said} if isinstance(errors, dict) else {**said, "errors": errors}


def _first(errors: Any, path: str = "") -> tuple[str | None, str]:
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = path if key == "non_field_errors" else (f"{path}.{key}" if path else
                                                           str(key))
            if value:
                return _first(value, name)
    if isinstance(errors, list) and errors:
        for index, value in enumerate(errors):
            if value:
                return _first(value, f"{path}[{index}]" if isinstance(value, (dict, list))
                              else path)
    return path or None, str(errors)


class BoundedPagination(LimitOffsetPagination):
    """`?limit=` a whole number from 1 (a larger one than 1,000 gets 1,000), `?offset=` a
    whole number from 0 (past 2**31 - 1 it is past the end); anything else is a 400, as the
    schema says."""

    default_limit = 100
    max_limit = 1000

    def get_limit(self, request: Request) -> int:
        given = _whole(request, self.limit_query_param, low=1)
        return self.default_limit if given is None else min(given, self.max_limit)

    def get_offset(self, request: Request) -> int:
        given = _whole(request, self.offset_query_param, low=0)
        return 0 if given is None else min(given, MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1 if parameter["name"] == "limit" else 0
        return parameters


def _whole(request: Request, name: str, low: int) -> int | None:
    """The query parameter `name` as a whole number of at least `low` (None if absent)."""
    text = request.query_params.get(name)
    if text is None:
        return None
    digits = text.strip()
    unsigned = digits[1:] if digits[:1] in "+-" else digits
    if not (unsigned.isascii() and unsigned.isdigit()):
        raise ValidationError({name: [f"a whole number, {low} or more"]})
    # a number too long to matter (or to convert) is larger than any cap
    value = int(unsigned) if len(unsigned) <= 18 else 10**18
    if digits.startswith("-"):
        value = -value
    if value < low:
        raise ValidationError({name: [f"a whole number, {low} or more"]})
    return value


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 for an address that names nothing: JSON under /api/ (as every API answer), the
    styled page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception or Http404())
