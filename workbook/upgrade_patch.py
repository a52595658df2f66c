"""Add the columns (and, see :mod:`workbook.upgrade_sheets`, the sheets) an older master workbook
lacks, patching its package in place.

Only the parts concerned are rewritten (the worksheets and tables that gain a column, the
stylesheet, the workbook part for the schema version); every other member is copied byte for
byte, so whatever users added is kept. Each new column goes at its table's right end: its header
in the workbook's language with the style of the header beside it, the table's range and
``tableColumns``, the column's width and number format, and a drop-down where the column has one;
an input column of a protected table (:mod:`addin.core.protection`) is unlocked down the column as
``init`` leaves it, a column only actions write stays locked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from addin.core.protection import input_columns
from addin.core.schema import NAME_SCHEMA_VERSION, NUMBER_FORMATS, SCHEMA_VERSION, TABLES, Kind
from addin.core.schema_history import Upgrade
from addin.i18n import t
from workbook.store import StoreError
from workbook.upgrade_sheets import add_sheets
from workbook.xlsx_cols import own_col
from workbook.xlsx_package import deflate_all, parse_xml, write_package, xml_bytes
from workbook.xlsx_styles import MAIN_NS, Styles

if TYPE_CHECKING:
    from workbook.patch_store import PatchFileStore, _View

_M = f"{{{MAIN_NS}}}"
VALIDATION_ROWS = 20000  # as ``orderdesk init`` (workbook.create) covers
# Worksheet children after dataValidations (ECMA-376 order): a new one goes before the first.
_AFTER_VALIDATIONS = (
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks",
    "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
    "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls", "webPublishItems",
    "tableParts", "extLst",
)  # fmt: skip


def upgraded(store: PatchFileStore, tables: bool = True) -> tuple[bytes, Upgrade] | None:
    """The package with every absent column (and with ``tables``, every absent table's sheet)
    added and the schema version raised, and what was added; None when nothing is to add."""
    absent_tables = store.absent_tables() if tables else ()
    if store.schema_version() >= SCHEMA_VERSION and not absent_tables:
        return None
    absent = store.absent_columns()
    package = store._package
    styles = Styles(package.read(store._styles_part) if store._styles_part else None)
    sheets: dict[str, etree._Element] = {}
    replaced: dict[str, bytes] = {}
    added: list[tuple[str, str]] = []
    for key, columns in absent.items():
        view = store._view(key)
        part = view.sheet.part
        if part not in sheets:
            sheets[part] = parse_xml(package.read(part))
        _check_free(store, view, sheets[part], len(columns))
        table_root = parse_xml(package.read(view.where.part))
        _add_columns(store, view, sheets[part], table_root, columns, styles)
        replaced[_name(store, view.where.part)] = xml_bytes(
            table_root, package.read(view.where.part)
        )
        added += [(key, c) for c in columns]
    for part, root in sheets.items():
        replaced[_name(store, part)] = xml_bytes(root, package.read(part))
    workbook = parse_xml(package.read(store._workbook_part))
    _set_version(workbook)
    new_parts = (
        add_sheets(store, absent_tables, workbook, styles, replaced) if absent_tables else {}
    )
    if styles.changed and store._styles_part:
        replaced[_name(store, store._styles_part)] = styles.to_bytes()
    replaced[_name(store, store._workbook_part)] = xml_bytes(
        workbook, package.read(store._workbook_part)
    )
    compressed = deflate_all({**replaced, **new_parts}).result()
    data = write_package(package, replaced, new_parts, set(), compressed)
    return data, Upgrade(tuple(added), absent_tables)


def _name(store: PatchFileStore, part: str) -> str:
    return store._package.name(part) or part


def _cells(sheet: etree._Element) -> list[tuple[int, int, etree._Element]]:
    """(row, column, element) of every cell of the worksheet."""
    out: list[tuple[int, int, etree._Element]] = []
    data = sheet.find(_M + "sheetData")
    if data is None:
        return out
    row_number = 0
    for row in data.iterfind(_M + "row"):
        row_number = int(row.get("r") or row_number + 1)
        col = 0
        for cell in row.iterfind(_M + "c"):
            ref = cell.get("r")
            col = column_index_from_string(coordinate_from_string(ref)[0]) if ref else col + 1
            out.append((row_number, col, cell))
    return out


def _check_free(store: PatchFileStore, view: _View, sheet: etree._Element, count: int) -> None:
    """Refuse when the cells the new columns take hold anything, or another table is there."""
    first, last = view.max_col + 1, view.max_col + count
    bottom = max(view.last_row, view.ref_max_row)
    column = view.table.column(store.absent_columns()[view.key][0]).label(view.key, store.lang)
    for row, col, cell in _cells(sheet):
        inside = first <= col <= last and view.header_row <= row <= bottom
        if inside and any(child.tag in (_M + "v", _M + "f", _M + "is") for child in cell):
            raise StoreError(
                "store.upgrade_blocked",
                sheet=view.sheet.title,
                cell=f"{get_column_letter(col)}{row}",
                column=column,
            )
    for other in store._found.values():
        if other.sheet is not view.sheet or other is view.where:
            continue
        lo_col, lo_row, hi_col, hi_row = range_boundaries(other.ref)
        if lo_col <= last and hi_col >= first and lo_row <= bottom and hi_row >= view.header_row:
            cell = f"{get_column_letter(max(first, lo_col))}{max(lo_row, view.header_row)}"
            raise StoreError(
                "store.upgrade_blocked", sheet=view.sheet.title, cell=cell, column=column
            )


def _add_columns(
    store: PatchFileStore,
    view: _View,
    sheet: etree._Element,
    table: etree._Element,
    columns: tuple[str, ...],
    styles: Styles,
) -> None:
    lang = store.lang
    header_style = next(
        (c.get("s") for r, col, c in _cells(sheet) if r == view.header_row and col == view.max_col),
        None,
    )
    header_row = _row(sheet, view.header_row)
    names = table.find(_M + "tableColumns")
    if names is None:
        raise StoreError("store.not_xlsx", path=str(store.path), detail="table without columns")
    next_id = 1 + max(
        (int(c.get("id") or 0) for c in names.iterfind(_M + "tableColumn")), default=0
    )
    unlocked: set[int] = set()
    for offset, key in enumerate(columns, start=1):
        col = view.max_col + offset
        spec = TABLES[view.key].column(key)
        label = spec.label(view.key, lang)
        _put_header(header_row, view.header_row, col, label, header_style)
        fmt = NUMBER_FORMATS.get(spec.kind)
        typed = key in input_columns(view.key)  # a protected table's: unlocked, as init has it
        style = (
            styles.derive(0, number_format=fmt, unlocked=typed)
            if fmt is not None or typed
            else None
        )
        _set_col(sheet, col, max(spec.width, len(label) * 2 + 2), style)
        if typed:
            unlocked.add(col)
        formula = _list_formula(spec, lang)
        if formula is not None:
            letter = get_column_letter(col)
            sqref = f"{letter}{view.header_row + 1}:{letter}{view.header_row + VALIDATION_ROWS}"
            _add_validation(sheet, formula, sqref, lang)
        el = etree.SubElement(names, _M + "tableColumn")
        el.set("id", str(next_id))
        el.set("name", label)
        next_id += 1
    if unlocked:
        _unlock_cells(sheet, unlocked, view.header_row, styles)
    names.set("count", str(len(names.findall(_M + "tableColumn"))))
    last_col = get_column_letter(view.max_col + len(columns))
    lo_col, lo_row, _, hi_row = range_boundaries(table.get("ref") or "")
    ref = f"{get_column_letter(lo_col)}{lo_row}:{last_col}{hi_row}"
    table.set("ref", ref)
    auto = table.find(_M + "autoFilter")
    if auto is not None:
        auto.set("ref", ref)
    _extend_dimension(sheet, view.max_col + len(columns))


def _unlock_cells(
    sheet: etree._Element, columns: set[int], header_row: int, styles: Styles
) -> None:
    """Unlock the (blank) cells the new ``columns`` have below the header already."""
    for row, col, cell in _cells(sheet):
        if col in columns and row > header_row:
            cell.set("s", str(styles.derive(int(cell.get("s") or 0), unlocked=True)))


def _row(sheet: etree._Element, number: int) -> etree._Element:
    data = sheet.find(_M + "sheetData")
    assert data is not None
    previous = None
    for row in data.iterfind(_M + "row"):
        r = int(row.get("r") or 0)
        if r == number:
            return row
        if r < number:
            previous = row
    row = etree.Element(_M + "row")
    row.set("r", str(number))
    if previous is None:
        data.insert(0, row)
    else:
        previous.addnext(row)
    return row


def _put_header(row: etree._Element, number: int, col: int, label: str, style: str | None) -> None:
    cell = etree.Element(_M + "c")
    cell.set("r", f"{get_column_letter(col)}{number}")
    if style is not None:
        cell.set("s", style)
    cell.set("t", "inlineStr")
    text = etree.SubElement(etree.SubElement(cell, _M + "is"), _M + "t")
    text.text = label
    later = [
        c
        for c in row.iterfind(_M + "c")
        if c.get("r") and column_index_from_string(coordinate_from_string(c.get("r"))[0]) > col
    ]
    if later:
        later[0].addprevious(cell)
    else:
        row.append(cell)
    row.attrib.pop("spans", None)  # an optional hint, no longer true


def _set_col(sheet: etree._Element, index: int, width: float, style: int | None) -> None:
    """A ``<col>`` for exactly this column (a range covering it is split around it), made
    afresh: the new column's width and style only."""
    col = own_col(sheet, index)
    for name in [n for n in col.attrib if n not in ("min", "max")]:
        del col.attrib[name]
    col.set("width", str(width))
    col.set("customWidth", "1")
    if style:
        col.set("style", str(style))


def _list_formula(spec: object, lang: str) -> str | None:
    kind = getattr(spec, "kind", None)
    enum = getattr(spec, "enum", None)
    if kind == Kind.ENUM and enum is not None:
        return '"' + ",".join(enum.labels(lang)) + '"'
    if kind == Kind.CUSTOMER:
        return "OD_CustomerCodes"
    if kind == Kind.PRODUCT:
        return "OD_ProductCodes"
    return None


def _add_validation(sheet: etree._Element, formula: str, sqref: str, lang: str) -> None:
    box = sheet.find(_M + "dataValidations")
    if box is None:
        box = etree.Element(_M + "dataValidations")
        anchor = next((el for el in sheet if etree.QName(el).localname in _AFTER_VALIDATIONS), None)
        if anchor is None:
            sheet.append(box)
        else:
            anchor.addprevious(box)
    dv = etree.SubElement(box, _M + "dataValidation")
    for name, value in (
        ("type", "list"),
        ("allowBlank", "1"),
        ("showErrorMessage", "1"),
        ("errorTitle", t("validation.title", lang)),
        ("error", t("validation.error", lang)),
        ("sqref", sqref),
    ):
        dv.set(name, value)
    etree.SubElement(dv, _M + "formula1").text = formula
    box.set("count", str(len(box.findall(_M + "dataValidation"))))


def _extend_dimension(sheet: etree._Element, last_col: int) -> None:
    dim = sheet.find(_M + "dimension")
    if dim is None or not dim.get("ref"):
        return
    lo_col, lo_row, hi_col, hi_row = range_boundaries(dim.get("ref"))
    if hi_col is None or hi_col >= last_col:
        return
    dim.set("ref", f"{get_column_letter(lo_col)}{lo_row}:{get_column_letter(last_col)}{hi_row}")


def _set_version(workbook: etree._Element) -> None:
    names = workbook.find(_M + "definedNames")
    if names is None:
        names = etree.Element(_M + "definedNames")
        anchor = workbook.find(_M + "calcPr")
        if anchor is None:
            workbook.append(names)
        else:
            anchor.addprevious(names)
    for el in names.iterfind(_M + "definedName"):
        if el.get("name") == NAME_SCHEMA_VERSION and el.get("localSheetId") is None:
            el.text = str(SCHEMA_VERSION)
            return
    el = etree.SubElement(names, _M + "definedName")
    el.set("name", NAME_SCHEMA_VERSION)
    el.text = str(SCHEMA_VERSION)
