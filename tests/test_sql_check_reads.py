"""The check of named orders on a SQL store reads only what its rules consider of the other
orders (``addin.core.checks.considered``: the open orders of the customers whose credit it
checks, those loading the weeks whose capacity it consults; ``SqlStore.read_po``: the orders
with the PO number), and decides exactly as over the whole tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from contract.sql_fixtures import db_url_fixture, master_db_fixture, sql_store  # noqa: F401
from lifecycle_fixtures import DUE, OM, RECEIVED, master_bytes_fixture  # noqa: F401

from addin.core.checks import week_start
from addin.core.enums import OrderStatus
from addin.core.schema import TABLES
from addin.services import receipt
from addin.services.context import Outcome
from workbook.sql.store import SqlStore, order_key
from workbook.sql.values import STRIPPED
from workbook.store import ChangeSet, Row

NOW = datetime(2026, 3, 3, 9, 0)
WEEK = week_start(DUE)


class Dry(SqlStore):
    """Reads as the SQL store does and keeps the change set instead of committing it (the same
    database is checked twice); counts the rows each read returned, by (read, table)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changes: ChangeSet | None = None
        self.returned: Counter[tuple[str, str]] = Counter()
        self.orders_returned: dict[str, list[str]] = {}

    def commit(self, changes: ChangeSet, expected_versions: dict[str, int] | None = None) -> None:
        self.changes = changes

    def _count(self, read: str, table: str, rows: list[Row] | None) -> list[Row] | None:
        if rows is not None:
            self.returned[(read, table)] += len(rows)
            numbers = [str(order_key(TABLES[table], r.values.get("order_no"))) for r in rows]
            self.orders_returned.setdefault(f"{read} {table}", []).extend(numbers)
        return rows

    def read(self, table: str) -> list[Row]:
        return self._count("read", table, super().read(table)) or []

    def read_open(self, table: str, considered: Any = None) -> list[Row] | None:
        return self._count("read_open", table, super().read_open(table, considered))

    def read_po(self, key: str) -> list[Row]:
        return self._count("read_po", "orders", super().read_po(key)) or []


class Whole(Dry):
    """The reference: a store that selects nothing, so the check reads the whole tables."""

    read_open = None  # type: ignore[assignment]
    read_po = None  # type: ignore[assignment]


def _order(no: str, customer: str, status: OrderStatus | None, po: str | None = None) -> dict:
    return {
        "order_no": no, "received_date": RECEIVED, "channel": "email", "received_by": OM,
        "customer_code": customer, "customer_name": NAMES[customer.strip()], "contact": "Ann",
        "contact_info": "ann@example.com", "sales_rep": OM, "status": status,
        "customer_po": po,
    }  # fmt: skip


def _line(no: str, product: str, quantity: int, price: str, delivery: Any = DUE) -> dict:
    name, spec = PRODUCTS[product.strip()]
    return {
        "order_no": no, "line_no": 1, "product_code": product, "product_name": name,
        "spec": spec, "quantity": quantity, "unit_price": price, "delivery_date": delivery,
        "delivery_place": "Shanghai",
    }  # fmt: skip


NAMES = {"C1": "Acme Machines", "C2": "Bolt Buyers", "C3": "No Limit Ltd"}
PRODUCTS = {"P1": ("Bolt", "M8x40"), "P2": ("Bearing", "6204"), "P3": ("Gear", "m2 z18")}
CHECKED = OrderStatus.CHECKED
RECEIVED_ = OrderStatus.RECEIVED


@pytest.fixture(name="records")
def records_fixture(master_db: str) -> str:
    """The lifecycle workbook's eight checked orders of C1 (240 bolts of the fasteners group
        delivered in DUE's week), plus: C2 with a credit limit, C3 without; capacity of fasteners
        in DUE's week (300: 60 free) and the next; an open C1 order typed with spaces (an ideographic
    one too); C2's open
        order and closed one with the PO number PO-77, C3's with the same number; a line naming
        no order; and three received orders to check: NEW-1 (C1, 100 bolts: over the capacity),
        NEW-2 (C2, PO " po-77": over its credit, the PO seen before), NEW-3 (C3: nothing)."""
    changes = ChangeSet()
    for code, limit in (("C2", 1000), ("C3", None)):
        changes.append(
            "customers",
            {"customer_code": code, "name": NAMES[code], "contact": "Ann",
             "contact_info": "ann@example.com", "credit_limit": limit, "currency": "CNY",
             "active": "yes"},
        )  # fmt: skip
    for week, quantity in ((WEEK, 300), (WEEK + timedelta(days=7), 1000)):
        changes.append(
            "capacity", {"product_group": "fasteners", "week_start": week, "capacity_qty": quantity}
        )
    changes.append("capacity", {"product_group": "gears", "week_start": WEEK, "capacity_qty": 1})
    rows = [
        (_order("SP-1", "\u3000C1\t", CHECKED), _line("SP-1", " P1\u3000", 10, "1.00")),
        (_order("C2-1", "C2", CHECKED, "PO-77"), _line("C2-1", "P2", 40, "12.00")),
        (_order("C2-2", "C2", OrderStatus.CLOSED, "po-77 "), _line("C2-2", "P2", 5, "12.00")),
        (_order("C3-1", "C3", CHECKED, "PO-77"), _line("C3-1", "P2", 5, "12.00")),
        (_order("NEW-1", "C1", RECEIVED_), _line("NEW-1", "P1", 100, "1.00")),
        (_order("NEW-2", "C2", RECEIVED_, " po-77"), _line("NEW-2", "P2", 50, "12.00")),
        (
            _order("NEW-3", "C3", RECEIVED_),
            _line("NEW-3", "P3", 5, "50.00", DUE + timedelta(days=900)),
        ),
    ]
    for order, line in rows:
        changes.append("orders", order)
        changes.append("lines", line)
    changes.append("lines", {**_line("", "P1", 1, "1.00"), "order_no": None})
    sql_store(master_db).commit(changes)
    return master_db


def _checked(url: str, cls: type[Dry], numbers: list[str]) -> tuple[Outcome, Dry]:
    store = sql_store(url, cls)
    return receipt.check(store, numbers, user=OM, now=NOW), store


def _decided(outcome: Outcome) -> list[Any]:
    """Every finding (where, what, in both languages) and status of the outcome."""
    found = [
        (p.key, p.table, p.row, p.column, p.order_no, p.message("zh"), p.message("en"))
        for p in [*outcome.problems, *(p for o in outcome.orders for p in o.problems)]
    ]
    return [found, [(o.order_no, o.before, o.after) for o in outcome.orders]]


def _keys(outcome: Outcome, order_no: str) -> list[str]:
    return [p.key for o in outcome.orders if o.order_no == order_no for p in o.problems]


@pytest.mark.parametrize("numbers", [["NEW-1"], ["NEW-2"], ["NEW-3"], ["NEW-3", "NEW-2", "NEW-1"]])
def test_the_narrowed_read_decides_as_the_whole_tables(records: str, numbers: list[str]) -> None:
    narrowed, store = _checked(records, Dry, numbers)
    whole, reference = _checked(records, Whole, numbers)
    assert _decided(narrowed) == _decided(whole)
    assert store.changes == reference.changes  # the same cells written and marked
    assert ("read", "orders") not in store.returned  # the reference read the tables whole
    assert reference.returned[("read", "orders")] == 15
    if "NEW-1" in numbers:  # 240 + 10 (SP-1, typed with spaces) of 300: 50 free
        assert "check.capacity" in _keys(narrowed, "NEW-1")
        capacity = next(
            p for o in narrowed.orders for p in o.problems if p.column == "delivery_date"
        )
        assert capacity.params["free"] == 50
    if "NEW-2" in numbers:  # 480 open (C2-1) + 600 of a 1000 limit; C2-1 and C2-2 have PO-77
        assert {"check.credit", "check.same_po"} <= set(_keys(narrowed, "NEW-2"))
        same = next(p for o in narrowed.orders for p in o.problems if p.key == "check.same_po")
        assert "C2-1" in same.message("en") and "C2-2" in same.message("en")
        assert "C3-1" not in same.message("en")
    if "NEW-3" in numbers:
        assert _keys(narrowed, "NEW-3") == []


def test_the_store_returns_only_the_considered_orders(records: str) -> None:
    _, bolts = _checked(records, Dry, ["NEW-1"])  # C1's credit; fasteners in DUE's weeks
    c1 = {f"SO-{n}" for n in range(1, 9)} | {"SP-1", "NEW-1"}
    assert set(bolts.orders_returned["read_open orders"]) - {"None"} == c1
    assert set(bolts.orders_returned["read_open lines"]) == c1 | {"None"}  # and the loose line
    assert not any(
        read == "read" and table in ("orders", "lines") for read, table in bolts.returned
    )
    assert ("read_po", "orders") not in bolts.returned  # no PO number: none looked up

    _, credit = _checked(records, Dry, ["NEW-2"])  # C2's credit (bearings have no capacity)
    assert set(credit.orders_returned["read_open orders"]) == {"C2-1", "NEW-2"}
    assert sorted(credit.orders_returned["read_po orders"]) == ["C2-1", "C2-2", "C3-1", "NEW-2"]

    _, nothing = _checked(records, Dry, ["NEW-3"])  # no credit limit; no capacity in its weeks
    assert nothing.returned[("read_open", "orders")] == 0
    assert nothing.orders_returned["read_open lines"] == ["None"]  # only the line of no order

    everything = sql_store(records, Dry)  # what the check read before: every open order
    assert len(everything.read_open("orders") or []) == 14


def test_the_stripped_characters_are_those_parsing_strips() -> None:
    assert set(STRIPPED) == {c for c in map(chr, range(0x110000)) if c.isspace()}
