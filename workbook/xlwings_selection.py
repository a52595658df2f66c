"""The user's selection in live Excel, read around three traps of Excel's object model.

- ``book.selection`` tests the range's truth, which is ``len()``, which is ``Range.Count``: a
  Long, so a whole sheet (17 billion cells) overflows it and every button failed. The
  selection is taken from the app's engine without that test, and nothing here counts cells.
- ``Range.Address`` of a multi-area selection stops at 255 characters, dropping areas
  silently: the areas are read one by one (``Range.Areas``) where Excel's object model is
  reachable (Windows); Excel for Mac gives an address only, which is parsed.
- Rows hidden by a filter are part of the selection: the visible areas come from Excel's
  ``SpecialCells(xlCellTypeVisible)`` (xlwings' ``get_special_cells("visible")``).

Rows and areas are kept as intervals, so a whole sheet costs no more than one cell.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import xlwings as xw

MAX_ROW = 1_048_576

Area = tuple[int, int, int]  # (first row, last row, first column) of one area


@dataclass(frozen=True)
class Selection:
    """Where the selection is, its areas as selected and the visible parts of them."""

    sheet: str
    areas: list[Area]
    visible: list[Area]

    def touches(self, row: int) -> bool:
        return _inside(self._spans, row)

    def shows(self, row: int) -> bool:
        return _inside(self._visible_spans, row)

    @cached_property
    def _spans(self) -> list[tuple[int, int]]:
        return _merged(self.areas)

    @cached_property
    def _visible_spans(self) -> list[tuple[int, int]]:
        return _merged(self.visible)


def read_selection(book: xw.Book) -> Selection | None:
    """The selection of ``book``'s app when it lies in ``book``; None otherwise (nothing
    selected, a chart selected, or another workbook)."""
    import xlwings as xw

    impl = book.app.impl.selection  # not book.selection: its truth test is Range.Count
    if impl is None:
        return None
    selection = xw.Range(impl=impl)
    sheet = selection.sheet
    if sheet.book.name != book.name:
        return None
    areas = _areas(selection)
    visible = [_area(part) for part in selection.get_special_cells("visible")] if areas else []
    return Selection(sheet.name, areas, visible)


def _areas(selection: xw.Range) -> list[Area]:
    if sys.platform == "darwin":  # Excel for Mac (AppleScript): the address is what it gives
        return selection_areas(selection.address)
    listed = selection.api.Areas  # Excel's object model (COM): each area on its own
    return [_com_area(listed.Item(i)) for i in range(1, listed.Count + 1)]


def _com_area(area: Any) -> Area:
    return (area.Row, area.Row + area.Rows.Count - 1, area.Column)


def _area(part: xw.Range) -> Area:
    return (part.row, part.row + part.shape[0] - 1, part.column)


def _merged(areas: list[Area]) -> list[tuple[int, int]]:
    """The areas' row spans, sorted and merged where they overlap or touch."""
    spans: list[tuple[int, int]] = []
    for first, last in sorted((first, last) for first, last, _ in areas):
        if spans and first <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], last))
        else:
            spans.append((first, last))
    return spans


def _inside(spans: list[tuple[int, int]], row: int) -> bool:
    at = bisect_right(spans, (row, MAX_ROW + 1)) - 1
    return at >= 0 and spans[at][0] <= row <= spans[at][1]


def selection_areas(address: str) -> list[Area]:
    """(first row, last row, first column) of each area of an A1 address such as
    ``$A$2:$C$4,$A$7``, ``$B:$B`` (whole columns) or ``$3:$5`` (whole rows)."""
    areas = []
    for part in address.split(","):
        part = part.split("!")[-1].replace("$", "").strip()
        corners = [_corner(c) for c in part.split(":")]
        if not part or any(c is None for c in corners):
            continue
        rows = [c[0] for c in corners if c is not None]
        cols = [c[1] for c in corners if c is not None]
        first, last = min(r or 1 for r in rows), max(r or MAX_ROW for r in rows)
        areas.append((first, last, min(c or 1 for c in cols)))
    return areas


def _corner(text: str) -> tuple[int | None, int | None] | None:
    match = re.fullmatch(r"([A-Za-z]{0,3})(\d*)", text)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    letters, digits = match.groups()
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return (int(digits) if digits else None, column or None)
