"""API plumbing shared by every app: error shapes."""
from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from secassure.code.interchange import RegisterFormatError


def exception_handler(exc, context):
    """DRF's handler, plus a 400 naming the party and field for bad register data."""
    if isinstance(exc, RegisterFormatError):
        return Response({"detail": str(exc), "party": exc.party, "field": exc.field},
                        status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
