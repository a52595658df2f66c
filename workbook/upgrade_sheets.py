"""Add the sheets of tables an older master workbook lacks, patching its package in place.

Each sheet is made by ``orderdesk init``'s own code (:func:`workbook.create.add_table_sheet`) in a
workbook of its own; its worksheet and table parts then move into the package: their cell styles
found or added in the workbook's stylesheet, their texts written inline (the shared strings part
is left as it is), under part names and a table id the package does not use yet. The workbook
part lists the sheet after the sheet it follows in a new workbook, with its print titles (the
sheet-local names of the sheets after it renumbered); the workbook's relationships, the content
types and, when it lists them, docProps/app.xml's sheet titles name it. Nothing else changes.
"""

from __future__ import annotations

import copy
import io
from typing import TYPE_CHECKING

from lxml import etree
from openpyxl import Workbook

from addin.core.schema import TABLES
from addin.core.schema_history import later_sheets, tables_before
from addin.i18n import Lang, t
from workbook.create import add_table_sheet
from workbook.store import StoreError
from workbook.xlsx_cells import read_shared_strings
from workbook.xlsx_package import (
    REL_OFFICE_DOCUMENT,
    REL_SHARED_STRINGS,
    REL_STYLES,
    REL_TABLE,
    REL_WORKSHEET,
    ContentTypes,
    Package,
    RelsEditor,
    parse_xml,
    rels_name,
    xml_bytes,
)
from workbook.xlsx_styles import MAIN_NS, Styles

if TYPE_CHECKING:
    from workbook.patch_store import PatchFileStore

_M = f"{{{MAIN_NS}}}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
REL_EXTENDED = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
)
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"


def add_sheets(
    store: PatchFileStore,
    tables: tuple[str, ...],
    workbook: etree._Element,
    styles: Styles,
    replaced: dict[str, bytes],
) -> dict[str, bytes]:
    """Add the sheets holding ``tables``: ``workbook`` (the parsed workbook part, its defined
    names present) and ``styles`` are edited in place, other changed parts go into ``replaced``
    (by member name); the new parts are returned. Refuses, before anything changes, a sheet
    title the workbook uses already."""
    package, lang = store._package, store.lang
    sheets_el = workbook.find(_M + "sheets")
    assert sheets_el is not None
    taken = {(el.get("name") or "").casefold() for el in sheets_el}
    wanted = later_sheets(tables)
    for sheet in wanted:
        title = t(f"sheet.{sheet}", lang)
        if title.casefold() in taken:
            name = next(TABLES[k].name for k in tables if TABLES[k].sheet == sheet)
            raise StoreError("store.upgrade_sheet_taken", sheet=title, table=name)
    fresh = _fresh_package(wanted, lang)
    fresh_main = next(r.target for r in fresh.rels("") if r.type == REL_OFFICE_DOCUMENT)
    fresh_book = parse_xml(fresh.read(fresh_main))
    fresh_rels = {r.id: r for r in fresh.rels(fresh_main)}
    styles_part = _target(fresh, fresh_main, REL_STYLES)
    fresh_styles = Styles(fresh.read(styles_part) if styles_part else None)
    strings_part = _target(fresh, fresh_main, REL_SHARED_STRINGS)
    strings = read_shared_strings(fresh.read(strings_part)) if strings_part else []
    fresh_types = ContentTypes(fresh.read(ContentTypes.NAME))

    types = ContentTypes(package.read(ContentTypes.NAME))
    book_rels_name = rels_name(store._workbook_part)
    book_rels = RelsEditor(
        package,
        store._workbook_part,
        package.read(book_rels_name) if package.has(book_rels_name) else None,
    )
    names = workbook.find(_M + "definedNames")
    assert names is not None
    used = {n.lower() for n in package.names()}
    table_id = max((_table_id(package, p.part) for p in store._found.values()), default=0)
    sheet_id = max((int(el.get("sheetId") or 0) for el in sheets_el), default=0)
    placed = {name: part.sheet.part for name, part in store._found.items()}
    targets = {r.id: r.target for r in package.rels(store._workbook_part)}  # sheet r:id → part
    added: dict[str, bytes] = {}
    fresh_sheets = list(fresh_book.iterfind(f"{_M}sheets/{_M}sheet"))
    for fresh_index, (sheet, el) in enumerate(zip(wanted, fresh_sheets, strict=True)):
        fresh_part = fresh_rels[el.get(_R_ID) or ""].target
        part = _free(used, "xl/worksheets/sheet{}.xml")
        root = parse_xml(fresh.read(fresh_part))
        _restyle(root, fresh_styles, styles)
        _inline_strings(root, strings)
        for view in root.iter(_M + "sheetView"):
            view.attrib.pop("tabSelected", None)  # the workbook's selected sheet stays so
        sheet_rels = RelsEditor(package, part, None)
        ids: dict[str, str] = {}
        for rel in fresh.rels(fresh_part):
            if rel.type != REL_TABLE:
                continue
            table_part = _free(used, "xl/tables/table{}.xml")
            table = parse_xml(fresh.read(rel.target))
            table_id += 1
            table.set("id", str(table_id))
            added[table_part] = xml_bytes(table, fresh.read(rel.target))
            types.add_override(table_part, fresh_types.content_type(rel.target) or "")
            ids[rel.id] = sheet_rels.add(REL_TABLE, table_part)
            placed[table.get("name") or ""] = part
        for table_part_el in root.iter(_M + "tablePart"):
            table_part_el.set(_R_ID, ids[table_part_el.get(_R_ID) or ""])
        added[part] = xml_bytes(root, fresh.read(fresh_part))
        added[rels_name(part)] = sheet_rels.to_bytes()
        types.add_override(part, fresh_types.content_type(fresh_part) or "")

        position = _position(sheets_el, targets, sheet, placed)
        sheet_id += 1
        new = etree.Element(_M + "sheet")
        new.set("name", t(f"sheet.{sheet}", lang))
        new.set("sheetId", str(sheet_id))
        new.set(_R_ID, book_rels.add(REL_WORKSHEET, part))
        targets[new.get(_R_ID) or ""] = part
        _shift_local_names(workbook, names, position)
        sheets_el.insert(position, new)
        for name in fresh_book.iterfind(f"{_M}definedNames/{_M}definedName"):
            if name.get("localSheetId") == str(fresh_index):
                moved = copy.deepcopy(name)
                moved.tail = None
                moved.set("localSheetId", str(position))
                names.append(moved)
        _list_title(package, replaced, sheets_el, position)
    types.ensure_default("rels", RELS_TYPE)
    replaced[package.name(ContentTypes.NAME) or ContentTypes.NAME] = types.to_bytes()
    if package.has(book_rels_name):
        replaced[package.name(book_rels_name) or book_rels_name] = book_rels.to_bytes()
    else:
        added[book_rels_name] = book_rels.to_bytes()
    return added


def _fresh_package(sheets: tuple[str, ...], lang: Lang) -> Package:
    """A workbook holding only ``sheets``, as ``orderdesk init`` makes them."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        add_table_sheet(wb, sheet, lang)
    buffer = io.BytesIO()
    wb.save(buffer)
    return Package(buffer.getvalue())


def _target(package: Package, source: str, rel_type: str) -> str | None:
    return next((r.target for r in package.rels(source) if r.type == rel_type), None)


def _table_id(package: Package, part: str) -> int:
    value = parse_xml(package.read(part)).get("id") or ""
    return int(value) if value.isdigit() else 0


def _free(used: set[str], pattern: str) -> str:
    """The first part name of ``pattern`` the package does not use (now taken)."""
    n = 1
    while pattern.format(n).lower() in used:
        n += 1
    used.add(pattern.format(n).lower())
    return pattern.format(n)


def _restyle(root: etree._Element, source: Styles, target: Styles) -> None:
    """Cell, row and column styles (and conditional formats' styles) as the target's."""
    cache: dict[str, str] = {}

    def style(value: str) -> str:
        if value not in cache:
            cache[value] = str(target.adopt(source, int(value)))
        return cache[value]

    for el in root.iter(_M + "c", _M + "row"):
        if el.get("s") is not None:
            el.set("s", style(el.get("s") or "0"))
    for el in root.iter(_M + "col"):
        if el.get("style") is not None:
            el.set("style", style(el.get("style") or "0"))
    for el in root.iter(_M + "cfRule"):
        if el.get("dxfId") is not None:
            el.set("dxfId", str(target.adopt_dxf(source, int(el.get("dxfId") or 0))))


def _inline_strings(root: etree._Element, strings: list[str]) -> None:
    """Shared-string cells as inline strings (the workbook's shared strings stay as they are)."""
    for cell in root.iter(_M + "c"):
        if cell.get("t") != "s":
            continue
        value = cell.find(_M + "v")
        text = strings[int(value.text or 0)] if value is not None else ""
        if value is not None:
            cell.remove(value)
        cell.set("t", "inlineStr")
        el = etree.SubElement(etree.SubElement(cell, _M + "is"), _M + "t")
        el.text = text
        if text != text.strip():
            el.set(_XML_SPACE, "preserve")


def _position(
    sheets_el: etree._Element, targets: dict[str, str], sheet: str, placed: dict[str, str]
) -> int:
    """Where the new sheet goes among the workbook's sheets: after the sheet that holds the
    nearest table before it in a new workbook (at the end when there is none); ``targets``:
    sheet relationship id → part, ``placed``: table name → its sheet's part."""
    parts = [targets.get(el.get(_R_ID) or "") for el in sheets_el]
    for key in tables_before(sheet):
        part = placed.get(TABLES[key].name)
        if part in parts:
            return parts.index(part) + 1
    return len(parts)


def _shift_local_names(workbook: etree._Element, names: etree._Element, position: int) -> None:
    """Sheet indexes at or after ``position`` move one on: sheet-local names, the active tab."""
    for name in names.iterfind(_M + "definedName"):
        local = name.get("localSheetId")
        if local is not None and local.isdigit() and int(local) >= position:
            name.set("localSheetId", str(int(local) + 1))
    for view in workbook.iterfind(f"{_M}bookViews/{_M}workbookView"):
        for attr in ("activeTab", "firstSheet"):
            value = view.get(attr)
            if value is not None and value.isdigit() and int(value) >= position:
                view.set(attr, str(int(value) + 1))


def _list_title(
    package: Package, replaced: dict[str, bytes], sheets_el: etree._Element, position: int
) -> None:
    """docProps/app.xml lists the worksheets' titles (Excel writes it): the new title too, in
    its place; left alone when the part lists none or not in the workbook's order."""
    part = next((r.target for r in package.rels("") if r.type == REL_EXTENDED), None)
    if part is None or not package.has(part):
        return
    member = package.name(part) or part
    data = replaced.get(member) or package.read(part)
    root = parse_xml(data)
    pairs = root.find(f"{_EP}HeadingPairs/{_VT}vector")
    titles = root.find(f"{_EP}TitlesOfParts/{_VT}vector")
    if pairs is None or titles is None:
        return
    items = titles.findall(_VT + "lpstr")
    variants = pairs.findall(_VT + "variant")
    ordered = [el.get("name") or "" for el in sheets_el]
    before = set(ordered[:position])
    start = 0
    for count_el in variants[1::2]:  # (heading, count) pairs
        count_value = count_el.find(_VT + "i4")
        if count_value is None or not (count_value.text or "").isdigit():
            return
        count = int(count_value.text or 0)
        group = [el.text or "" for el in items[start : start + count]]
        others = [name for i, name in enumerate(ordered) if i != position]
        if count and group == [name for name in others if name in group]:
            at = start + sum(1 for name in group if name in before)
            new = etree.Element(_VT + "lpstr")
            new.text = ordered[position]
            if at < len(items):
                items[at].addprevious(new)
            else:
                titles.append(new)
            count_value.text = str(count + 1)
            titles.set("size", str(len(items) + 1))
            replaced[member] = xml_bytes(root, data)
            return
        start += count
