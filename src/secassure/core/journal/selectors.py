"""Queries over the journal that views and the API share."""
from .models import JournalEntry


def timeline(user, party):
    """A party's history, newest first, limited to what `user` may see."""
    return (JournalEntry.objects.visible_to(user).filter(party=party)
            .select_related("actor").order_by("-id"))


def recent(user, limit: int = 200):
    return (JournalEntry.objects.visible_to(user).select_related("party", "actor")
            .order_by("-id")[:limit])
