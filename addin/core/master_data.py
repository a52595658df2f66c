"""Master data: customers, products, capacity and staff added or deactivated by command.

A new row is read exactly as a typed sheet row is (:func:`addin.core.parse.parse_row`: the same
conversions, drop-down lists and limits), and its key must be new. Who may change master data
is a matter of role: the settings' ``master_data_roles`` (managers and directors by default).
A new site has nobody on its roster yet, so while no active member holds such a role, the first
one may be added by anyone: that is how a site starts without editing the tables by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from addin.core.checks import week_start
from addin.core.enums import YesNo
from addin.core.models import Record, StaffMember
from addin.core.parse import parse_row
from addin.core.problems import Problem, RuleError
from addin.core.roles import ensure_role
from addin.core.schema import TABLES
from addin.core.settings import Settings

# Tables whose rows are switched off rather than deleted (orders and the ledger name them).
DEACTIVATABLE: dict[str, str] = {
    "customers": "customer_code",
    "products": "product_code",
    "staff": "name",
}
MASTER_TABLES: tuple[str, ...] = ("customers", "products", "capacity", "staff")


def key_of(table: str, record: Record) -> str:
    """The identifying text of a master-data row (staff names compare without case)."""
    keys = TABLES[table].keys
    text = " / ".join(_text(getattr(record, k)) for k in keys)
    return text.casefold() if table == "staff" else text


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "").strip()


def ensure_may_edit(settings: Settings, user: str, action: str) -> StaffMember:
    """Refuse unless ``user`` is an active roster member with a master-data role."""
    return ensure_role(settings, user, action, settings.master_data_roles(), "master.not_allowed")


def has_editor(settings: Settings) -> bool:
    """Whether any active roster member may change master data."""
    allowed = settings.master_data_roles()
    return any(m.active == YesNo.YES and m.role in allowed for m in settings.staff)


def new_row(table: str, raw: Mapping[str, Any], existing: Iterable[Record]) -> Record:
    """The record ``raw`` makes, read as a typed sheet row; refuse bad values or a taken key."""
    values = {k: v for k, v in raw.items() if v is not None}
    record, problems = parse_row(table, None, values)  # type: ignore[arg-type]
    if problems or record is None:
        raise RuleError(problems or Problem("error.invalid", {"detail": ""}, table))
    if table == "capacity":
        record.week_start = week_start(record.week_start)  # type: ignore[attr-defined]
    key = key_of(table, record)
    taken = next((r for r in existing if key_of(table, r) == key), None)
    if taken is not None:
        column = TABLES[table].keys[0]
        inactive = getattr(taken, "active", YesNo.YES) == YesNo.NO
        raise RuleError(
            Problem(
                "master.inactive_exists" if inactive else "master.exists",
                {"key": _text(getattr(taken, column))},
                table,
                taken.row,
                column,
            )
        )
    return record


def to_deactivate(table: str, key: str, existing: Iterable[Record], settings: Settings) -> Record:
    """The active row of ``table`` named ``key``; refuse an unknown or inactive one, and the last
    member who may change master data (nobody could undo it)."""
    column = DEACTIVATABLE[table]
    wanted = key.strip().casefold() if table == "staff" else key.strip()
    found = next((r for r in existing if key_of(table, r) == wanted), None)
    if found is None:
        raise RuleError(Problem("master.unknown", {"key": key.strip()}, table, None, column))
    if found.active == YesNo.NO:  # type: ignore[attr-defined]
        raise RuleError(
            Problem("master.already_inactive", {"key": key.strip()}, table, found.row, "active")
        )
    if table == "staff":
        allowed = settings.master_data_roles()
        others = [
            m
            for m in settings.staff
            if m is not found and m.active == YesNo.YES and m.role in allowed
        ]
        if found.role in allowed and not others:  # type: ignore[attr-defined]
            raise RuleError(
                Problem("master.last_editor", {"key": found.name}, table, found.row, "role")  # type: ignore[attr-defined]
            )
    return found


def duplicate_keys(table: str, records: Iterable[Record]) -> list[Problem]:
    """A key that a later row repeats: a problem on that row (the earlier one wins)."""
    seen: dict[str, Record] = {}
    problems: list[Problem] = []
    column = TABLES[table].keys[0]
    for record in records:
        key = key_of(table, record)
        first = seen.setdefault(key, record)
        if first is not record:
            problems.append(
                Problem(
                    "master.duplicate",
                    {"key": _text(getattr(record, column)), "other": first.row},
                    table,
                    record.row,
                    column,
                )
            )
    return problems
