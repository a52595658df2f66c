"""The snapshot parses the rows of the orders an action looks up, and gives exactly what the whole
table gives for them: the same records (the same objects), the same problems.

What users get: a damaged row of another order neither stops nor slows an action on this order
(its rows are not even parsed), and every reader of a whole table (the check, the statistics,
the report, ``problems_of``) still reports it; an action on the damaged row's own order is
refused, naming the row, as before.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    PROD,
    Desk,
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)

import addin.services.snapshot as snapshot_module
from addin.core.enums import TrackKind
from addin.services import tracking
from addin.services.snapshot import Snapshot
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet

TODAY = date(2026, 3, 2)
ORDER_TABLES = ("orders", "lines", "tracking", "reviews", "task_orders", "changes", "ledger")


def _fact(order_no: Any, quantity: Any = 5, **more: Any) -> dict[str, Any]:
    values = {"order_no": order_no, "line_no": 1, "kind": "生产", "date": TODAY}
    values["quantity"] = quantity
    return values | more


def _awkward_rows() -> ChangeSet:
    """Rows that test the order-number key: spaces, a number, a blank, damage, repeats."""
    typed = ChangeSet()
    typed.append("orders", {"order_no": "SO-3", "customer_code": "C1"})  # SO-3 again
    typed.append("orders", {"order_no": 12345, "customer_code": "C1", "received_date": "soon"})
    typed.append("lines", {"order_no": "SO-2", "line_no": 1, "product_code": "P1", "quantity": 1})
    typed.append("lines", {"order_no": " SO-1 ", "line_no": 7, "quantity": "many"})
    typed.append("lines", {"order_no": 12345, "line_no": 1, "quantity": 3})
    typed.append("tracking", _fact("SO-1"))
    typed.append("tracking", _fact("  SO-2", quantity="lots"))
    typed.append("tracking", _fact("SO-2", date="someday"))
    typed.append("tracking", _fact(12345))
    typed.append("tracking", _fact(None, quantity=1))
    typed.append("tracking", _fact("SO-9", kind="nonsense"))
    return typed


def _dump(records: list[Any] | None) -> list[Any]:
    return [(r.row, r.model_dump()) for r in records or []]


def _awkward_workbook(master_bytes: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(master_bytes)
    desk = Desk(path, tmp_path / "task-orders")
    desk.released("SO-1")
    desk.track("SO-1", TrackKind.PRODUCTION, quantity=10)
    desk.type_rows(_awkward_rows())  # saved by openpyxl: shared strings
    with PatchFileStore.open(path, write=True) as store:  # patched: inline strings
        more = ChangeSet()
        more.append("tracking", _fact("SO-2 ", quantity=2))
        more.append("tracking", _fact("SO-1", quantity="a few"))
        more.append("lines", {"order_no": "SO-3", "line_no": 1, "quantity": 9})
        store.commit(more)
    return path


@pytest.fixture(params=["openpyxl", "patch"])
def opened(request: pytest.FixtureRequest, master_bytes: bytes, tmp_path: Path) -> Any:
    """A workbook with awkward rows, and how to open it: the openpyxl store (reads tables
    whole) or the patching store (finds an order's rows in the sheet's bytes)."""
    path = _awkward_workbook(master_bytes, tmp_path)
    if request.param == "openpyxl":
        return lambda: FileStore.open(path)
    return lambda: PatchFileStore.open(path)


def test_an_order_looked_up_gives_what_the_whole_table_gives(opened: Any) -> None:
    numbers = ["SO-1", "SO-2", "SO-3", "12345", "SO-9", "", "SO-404"]
    with opened() as store:
        whole = Snapshot(store)
        for table in ORDER_TABLES:
            whole.records(table)
        whole_orders, whole_lines = dict(whole.orders), dict(whole.lines)
    for number in numbers:
        with opened() as fresh:  # a new action: nothing read or parsed yet
            one = Snapshot(fresh)
            order = one.orders.get(number)
            assert (order.model_dump() if order else None) == (
                whole_orders[number].model_dump() if number in whole_orders else None
            )
            assert (number in one.orders) == (number in whole_orders)
            assert _dump(one.lines.get(number)) == _dump(whole_lines.get(number))
            for table in ORDER_TABLES:
                assert _dump(one.by_order(table).get(number)) == _dump(
                    whole.by_order(table).get(number)
                ), (table, number)
                assert one.problems_for(table, number) == [
                    p for p in whole.problems_of(table) if p.order_no == number
                ], (table, number)
            # Parsed once: the whole table then holds the very records looked up.
            found = one.by_order("tracking").get(number, [])
            everything = one.records("tracking")
            assert all(any(r is e for e in everything) for r in found)
            assert one.problems_of("tracking") == whole.problems_of("tracking")
            assert one.problems_of("orders") == whole.problems_of("orders")
            assert one.problems_of("lines") == whole.problems_of("lines")
    keys = {p.key for p in whole.problems_of("orders") + whole.problems_of("lines")}
    assert {"error.duplicate_order", "error.duplicate_line", "error.not_int"} <= keys


def test_a_look_up_parses_only_that_orders_rows(mem: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = ChangeSet()
    for n in range(30):
        typed.append("tracking", _fact(f"SO-{2 + n % 2}", quantity="lots" if n % 5 else 1))
    typed.append("tracking", _fact("SO-1"))
    mem.type_rows(typed)
    parsed: list[tuple[str, Any]] = []
    real = snapshot_module.parse_row

    def counting(table: str, row: int, raw: Any, context: Any = None) -> Any:
        parsed.append((table, raw.get("order_no")))
        return real(table, row, raw, context)

    monkeypatch.setattr(snapshot_module, "parse_row", counting)
    with mem.open() as store:
        snap = Snapshot(store)
        assert len(snap.by_order("tracking")["SO-1"]) == 1
        assert snap.problems_for("tracking", "SO-1") == []
        assert [n for t, n in parsed if t == "tracking"] == ["SO-1"]
        assert [n for t, n in parsed if t == "orders"] == []
        assert snap.orders["SO-1"].order_no == "SO-1"
        assert [n for t, n in parsed if t == "orders"] == ["SO-1"]
        assert len(snap.problems_of("tracking")) == 24  # the whole table: every damaged row
        assert len([t for t, _ in parsed if t == "tracking"]) == 31  # each row parsed once


def test_a_damaged_row_of_another_order_does_not_stop_an_action_on_this_one(mem: Desk) -> None:
    mem.released("SO-1")
    typed = ChangeSet()
    typed.append("tracking", _fact("SO-2", quantity="lots"))
    mem.type_rows(typed)
    outcome = mem.track("SO-1", TrackKind.PRODUCTION, quantity=10)
    assert outcome.orders[0].order_no == "SO-1"
    with mem.open() as store:  # a whole-table reader still reports it
        problems = Snapshot(store).problems_of("tracking")
    assert [(p.key, p.order_no, p.column) for p in problems] == [
        ("error.not_int", "SO-2", "quantity")
    ]
    mem.released("SO-2")
    keys = refusal(mem, tracking.track, "SO-2", TrackKind.PRODUCTION, quantity=1, user=PROD)
    assert keys[:2] == ["track.sheet_problems", "error.not_int"]  # the row, named


def _keep(number: str) -> Any:
    from addin.core.schema import TABLES
    from addin.services.snapshot import _order_key

    return lambda value: _order_key(TABLES["tracking"], value) == number


def test_the_patching_store_finds_an_orders_rows_as_reading_the_table_would(
    master_bytes: bytes, tmp_path: Path
) -> None:
    with PatchFileStore.open(_awkward_workbook(master_bytes, tmp_path)) as store:
        for table in ORDER_TABLES:
            for number in ["SO-1", "SO-2", "SO-3", "SO-9", "SO-404", "SO", "O"]:
                keep = _keep(number)
                found = store.read_where(table, "order_no", number, keep)
                assert found is not None, (table, number)  # searched, not read whole
                with PatchFileStore.open(store.path) as fresh:
                    whole = [r for r in fresh.read(table) if keep(r.values.get("order_no"))]
                assert found == whole, (table, number)
        # A number, a date, a blank or a character XML escapes: read the table whole.
        for number in ["12345", "2026-03-02", "", "A&B"]:
            assert store.read_where("tracking", "order_no", number, _keep(number)) is None


@pytest.mark.parametrize(
    "spoil",
    [
        lambda ws: ws.merge_cells("A30:B30"),
        lambda ws: ws.cell(row=40, column=20, value="=1+1"),
    ],
    ids=["merged cells", "a formula"],
)
def test_a_sheet_that_cannot_be_searched_is_read_whole(
    master_bytes: bytes, tmp_path: Path, spoil: Any
) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "orders.xlsx"
    path.write_bytes(master_bytes)
    typed = ChangeSet()
    typed.append("tracking", _fact("SO-1"))
    with FileStore.open(path, write=True) as store:
        store.commit(typed)
        title = store.sheet_title("tracking")
    wb = load_workbook(path)
    spoil(wb[title])
    wb.save(path)
    with PatchFileStore.open(path) as store:
        assert store.read_where("tracking", "order_no", "SO-1", _keep("SO-1")) is None
        snap = Snapshot(store)
        assert [r.row for r in snap.by_order("tracking")["SO-1"]] == [
            r.row for r in store.read("tracking") if r.values["order_no"] == "SO-1"
        ]
