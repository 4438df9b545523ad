"""Sections that other apps add to a party's page (as NetBox's template extensions).

The register knows parties; what other apps know about a party (its assessments and schedule,
its thresholds, its notices) they show on its page by registering a panel here when they
start (`AppConfig.ready`). Imports point down: an app imports the register, never the reverse.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Party


@dataclass(frozen=True)
class PartyPanel:
    """A section of the party page: its template and the context it needs (None: not shown)."""

    name: str
    template: str
    context: Callable[[HttpRequest, Party, date], dict[str, Any] | None]
    order: int = 50


_PANELS: dict[str, PartyPanel] = {}


def register_party_panel(panel: PartyPanel) -> None:
    """Add (or replace, by name) a section of the party page."""
    _PANELS[panel.name] = panel


def render_party_panels(request: HttpRequest, party: Party, as_of: date) -> list[SafeString]:
    """The registered sections, in order, rendered for this reader and party."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request, party, as_of)
        if context is not None:
            shown.append(render_to_string(panel.template, {"party": party, "as_of": as_of,
                                                           **context}, request=request))
    return shown
