"""``orderdesk upgrade`` protects an older master workbook's sheets of records as ``init`` does.

A workbook made before sheet protection (issue 11 item 3) gets, on each sheet of records that
has no ``<sheetProtection>``, the protection without a password and the input columns unlocked
(the column's style and the cells already typed below the header), by patching only those
worksheets and the stylesheet; every other member is copied byte for byte. A sheet already
protected (with whatever options a site chose) is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from addin.core.protection import ALLOWED, LOCKED, input_columns
from addin.core.schema import TABLES
from workbook.xlsx_cols import own_col
from workbook.xlsx_package import deflate_all, parse_xml, write_package, xml_bytes
from workbook.xlsx_styles import MAIN_NS, Styles

if TYPE_CHECKING:
    from workbook.patch_store import PatchFileStore

_M = f"{{{MAIN_NS}}}"
# Worksheet children after sheetProtection (ECMA-376 order): it goes before the first found.
_AFTER_PROTECTION = (
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks",
    "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
    "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls", "webPublishItems",
    "tableParts", "extLst",
)  # fmt: skip


def protect_sheets(store: PatchFileStore) -> list[str]:
    """Protect the sheets of records that are not (written at once): their titles."""
    result = protected(store)
    if result is None:
        return []
    data, titles = result
    store.replace_package(data)
    return titles


def protected(store: PatchFileStore) -> tuple[bytes, list[str]] | None:
    """The package with every unprotected sheet of records protected, and those sheets'
    titles; None when there is none."""
    package = store._package
    styles = Styles(package.read(store._styles_part) if store._styles_part else None)
    replaced: dict[str, bytes] = {}
    titles: list[str] = []
    for key in LOCKED:
        if TABLES[key].name not in store._found:  # a table an older workbook lacks
            continue
        view = store._view(key)
        part = view.sheet.part
        original = package.read(part)
        sheet = parse_xml(original)
        if sheet.find(_M + "sheetProtection") is not None:
            continue
        columns = {view.columns[k] for k in input_columns(key) if k in view.columns}
        for col in sorted(columns):
            el = own_col(sheet, col)
            el.set("style", str(styles.derive(int(el.get("style") or 0), unlocked=True)))
        for row in sheet.iterfind(f"{_M}sheetData/{_M}row"):
            if int(row.get("r") or 0) <= view.header_row:
                continue
            for cell in row.iterfind(_M + "c"):
                ref = cell.get("r")
                if ref and column_index_from_string(coordinate_from_string(ref)[0]) in columns:
                    cell.set("s", str(styles.derive(int(cell.get("s") or 0), unlocked=True)))
        _add_protection(sheet)
        replaced[package.name(part) or part] = xml_bytes(sheet, original)
        titles.append(view.sheet.title)
    if not titles:
        return None
    if styles.changed and store._styles_part:
        name = package.name(store._styles_part) or store._styles_part
        replaced[name] = styles.to_bytes()
    compressed = deflate_all(replaced).result()
    return write_package(package, replaced, {}, set(), compressed), titles


def _add_protection(sheet: etree._Element) -> None:
    el = etree.Element(_M + "sheetProtection")
    el.set("sheet", "1")
    for option in ALLOWED:
        el.set(option, "0")
    follower = next(
        (child for child in sheet if etree.QName(child).localname in _AFTER_PROTECTION), None
    )
    if follower is None:
        sheet.append(el)
    else:
        follower.addprevious(el)
