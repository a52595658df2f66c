"""Worksheet cells ↔ Python values, exactly as openpyxl reads them and writes them.

Reading: :class:`CellDecoder` turns one ``<c>`` element into what ``openpyxl.load_workbook``
(``data_only=False, rich_text=False``) would give as ``cell.value``, and :func:`read_cells`
reads a whole worksheet with lxml's ``iterparse`` keeping only the columns asked for.
Writing: :func:`encode_value` is the ``<c>`` content (and type) openpyxl would write for a value.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601, to_excel
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from workbook.xlsx_styles import MAIN_NS, Styles
from workbook.xstring import escape, unescape

ROW = f"{{{MAIN_NS}}}row"
CELL = f"{{{MAIN_NS}}}c"
VALUE = f"{{{MAIN_NS}}}v"
FORMULA = f"{{{MAIN_NS}}}f"
INLINE = f"{{{MAIN_NS}}}is"
TEXT = f"{{{MAIN_NS}}}t"
RUN = f"{{{MAIN_NS}}}r"
MERGE = f"{{{MAIN_NS}}}mergeCell"
_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}
MAX_ROW = 1_048_576
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def column_index(letters: str) -> int:
    index = _COLUMNS.get(letters)
    if index is None:
        index = _COLUMNS[letters] = column_index_from_string(letters)
    return index


def split_coordinate(coordinate: str) -> tuple[int, int]:
    """``"B12"`` → (12, 2)."""
    letters = coordinate.rstrip(_DIGITS)
    return int(coordinate[len(letters) :]), column_index(letters)


def coordinate(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def text_content(element: etree._Element) -> str:
    """An ``<is>``/``<si>`` element's text without formatting, as openpyxl's ``Text.content``:
    the plain ``<t>`` then each run's ``<t>``; phonetic runs are left out; ``_xHHHH_`` escapes
    read as Excel reads them (see :mod:`workbook.xstring`)."""
    plain = None
    runs: list[str] = []
    for child in element:
        if child.tag == TEXT:
            if plain is None:
                plain = child.text
        elif child.tag == RUN:
            for part in child:
                if part.tag == TEXT:
                    if part.text is not None:
                        runs.append(part.text)
                    break
    return unescape((plain or "") + "".join(runs))


def read_shared_strings(data: bytes) -> list[str]:
    strings: list[str] = []
    si = f"{{{MAIN_NS}}}si"
    for _, element in etree.iterparse(
        io.BytesIO(data), events=("end",), tag=si, huge_tree=True, resolve_entities=False
    ):
        strings.append(text_content(element))
        element.clear()
    return strings


class CellDecoder:
    """One workbook's rules for turning a cell element into a value."""

    def __init__(
        self, styles: Styles, shared_strings: Callable[[], list[str]], epoch: datetime
    ) -> None:
        self.date_styles = styles.date_styles
        self.timedelta_styles = styles.timedelta_styles
        self._shared = shared_strings
        self._strings: list[str] | None = None
        self.epoch = epoch

    def strings(self) -> list[str]:
        """The workbook's shared strings, read on first use."""
        if self._strings is None:
            self._strings = self._shared()
        return self._strings

    def string(self, index: str) -> str:
        if self._strings is None:
            self._strings = self._shared()
        return self._strings[int(index)]

    def date(self, serial: int | float, timedelta: bool) -> Any:
        try:
            return from_excel(serial, self.epoch, timedelta=timedelta)
        except (OverflowError, ValueError):
            return "#VALUE!"  # openpyxl's reading of a date out of range

    def value(self, cell: etree._Element, coord: str | None, shared: dict[str, Translator]) -> Any:
        data_type = cell.get("t", "n")
        text = formula = inline = None
        seen_value = False
        for child in cell:
            tag = child.tag
            if tag == VALUE:
                if not seen_value:
                    text, seen_value = child.text, True
            elif tag == FORMULA:
                if formula is None:
                    formula = child
            elif tag == INLINE and inline is None:
                inline = child
        value: Any = None if data_type == "inlineStr" else (text or None)
        if formula is not None:
            return _formula(formula, coord, shared)
        if value is not None:
            if data_type == "n":
                value = (
                    float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                )
                style = cell.get("s")
                style_id = int(style) if style else 0
                if style_id in self.date_styles:
                    return self.date(value, style_id in self.timedelta_styles)
                return value
            if data_type == "s":
                return self.string(value)
            if data_type == "b":
                return bool(int(value))
            if data_type == "d":
                return from_ISO8601(value)
            return value
        if data_type == "inlineStr" and inline is not None:
            return text_content(inline)
        return value


def _formula(element: etree._Element, coord: str | None, shared: dict[str, Translator]) -> Any:
    kind = element.get("t")
    value = "=" + (element.text or "")
    if kind == "array":
        return ArrayFormula(ref=element.get("ref"), text=value)
    if kind == "shared":
        index = element.get("si")
        if index in shared:
            return shared[index].translate_formula(coord)
        if value != "=":
            shared[index or ""] = Translator(value, coord)
        return value
    if kind == "dataTable":
        return DataTableFormula(**element.attrib)
    return value


def read_cells(
    data: bytes, decoder: CellDecoder, min_col: int, max_col: int
) -> dict[int, dict[int, Any]]:
    """Every cell of a worksheet in columns ``min_col..max_col``: {row: {column: value}}.

    Cells inside a merged range other than its first hold nothing, as in openpyxl. The common
    cells (a number, an inline or shared string) take a short path; anything else goes through
    :meth:`CellDecoder.value`.
    """
    rows: dict[int, dict[int, Any]] = {}
    merged: list[str] = []
    shared: dict[str, Translator] = {}
    date_styles = decoder.date_styles
    dates: dict[tuple[int | float, bool], Any] = {}  # serials repeat: convert each once
    columns = _COLUMNS
    row_counter = 0
    for _, element in etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=(ROW, MERGE),
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
    ):
        if element.tag == MERGE:
            ref = element.get("ref")
            if ref:
                merged.append(ref)
            continue
        number = element.get("r")
        row_counter = _row_number(number) if number else row_counter + 1
        digits = str(row_counter)
        width = len(digits)
        col_counter = 0
        values: dict[int, Any] | None = None
        for cell in element:
            if cell.tag != CELL:
                continue
            coord = cell.get("r")
            if coord:
                col = columns.get(coord[:-width]) if coord.endswith(digits) else None
                if col is not None:
                    row = row_counter
                else:
                    row, col = split_coordinate(coord)
                col_counter = col
            else:
                col_counter += 1
                row, col = row_counter, col_counter
            if not min_col <= col <= max_col:
                if len(cell) and cell.find(FORMULA) is not None:
                    decoder.value(cell, coord, shared)  # a shared formula's first cell counts
                continue
            size = len(cell)
            if size == 1:
                child = cell[0]
                tag = child.tag
                kind = cell.get("t")
                if tag == VALUE and (kind is None or kind == "n"):
                    text = child.text
                    if not text:
                        value: Any = None
                    else:
                        value = (
                            float(text)
                            if ("." in text or "E" in text or "e" in text)
                            else int(text)
                        )
                        style = cell.get("s")
                        if style and int(style) in date_styles:
                            key = (value, int(style) in decoder.timedelta_styles)
                            if key not in dates:
                                dates[key] = decoder.date(value, key[1])
                            value = dates[key]
                elif tag == INLINE and kind == "inlineStr":
                    if len(child) == 1 and child[0].tag == TEXT:
                        value = unescape(child[0].text or "")
                    else:
                        value = text_content(child)
                elif tag == VALUE and kind == "s":
                    value = decoder.string(child.text) if child.text else None
                else:
                    value = decoder.value(cell, coord, shared)
            elif size == 0:
                value = None
            else:
                value = decoder.value(cell, coord, shared)
            if row != row_counter or values is None:
                values = rows.get(row)
                if values is None:
                    values = rows[row] = {}
                if row != row_counter:  # a cell naming another row: rare, do not reuse
                    values[col] = value
                    values = None
                    continue
            values[col] = value
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
    for ref in merged:
        try:
            first_col, first_row, last_col, last_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        for r in range(first_row, last_row + 1):
            found = rows.get(r)
            if not found:
                continue
            for c in range(max(first_col, min_col), min(last_col, max_col) + 1):
                if (r, c) != (first_row, first_col) and c in found:
                    found[c] = None
    return rows


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise
        return int(number)


# -- writing ---------------------------------------------------------------------------------
def _number(value: float) -> str | None:
    if value != value or value in (float("inf"), float("-inf")):
        return None  # openpyxl writes NaN and infinities as an empty cell
    return f"{value:.16g}"


def encode_value(value: Any, prefix: str, epoch: datetime) -> tuple[str | None, str]:
    """(the cell's ``t`` attribute or None, its content) for a value as the workbook holds it
    (after :func:`workbook.cell_values.cell_value`): text inline, numbers and dates as numbers."""
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return "b", f"<{prefix}v>{int(value)}</{prefix}v>"
    if isinstance(value, int | float):
        number = _number(value)
        return (None, "") if number is None else (None, f"<{prefix}v>{number}</{prefix}v>")
    if isinstance(value, date):  # datetime too
        number = _number(to_excel(value, epoch))
        return (None, "") if number is None else (None, f"<{prefix}v>{number}</{prefix}v>")
    text = str(value)  # never cut: the store refused text longer than a cell holds
    if not text:
        return None, ""  # openpyxl writes an empty string as an empty cell
    space = ' xml:space="preserve"' if text != text.strip() else ""
    escaped = escape(text).translate(_TEXT_ESCAPES)
    return "inlineStr", f"<{prefix}is><{prefix}t{space}>{escaped}</{prefix}t></{prefix}is>"
