"""What the sheet protection tests read back with openpyxl: each cell's locked flag, a sheet's
protection options, and every sheet of records checked against :mod:`addin.core.protection`;
and a master workbook with rows to check them on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from lifecycle_fixtures import OM, T0, master_changes, order_form
from openpyxl import load_workbook

from addin.core.protection import ALLOWED, LOCKED, PROTECTED_SHEETS, is_locked
from addin.core.schema import SHEETS, TABLES
from addin.i18n import Lang, t
from addin.services import receipt
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.sheet_protection import column_dimension

OPTIONS = (*ALLOWED, "deleteRows", "formatCells", "insertColumns", "deleteColumns")


def locked(ws: Any, row: int, col: int) -> bool:
    """The locked flag Excel applies: the cell's own, else its column's (default: locked)."""
    cell = ws._cells.get((row, col))
    if cell is not None:
        return bool(cell.protection.locked)
    dim = column_dimension(ws, col)
    return True if dim is None or not dim.has_style else bool(dim.protection.locked)


def options(ws: Any) -> dict[str, Any]:
    """The sheet's protection: on or off, its password and its options."""
    prot = ws.protection
    return {"sheet": prot.sheet, "password": prot.password} | {
        name: getattr(prot, name) for name in OPTIONS
    }


def check_protected(path: Path, lang: Lang, rows: dict[str, int] | None = None) -> None:
    """Every sheet of records protected without a password as ``init`` sets it, the others
    not; each protected table's columns locked or unlocked as the rule says, from its header
    down to ``rows[table]`` (default: the first body row) and on a row below it."""
    wb = load_workbook(path)
    for sheet in SHEETS:
        if t(f"sheet.{sheet}", lang) not in wb.sheetnames:  # an older workbook lacks it
            continue
        ws = wb[t(f"sheet.{sheet}", lang)]
        if sheet not in PROTECTED_SHEETS:
            assert not ws.protection.sheet, sheet
            continue
        assert ws.protection.sheet, sheet
        assert ws.protection.password is None, sheet
        for name in ALLOWED:  # staff may still select, format columns, insert rows, filter
            assert getattr(ws.protection, name) is False, (sheet, name)
        for name in ("deleteRows", "formatCells", "deleteColumns"):
            assert getattr(ws.protection, name) is True, (sheet, name)
    for key in LOCKED:
        table = TABLES[key]
        if table.sheet_title(lang) not in wb.sheetnames:
            continue
        ws = wb[table.sheet_title(lang)]
        last = (rows or {}).get(key, 2)
        for i, column in enumerate(table.column_keys):
            col = table.first_column + i
            assert locked(ws, 1, col), (key, "header", column)
            for row in (*range(2, last + 1), last + 5):
                assert locked(ws, row, col) == is_locked(key, column), (key, row, column)


def build(path: Path, store: type[FileStore] | type[PatchFileStore]) -> Path:
    """A master workbook after master data, a receipt and a check, each through ``store``."""
    create_master_workbook(path, "en")
    with store.open(path, write=True) as s:
        s.commit(master_changes())
    form = order_form(path.with_suffix(".csv"))
    with store.open(path, write=True) as s:
        receipt.receive(s, form, user=OM, now=T0)
    with store.open(path, write=True) as s:
        receipt.check(s, user=OM, now=T0 + timedelta(hours=1))
    return path


def last_rows(path: Path) -> dict[str, int]:
    with FileStore.open(path) as store:
        return {key: max((r.row for r in store.read(key)), default=2) for key in LOCKED}
