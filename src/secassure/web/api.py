"""API plumbing shared by every app: error shapes, bounded pagination.

Whatever a client sends, the answer is a 4xx with a message, never a server error: bad
register data names the party and field; JSON nested too deeply, and numbers beyond what the
database can hold (in a filter, an offset, a field), are refused as bad input.
"""
from __future__ import annotations

from typing import Any

from django.db import DataError
from rest_framework import status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from secassure.code.interchange import RegisterFormatError

#: The largest offset a list accepts (larger ones answer an empty page, as past the end).
MAX_OFFSET = 2**31 - 1


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a 400 for bad register data (naming the party and field), for
    JSON nested too deeply, and for a number the database cannot hold."""
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
    return drf_exception_handler(exc, context)


class BoundedPagination(LimitOffsetPagination):
    """`?limit=` at most 1,000 (a larger one gets 1,000), `?offset=` at most 2**31 - 1."""

    default_limit = 100
    max_limit = 1000

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
