"""What every notice record shares: its classification (RED by default) and the visibility
rule of `secassure.core.visibility`, narrowed for the Panel to what the Code sends it."""
from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from secassure.code.classification import Classification, PersonKind
from secassure.core.visibility import ClassifiedQuerySet, person_kind
from secassure.registry.models import CLASSIFICATIONS


def classification_field() -> models.CharField:
    return models.CharField(max_length=5, choices=CLASSIFICATIONS,
                            default=Classification.RED.value)


class NoticeQuerySet(ClassifiedQuerySet):
    """`visible_to` is the platform's one rule (the SSC and SECAS see every notice, a party's
    people their own party's, never another's). Of RED business the Panel sees the papers
    put before it: for notices, those the Code sends the Panel (`PANEL_RED`, e.g. G3.5 and
    G2.11, a Major Security Incident); the models set `PANEL_SEES_ALL` so the base rule grants
    the Panel's RED scope, and this narrows it in the same query."""

    def visible_to(self, user: Any) -> NoticeQuerySet:
        visible = super().visible_to(user)
        if person_kind(user) != PersonKind.PANEL_MEMBER:
            return visible
        red = Q(classification=Classification.RED.value)
        return visible.filter(~red | (red & self.model.PANEL_RED))


class NoticeRecord(models.Model):
    classification = classification_field()

    SHARED_WITH_RESOURCE_USERS = False
    PANEL_SEES_ALL = True            # narrowed by `PANEL_RED` (NoticeQuerySet)
    PANEL_RED = Q(pk__in=[])         # by default the Panel is sent none of a model's RED rows
    VISIBILITY_ASSESSMENT_PATH: str | None = None

    objects = NoticeQuerySet.as_manager()

    class Meta:
        abstract = True
