"""What a connected workbook's refresh costs after one action: the calls to Excel (here the
tests' engine under xlwings' front end) and the cells they touch do not grow with the view.

The same action (order management opens the review of one order) on a database of a few orders
and of ten times as many, each shown whole in a connected workbook first; the refresh then
reads the order number column of each order table once (one call, one cell a row) and, besides
it, the same cells at both sizes: the changed order's rows, the tables' ends, the small master
tables. Without locating rows by their order number it read every order table whole.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import xlwings as xw
from lifecycle_fixtures import OM
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from staff_sim import build_site
from xlwings_openpyxl import Engine

from addin.core.schema import TABLES
from addin.services import review
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.sql import admin
from workbook.sql.store import SqlStore
from workbook.sql.sync import SyncState, refresh, table_contents
from workbook.sql.sync_views import BookView, FileView
from workbook.store import ChangeSet
from workbook.xlwings_store import READ_MARGIN, XlwingsStore

NOW = datetime(2026, 3, 20, 10, 0)
SMALL, LARGE = 70, 280  # both longer than the block a table's end is read in


@dataclass
class Cost:
    calls: Counter  # by operation
    cells_read: int  # besides the order number columns
    column_cells: int  # read in single-column blocks (the order number columns)
    cells_written: int
    rows: int  # what the refresh says it wrote


def _cells(target: str) -> tuple[int, int]:
    """(columns, rows) of a call's target, ``Sheet!A1:C5``."""
    address = target.rsplit("!", 1)[1]
    min_col, min_row, max_col, max_row = range_boundaries(address)
    return max_col - min_col + 1, max_row - min_row + 1


def refresh_cost(tmp_path: Path, orders: int, engine: Engine) -> Cost:
    site = build_site(tmp_path / "site.xlsx", orders, [])
    url = f"sqlite:///{tmp_path / 'orders.sqlite'}"
    admin.import_workbook(site, url)
    view_path = create_master_workbook(tmp_path / f"view{orders}.xlsx", "en")
    with SqlStore.open(url) as source, FileView.open(view_path) as view:
        state = refresh(source, view, SyncState(url), NOW).state
    book = xw.Book(view_path)
    with SqlStore.open(url) as store:  # someone else, from the command line
        review.start(store, "CO-0003", user=OM, now=NOW)
    engine.calls.clear()
    with SqlStore.open(url) as source:
        done = refresh(source, BookView(XlwingsStore(book)), state, NOW)
    calls = Counter(call.op for call in engine.calls)
    read = column = written = 0
    writes: set[str] = set()
    for call in engine.calls:
        if call.op not in ("read", "write"):
            continue
        width, height = _cells(call.target)
        if call.op == "write":
            written += width * height
            writes.add(call.target)
        elif call.target in writes:  # a block read back: text behind an apostrophe kept?
            calls["read"] -= 1
        elif width == 1 and height > 1:
            column += height
        else:
            read += width * height
    # the view is right: it equals the database
    with SqlStore.open(url) as source:
        expected = {k: Counter(table_contents(k, source.read(k))) for k in TABLES}
    shown = XlwingsStore(book)
    for key in TABLES:
        assert Counter(table_contents(key, shown.read(key))) == expected[key], key
    return Cost(calls, read, column, written, done.rows)


def test_a_refresh_after_one_action_costs_the_same_on_a_larger_view(
    tmp_path: Path, xl_engine: Engine
) -> None:
    (tmp_path / "small").mkdir()
    (tmp_path / "large").mkdir()
    small = refresh_cost(tmp_path / "small", SMALL, xl_engine)
    large = refresh_cost(tmp_path / "large", LARGE, xl_engine)
    assert small.rows == large.rows > 0
    assert small.calls == large.calls  # every kind of call, as many times
    assert small.cells_written == large.cells_written > 0
    assert small.cells_read == large.cells_read  # a whole read of the order tables grows
    # the order number columns: one cell a row of the order tables read, no more
    assert 0 < large.column_cells - small.column_cells <= (LARGE - SMALL) * len(TABLES)


# -- finding an order's rows without reading the table ------------------------------------------
def _master(tmp_path: Path, orders: int) -> Path:
    return build_site(tmp_path / "site.xlsx", orders, [])


def test_rows_of_orders_are_the_rows_a_whole_read_gives(tmp_path: Path, xl_engine: Engine) -> None:
    path = _master(tmp_path, 12)
    with FileStore.open(path, write=True) as store:  # a fact typed below, not sent yet
        changes = ChangeSet()
        changes.append("tracking", {"order_no": "CO-0005", "remarks": "typed"})
        store.commit(changes)
    whole = XlwingsStore(xw.Book(path))
    wanted = {"CO-0002", "CO-0005", "CO-0011"}
    for key in ("orders", "lines", "tracking", "ledger"):
        expected = [r for r in whole.read(key) if r.values.get("order_no") in wanted]
        partial = XlwingsStore(xw.Book(path))
        assert partial.rows_of_orders(key, wanted) == expected, key
        assert partial.order_numbers(key) == {
            r.values["order_no"] for r in whole.read(key) if r.values.get("order_no")
        }
        assert partial.read(key) == whole.read(key)  # read whole when asked, after all


def test_a_table_located_appends_below_rows_typed_under_it(
    tmp_path: Path, xl_engine: Engine
) -> None:
    path = _master(tmp_path, 3)
    wb = load_workbook(path)
    ws = wb[TABLES["tracking"].sheet_title("en")]
    last = range_boundaries(ws.tables[TABLES["tracking"].name].ref)[3]
    ws.cell(row=last + 1, column=1, value="CO-0001")  # typed under the table, not sent
    ws.cell(row=last + 2, column=2, value="typed")
    wb.save(path)
    assert _appended_at(path, "tracking") == last + 3


def test_a_table_ending_in_blank_rows_is_read_whole_to_append(
    tmp_path: Path, xl_engine: Engine
) -> None:
    path = _master(tmp_path, 3)
    wb = load_workbook(path)
    ws = wb[TABLES["orders"].sheet_title("en")]
    table = ws.tables[TABLES["orders"].name]
    min_col, min_row, max_col, last = range_boundaries(table.ref)
    end = last + READ_MARGIN + 5  # more blank rows than the end's block holds
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{end}"
    wb.save(path)
    assert _appended_at(path, "orders") == last + 1


def _appended_at(path: Path, key: str) -> int:
    """Where a located table (not read whole) appends a row."""
    book = xw.Book(path)
    store = XlwingsStore(book)
    store.locate(key)
    changes = ChangeSet()
    changes.append(key, {"order_no": "CO-0009"})
    store.commit(changes)
    found = XlwingsStore(book).read(key)
    return next(r.row for r in found if r.values["order_no"] == "CO-0009")


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
