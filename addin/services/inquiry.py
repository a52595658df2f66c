"""Read-only services: ``verify`` (the ledger) and ``show`` (one order with its history)."""

from __future__ import annotations

from typing import Any

from addin.core import ledger
from addin.core.problems import Problem, RuleError
from addin.core.schema import ORDER_TABLES
from addin.services.context import Outcome
from addin.services.snapshot import Snapshot
from workbook.store import Store

# Tables whose rows belong to an order and appear in ``show`` beside the order's own row.
SHOWN_TABLES = tuple(table for table in ORDER_TABLES if table != "orders")


def verify(store: Store) -> Outcome:
    snap = Snapshot(store)
    head = snap.settings.get(ledger.HEAD_KEY) or None
    # Every order row, a copied one too: a copy whose status the ledger never gave its order
    # must not hide behind the first row of that number.
    problems = ledger.verify(snap.ledger, head, snap.records("orders"))
    problems = snap.problems_of("ledger") + problems
    outcome = Outcome("verify", problems=problems)
    outcome.data = {"entries": len(snap.ledger), "orders": len(snap.orders)}
    return outcome


def show(store: Store, order_no: str) -> dict[str, Any]:
    """The order, its lines and every record about it, as plain data (values, not labels)."""
    snap = Snapshot(store)
    order = snap.orders.get(order_no.strip())
    if order is None:
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
