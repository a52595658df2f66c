"""Whole rows deleted through the stores (``ChangeSet.deletes``, used by archiving): the patching
store renumbers what follows as Excel does and agrees with the openpyxl store; what neither can
renumber faithfully is refused with nothing written; live Excel refuses plainly."""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from openpyxl import load_workbook
from test_patch_store import NOW, TODAY, _master, assert_same_workbook

from addin.core.schema import TABLES
from addin.demo.data import clean_order
from addin.demo.run import seed_workbook, write_form
from addin.i18n import t
from addin.services import receipt
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet, StoreError
from workbook.xlsx_delete import shift, shift_span, shift_sqref
from workbook.xlwings_store import XlwingsStore


def _clean_master(path: Path, lang: str, orders: int = 6) -> Path:
    """Received orders, no findings: no notes on the sheets."""
    seed_workbook(path, lang, TODAY)
    rng = random.Random(3)
    rows: list[dict[str, Any]] = []
    for n in range(orders):
        rows += clean_order(rng, f"SO-D{n:03d}", TODAY - timedelta(days=3), lines=2)
    form = path.with_suffix(".csv")
    write_form(form, rows, lang)
    with FileStore.open(path, write=True) as store:
        receipt.receive(store, form, user="孙丽", now=NOW)  # order management receives (§2)
    return path


def _copies(source: Path, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ref, new = folder / "reference.xlsx", folder / "patched.xlsx"
    shutil.copy(source, ref)
    shutil.copy(source, new)
    return ref, new


def _ranges(path: Path, table: str, lang: str) -> tuple[list[str], list[str]]:
    ws = load_workbook(path)[TABLES[table].sheet_title(lang)]
    formats = sorted(str(cf.sqref) for cf in ws.conditional_formatting)
    validations = sorted(str(dv.sqref) for dv in ws.data_validations.dataValidation)
    return formats, validations


def test_shifting_rows_and_ranges() -> None:
    assert [shift(n, [3, 5]) for n in (2, 3, 4, 5, 6)] == [2, None, 3, None, 4]
    assert shift_span(2, 10, [3, 5]) == (2, 8)
    assert shift_span(3, 3, [3]) is None
    assert shift_sqref("A2:X1001 B7", [3, 5]) == "A2:X999 B5"
    assert shift_sqref("C3", [3]) is None
    assert shift_sqref("D:D", [3]) == "D:D"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_patched_deletion_matches_the_reference(tmp_path: Path, lang: str) -> None:
    source = _clean_master(tmp_path / "master.xlsx", lang)
    ref, new = _copies(source, tmp_path / "out")
    with FileStore.open(ref) as store:
        orders = store.read("orders")
        lines = store.read("lines")
    before = _ranges(ref, "orders", lang)
    changes = ChangeSet()
    gone = [orders[1], orders[3]]
    for row in gone:
        changes.delete("orders", row.row)
        for line in lines:
            if line.values["order_no"] == row.values["order_no"]:
                changes.delete("lines", line.row)
    changes.update("orders", orders[4].row, "remarks", "kept, moved up")
    changes.append("orders", {"order_no": "SO-NEW", "remarks": "after the deletion"})
    with FileStore.open(ref, write=True) as store:
        store.commit(changes)
    with PatchFileStore.open(new, write=True) as store:
        store.commit(changes)
        assert store.last_commit == "patch"
        numbers = [r.values["order_no"] for r in store.read("orders")]
        moved = {r.values["order_no"]: r for r in store.read("orders")}
    kept = [r.values["order_no"] for r in orders if r not in gone]
    assert numbers == [*kept, "SO-NEW"]
    assert moved[orders[4].values["order_no"]].row == orders[4].row - 2
    assert moved[orders[4].values["order_no"]].values["remarks"] == "kept, moved up"
    assert_same_workbook(ref, new)
    after = _ranges(new, "orders", lang)
    # the ranges shrank by two rows, as in the reference
    assert after == _ranges(ref, "orders", lang) and after != before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notes_below_move_up_with_their_cells(tmp_path: Path, lang: str) -> None:
    source = _master(tmp_path / "master.xlsx", lang)  # checked: flawed orders carry notes
    ref, new = _copies(source, tmp_path / "out")
    sheet = TABLES["lines"].sheet_title(lang)
    with FileStore.open(ref) as store:
        lines = store.read("lines")
    ws = load_workbook(ref)[sheet]
    notes = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    noted = min(int("".join(ch for ch in where if ch.isdigit())) for where in notes)
    gone = sorted({lines[0].row, noted})  # a row with a note goes, others move up
    changes = ChangeSet()
    for row in gone:
        changes.delete("lines", row)
    with FileStore.open(ref, write=True) as store:
        store.commit(changes)
    with PatchFileStore.open(new, write=True) as store:
        store.commit(changes)
        assert store.last_commit == "patch"
    assert_same_workbook(ref, new)
    ws = load_workbook(new)[sheet]
    moved = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    expected = {}
    for where, text in notes.items():
        col = "".join(ch for ch in where if ch.isalpha())
        number = shift(int(where[len(col) :]), gone)
        if number is not None:
            expected[f"{col}{number}"] = text
    assert moved == expected and len(moved) < len(notes)  # the deleted rows' notes went too
    # each note's VML shape moved with it: the rows openpyxl writes for the moved notes
    assert _vml_rows(new) == _vml_rows(ref)


def _vml_rows(path: Path) -> list[int]:
    with zipfile.ZipFile(path) as package:
        vml = b"".join(package.read(n) for n in package.namelist() if n.endswith(".vml"))
    return sorted(int(r) for r in re.findall(rb"<(?:\w+:)?Row>(\d+)</(?:\w+:)?Row>", vml))


def _formula(ws: Any) -> None:
    ws["Z1"] = "=COUNTA(A:A)"  # a user's formula beside the table


def _merged(ws: Any) -> None:
    ws["Z1"] = "a note of the user's"
    ws.merge_cells("Z1:AA3")


def _hyperlink(ws: Any) -> None:
    ws["Z1"] = "site"
    ws["Z1"].hyperlink = "https://example.com"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("store_class", [FileStore, PatchFileStore])
@pytest.mark.parametrize(
    ("spoil", "why"), [(_formula, "formulas"), (_merged, "merged"), (_hyperlink, "hyperlinks")]
)
def test_a_sheet_it_cannot_renumber_is_refused(
    tmp_path: Path, lang: str, store_class: type[Any], spoil: Callable[[Any], None], why: str
) -> None:
    path = _clean_master(tmp_path / "master.xlsx", lang, orders=2)
    sheet = TABLES["ledger"].sheet_title(lang)
    wb = load_workbook(path)
    spoil(wb[sheet])
    wb.save(path)
    with FileStore.open(path) as store:
        first = store.read("ledger")[0].row
    before = path.read_bytes()
    changes = ChangeSet()
    changes.delete("ledger", first)
    with store_class.open(path, write=True) as store, pytest.raises(StoreError) as caught:
        store.commit(changes)
    assert path.read_bytes() == before
    assert caught.value.key == "store.cannot_delete"
    reason = t(f"store.delete_why.{why}", lang)
    assert t(caught.value.key, lang, **caught.value.params) == t(
        "store.cannot_delete", lang, sheet=sheet, reason=reason
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_live_excel_refuses_to_delete(new_master_book: Callable[..., xw.Book], lang: str) -> None:
    book = new_master_book(lang)
    changes = ChangeSet()
    changes.delete("ledger", 2)
    with pytest.raises(StoreError) as caught:
        XlwingsStore(book).commit(changes)
    assert caught.value.key == "store.delete_live"
    text = t(caught.value.key, lang)
    assert ("命令行" in text) if lang == "zh" else ("command line" in text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_formats_and_validations_left_without_cells_go(tmp_path: Path, lang: str) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    source = _clean_master(tmp_path / "master.xlsx", lang)
    sheet = TABLES["orders"].sheet_title(lang)
    wb = load_workbook(source)
    ws = wb[sheet]
    dv = DataValidation(type="whole", allow_blank=True)
    dv.add("Z3:Z4")  # only on rows about to go
    ws.add_data_validation(dv)
    fill = PatternFill("solid", fgColor="FFFF00")
    ws.conditional_formatting.add("Z3:Z4", FormulaRule(formula=["TRUE"], fill=fill))
    wb.save(source)
    ref, new = _copies(source, tmp_path / "out")
    changes = ChangeSet()
    changes.delete("orders", 3)
    changes.delete("orders", 4)
    with FileStore.open(ref, write=True) as store:
        store.commit(changes)
    with PatchFileStore.open(new, write=True) as store:
        store.commit(changes)
        assert store.last_commit == "patch"
    assert_same_workbook(ref, new)
    formats, validations = _ranges(new, "orders", lang)
    assert (formats, validations) == _ranges(ref, "orders", lang)
    assert not any("Z" in r for r in formats + validations)  # gone, as in Excel
    assert validations  # the master's own validations stay, moved up
