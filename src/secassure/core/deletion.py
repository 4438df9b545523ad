"""What removing records would take with it, asked before an upsert removes anything.

An import or a form replaces a party's register facts; it must never delete, as a side
effect, records it does not carry (thresholds set per User ID, test statuses, quarantined
communications, the scope of an assessment). Django's deletion collector knows every model
that refers to a record, whatever app it belongs to, so the register can ask without knowing
the apps above it.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.db import router
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector


def taken_along(records: Sequence[Model], allowed: Sequence[type[Model]] = ()) -> list[str]:
    """What deleting `records` would also delete, or what would stop it, other than the
    records themselves and rows of the `allowed` models: one phrase per kind of record, e.g.
    "3 anomaly detection thresholds". Empty when the deletion takes nothing else."""
    if not records:
        return []
    model = type(records[0])
    collector = Collector(using=router.db_for_write(model))
    try:
        collector.collect(list(records))
    except (ProtectedError, RestrictedError) as error:
        blocking = list(getattr(error, "protected_objects", None)
                        or getattr(error, "restricted_objects", None) or [])
        return _phrases({type(obj) for obj in blocking},
                        {kind: sum(1 for o in blocking if type(o) is kind)
                         for kind in {type(o) for o in blocking}})
    counts: dict[type[Model], int] = {}
    for kind, found in collector.data.items():
        if kind is not model and kind not in allowed:
            counts[kind] = len(found)
    for query in collector.fast_deletes:
        kind = query.model
        if kind is not model and kind not in allowed:
            number = query.count()
            if number:
                counts[kind] = counts.get(kind, 0) + number
    return _phrases(set(counts), counts)


def _phrases(kinds: set[type[Model]], counts: dict[type[Model], int]) -> list[str]:
    names = {kind: kind._meta.verbose_name if counts[kind] == 1 else kind._meta.verbose_name_plural
             for kind in kinds}
    return [f"{counts[kind]} {names[kind]}" for kind in sorted(kinds, key=lambda k: k._meta.label)]
