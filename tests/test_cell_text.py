"""Text a cell cannot hold whole (issue 12 item 7): refused where it comes in and before any store
writes it, with sheet, field and limit; never cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from foundation_fixtures import (
    LANGS,
    cli,
    file_state,
    order_rows,
    read,
    seeded_workbook,
    write_order_form,
)

from addin.core.cell_text import MAX_CELL_TEXT, excel_length
from addin.core.parse import parse_row
from addin.core.problems import RuleError
from addin.core.schema import TABLES
from addin.i18n import t
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet
from workbook.xlwings_store import XlwingsStore

FULL = "长" * MAX_CELL_TEXT  # exactly what a cell holds
OVER = "a" * (MAX_CELL_TEXT - 1) + "😀"  # one emoji counts twice in Excel: one over
STORES = {"patch": PatchFileStore, "file": FileStore}


def test_excel_counts_utf16_units() -> None:
    assert excel_length(FULL) == MAX_CELL_TEXT
    assert excel_length(OVER) == MAX_CELL_TEXT + 1


@pytest.mark.parametrize("lang", LANGS)
def test_receive_refuses_a_form_value_longer_than_a_cell(tmp_path: Path, lang: str) -> None:
    workbook = seeded_workbook(tmp_path, lang)
    rows = order_rows("SO1", lines=1)
    rows[0]["packaging_req"] = OVER
    form = write_order_form(tmp_path / "form.csv", rows, lang)
    before = file_state(workbook)
    result = cli("receive", workbook, form, "--lang", lang, "--json")
    assert result.code == 1
    [problem] = result.json["refused"]
    assert problem["code"] == "error.too_long"
    assert problem["sheet"] == "form.csv" and problem["row"] == 2
    assert problem["field"] == TABLES["orders"].column("packaging_req").label("orders", lang)
    assert problem["message"] == t(
        "error.too_long", lang, length=MAX_CELL_TEXT + 1, limit=MAX_CELL_TEXT
    )
    assert file_state(workbook) == before
    text = cli("receive", workbook, form, "--lang", lang)
    assert text.code == 1 and str(MAX_CELL_TEXT) in text.err


def test_a_typed_row_longer_than_a_cell_is_reported_at_its_cell() -> None:
    record, problems = parse_row("orders", 7, {"order_no": "SO1", "remarks": OVER})
    assert [(p.key, p.row, p.column) for p in problems] == [("error.too_long", 7, "remarks")]
    assert record is not None and record.remarks is None  # type: ignore[attr-defined]


def _over_long_changes() -> ChangeSet:
    changes = ChangeSet()
    changes.update("settings", 2, "value", OVER)
    changes.append("ledger", {"seq": 1, "details": OVER})
    return changes


def _assert_refused(error: RuleError, lang: str) -> None:
    found = [(p.table, p.row, p.column) for p in error.problems]
    assert found == [("settings", 2, "value"), ("ledger", None, "details")]
    text = error.format(lang)
    assert TABLES["ledger"].sheet_title(lang) in text and str(MAX_CELL_TEXT) in text


@pytest.mark.parametrize("kind", list(STORES))
@pytest.mark.parametrize("lang", LANGS)
def test_file_stores_refuse_text_longer_than_a_cell(tmp_path: Path, kind: str, lang: str) -> None:
    workbook = seeded_workbook(tmp_path, lang)
    before = file_state(workbook)
    with STORES[kind].open(workbook, write=True) as store, pytest.raises(RuleError) as refused:
        store.commit(_over_long_changes())
    _assert_refused(refused.value, lang)
    assert file_state(workbook) == before
    # What a cell holds is written whole and read back whole (it was cut before).
    changes = ChangeSet()
    changes.append("ledger", {"seq": 1, "details": FULL})
    with STORES[kind].open(workbook, write=True) as store:
        store.commit(changes)
    for reader in STORES.values():
        with reader.open(workbook) as store:
            assert [r.values["details"] for r in store.read("ledger")] == [FULL]


@pytest.mark.parametrize("lang", LANGS)
def test_the_excel_store_refuses_text_longer_than_a_cell(new_master_book, lang: str) -> None:  # type: ignore[no-untyped-def]
    book = new_master_book(lang)
    store = XlwingsStore(book)
    with pytest.raises(RuleError) as refused:
        store.commit(_over_long_changes())
    _assert_refused(refused.value, lang)
    assert store.read("ledger") == []
    assert read(Path(book.fullname), "ledger") == []
