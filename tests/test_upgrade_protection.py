"""Columns an upgrade adds to a protected sheet of records are locked as ``init`` locks them.

A workbook made after sheet protection but before a later column (``addin.core.schema_history``)
is protected already, so the upgrade's protection step leaves it alone: the column upgrade itself
must leave a new input column unlocked down the column (its ``<col>`` style, and any cell already
there) and a column only actions write locked. Such a workbook is made here from an ``init``'d one
with rows, its later columns taken off their tables' right ends and its schema version set back to
1; then upgraded by ``orderdesk upgrade`` (the patching store), or by a write through either file
store (each upgrades first), and read back with openpyxl.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from protection_checks import build, check_protected, last_rows, locked, options

from addin.cli import main
from addin.core.protection import LOCKED, input_columns, is_locked
from addin.core.schema import NAME_SCHEMA_VERSION, SCHEMA_VERSION, TABLES
from addin.core.schema_history import ADDED_IN, later_columns
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.sheet_protection import column_dimension
from workbook.store import ChangeSet

STORES = {"patch": PatchFileStore, "openpyxl": FileStore}
# The later columns a protected sheet gains: input columns (left unlocked) and a controlled one.
TYPED = (("orders", "customer_po"), ("orders", "final_report_no"), ("changes", "date_reason"))
CONTROLLED = (("lines", "promised_date"), ("ledger", "digest"))
BLANK_ROW = 3  # a formatted blank cell (locked, the default) left in each removed input column


def test_the_later_columns_on_protected_sheets_are_those_named_here() -> None:
    added = {pair for pair in ADDED_IN[2] if pair[0] in LOCKED}
    assert added == {*TYPED, *CONTROLLED}
    assert all(not is_locked(*pair) for pair in TYPED)
    assert all(is_locked(*pair) for pair in CONTROLLED)


def make_older(path: Path) -> None:
    """Take every later column off its table's right end (header, cells, ``<col>`` record,
    drop-down) and set the schema version back to 1: the protected workbook of a site that ran
    ``init`` before those columns existed. A removed input column keeps a formatted blank cell
    (locked, the default) on row ``BLANK_ROW``."""
    wb = load_workbook(path)
    for key, table in TABLES.items():
        for column in reversed(later_columns(key)):
            ws = wb[table.sheet_title("en")]
            lo = ws.tables[table.name]
            low, top, col, bottom = range_boundaries(lo.ref)
            assert lo.tableColumns[-1].name == table.column(column).label(key, "en")
            del lo.tableColumns[-1]
            lo.ref = f"{get_column_letter(low)}{top}:{get_column_letter(col - 1)}{bottom}"
            if lo.autoFilter is not None:
                lo.autoFilter.ref = lo.ref
            for row, at in [cell for cell in ws._cells if cell[1] == col]:
                del ws._cells[(row, at)]
            dim = column_dimension(ws, col)
            if dim is not None:
                assert dim.min == dim.max == col
                del ws.column_dimensions[get_column_letter(col)]
            rules = ws.data_validations.dataValidation
            rules[:] = [dv for dv in rules if range_boundaries(str(dv.sqref))[0] != col]
            if key in LOCKED and column in input_columns(key):
                ws.cell(row=BLANK_ROW, column=col).font = Font(italic=True)
    wb.defined_names[NAME_SCHEMA_VERSION] = DefinedName(NAME_SCHEMA_VERSION, attr_text="1")
    wb.save(path)


@pytest.fixture
def older(tmp_path: Path) -> Path:
    path = build(tmp_path / "master.xlsx", PatchFileStore)
    make_older(path)
    with PatchFileStore.open(path) as store:
        assert store.schema_version() == 1
        assert {k: set(c) for k, c in store.absent_columns().items()} == {
            key: set(later_columns(key)) for key in {k for k, _ in ADDED_IN[2]}
        }
    wb = load_workbook(path)
    for key, column in TYPED:  # the blank cell is there, locked
        ws = wb[TABLES[key].sheet_title("en")]
        col = range_boundaries(ws.tables[TABLES[key].name].ref)[2] + 1
        col += later_columns(key).index(column)
        assert ws._cells[(BLANK_ROW, col)].protection.locked
    return path


def protection_options(path: Path) -> dict[str, dict[str, Any]]:
    wb = load_workbook(path)
    return {key: options(wb[TABLES[key].sheet_title("en")]) for key in LOCKED}


def column_of(key: str, column: str) -> int:
    return TABLES[key].first_column + TABLES[key].column_keys.index(column)


def upgrade(path: Path, how: str) -> None:
    """``orderdesk upgrade``, or a write through a file store that upgrades first: the first
    order's PO typed and a promised date set, in the columns the upgrade adds."""
    if how == "command":
        assert main(["upgrade", str(path), "--lang", "en"]) == 0
        return
    with STORES[how].open(path, write=True) as store:
        order = store.read("orders")[0]
        first_line = store.read("lines")[0]
        changes = ChangeSet()
        changes.update("orders", order.row, "customer_po", "PO-1")
        changes.update("lines", first_line.row, "promised_date", "2026-06-01")
        store.commit(changes)


@pytest.mark.parametrize("how", ["command", "patch", "openpyxl"])
def test_columns_an_upgrade_adds_to_a_protected_sheet_are_locked_as_init_locks_them(
    older: Path, how: str
) -> None:
    before = protection_options(older)
    assert all(sheet["sheet"] for sheet in before.values())
    upgrade(older, how)
    with PatchFileStore.open(older) as store:
        assert store.schema_version() == SCHEMA_VERSION and store.absent_columns() == {}
    assert protection_options(older) == before  # still protected, with its options
    rows = last_rows(older)
    # every column of every protected table, from the header down and on a row below
    check_protected(older, "en", {key: max(row, BLANK_ROW) for key, row in rows.items()})
    wb = load_workbook(older)
    for key, column in (*TYPED, *CONTROLLED):
        ws = wb[TABLES[key].sheet_title("en")]
        col = column_of(key, column)
        assert ws.cell(row=1, column=col).value == TABLES[key].column(column).label(key, "en")
        dim = column_dimension(ws, col)
        assert dim is not None and dim.min == dim.max == col
        typed = (key, column) in TYPED
        # the whole column: its <col> style, the blank cell left there, a row far below
        assert dim.protection.locked is not typed, (key, column)
        assert locked(ws, BLANK_ROW, col) is not typed, (key, column)
        assert locked(ws, rows[key] + 1000, col) is not typed, (key, column)
    if how != "command":  # the values written into the added columns, in their cells
        orders = wb[TABLES["orders"].sheet_title("en")]
        po = orders.cell(row=2, column=column_of("orders", "customer_po"))
        assert po.value == "PO-1" and po.protection.locked is False
        lines = wb[TABLES["lines"].sheet_title("en")]
        promised = lines.cell(row=2, column=column_of("lines", "promised_date"))
        assert promised.value is not None and promised.protection.locked is True
