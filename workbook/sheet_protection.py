"""Sheet protection through openpyxl: what ``init`` and ``upgrade`` put on a master workbook.

The rule of which columns are locked is :mod:`addin.core.protection`; here it becomes a
worksheet's ``<sheetProtection>`` (no password) and unlocked column styles, so that what staff
type below a table inherits the input column's unlocked style, as Excel gives a new cell its
column's style.
"""

from __future__ import annotations

from copy import copy
from typing import Any

from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension

from addin.core.protection import ALLOWED, input_columns
from addin.core.schema import Table

UNLOCKED = Protection(locked=False)


def column_dimension(ws: Any, col: int) -> ColumnDimension | None:
    """The ``<col>`` record covering column ``col`` (openpyxl keys a span by its first one)."""
    for dim in ws.column_dimensions.values():
        low, high = dim.min or 0, dim.max or dim.min or 0
        if low <= col <= high:
            return dim
    return None


def unlock_inputs(ws: Any, table: Table, columns: dict[str, int], last_row: int) -> None:
    """Unlock ``table``'s input columns (``columns``: key → 1-based column on ``ws``): the
    column's style and every cell already there from the header down to ``last_row``."""
    for key in input_columns(table.key):
        unlock_column(ws, columns[key], 2, last_row)


def unlock_column(ws: Any, col: int, first_row: int, last_row: int) -> None:
    """Unlock column ``col`` of ``ws``: its own ``<col>`` record's style (a span covering it is
    split first), so cells made there later take typing, and its cells already there from
    ``first_row`` to ``last_row``."""
    dim = column_dimension(ws, col)
    if dim is not None and (dim.min or col) != (dim.max or col):
        _split(ws, dim)
        dim = None
    if dim is None:
        dim = ws.column_dimensions[get_column_letter(col)]
    dim.protection = UNLOCKED
    for row in range(first_row, last_row + 1):
        cell = ws._cells.get((row, col))
        if cell is not None and cell.protection.locked:
            cell.protection = UNLOCKED


def _split(ws: Any, dim: ColumnDimension) -> None:
    """Give each column of a ``<col>`` span its own record, with the span's properties."""
    low, high = dim.min, dim.max
    del ws.column_dimensions[get_column_letter(low)]
    for col in range(low, high + 1):
        letter = get_column_letter(col)
        one = ColumnDimension(
            ws,
            index=letter,
            width=dim.width,
            bestFit=dim.bestFit,
            hidden=dim.hidden,
            outlineLevel=dim.outlineLevel,
            collapsed=dim.collapsed,
        )
        one._style = copy(dim._style)
        ws.column_dimensions[letter] = one


def protect(ws: Any) -> None:
    """Protect ``ws`` without a password, allowing what staff need (:data:`ALLOWED`)."""
    prot = ws.protection
    prot.sheet = True
    for option in ALLOWED:
        setattr(prot, option, False)


def inherit_protection(ws: Any, cell: Any) -> None:
    """Give a cell just created the locked flag Excel shows for it: its row's style when the
    row has one, else its column's (openpyxl would start it from the default style, locked)."""
    row = ws.row_dimensions.get(cell.row)
    source = row if row is not None and row.customFormat else column_dimension(ws, cell.column)
    if source is not None and source.has_style and cell.protection != source.protection:
        cell.protection = copy(source.protection)
