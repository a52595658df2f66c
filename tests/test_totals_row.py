"""A table with Excel's Total Row (issue 12 item 9): the total row is not read as data, and new
rows go above it (it moves down, keeping its formulas), in every store and the test engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from foundation_fixtures import LANGS, file_state, seeded_workbook
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from addin.core.schema import TABLES
from addin.i18n import t
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet, StoreError
from workbook.xlwings_store import XlwingsStore

NAME = TABLES["lines"].name


def _line(n: int) -> dict[str, Any]:
    return {"order_no": f"SO-T{n}", "line_no": 1, "product_code": f"P{n}", "quantity": 10 * n}


def _append(store: Any, numbers: range) -> None:
    changes = ChangeSet()
    for n in numbers:
        changes.append("lines", _line(n))
    store.commit(changes)


def _with_total_row(tmp_path: Path, lang: str = "zh") -> Path:
    """A master whose lines table has two rows and Excel's Total Row (a label, a SUBTOTAL)."""
    path = seeded_workbook(tmp_path, lang)
    with PatchFileStore.open(path, write=True) as store:
        _append(store, range(1, 3))
    wb = load_workbook(path)
    ws = next(ws for ws in wb.worksheets if NAME in ws.tables)
    table = ws.tables[NAME]
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    total = max_row + 1
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{total}"
    table.totalsRowCount = 1
    headers = [ws.cell(row=min_row, column=c).value for c in range(min_col, max_col + 1)]
    quantity = headers.index(TABLES["lines"].column("quantity").label("lines", lang))
    table.tableColumns[0].totalsRowLabel = "Total"
    table.tableColumns[quantity].totalsRowFunction = "sum"
    ws.cell(row=total, column=min_col, value="Total")
    column = table.tableColumns[quantity].name
    ws.cell(row=total, column=min_col + quantity, value=f"=SUBTOTAL(109,{NAME}[{column}])")
    wb.save(path)
    return path


def _layout(path: Path) -> tuple[str, str | None, list[Any]]:
    """(the table's range, its filter's range, the values of its last row)."""
    wb = load_workbook(path)
    ws = next(ws for ws in wb.worksheets if NAME in ws.tables)
    table = ws.tables[NAME]
    min_col, _, max_col, max_row = range_boundaries(table.ref)
    last = [ws.cell(row=max_row, column=c).value for c in range(min_col, max_col + 1)]
    assert table.totalsRowCount == 1
    return table.ref, table.autoFilter.ref if table.autoFilter else None, last


def _lines(path: Path) -> dict[str, list[str]]:
    found = {}
    for name, store_type in {"patch": PatchFileStore, "file": FileStore}.items():
        with store_type.open(path) as store:
            found[name] = [r.values["order_no"] for r in store.read("lines")]
    return found


def _assert_total_row_moved(path: Path) -> None:
    assert _lines(path) == {"patch": [f"SO-T{n}" for n in range(1, 5)]} | {
        "file": [f"SO-T{n}" for n in range(1, 5)]
    }
    ref, filter_ref, last = _layout(path)
    assert ref.endswith("6") and (filter_ref is None or filter_ref.endswith("5"))
    assert last[0] == "Total"
    assert f"=SUBTOTAL(109,{NAME}[" in "".join(str(v) for v in last)


@pytest.mark.parametrize("kind", ["patch", "file"])
def test_file_stores_insert_above_the_total_row(tmp_path: Path, kind: str) -> None:
    path = _with_total_row(tmp_path)
    assert _lines(path) == {"patch": ["SO-T1", "SO-T2"], "file": ["SO-T1", "SO-T2"]}
    store_type = PatchFileStore if kind == "patch" else FileStore
    with store_type.open(path, write=True) as store:
        _append(store, range(3, 5))
        if kind == "patch":
            assert store.last_commit == "patch"
    _assert_total_row_moved(path)


def test_the_excel_store_inserts_above_the_total_row(open_book, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _with_total_row(tmp_path)
    book = open_book(path)
    store = XlwingsStore(book)
    assert [r.values["order_no"] for r in store.read("lines")] == ["SO-T1", "SO-T2"]
    _append(store, range(3, 5))
    assert [r.values["order_no"] for r in store.read("lines")] == [f"SO-T{n}" for n in range(1, 5)]
    book.save()
    _assert_total_row_moved(path)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["patch", "file", "excel"])
def test_a_filled_row_below_the_total_row_is_not_overwritten(
    open_book, tmp_path: Path, lang: str, kind: str
) -> None:  # type: ignore[no-untyped-def]
    path = _with_total_row(tmp_path, lang)
    wb = load_workbook(path)
    ws = next(ws for ws in wb.worksheets if NAME in ws.tables)
    min_col, _, _, max_row = range_boundaries(ws.tables[NAME].ref)
    ws.cell(row=max_row + 2, column=min_col, value="kept")
    wb.save(path)
    before = file_state(path)
    with pytest.raises(StoreError) as refused:
        if kind == "excel":
            _append(XlwingsStore(open_book(path)), range(3, 5))
        else:
            store_type = PatchFileStore if kind == "patch" else FileStore
            with store_type.open(path, write=True) as store:
                _append(store, range(3, 5))
    assert refused.value.key == "store.below_totals"
    assert refused.value.params["row"] == max_row + 2
    message = t(refused.value.key, lang, **refused.value.params)
    assert ws.title in message and str(max_row + 2) in message
    assert file_state(path) == before
