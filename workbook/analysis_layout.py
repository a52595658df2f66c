"""How the analysis sheet is laid out: the one reading of its grid that both stores apply.

The statistics service hands a plain grid: row 1 the title; a section is a row with a single
text cell after a blank row, followed by its header row. From that and the values' types come
bold rows, number formats and column widths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from workbook.cell_values import display_width

MIN_WIDTH, MAX_WIDTH = 10, 40


@dataclass
class Layout:
    bold: dict[int, int] = field(default_factory=dict)  # row → font size
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → format
    widths: dict[int, float] = field(default_factory=dict)  # col → width in characters


def _format(value: Any) -> str | None:
    if isinstance(value, Decimal):
        return "#,##0.00"
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return "yyyy-mm-dd"
    return None


def print_one_page_wide(ws: Any) -> None:
    """Printed, the analysis sheet runs down as many pages as it needs, its columns on one page
    wide (landscape A4): no table is split across pages by its columns."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def layout(grid: list[list[Any]]) -> Layout:
    result = Layout()
    if grid:
        result.bold[1] = 14
    previous_blank = False
    header_next = False
    for r, row in enumerate(grid, start=1):
        filled = [v for v in row if v not in (None, "")]
        if r > 1 and header_next and filled:
            result.bold[r] = 11
            header_next = False
        elif r > 1 and previous_blank and len(filled) == 1 and isinstance(row[0], str):
            result.bold[r] = 12
            header_next = True
        previous_blank = not filled
        for c, value in enumerate(row, start=1):
            if value in (None, ""):
                continue
            fmt = _format(value)
            if fmt:
                result.formats[(r, c)] = fmt
            # Titles span the sheet: they do not set their column's width.
            if not (r in result.bold and result.bold[r] >= 12):
                width = min(MAX_WIDTH, max(MIN_WIDTH, display_width(value) + 2))
                result.widths[c] = max(result.widths.get(c, MIN_WIDTH), width)
    return result
