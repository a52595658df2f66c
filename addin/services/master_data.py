"""Master data by command: ``orderdesk customer|product|staff add|deactivate``, ``capacity set``
and the ribbon's master-data buttons. Each change is validated whole, written in one change set
and logged in the ledger (no order: the row's key is in the details)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from addin.core import master_data as rules
from addin.core.enums import YesNo
from addin.core.models import Record
from addin.core.problems import Problem, RuleError
from addin.core.schema import TABLES
from addin.i18n import t
from addin.services.context import Action, Outcome
from workbook.store import Store

ADD_ACTIONS = {"customers": "customer_add", "products": "product_add", "staff": "staff_add"}
DEACTIVATE_ACTIONS = {
    "customers": "customer_deactivate",
    "products": "product_deactivate",
    "staff": "staff_deactivate",
}


def add(
    store: Store,
    table: str,
    values: Mapping[str, Any],
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Add a customer, product or staff member, read as the sheet reads a typed row."""
    act = Action(store, ADD_ACTIONS[table], user, now)
    settings = act.snap.settings
    record = rules.new_row(table, values, act.snap.records(table))
    bootstrap = (
        table == "staff"
        and not rules.has_editor(settings)
        and record.role in settings.master_data_roles()  # type: ignore[attr-defined]
    )
    if not bootstrap:
        rules.ensure_may_edit(settings, act.user, act.name)
    act.append(table, _cells(table, record))
    key = rules.key_of(table, record) if table != "staff" else record.name  # type: ignore[attr-defined]
    _done(act, "master.added", table, key)
    return act.commit()


def deactivate(
    store: Store, table: str, key: str, user: str | None = None, now: datetime | None = None
) -> Outcome:
    """Switch a customer, product or staff member off (the row stays: records name it)."""
    act = Action(store, DEACTIVATE_ACTIONS[table], user, now)
    settings = act.snap.settings
    rules.ensure_may_edit(settings, act.user, act.name)
    record = rules.to_deactivate(table, key, act.snap.records(table), settings)
    act.update(table, record, active=YesNo.NO)
    _done(act, "master.deactivated", table, key.strip())
    return act.commit()


def set_capacity(
    store: Store,
    group: str,
    week: Any,
    quantity: Any,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """A product group's capacity for the week of ``week`` (its Monday): a new row, or the
    existing row of that group and week changed."""
    act = Action(store, "capacity_set", user, now)
    rules.ensure_may_edit(act.snap.settings, act.user, act.name)
    raw = {"product_group": group, "week_start": week, "capacity_qty": quantity}
    existing = act.snap.records("capacity")
    try:
        record = rules.new_row("capacity", raw, existing)
    except RuleError as exc:
        taken = [p for p in exc.problems if p.key == "master.exists"]
        if not taken:
            raise
        record = rules.new_row("capacity", raw, [])
        row = next(
            r for r in existing if rules.key_of("capacity", r) == rules.key_of("capacity", record)
        )
        act.update("capacity", row, capacity_qty=record.capacity_qty)  # type: ignore[attr-defined]
    else:
        act.append("capacity", _cells("capacity", record))
    key = f"{record.product_group} {record.week_start.isoformat()} = {record.capacity_qty}"  # type: ignore[attr-defined]
    _done(act, "master.capacity_set", "capacity", key)
    return act.commit()


def check(store: Store) -> Outcome:
    """Every unreadable or repeated row of the master-data tables (read-only)."""
    act = Action(store, "master_check")
    problems: list[Problem] = []
    for table in rules.MASTER_TABLES:
        problems += act.snap.problems_of(table)
        problems += rules.duplicate_keys(table, act.snap.records(table))
    act.outcome.problems = problems
    counts = {table: len(act.snap.records(table)) for table in rules.MASTER_TABLES}
    act.outcome.data = {"rows": counts, "problems": len(problems)}

    def report(lang: str) -> list[str]:
        key = "master.check_found" if problems else "master.check_ok"
        return [t(key, lang, count=len(problems), **counts)]

    act.outcome.report = report
    return act.outcome


def _cells(table: str, record: Record) -> dict[str, Any]:
    dumped = record.model_dump()
    return {k: dumped.get(k) for k in TABLES[table].column_keys if dumped.get(k) is not None}


def _done(act: Action, message: str, table: str, key: str) -> None:
    sheet = TABLES[table].sheet_title(act.lang)
    act.log(None, t(message, act.lang, sheet=sheet, key=key))
    act.outcome.data = {"table": table, "key": key}

    def report(lang: str) -> list[str]:
        return [t(message, lang, sheet=TABLES[table].sheet_title(lang), key=key)]

    act.outcome.report = report
