"""The check of named orders on a SQL store reads only the open orders and their lines (the
store selects them, ``SqlStore.read_open``), never the whole tables, and finds what the file
mode finds on the same records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from contract.sql_fixtures import db_url_fixture, master_db_fixture, sql_store  # noqa: F401
from lifecycle_fixtures import OM, master_bytes_fixture, memory_store  # noqa: F401

from addin.core.enums import OrderStatus
from addin.services import receipt
from workbook.sql.store import SqlStore
from workbook.store import ChangeSet, Store


class Watched(SqlStore):
    """A SqlStore that remembers which tables were read whole."""

    whole: list[str]

    def read(self, table: str) -> list[Any]:
        self.whole = [*getattr(self, "whole", []), table]
        return super().read(table)


def _new_order(store: Store, close: str) -> None:
    """A new order booking the capacity the open orders already load, and ``close`` closed."""
    first = next(r for r in store.read("lines") if r.values["order_no"] == "SO-1")
    changes = ChangeSet()
    changes.append(
        "orders",
        {"order_no": "NEW-1", "received_date": "2026-03-02", "channel": "email",
         "received_by": OM, "customer_code": "C1", "customer_name": "Acme Machines",
         "contact": "Ann", "contact_info": "ann@example.com", "sales_rep": OM},
    )  # fmt: skip
    changes.append(
        "lines",
        {**first.values, "order_no": "NEW-1", "line_no": 1, "quantity": 5000},
    )
    due = first.values["delivery_date"]
    week = (due.date() if hasattr(due, "date") else due) - timedelta(days=due.weekday())
    changes.append("capacity", {"product_group": "fasteners", "week_start": week,
                                "capacity_qty": 5100})  # fmt: skip
    row = next(r for r in store.read("orders") if r.values["order_no"] == close)
    changes.update("orders", row.row, "status", OrderStatus.CLOSED)
    store.commit(changes)


# What the new order finds: 5100 in the week less the open orders' 190 (SO-2, closed, not).
CAPACITY = {"line_no": 1, "group": "fasteners", "week": date(2026, 4, 27), "free": 4910,
            "earliest": date(2026, 5, 4)}  # fmt: skip


def _findings(outcome: Any) -> list[tuple[str, dict[str, Any]]]:
    found = [p for order in outcome.orders for p in order.problems]
    return sorted((p.key, str(sorted(p.params.items()))) for p in found)


def test_check_reads_only_open_orders_and_finds_as_the_file_mode(
    master_db: str, master_bytes: bytes
) -> None:
    on_file = memory_store(master_bytes)
    _new_order(on_file, "SO-2")
    _new_order(sql_store(master_db), "SO-2")
    expected = receipt.check(on_file, ["NEW-1"], user=OM)
    store = sql_store(master_db, Watched)
    found = receipt.check(store, ["NEW-1"], user=OM)
    assert _findings(found) == _findings(expected)
    assert ("check.capacity", str(sorted(CAPACITY.items()))) in _findings(found)
    assert not {"orders", "lines"} & set(getattr(store, "whole", []))
    assert [o.after for o in found.orders] == [o.after for o in expected.orders]
