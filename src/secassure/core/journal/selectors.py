"""Queries over the journal that views and the API share, and the one way pages page them.

Each query starts from `JournalEntry.objects.visible_to(user)`; each page of entries costs two
queries (the count and the page), however long the journal."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from .models import JournalEntry

#: How many entries a page of a journal or a history shows.
PER_PAGE = 25


def timeline(user: Any, party: Any) -> QuerySet[JournalEntry]:
    """A party's history, newest first, limited to what `user` may see."""
    return (JournalEntry.objects.visible_to(user).filter(party=party)
            .select_related("actor").order_by("-id"))


def entries(user: Any) -> QuerySet[JournalEntry]:
    """The whole journal as `user` may see it, newest first."""
    return JournalEntry.objects.visible_to(user).select_related("party", "actor").order_by("-id")


def recent(user: Any, limit: int = 200) -> QuerySet[JournalEntry]:
    """The newest `limit` entries `user` may see."""
    return entries(user)[:limit]


def page_of(found: QuerySet[JournalEntry] | Sequence[JournalEntry], number: str | int | None,
            per_page: int = PER_PAGE) -> Page:
    """One page of entries (the first for a missing or bad number, the last past the end), with
    `links`: the page numbers to link to, elided around the current one."""
    page = Paginator(found, per_page).get_page(number)
    page.links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                           on_ends=1))
    return page
