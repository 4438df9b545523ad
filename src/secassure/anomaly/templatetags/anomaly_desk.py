"""Template tags of the exceptions and the desk: reads through the selectors, so what a page
lists is what the visibility rule gives the person."""
from __future__ import annotations

from typing import Any

from django import template
from django.db.models import QuerySet

from secassure.registry.models import Party

from .. import selectors
from ..models import Threshold, ThresholdException

register = template.Library()


@register.simple_tag
def visible_exceptions(user: Any, threshold: Threshold | None = None,
                       party: Party | None = None) -> QuerySet[ThresholdException]:
    """The exceptions (G6.1(a)(i)) of a threshold or of a party's thresholds that `user` may
    see."""
    return selectors.threshold_exceptions(user, threshold=threshold, party=party)
