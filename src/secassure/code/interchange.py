"""The register's JSON interchange format (used by `import`, `export` and `schedule --input`).

    {"parties": [{"id": "P1", "name": "...", "roles": ["import_supplier"],
                  "domestic_premises": 0, "non_domestic_premises": 0,
                  "shares_resources_with": ["P7"], "resource_provider": "SRP1",
                  "assessments": [{"type": "FUSA", "completed": "2023-02-01", "initial": true,
                                   "assurance_status": "approved", "status_set": "2023-03-10",
                                   "roles": ["import_supplier"],
                                   "premises": {"domestic": 0, "non_domestic": 0},
                                   "follow_up_by": null, "ssc_next_category": "VUSA"},
                                  {"type": "FOLLOW_UP", "completed": "2023-05-01",
                                   "panel_satisfied": "2023-06-01"}],
                  "ssc_next_category": "VUSA",
                  "user_ids": {"import_supplier": ["90-B3-D5-1F-30-01-00-00"]}}]}

Parsing is strict: every problem is reported as a `RegisterFormatError` naming the party and
the field, so that a command can print one line and stop before anything is written.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import inputs
from .categories import AssessmentType, AssuranceStatus
from .dates import parse_iso_date
from .roles import UserRole, parse_role
from .tracks import Assessment, PartyFacts, Premises

PARTY_KEYS = ("id", "name", "roles", "domestic_premises", "non_domestic_premises",
              "shares_resources_with", "resource_provider", "assessments", "ssc_next_category",
              "user_ids")
ASSESSMENT_KEYS = ("type", "completed", "initial", "assurance_status", "status_set", "roles",
                   "premises", "follow_up_by", "panel_satisfied", "ssc_next_category")
#: G12.8(c): the categories the SSC may determine for a Triage Facility Provider.
SSC_CATEGORIES = (AssessmentType.FULL, AssessmentType.VERIFICATION, AssessmentType.SELF_ASSESSMENT)


class RegisterFormatError(ValueError):
    """A problem in an interchange document, located by party and field."""

    def __init__(self, message: str, party: str | None = None, field: str | None = None):
        self.message, self.party, self.field = message, party, field
        where = []
        if party is not None:
            where.append(f"party {party}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@dataclass(frozen=True)
class PartyRecord:
    """One party as the interchange format carries it."""

    id: str
    name: str = ""
    roles: tuple[UserRole, ...] = ()
    domestic_premises: int = 0
    non_domestic_premises: int = 0
    shares_resources_with: tuple[str, ...] = ()
    resource_provider: str | None = None
    assessments: tuple[Assessment, ...] = ()
    ssc_next_category: AssessmentType | None = None
    user_ids: Mapping[UserRole, tuple[str, ...]] = field(default_factory=dict)

    def facts(self) -> PartyFacts:
        return PartyFacts(
            id=self.id, roles=frozenset(self.roles), domestic=self.domestic_premises,
            non_domestic=self.non_domestic_premises,
            shares_resources_with=self.shares_resources_with,
            resource_provider=self.resource_provider, assessments=self.assessments,
            ssc_next_category=self.ssc_next_category)


def parse_register(data: object, known_ids: Iterable[str] = (),
                   known_providers: Mapping[str, str | None] | None = None) -> list[PartyRecord]:
    """Validate a decoded JSON document; `known_ids` are parties that exist already
    (in the database) and may be referred to without being in the document, and
    `known_providers` their Shared Resource Providers (to refuse a cycle of providers)."""
    if not isinstance(data, dict) or not isinstance(data.get("parties"), list):
        raise RegisterFormatError('the document must be an object with a "parties" list')
    unknown = set(data) - {"parties"}
    if unknown:
        raise RegisterFormatError(f"unknown top-level key(s): {', '.join(sorted(unknown))}")
    records, seen = [], set()
    for position, raw in enumerate(data["parties"], start=1):
        record = _parse_party(raw, position)
        if record.id in seen:
            raise RegisterFormatError("duplicate party id", _who(record.id), "id")
        seen.add(record.id)
        records.append(record)
    _check_references(records, seen | set(known_ids))
    _check_provider_cycles(records, known_providers or {})
    return records


def dump_register(records: Iterable[PartyRecord]) -> dict:
    """The interchange document for `records`; optional keys appear only when set."""
    return {"parties": [_dump_party(r) for r in records]}


def _who(party_id: str) -> str:
    return f'"{party_id}"'


def _parse_party(raw: object, position: int) -> PartyRecord:
    anonymous = f"#{position}"
    if not isinstance(raw, dict):
        raise RegisterFormatError("each party must be a JSON object", anonymous)
    try:
        party_id = inputs.party_id(raw.get("id"))
    except ValueError as error:
        raise RegisterFormatError(str(error), anonymous, "id") from None
    who = _who(party_id)
    unknown = set(raw) - set(PARTY_KEYS)
    if unknown:
        raise RegisterFormatError(f"unknown key(s) {', '.join(sorted(unknown))} "
                                  f"(allowed: {', '.join(PARTY_KEYS)})", who, sorted(unknown)[0])
    try:
        name = inputs.name(raw.get("name", ""))
    except ValueError as error:
        raise RegisterFormatError(str(error), who, "name") from None
    roles = _parse_roles(raw.get("roles"), who)
    provider = raw.get("resource_provider")
    if provider is not None:
        try:
            provider = inputs.party_id(provider)
        except ValueError as error:
            raise RegisterFormatError(f"must be a party id or null: {error}", who,
                                      "resource_provider") from None
    category = raw.get("ssc_next_category")
    if category is not None:
        if category not in SSC_CATEGORIES:
            raise RegisterFormatError(f"{category!r} is not a category the SSC may determine "
                                      "(FUSA, VUSA or SSA, G12.8(c))", who, "ssc_next_category")
        category = AssessmentType(category)
    return PartyRecord(
        id=party_id, name=name, roles=roles,
        domestic_premises=_count(raw, "domestic_premises", who),
        non_domestic_premises=_count(raw, "non_domestic_premises", who),
        shares_resources_with=_id_list(raw.get("shares_resources_with", []), who),
        resource_provider=provider,
        assessments=_parse_assessments(raw.get("assessments", []), roles, who),
        ssc_next_category=category,
        user_ids=_parse_user_ids(raw.get("user_ids", {}), roles, who),
    )


def _parse_roles(value: object, who: str, field: str = "roles") -> tuple[UserRole, ...]:
    if not isinstance(value, list):
        raise RegisterFormatError("a list of User Roles is required", who, field)
    roles: list[UserRole] = []
    for item in value:
        try:
            role = parse_role(item)
        except ValueError as error:
            raise RegisterFormatError(str(error), who, field) from None
        if role in roles:
            raise RegisterFormatError(f"role {role.value!r} is listed twice", who, field)
        roles.append(role)
    return tuple(roles)


def _count(raw: dict, key: str, who: str) -> int:
    try:
        return inputs.count(raw.get(key, 0))
    except ValueError as error:
        raise RegisterFormatError(str(error), who, key) from None


def _id_list(value: object, who: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise RegisterFormatError("must be a list of party ids", who, "shares_resources_with")
    for item in value:
        try:
            inputs.party_id(item)
        except ValueError as error:
            raise RegisterFormatError(str(error), who, "shares_resources_with") from None
    if len(set(value)) != len(value):
        raise RegisterFormatError("a party is listed twice", who, "shares_resources_with")
    return tuple(value)


def _parse_assessments(value: object, roles: tuple[UserRole, ...], who: str
                       ) -> tuple[Assessment, ...]:
    if not isinstance(value, list):
        raise RegisterFormatError("must be a list", who, "assessments")
    return tuple(_parse_assessment(item, roles, who, f"assessments[{i}]")
                 for i, item in enumerate(value))


def _parse_assessment(raw: object, held: tuple[UserRole, ...], who: str,
                      where: str) -> Assessment:
    if not isinstance(raw, dict):
        raise RegisterFormatError("each assessment must be a JSON object", who, where)
    unknown = set(raw) - set(ASSESSMENT_KEYS)
    if unknown:
        raise RegisterFormatError(f"unknown key(s) {', '.join(sorted(unknown))} "
                                  f"(allowed: {', '.join(ASSESSMENT_KEYS)})", who, where)
    try:
        kind = AssessmentType(str(raw.get("type")))
    except ValueError:
        allowed = ", ".join(t.value for t in AssessmentType)
        raise RegisterFormatError(f"unknown assessment type {raw.get('type')!r} "
                                  f"(expected one of: {allowed})", who, f"{where}.type") from None
    if kind == AssessmentType.DCC and UserRole.DCC not in held:
        raise RegisterFormatError("a DCC security assessment (G9.3(b)(i)) is only the DCC's: "
                                  "the party does not hold the 'dcc' role", who, f"{where}.type")
    completed = _date(raw, "completed", who, where, required=True)
    initial = raw.get("initial", False)
    if not isinstance(initial, bool):
        raise RegisterFormatError("must be true or false", who, f"{where}.initial")
    status = raw.get("assurance_status")
    if status is not None:
        try:
            status = AssuranceStatus(status)
        except ValueError:
            allowed = ", ".join(s.value for s in AssuranceStatus)
            raise RegisterFormatError(f"unknown assurance status {status!r} (expected one of: "
                                      f"{allowed})", who, f"{where}.assurance_status") from None
    status_set = _date(raw, "status_set", who, where, required=False)
    if status_set is not None and status_set < completed:
        raise RegisterFormatError(f"the status was set on {status_set.isoformat()}, before the "
                                  f"assessment was completed on {completed.isoformat()} (G8.35: "
                                  "the Panel decides having the report)", who,
                                  f"{where}.status_set")
    if kind != AssessmentType.FULL and (initial or status is not None or status_set):
        raise RegisterFormatError("only an initial Full assessment (FUSA) carries 'initial', an "
                                  "assurance status and its date (G8.35-G8.36)", who, where)
    follow_up_by = _date(raw, "follow_up_by", who, where, required=False)
    if follow_up_by is not None and kind != AssessmentType.FULL:
        raise RegisterFormatError("only a Full assessment approved subject to a Follow-up "
                                  "carries the date the Panel set for it (G8.36(b)(ii))", who,
                                  f"{where}.follow_up_by")
    panel_satisfied = _date(raw, "panel_satisfied", who, where, required=False)
    if panel_satisfied is not None:
        if kind != AssessmentType.FOLLOW_UP:
            raise RegisterFormatError("only a Follow-up carries the date the Panel was "
                                      "satisfied on its evidence (G8.36(c)(ii))", who,
                                      f"{where}.panel_satisfied")
        if panel_satisfied < completed:
            raise RegisterFormatError(f"the Panel was satisfied on {panel_satisfied.isoformat()}"
                                      f", before the Follow-up was completed on "
                                      f"{completed.isoformat()} (G8.36(c)(ii): on its evidence)",
                                      who, f"{where}.panel_satisfied")
    category = raw.get("ssc_next_category")
    if category is not None:
        if category not in SSC_CATEGORIES:
            raise RegisterFormatError(f"{category!r} is not a category the SSC may determine "
                                      "(FUSA, VUSA or SSA, G12.8(c))", who,
                                      f"{where}.ssc_next_category")
        category = AssessmentType(category)
    return Assessment(kind, completed, initial, status, status_set,
                      roles=_covered_roles(raw, held, who, where),
                      premises=_premises(raw, who, where), follow_up_by=follow_up_by,
                      panel_satisfied=panel_satisfied, ssc_next_category=category)


def _covered_roles(raw: dict, held: tuple[UserRole, ...], who: str,
                   where: str) -> frozenset[UserRole] | None:
    """G8.30(a)(i): the User Roles an assessment covers, each one the party holds."""
    value = raw.get("roles")
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise RegisterFormatError("must be a non-empty list of the User Roles it covers "
                                  "(G8.30(a)(i))", who, f"{where}.roles")
    roles = _parse_roles(value, who, f"{where}.roles")
    for role in roles:
        if role not in held:
            raise RegisterFormatError(f"the assessment covers {role.value!r}, a role the party "
                                      "does not hold", who, f"{where}.roles")
    return frozenset(roles)


def _premises(raw: dict, who: str, where: str) -> Premises | None:
    """G8.48-G8.49(a): the aggregated premises when the assessment's category was settled."""
    value = raw.get("premises")
    if value is None:
        return None
    field = f"{where}.premises"
    if not isinstance(value, dict) or set(value) != {"domestic", "non_domestic"}:
        raise RegisterFormatError('must be {"domestic": D, "non_domestic": N}', who, field)
    try:
        return Premises(inputs.count(value["domestic"]), inputs.count(value["non_domestic"]))
    except ValueError as error:
        raise RegisterFormatError(str(error), who, field) from None


def _date(raw: dict, key: str, who: str, where: str, required: bool):
    if key not in raw or raw[key] is None:
        if required:
            raise RegisterFormatError("a date (YYYY-MM-DD) is required", who, f"{where}.{key}")
        return None
    try:
        return inputs.in_range(parse_iso_date(raw[key]))
    except ValueError as error:
        raise RegisterFormatError(str(error), who, f"{where}.{key}") from None


def _parse_user_ids(value: object, roles: tuple[UserRole, ...], who: str):
    if not isinstance(value, dict):
        raise RegisterFormatError("must be an object mapping a role to its User IDs", who,
                                  "user_ids")
    parsed = {}
    for role_name, ids in value.items():
        try:
            role = parse_role(role_name)
        except ValueError as error:
            raise RegisterFormatError(str(error), who, "user_ids") from None
        if role not in roles:
            raise RegisterFormatError(f"User IDs given for {role.value!r}, a role the party does "
                                      "not hold", who, "user_ids")
        if not isinstance(ids, list):
            raise RegisterFormatError("must be a list of User IDs (strings)", who,
                                      f"user_ids.{role.value}")
        for item in ids:
            try:
                inputs.user_id(item)
            except ValueError as error:
                raise RegisterFormatError(str(error), who, f"user_ids.{role.value}") from None
        if len(set(ids)) != len(ids):
            raise RegisterFormatError("a User ID is listed twice", who, f"user_ids.{role.value}")
        parsed[role] = tuple(ids)
    return parsed


def _check_references(records: list[PartyRecord], ids: set[str]) -> None:
    dcc = [r.id for r in records if UserRole.DCC in r.roles]
    if len(dcc) > 1:
        raise RegisterFormatError(f"the DCC is {_who(dcc[0])}: there is one DCC (the role "
                                  "'dcc')", _who(dcc[1]), "roles")
    user_ids: dict[str, str] = {}
    for record in records:
        who = _who(record.id)
        for other in record.shares_resources_with:
            if other == record.id:
                raise RegisterFormatError("a party cannot share resources with itself", who,
                                          "shares_resources_with")
            if other not in ids:
                raise RegisterFormatError(f"no party has id {other!r}", who,
                                          "shares_resources_with")
        if record.resource_provider is not None:
            if record.resource_provider == record.id:
                raise RegisterFormatError("a party cannot be its own provider", who,
                                          "resource_provider")
            if record.resource_provider not in ids:
                raise RegisterFormatError(f"no party has id {record.resource_provider!r}", who,
                                          "resource_provider")
        for role, values in record.user_ids.items():
            for value in values:
                if value in user_ids:
                    raise RegisterFormatError(f"User ID {value!r} is already used by party "
                                              f"{user_ids[value]}", who, f"user_ids.{role.value}")
                user_ids[value] = record.id


def _check_provider_cycles(records: list[PartyRecord],
                           known_providers: Mapping[str, str | None]) -> None:
    """A Shared Resource Provider's Users cannot, through their providers, provide for it:
    the chain of providers from any party must end (G10: a provider serves its Users)."""
    provider = {**known_providers, **{r.id: r.resource_provider for r in records}}
    for record in records:
        seen, current = [record.id], provider.get(record.id)
        while current is not None:
            if current in seen:
                chain = " -> ".join([*seen[seen.index(current):], current])
                raise RegisterFormatError(f"Shared Resource Providers form a cycle: {chain}",
                                          _who(record.id), "resource_provider")
            seen.append(current)
            current = provider.get(current)


def _dump_party(record: PartyRecord) -> dict:
    out: dict = {"id": record.id, "name": record.name,
                 "roles": [r.value for r in record.roles],
                 "domestic_premises": record.domestic_premises,
                 "non_domestic_premises": record.non_domestic_premises}
    if record.shares_resources_with:
        out["shares_resources_with"] = list(record.shares_resources_with)
    if record.resource_provider is not None:
        out["resource_provider"] = record.resource_provider
    out["assessments"] = [_dump_assessment(a) for a in record.assessments]
    if record.ssc_next_category is not None:
        out["ssc_next_category"] = record.ssc_next_category.value
    if record.user_ids:
        out["user_ids"] = {role.value: list(ids) for role, ids in record.user_ids.items()}
    return out


def _dump_assessment(assessment: Assessment) -> dict:
    out: dict = {"type": assessment.type.value, "completed": assessment.completed.isoformat()}
    if assessment.initial:
        out["initial"] = True
    if assessment.assurance_status is not None:
        out["assurance_status"] = assessment.assurance_status.value
    if assessment.status_set is not None:
        out["status_set"] = assessment.status_set.isoformat()
    if assessment.roles is not None:
        out["roles"] = sorted(role.value for role in assessment.roles)
    if assessment.premises is not None:
        out["premises"] = {"domestic": assessment.premises.domestic,
                           "non_domestic": assessment.premises.non_domestic}
    for key in ("follow_up_by", "panel_satisfied"):
        if getattr(assessment, key) is not None:
            out[key] = getattr(assessment, key).isoformat()
    if assessment.ssc_next_category is not None:
        out["ssc_next_category"] = assessment.ssc_next_category.value
    return out
