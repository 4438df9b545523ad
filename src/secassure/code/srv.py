"""Service Reference Variants (SRVs) of the DCC User Interface Specification, and which
Anomaly Detection Thresholds each User ID must have (G6.3).

The table is `data/duis-request-matrix.json`, extracted from the DUIS by the public repository
SmartDCCInnovation/duis-parser (a factual table of 129 SRVs, 37 Critical). It does not say which
SRVs' responses carry GBCS-encrypted data (G6.3(a)(ii)); the register keeps that as reference
data the DCC and SECAS maintain.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .roles import DUIS_CODES, UserRole


@dataclass(frozen=True)
class ServiceReferenceVariant:
    srv: str                      # "1.1.1"
    name: str
    service_reference: str        # "1.1"
    critical: bool                # a Critical Service Request (G6.3(a)(i))
    eligible: frozenset[UserRole]  # the User Roles eligible for it (G6.3: Eligible User)


@cache
def load_srvs() -> dict[str, ServiceReferenceVariant]:
    """The 129 SRVs in DUIS order, by SRV."""
    text = resources.files("secassure.code").joinpath("data/duis-request-matrix.json").read_text()
    return {row["Service Reference Variant"]: ServiceReferenceVariant(
        srv=row["Service Reference Variant"], name=row["Service Request Name"],
        service_reference=row["Service Reference"], critical=row["Critical"] == "Yes",
        eligible=frozenset(DUIS_CODES[c] for c in row["Eligible User Roles"]))
        for row in json.loads(text)}


@dataclass(frozen=True)
class RequiredThreshold:
    srv: str
    counter: str     # "critical" (G6.3(a)(i)) or "encrypted" (G6.3(a)(ii))
    clause: str


def required_thresholds(role: UserRole, encrypted_srvs: frozenset[str]) -> list[RequiredThreshold]:
    """G6.3: for each User ID used in a User Role, for each SRV the role is eligible for, an
    ADT on (i) the Critical Commands / Critical Service Requests and (ii) the Service Requests
    whose responses carry GBCS-encrypted data. A role with no eligible SRV (a Shared Resource
    Provider, say) needs none."""
    needed = []
    for srv in load_srvs().values():
        if role not in srv.eligible:
            continue
        if srv.critical:
            needed.append(RequiredThreshold(srv.srv, "critical", "G6.3(a)(i)"))
        if srv.srv in encrypted_srvs:
            needed.append(RequiredThreshold(srv.srv, "encrypted", "G6.3(a)(ii)"))
    return needed


def zero_rule_violation(critical: bool, tested: bool, quarantine: int) -> str | None:
    """G6.4A: without having passed testing for a Critical Service Request, the User's ADT for
    it must be zero. The reason a level is refused, or None."""
    if critical and not tested and quarantine != 0:
        return ("G6.4A: the User has not passed testing for this Critical Service Request, so "
                "its threshold must be 0")
    return None
