"""User Roles and the party categories Section G builds on them.

SEC Section A lists seven User Roles (Import Supplier, Export Supplier, Gas Supplier,
Electricity Distributor, Gas Transporter, Registered Supplier Agent, Other User). Section G
adds three more that are treated "as if" they were User Roles: a Network Party acting as
Registration Data Provider (G1.6), a Shared Resource Provider (G10.5(d)) and a Triage
Facility Provider (treated as a User, G12.5). The DCC is not a User; the register marks the
DCC party with the role `dcc` so that its own assessment cycle (G9.3(b)(i)) is kept with the
Users' in one schedule.
"""
from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class UserRole(StrEnum):
    IMPORT_SUPPLIER = "import_supplier"
    EXPORT_SUPPLIER = "export_supplier"
    GAS_SUPPLIER = "gas_supplier"
    ELECTRICITY_DISTRIBUTOR = "electricity_distributor"
    GAS_TRANSPORTER = "gas_transporter"
    OTHER_USER = "other_user"
    REGISTERED_SUPPLIER_AGENT = "registered_supplier_agent"
    REGISTRATION_DATA_PROVIDER = "registration_data_provider"
    SHARED_RESOURCE_PROVIDER = "shared_resource_provider"
    TRIAGE_FACILITY_PROVIDER = "triage_facility_provider"
    DCC = "dcc"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def clause(self) -> str | None:
        """The Section G clause that makes it a role for Section G purposes, if any."""
        return ROLE_CLAUSES.get(self)


ROLE_LABELS: dict[UserRole, str] = {
    UserRole.IMPORT_SUPPLIER: "Import Supplier",
    UserRole.EXPORT_SUPPLIER: "Export Supplier",
    UserRole.GAS_SUPPLIER: "Gas Supplier",
    UserRole.ELECTRICITY_DISTRIBUTOR: "Electricity Distributor",
    UserRole.GAS_TRANSPORTER: "Gas Transporter",
    UserRole.OTHER_USER: "Other User",
    UserRole.REGISTERED_SUPPLIER_AGENT: "Registered Supplier Agent",
    UserRole.REGISTRATION_DATA_PROVIDER: "Registration Data Provider",
    UserRole.SHARED_RESOURCE_PROVIDER: "Shared Resource Provider",
    UserRole.TRIAGE_FACILITY_PROVIDER: "Triage Facility Provider",
    UserRole.DCC: "DCC",
}

ROLE_CLAUSES: dict[UserRole, str] = {
    UserRole.REGISTRATION_DATA_PROVIDER: "G1.6",
    UserRole.SHARED_RESOURCE_PROVIDER: "G10.5(d)",
    UserRole.TRIAGE_FACILITY_PROVIDER: "G12.5",
    UserRole.DCC: "G9.3",
}

#: The DUIS short codes of the seven SEC User Roles (used by the DUIS request matrix).
DUIS_CODES: dict[str, UserRole] = {
    "IS": UserRole.IMPORT_SUPPLIER,
    "ES": UserRole.EXPORT_SUPPLIER,
    "GS": UserRole.GAS_SUPPLIER,
    "RSA": UserRole.REGISTERED_SUPPLIER_AGENT,
    "ED": UserRole.ELECTRICITY_DISTRIBUTOR,
    "GT": UserRole.GAS_TRANSPORTER,
    "OU": UserRole.OTHER_USER,
}

SUPPLIER_PARTY_ROLES = frozenset({UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER})
NETWORK_PARTY_ROLES = frozenset({UserRole.ELECTRICITY_DISTRIBUTOR, UserRole.GAS_TRANSPORTER})
#: G1.7: roles that carry only a short list of the User obligations.
G1_7_ROLES = frozenset({UserRole.EXPORT_SUPPLIER, UserRole.REGISTERED_SUPPLIER_AGENT})


def is_supplier_party(roles: Iterable[str]) -> bool:
    """A Supplier Party supplies import electricity or gas (it holds either supplier role)."""
    return not SUPPLIER_PARTY_ROLES.isdisjoint(roles)


def is_network_party(roles: Iterable[str]) -> bool:
    """A Network Party is an Electricity Distributor or a Gas Transporter."""
    return not NETWORK_PARTY_ROLES.isdisjoint(roles)


def parse_role(value: object) -> UserRole:
    """The role named by `value`; ValueError naming the allowed values otherwise."""
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return UserRole(value)
    except ValueError:
        allowed = ", ".join(r.value for r in UserRole)
        raise ValueError(f"unknown role {value!r} (expected one of: {allowed})") from None
