"""Read-only services: ``verify`` (the ledger) and ``show`` (one order with its history)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from addin.core import ledger
from addin.core.archive import BASE_KEY
from addin.core.problems import Problem, RuleError
from addin.core.schema import ORDER_TABLES
from addin.services.context import Outcome
from addin.services.snapshot import Snapshot
from workbook.store import Store

# Tables whose rows belong to an order and appear in ``show`` beside the order's own row.
SHOWN_TABLES = tuple(table for table in ORDER_TABLES if table != "orders")


def verify(store: Store) -> Outcome:
    """The master's chain (from ``ledger_base`` when its start was archived) and statuses,
    and the archives it records (see :func:`addin.services.archive.verify_archives`)."""
    from addin.services.archive import verify_archives

    snap = Snapshot(store)
    head = snap.settings.get(ledger.HEAD_KEY) or None
    base_text = snap.settings.get(BASE_KEY) or None
    base = ledger.parse_head(base_text)
    problems = ledger.verify(snap.ledger, head, list(snap.orders.values()), base=base)
    problems = snap.problems_of("ledger") + problems
    outcome = Outcome("verify", problems=problems)
    outcome.data = {"entries": len(snap.ledger), "orders": len(snap.orders)}
    path = getattr(store, "path", None)
    if path is not None and base is not None:
        found, read = verify_archives(Path(path), snap.settings.values, base_text)
        outcome.problems += found
        outcome.data["archives_read"] = read
    return outcome


def show(store: Store, order_no: str) -> dict[str, Any]:
    """The order, its lines and every record about it, as plain data (values, not labels)."""
    from addin.services.archive import archive_holding

    snap = Snapshot(store)
    order = snap.orders.get(order_no.strip())
    if order is None:
        path = getattr(store, "path", None)
        held = archive_holding(Path(path), snap.settings.values, order_no) if path else None
        if held is not None:
            raise RuleError(Problem("archive.in_archive", {"order_no": order_no, "path": held}))
        raise RuleError(
            Problem("rule.unknown_order", {"order_no": order_no}, "orders", order_no=order_no)
        )
    result: dict[str, Any] = {"order": order.model_dump(mode="json"), "row": order.row}
    for table in SHOWN_TABLES:
        result[table] = [
            r.model_dump(mode="json") for r in snap.by_order(table).get(order.order_no, [])
        ]
    result["problems"] = [
        p for table in ("orders", "lines") for p in snap.problems_for(table, order.order_no)
    ]
    return result
