"""Read-only services: ``verify`` (the ledger) and ``show`` (one order with its history)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from addin.core import controlled, ledger
from addin.core.archive import BASE_KEY
from addin.core.problems import Problem, RuleError
from addin.core.schema import ORDER_TABLES
from addin.services.context import Outcome
from addin.services.snapshot import Snapshot
from workbook.store import Store, reading

# Tables whose rows belong to an order and appear in ``show`` beside the order's own row.
SHOWN_TABLES = tuple(table for table in ORDER_TABLES if table != "orders")


def verify(store: Store) -> Outcome:
    """The master's chain (from ``ledger_base`` when its start was archived) and statuses,
    and the archives it records (see :func:`addin.services.archive.verify_archives`). On a
    database, every table as of one moment: a commit made meanwhile is no finding."""
    with reading(store):
        return _verify(store)


def _verify(store: Store) -> Outcome:
    from addin.services.archive import verify_archives

    snap = Snapshot(store)
    head = snap.settings.get(ledger.HEAD_KEY) or None
    base_text = snap.settings.get(BASE_KEY) or None
    base = ledger.parse_head(base_text)
    # Every order row, a copied one too: a copy whose status the ledger never gave its order
    # must not hide behind the first row of that number.
    orders = snap.records("orders")
    chain = server_chain_problems(store)
    problems = ledger.verify(snap.ledger, head, orders, chain=chain, base=base)
    problems = snap.problems_of("ledger") + problems
    problems += controlled.edits(controlled.recorded(snap.ledger), _current_row(snap))
    # the same order (or line) twice: one of them was copied by hand
    problems += [
        p
        for table in ("orders", "lines")
        for p in snap.problems_of(table)
        if p.key.startswith("error.duplicate")
    ]
    outcome = Outcome("verify", problems=problems)
    outcome.data = {"entries": len(snap.ledger), "orders": len(snap.orders)}
    path = getattr(store, "path", None)
    if path is not None and base is not None:
        found, read = verify_archives(Path(path), snap.settings.values, base_text)
        outcome.problems += found
        outcome.data["archives_read"] = read
    return outcome


def _current_row(snap: Snapshot) -> Any:
    """The row of a controlled table a digest key names now: (sheet row, order, record)."""
    numbered: dict[str, dict[str, Any]] = {}

    def current(table: str, key: str) -> tuple[int | None, str | None, Any] | None:
        if table == "orders":
            order = snap.orders.get(key)
            return None if order is None else (order.row, order.order_no, order)
        if table == "lines":
            order_no, _, line_no = key.rpartition(controlled.KEY_SEP)
            line = next(
                (x for x in snap.lines.get(order_no, []) if str(x.line_no) == line_no), None
            )
            return None if line is None else (line.row, order_no, line)
        if table not in numbered:
            field = "complaint_no" if table == "complaints" else "change_no"
            numbered[table] = {getattr(r, field): r for r in snap.records(table)}
        record = numbered[table].get(key)
        return None if record is None else (record.row, record.order_no, record)

    return current


def server_chain_problems(store: Store) -> list[Problem] | None:
    """The chain's problems as the database server checks it, where the server keeps a keyed
    chain (PostgreSQL: ``workbook.sql.security``); None where the hashes are checked here."""
    server_check = getattr(store, "ledger_problems", None)  # a store over a database
    return server_check() if server_check is not None else None


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
