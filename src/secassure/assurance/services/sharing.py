"""Who a Shared Resource Provider served at the time of an assessment (G10.7).

G10.8 sends a provider's report, response, agreed steps and progress reports to each User with
which, "at that time", it had an arrangement under G10.2 (a "Shared Resource User", G10.7). The
platform records those Users on the assessment when it is booked or recorded, from the register
as it stands then (`Party.resource_provider`); a User that joins the provider later does not
receive that assessment's papers, and one that leaves keeps those it received.
"""
from __future__ import annotations

from collections.abc import Iterable

from secassure.registry.models import Party

from ..models import Assessment


def record_served_users(assessments: Iterable[Assessment]) -> None:
    """Record on each assessment the Users its party serves now as a Shared Resource Provider
    (none for a party that is not one): two queries whatever the number of assessments."""
    by_party: dict[int, list[int]] = {}
    for assessment in assessments:
        by_party.setdefault(assessment.party_id, []).append(assessment.pk)
    if not by_party:
        return
    through = Assessment.served_users.through
    users = Party.objects.filter(resource_provider_id__in=list(by_party)).values_list(
        "pk", "resource_provider_id")
    through.objects.bulk_create(
        [through(assessment_id=pk, party_id=user) for user, provider in users
         for pk in by_party[provider]], ignore_conflicts=True)
