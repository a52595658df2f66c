"""Overwriting the first cell of a shared formula without changing the others.

The other cells of a shared formula hold only its index: they compute the first cell's formula
moved to their place. Before that cell is overwritten, each of them gets its own formula, moved
as Excel moves it (openpyxl's translator, the one it uses to read shared formulas), keeping its
cached value; the patched sheet then means what it meant.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, unescape

from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.utils import range_boundaries

from workbook.xlsx_cells import coordinate
from workbook.xlsx_package import Unpatchable
from workbook.xlsx_sheet import CellModel, SheetXml

_ENTITIES = {"&quot;": '"', "&apos;": "'"}
_ATTRS = re.compile(rb"([\w:.\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _attrs(tag: bytes) -> dict[bytes, str]:
    return {m[1]: unescape((m[2] or m[3]).decode("utf-8"), _ENTITIES) for m in _ATTRS.finditer(tag)}


def _element(inner: bytes, prefix: bytes) -> re.Match[bytes] | None:
    p = re.escape(prefix)
    return re.search(rb"<" + p + rb"f(?=[\s/>])[^>]*?(?:/>|>(.*?)</" + p + rb"f\s*>)", inner, re.S)


def unshare(sheet: SheetXml, row: int, col: int, master: CellModel, tag: bytes) -> None:
    """Give every other cell of the shared formula whose first cell is (``row``, ``col``) its
    own formula. Unpatchable when the formula cannot be moved."""
    attrs = _attrs(tag)
    si, ref = attrs.get(b"si"), attrs.get(b"ref")
    found = _element(master.inner or b"", sheet.prefix)
    if si is None or ref is None or found is None or not found.group(1):
        raise Unpatchable(f"{coordinate(row, col)}: a shared formula without its text")
    text = "=" + unescape(found.group(1).decode("utf-8"), _ENTITIES)
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        raise Unpatchable(f"{coordinate(row, col)}: unreadable shared formula range") from None
    origin = coordinate(row, col)
    p = sheet.prefix
    for number in range(min_row, max_row + 1):
        model = sheet.row(number, create=False)
        if model is None:
            continue
        for c, cell in model.cells.items():
            if not min_col <= c <= max_col or (number, c) == (row, col):
                continue
            own = cell.formula_tag()
            if own is None:
                continue
            values = _attrs(own)
            if values.get(b"t") != "shared" or values.get(b"si") != si or b"ref" in values:
                continue
            try:
                moved = Translator(text, origin).translate_formula(coordinate(number, c))
            except TranslatorError as exc:
                raise Unpatchable(f"{coordinate(number, c)}: {exc}") from None
            element = _element(cell.inner or b"", p)
            assert element is not None and cell.inner is not None
            formula = b"<" + p + b"f>" + escape(moved[1:]).encode("utf-8") + b"</" + p + b"f>"
            cell.inner = cell.inner[: element.start()] + formula + cell.inner[element.end() :]
            cell.dirty = True
