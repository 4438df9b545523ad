"""The visibility rule of `secassure.code.classification`, applied inside the database query.

Every model that holds confidential business has a `classification` field and declares how it
reaches a party (`VISIBILITY_PARTY_PATH`), how it reaches its assessment (read off that path, or
`VISIBILITY_ASSESSMENT_PATH`), and whether G10.8 shares it with the Users a Shared Resource
Provider served at the time of the assessment (`SHARED_WITH_RESOURCE_USERS`; the Users served
are recorded on the assessment, `Assessment.served_users`). `Model.objects.visible_to(user)`
filters by this one rule; nothing filters lists in Python.
"""
from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import CharField, Prefetch, Q, Value
from django.db.models.functions import Cast, Concat

from secassure.code.classification import DRAFT_READERS, PARTY_SIDE, VISIBILITY, PersonKind, Scope
from secassure.code.workflow import DCC_CATEGORIES, FULL, Stage


def person_kind(user) -> PersonKind | None:
    """The kind of a request's user; None for the anonymous public. A superuser without a
    kind is treated as the secretariat."""
    if user is None or not user.is_authenticated:
        return None
    if getattr(user, "kind", ""):
        return PersonKind(user.kind)
    return PersonKind.SECAS if user.is_superuser else PersonKind.PARTY_REP


def assessment_path(model: type[models.Model]) -> str | None:
    """The path from a record of `model` to the assessment it belongs to: '' for an assessment
    itself, None for a record of no one assessment. Declared as `VISIBILITY_ASSESSMENT_PATH`,
    or read off a party path that goes through an assessment ("finding__assessment__party")."""
    declared = getattr(model, "VISIBILITY_ASSESSMENT_PATH", None)
    if declared is not None:
        return declared
    path = getattr(model, "VISIBILITY_PARTY_PATH", "")
    return path[:-len("__party")] if path.endswith("assessment__party") else None


def _at(prefix: str | None, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


def _assessments() -> Any:
    return apps.get_model("assurance", "Assessment").objects


def engaged_assessments(user: Any) -> Any:
    """The assessments a User CIO assessor is engaged on (G8.22-G8.23): those it is the assessor
    of, and the self-assessments submitted for review that no assessor has taken yet (G8.18:
    the reviewer is engaged by reviewing)."""
    return _assessments().filter(
        Q(assessor_id=user.pk)
        | Q(assessor__isnull=True, stage=Stage.SSA_SUBMITTED.value)).values("pk")


def panel_assessments() -> Any:
    """The assessments whose papers go to the Panel: initial Full assessments (G8.34) and the
    Follow-ups it judges after them (G8.36(b)-(c)), and the DCC's assessments, whose responses
    it receives and on which it hears the DCC's appeals (G9.3(c)(iv), G9.31, G9.33)."""
    return _assessments().filter(
        Q(category=FULL, initial=True) | Q(follows__category=FULL, follows__initial=True)
        | Q(category__in=sorted(DCC_CATEGORIES))).values("pk")


def served_assessments(party_id: int) -> Any:
    """The assessments of a Shared Resource Provider made while it served `party_id`: the
    Users recorded on each assessment when it was booked or recorded (G10.7)."""
    through = apps.get_model("assurance", "Assessment").served_users.through
    return through.objects.filter(party_id=party_id).values("assessment_id")


def _tie(model: type[models.Model], party_path: str, scope: Scope, user: Any) -> Q:
    """The records of `model` that a narrow `scope` (ENGAGED, DCC, PANEL) gives `user`."""
    if scope == Scope.DCC:
        return Q(**{_at(party_path if party_path != "id" else "", "is_dcc"): True})
    if scope == Scope.PANEL and getattr(model, "PANEL_SEES_ALL", False):
        return Q()
    chosen = engaged_assessments(user) if scope == Scope.ENGAGED else panel_assessments()
    through_assessment = assessment_path(model) if model is not None else None
    if through_assessment is not None:
        return Q(**{_at(through_assessment, "pk") + "__in": chosen})
    subject = getattr(model, "VISIBILITY_SUBJECT_FIELD", None)
    if subject:  # the journal: an entry names the assessment it is about ("assessment:12")
        named = _assessments().filter(pk__in=chosen).annotate(
            _subject=Concat(Value("assessment:"), Cast("pk", CharField()))).values("_subject")
        tie = Q(**{f"{subject}__in": named})
        if scope == Scope.PANEL:  # the Panel decides Events of Default (G8.57-G8.60)
            tie |= Q(**{f"{subject}__startswith": "event_of_default:"})
        return tie
    parties = _assessments().filter(pk__in=chosen).values("party_id")
    return Q(**{f"{party_path}__in": parties})


def visibility_q(user: Any, party_path: str, shared_with_resource_users: bool = False,
                 classification_field: str = "classification",
                 model: type[models.Model] | None = None) -> Q:
    """The filter that keeps exactly the records `user` may see (of `model`, whose links to
    an assessment decide the narrow scopes; without it, a record of a party)."""
    rules = VISIBILITY[person_kind(user)]
    if len(rules) == 4 and all(scope == Scope.ALL for scope in rules.values()):
        return Q()
    by_scope: dict[Scope, list[str]] = {}
    for level, granted in rules.items():
        by_scope.setdefault(granted, []).append(level.value)
    allowed = Q(pk__in=[])
    if Scope.ALL in by_scope:
        allowed |= Q(**{f"{classification_field}__in": by_scope[Scope.ALL]})
    party_id = getattr(user, "party_id", None)
    if Scope.OWN in by_scope and party_id is not None:
        mine = Q(**{party_path: party_id})
        through_assessment = assessment_path(model) if model is not None else None
        if shared_with_resource_users and through_assessment is not None:
            # G10.8 to the Users served at the time of the assessment (G10.7)
            mine |= Q(**{_at(through_assessment, "pk") + "__in": served_assessments(party_id)})
        allowed |= Q(**{f"{classification_field}__in": by_scope[Scope.OWN]}) & mine
    for narrow in (Scope.ENGAGED, Scope.DCC, Scope.PANEL):
        if narrow in by_scope:
            allowed |= (Q(**{f"{classification_field}__in": by_scope[narrow]})
                        & _tie(model, party_path, narrow, user))  # type: ignore[arg-type]
    return allowed


def draft_q(user: Any, published_path: str | None, shared_path: str | None = None,
            party_path: str = "") -> Q:
    """Drafts (a report not yet issued) are for their drafters only; a draft the assessor has
    shared with the party (`shared_path` set, G8.22) also for the party's own people, never
    for its Shared Resource Users, the SSC or anyone else."""
    if published_path is None or person_kind(user) in DRAFT_READERS:
        return Q()
    issued = Q(**{f"{published_path}__isnull": False})
    party_id = getattr(user, "party_id", None)
    if shared_path and party_id is not None and person_kind(user) in PARTY_SIDE:
        issued |= Q(**{f"{shared_path}__isnull": False, party_path: party_id})
    return issued


class ClassifiedQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ClassifiedQuerySet:
        """The records `user` may see: the one rule above, as a filter of this query."""
        model = self.model
        return self.filter(
            visibility_q(user, model.VISIBILITY_PARTY_PATH,
                         getattr(model, "SHARED_WITH_RESOURCE_USERS", False), model=model),
            draft_q(user, getattr(model, "VISIBILITY_DRAFT_PATH", None),
                    getattr(model, "VISIBILITY_DRAFT_SHARED_PATH", None),
                    model.VISIBILITY_PARTY_PATH))


def visible_prefetch(user: Any, lookup: str, queryset: ClassifiedQuerySet | type[models.Model],
                     to_attr: str | None = None) -> Prefetch:
    """A prefetch of the classified records behind `lookup` that keeps only those `user` may
    see: `queryset` (a query of a classified model, or the model itself) is filtered by
    `visible_to(user)` here, so a nested list can never bypass the rule. The records land in
    `to_attr` (default `visible_<lookup>`), never in the unfiltered related manager's cache."""
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    return Prefetch(lookup, queryset.visible_to(user),
                    to_attr=to_attr or f"visible_{lookup.rsplit('__', 1)[-1]}")
