"""The selection as Excel hands it over, through xlwings' front end over the tests' engine: the
engine models Excel's count overflow, multi-area selections and hidden rows, and
``read_selection`` reads them without falling into those traps."""

from __future__ import annotations

import pytest
import xlwings as xw
from xlwings_openpyxl.engine import CountOverflow

from workbook.xlwings_selection import read_selection

WHOLE_SHEET = 1_048_576 * 16_384


def test_the_engine_counts_as_excel_does(master_book: xw.Book) -> None:
    sheet = master_book.sheets[0]
    with pytest.raises(CountOverflow):
        len(sheet.cells)  # Range.Count is a Long
    assert sheet.cells.api.CountLarge == WHOLE_SHEET
    assert sheet.range("A1:B3").count == 6
    sheet.cells.select()
    with pytest.raises(CountOverflow):
        master_book.selection  # noqa: B018 - xlwings tests the range's truth: Range.Count


def test_the_engine_keeps_areas_and_cuts_long_addresses(master_book: xw.Book) -> None:
    sheet = master_book.sheets[0]
    sheet.range("A2:C2,A5:C6").select()
    selection = master_book.selection
    assert selection.address == "$A$2:$C$2,$A$5:$C$6"
    assert selection.shape == (1, 3)  # the first area's, as in Excel
    assert [(a.Row, a.Rows.Count) for a in selection.api.Areas] == [(2, 1), (5, 2)]
    sheet.impl.select_areas([(row, 1, 1, 1) for row in range(2, 100)])
    address = master_book.selection.address
    assert len(address) <= 255 and address.endswith(f"$A${address.count(',') + 2}")
    assert master_book.selection.api.Areas.Count == 98


def test_the_engine_hides_rows_and_gives_the_visible_cells(master_book: xw.Book) -> None:
    sheet = master_book.sheets[0]
    sheet.range("4:5").rows.hidden = True
    assert sheet.range("A4").rows.hidden is True and sheet.range("A3:A4").rows.hidden is None
    visible = sheet.range("A2:B7,D9").get_special_cells("visible")
    assert [v.address for v in visible] == ["$A$2:$B$3", "$A$6:$B$7", "$D$9"]
    assert sheet.range("A4").get_special_cells("visible") == []


def test_read_a_whole_sheet_with_hidden_rows(master_book: xw.Book) -> None:
    sheet = master_book.sheets[0]
    sheet.range("3:3").rows.hidden = True
    sheet.cells.select()
    selection = read_selection(master_book)
    assert selection is not None and selection.sheet == sheet.name
    assert selection.areas == [(1, 1_048_576, 1)]
    assert selection.visible == [(1, 2, 1), (4, 1_048_576, 1)]
    assert selection.touches(3) and not selection.shows(3) and selection.shows(1_000_000)


def test_read_every_area_of_a_long_selection(master_book: xw.Book) -> None:
    sheet = master_book.sheets[0]
    boxes = [(row, col, 1, 1) for row in (2, 40) for col in range(1, 120, 2)]
    sheet.impl.select_areas(boxes)
    selection = read_selection(master_book)
    assert selection is not None and len(selection.areas) == len(boxes)
    assert selection.touches(40) and selection.shows(40) and not selection.touches(3)


def test_a_selection_in_another_workbook_is_none(master_book: xw.Book) -> None:
    other = xw.Book()
    other.sheets[0].range("A1").select()
    assert read_selection(master_book) is None
