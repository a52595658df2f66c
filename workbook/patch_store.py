"""The master workbook as a file, patched in place: the fast store for large workbooks.

Same interface and the same results as :class:`workbook.file_store.FileStore`, without loading
the workbook whole. Reading opens the zip once and parses only the worksheets whose tables are
read (lxml ``iterparse``), turning cells into values exactly as openpyxl does. Committing
validates the whole change set first, then writes a new package in which every unchanged zip
member is copied byte for byte and only the touched parts are re-serialised: in a touched
worksheet only the touched rows, plus its dimension; the touched tables' ranges; the stylesheet
when a new cell style is needed; the sheet's comments and VML drawing for marks. So an action
costs what it reads and what it changes, not the size of the workbook; and whatever users added
(charts, images, extra sheets, columns and formats) is kept, which openpyxl cannot promise.

A large sheet of order rows is kept in chunks (:mod:`workbook.sheet_chunks`): an action inflates
the chunks holding the rows it reads and compresses again only the chunks it changes, so that its
cost does not grow with the sheet. A commit writes in chunks the large sheets it rewrites and
those it read whole that are not in chunks yet (their content unchanged, its bytes rewritten).

A change set this module cannot patch faithfully (see :class:`Unpatchable`: a worksheet with
CDATA or a DTD, overwriting an array formula, a missing dashboard sheet, ...) is committed
through ``FileStore`` instead, unless openpyxl would lose
pictures or rich text of the workbook (see :mod:`workbook.fallback_losses`): then it is refused.
:attr:`last_commit` says which path the last commit took.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import zipfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.parsers import expat

from lxml import etree
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from addin.core.schema import (
    NAME_LANG,
    NAME_SCHEMA_VERSION,
    NUMBER_FORMATS,
    SCHEMA_VERSION,
    TABLES,
    Kind,
    Table,
)
from addin.core.schema_history import LATER_TABLES, Upgrade, split_missing, workbook_version
from addin.i18n import Lang, normalize_lang, t
from workbook import sheet_chunks
from workbook.analysis_layout import layout
from workbook.cell_values import MARK_COLOR, NOTE_AUTHOR, cell_value, note_is_ours, note_text
from workbook.dashboard_blocks import NAME_DASHBOARD
from workbook.deflate_chunks import ChunkError, pack
from workbook.headers import is_formula_like, map_headers
from workbook.safe_save import atomic_write_bytes, ensure_not_open_elsewhere, held
from workbook.sheet_chunks import (
    INDEX_TYPE,
    Partial,
    Stale,
    group_keys,
    index_name,
    open_partial,
    pack_index,
    packable,
    pieces,
)
from workbook.store import (
    CellBlock,
    CellMark,
    CellUpdate,
    ChangeSet,
    Row,
    StoreError,
    check_columns,
    check_texts,
    deleted_rows,
    refuse_absent_tables,
)
from workbook.upgrade_patch import upgraded
from workbook.xlsx_cells import (
    MAX_ROW,
    CellDecoder,
    coordinate,
    encode_value,
    read_cells,
    read_shared_strings,
)
from workbook.xlsx_delete import (
    delete_comments,
    delete_rows,
    delete_vml_notes,
    note_rows,
    refusal,
    shift,
)
from workbook.xlsx_notes import COMMENTS_TYPE, VML_TYPE, Comments, Vml, idmaps, new_vml, note_size
from workbook.xlsx_package import (
    REL_CALC_CHAIN,
    REL_COMMENTS,
    REL_OFFICE_DOCUMENT,
    REL_SHARED_STRINGS,
    REL_STYLES,
    REL_TABLE,
    REL_VML,
    REL_WORKSHEET,
    ContentTypes,
    Package,
    PackageError,
    Payload,
    RelsEditor,
    Unpatchable,
    deflate_all,
    parse_xml,
    rels_name,
    write_package,
)
from workbook.xlsx_shared_formulas import unshare
from workbook.xlsx_sheet import CellModel, NeedRows, RowModel, SheetXml
from workbook.xlsx_styles import MAIN_NS, Styles

# What openpyxl gives a date or datetime written to a cell whose format shows no date.
_TIME_FORMATS = {datetime: "yyyy-mm-dd h:mm:ss", date: "yyyy-mm-dd"}
_M = f"{{{MAIN_NS}}}"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TABLE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(table|autoFilter)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"(\sref\s*=\s*)([\"'])([^\"']*)\2")
# A worksheet is searched for a text in its bytes (see ``read_where``) only when each cell's
# value is its text: no rich-text runs, formulas or merged cells, UTF-8, namespaces declared on
# the root only; and no ASCII character written as a character reference (non-ASCII ones are,
# by some writers: a needle is ASCII).
_ENCODING = re.compile(rb"encoding\s*=\s*[\"'](?![Uu][Tt][Ff]-?8[\"'])")
_ASCII_REF = re.compile(rb"&#(?:0*(\d{1,3})|[xX]0*([0-9A-Fa-f]{1,2}));")
# Characters of a number's, a date's or a truth value's text: a needle made only of these might
# be held as a number, not as text.
_NUMERIC_TEXT = frozenset("0123456789.,+-eE :TtrueFalsinfINFNa")
MAX_CANDIDATES = 200


@dataclass
class _Sheet:
    title: str
    part: str


@dataclass
class _TablePart:
    sheet: _Sheet
    part: str
    ref: str
    totals: int = 0  # rows of Excel's Total Row at the bottom of ``ref``


class _View:
    """Where one table lives: its columns and (when asked) its last non-blank row."""

    def __init__(self, store: PatchFileStore, key: str, where: _TablePart) -> None:
        self.store = store
        self.key = key
        self.table: Table = TABLES[key]
        self.where = where
        self.sheet = where.sheet
        min_col, min_row, max_col, max_row = range_boundaries(where.ref)
        self.min_col, self.header_row, self.max_col = min_col, min_row, max_col
        self.ref_max_row = max_row
        # Excel's Total Row ends the range: data rows end above it, and nothing below belongs.
        self.totals = where.totals
        self.data_end = max_row - where.totals
        header = store._row_values(self.sheet, min_row)
        headers = [header.get(c) for c in range(min_col, max_col + 1)]
        positions, missing = map_headers(self.table, headers)
        # Columns newer than the workbook read as blank until a write adds them.
        self.absent, required = split_missing(key, missing, store.schema_version())
        if required:
            label = self.table.column(required[0]).label(key, "zh")
            raise StoreError(
                "store.missing_column", sheet=self.sheet.title, column=label, path=str(store.path)
            )
        self.columns = {k: min_col + p for k, p in positions.items()}
        self._last_row: int | None = None

    def _blank(self, values: dict[int, Any]) -> bool:
        for c in range(self.min_col, self.max_col + 1):
            v = values.get(c)
            if v is not None and v != "":
                return False
        return True

    @property
    def last_row(self) -> int:
        """The last non-blank row: the table's range, plus rows typed just below it."""
        if self._last_row is None:
            store, sheet = self.store, self.sheet
            last = self.header_row
            cells = store._cells.get(sheet.part)
            if cells is None:
                store._load_trailing(self)
                try:
                    numbers = [n for n in store._sheet_xml(sheet).numbers if n > self.header_row]
                except Unpatchable:
                    cells = store._full_cells(sheet)
            if cells is not None:
                numbers = sorted(n for n in cells if n > self.header_row)
            inside = [n for n in numbers if n <= self.data_end]
            for number in reversed(inside):
                if not self._blank(store._row_values(sheet, number)):
                    last = number
                    break
            number = self.ref_max_row + 1
            while not self.totals and not self._blank(store._row_values(sheet, number)):
                last = number
                number += 1
            self._last_row = last
        return self._last_row

    def rows(self) -> list[Row]:
        cells = self.store._full_cells(self.sheet)
        last = self.last_row
        keys = list(self.columns)
        cols = [self.columns[k] for k in keys]
        out: list[Row] = []
        for number in sorted(n for n in cells if self.header_row < n <= last):
            values = cells[number]
            record = {k: values.get(c) for k, c in zip(keys, cols, strict=True)}
            record.update(dict.fromkeys(self.absent))
            for v in record.values():
                if v is not None and v != "":
                    out.append(Row(number, record))
                    break
        return out


class PatchFileStore:
    """Store over an .xlsx file, patched in place. Use :meth:`open`; ``write=True`` holds the
    file for the action (the same owner-file and lock rules as ``FileStore``)."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.last_commit: str | None = None  # "patch", or "openpyxl: <why>" after a fallback
        self._carried: dict[str, int] = {}
        self._load(data)

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path | str, write: bool = False) -> Iterator[PatchFileStore]:
        with held(path, write) as held_path:
            yield cls(held_path, _read(held_path))

    @property
    def lang(self) -> Lang:
        return self._lang

    @property
    def defined_names(self) -> dict[str, str]:
        """The workbook's global defined names (name → what it refers to)."""
        return dict(self._names)

    # -- the package -----------------------------------------------------------------------
    def _load(self, data: bytes) -> None:
        self._data = data
        self._views: dict[str, _View] = {}
        self._cells: dict[str, dict[int, dict[int, Any]]] = {}
        self._xml: dict[str, SheetXml] = {}
        self._partials: dict[str, Partial | None] = {}
        self._styles: Styles | None = None
        self._decoder: CellDecoder | None = None
        try:
            self._open_package(data)
        except (PackageError, etree.XMLSyntaxError, KeyError, ValueError, IndexError) as exc:
            raise StoreError("store.not_xlsx", path=str(self.path), detail=str(exc)) from exc

    def _open_package(self, data: bytes) -> None:
        package = self._package = Package(data)
        main = [r for r in package.rels("") if r.type == REL_OFFICE_DOCUMENT and not r.external]
        if not main:
            raise PackageError("no workbook part")
        self._workbook_part = main[0].target
        root = parse_xml(package.read(self._workbook_part))
        pr = root.find(_M + "workbookPr")
        date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        self._epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        names: dict[str, str] = {}
        for el in root.iterfind(f"{_M}definedNames/{_M}definedName"):
            if el.get("localSheetId") is None and el.get("name"):
                names[el.get("name", "")] = el.text or ""
        self._lang = normalize_lang(_defined(names, NAME_LANG) or "zh")
        self._names = names
        version = _defined(names, NAME_SCHEMA_VERSION)
        if version is not None and version.isdigit() and int(version) > SCHEMA_VERSION:
            raise StoreError("store.newer_schema", found=version, supported=SCHEMA_VERSION)
        rels = {r.id: r for r in package.rels(self._workbook_part)}
        self._sheets: list[_Sheet] = []
        for el in root.iterfind(f"{_M}sheets/{_M}sheet"):
            rel = rels.get(el.get(_R_ID) or "")
            if rel is None or rel.type != REL_WORKSHEET or rel.external:
                continue
            if not package.has(rel.target):
                raise PackageError(f"missing worksheet {rel.target}")
            self._sheets.append(_Sheet(el.get("name") or "", rel.target))
        self._styles_part = _first(rels.values(), REL_STYLES)
        self._strings_part = _first(rels.values(), REL_SHARED_STRINGS)
        found: dict[str, _TablePart] = {}
        for sheet in self._sheets:
            for rel in package.rels(sheet.part):
                if rel.type != REL_TABLE or rel.external or not package.has(rel.target):
                    continue
                table = parse_xml(package.read(rel.target))
                name = table.get("name") or table.get("displayName")
                if name and table.get("ref"):
                    totals = table.get("totalsRowCount") or "0"
                    found[name] = _TablePart(
                        sheet,
                        rel.target,
                        table.get("ref", ""),
                        int(totals) if totals.isdigit() else 0,
                    )
        self._found = found
        for table in TABLES.values():
            if table.name not in found and table.key not in LATER_TABLES:
                raise StoreError("store.not_master", table=table.name, path=str(self.path))

    def styles(self) -> Styles:
        if self._styles is None:
            part = self._styles_part
            self._styles = Styles(self._package.read(part) if part else None)
        return self._styles

    def _cell_decoder(self) -> CellDecoder:
        if self._decoder is None:
            part = self._strings_part

            def strings() -> list[str]:
                return read_shared_strings(self._package.read(part)) if part else []

            self._decoder = CellDecoder(self.styles(), strings, self._epoch)
        return self._decoder

    def _sheet_xml(self, sheet: _Sheet) -> SheetXml:
        """The sheet's rows as far as read: a packed part's loaded chunks (see
        :mod:`workbook.sheet_chunks`), any other part whole."""
        partial = self._partial(sheet.part)
        if partial is not None:
            return partial.sheet()
        found = self._xml.get(sheet.part)
        if found is None:
            found = self._xml[sheet.part] = SheetXml(self._package.read(sheet.part))
        return found

    def _whole_sheet_xml(self, sheet: _Sheet) -> SheetXml:
        partial = self._partial(sheet.part)
        if partial is not None:
            self._load_chunks(partial, partial.chunk_range)
        return self._sheet_xml(sheet)

    def _partial(self, part: str) -> Partial | None:
        """The chunked reader of a part packed by this store and unchanged since (None: read
        the part whole)."""
        if part not in self._partials:
            found = None
            info = self._package.info(part)
            index = self._package.name(index_name(info.filename)) if info else None
            if (
                info is not None
                and index is not None
                and info.compress_type == zipfile.ZIP_DEFLATED
            ):
                stored = (info.CRC, info.compress_size, info.file_size)
                try:
                    raw = self._package.raw_view(info)
                    found = open_partial(part, self._package.read(index), raw, stored)
                except PackageError:
                    found = None
            self._partials[part] = found
        return self._partials[part]

    def _load_chunks(self, partial: Partial, chunks: Iterable[int]) -> None:
        try:
            partial.load(chunks)
            partial.sheet()
        except (ChunkError, ValueError, Unpatchable) as exc:  # the part is not what it says
            raise StoreError("store.not_xlsx", path=str(self.path), detail=str(exc)) from exc

    def _need(self, need: NeedRows) -> None:
        partial = self._partials[need.part]
        assert partial is not None
        self._load_chunks(partial, [partial.covering(need.number)])

    def _order_tables(self) -> dict[str, str]:
        """Sheet part → the first table of one order's rows on it (keyed by order number)."""
        found: dict[str, str] = {}
        for key, table in TABLES.items():
            if "order_no" in table.column_keys and table.name in self._found:
                found.setdefault(self._found[table.name].sheet.part, key)
        return found

    def _load_trailing(self, view: _View) -> None:
        """Load a packed sheet's groups from the end back to the table's last non-blank row."""
        partial = self._partial(view.sheet.part)
        if partial is None:
            return
        for group in partial.trailing(view.header_row, view.data_end):
            self._load_chunks(partial, [group])
            lo, hi = partial.rows_of(group)
            sheet = partial.sheet()
            inside = (max(lo, view.header_row + 1), min(hi, view.data_end))
            for number in reversed(sheet.numbers):
                if inside[0] <= number <= inside[1] and not view._blank(
                    sheet.row_values(number, self._cell_decoder())
                ):
                    return

    def _full_cells(self, sheet: _Sheet) -> dict[int, dict[int, Any]]:
        cells = self._cells.get(sheet.part)
        if cells is None:
            spans = [
                range_boundaries(self._found[t.name].ref)
                for t in TABLES.values()
                if t.name in self._found and self._found[t.name].sheet is sheet
            ]
            lo = min(s[0] for s in spans)
            hi = max(s[2] for s in spans)
            cells = self._cells[sheet.part] = read_cells(
                self._package.read(sheet.part), self._cell_decoder(), lo, hi
            )
        return cells

    def _row_values(self, sheet: _Sheet, number: int) -> dict[int, Any]:
        cells = self._cells.get(sheet.part)
        if cells is not None:
            return cells.get(number, {})
        while True:
            try:
                return self._sheet_xml(sheet).row_values(number, self._cell_decoder())
            except NeedRows as need:
                self._need(need)
            except Unpatchable:
                return self._full_cells(sheet).get(number, {})

    def _view(self, key: str) -> _View:
        view = self._views.get(key)
        if view is None:
            table = TABLES.get(key)
            if table is None:
                raise StoreError("store.unknown_column", table=key, column="")
            view = self._views[key] = _View(self, key, self._found[table.name])
            if key in self._carried:
                view._last_row = self._carried[key]
        return view

    # -- reading ---------------------------------------------------------------------------
    def read(self, table: str) -> list[Row]:
        if TABLES[table].name not in self._found:  # a later table an older workbook lacks
            return []
        known = TABLES.get(table)
        if known is not None:  # parse the sheet first: the view then needs no row index
            self._full_cells(self._found[known.name].sheet)
        return self._view(table).rows()

    def read_where(
        self, table: str, key: str, needle: str, keep: Callable[[Any], bool]
    ) -> list[Row] | None:
        if TABLES[table].name not in self._found:  # a later table an older workbook lacks
            return []
        """The rows of ``read(table)`` whose raw value in column ``key`` passes ``keep``, where
        every such value is text holding ``needle``: found by searching the worksheet's bytes
        for it, so that reading one order's rows costs far less than reading the table. None
        when the worksheet cannot be searched faithfully (then read the table whole)."""
        known = TABLES.get(table)
        if known is None or key not in known.column_keys or not needle:
            return None
        if set(needle) <= _NUMERIC_TEXT or any(c in needle for c in "&<>\"'"):
            return None
        if not needle.isascii() or not needle.isprintable() or "_x" in needle:
            return None  # "_x" is escaped in the file (see workbook.xstring)
        view = self._view(table)
        if self._cells.get(view.sheet.part) is not None:  # read already: no need to search
            return [r for r in view.rows() if keep(r.values.get(key))]
        try:
            last = view.last_row
            partial = self._partial(view.sheet.part)
            if partial is not None:  # the groups holding the text in that column, else all
                found_in = partial.groups_with(needle)
                if partial.index.key_col != view.columns[key]:
                    found_in = list(partial.chunk_range)
                self._load_chunks(partial, found_in)
            sheet = self._sheet_xml(view.sheet)
        except Unpatchable:
            return None
        # Each check below scans the whole part once: on a large sheet they cost as much as
        # unpacking it, so none is repeated and the cheapest come first.
        data = sheet.data
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _ENCODING.search(data, 0, 200):
            return None
        if sheet.stripped:  # the parsed sheet lies at other offsets (its comments dropped)
            return None
        body = (sheet.body_start, sheet.body_end)
        # Merged cells are listed after sheetData: text inside it cannot merge anything.
        if data.find(b"mergeCell", 0, body[0]) >= 0 or data.find(b"mergeCell", body[1]) >= 0:
            return None
        if data.find(b"xmlns", *body) >= 0 or _unsearchable(sheet.prefix).search(data, *body):
            return None
        if data.find(b"&#") >= 0:
            for ref in _ASCII_REF.finditer(data):
                decimal, hexadecimal = ref.groups()
                code = int(decimal) if decimal is not None else int(hexadecimal, 16)
                if chr(code) in needle:
                    return None
        found: set[int] = set()
        wanted = needle.encode("utf-8")
        at = data.find(wanted, sheet.body_start, sheet.body_end)
        while at >= 0 and len(found) <= MAX_CANDIDATES:
            found.add(bisect_right(sheet.starts, at) - 1)
            at = data.find(wanted, at + len(wanted), sheet.body_end)
        shared = [str(i) for i, text in enumerate(self._cell_decoder().strings()) if needle in text]
        if len(shared) > MAX_CANDIDATES:
            return None
        if shared:
            p = re.escape(sheet.prefix)
            pattern = re.compile(
                rb"<" + p + rb"v>\s*\+?0*(?:" + "|".join(shared).encode() + rb")\s*</"
            )
            for match in pattern.finditer(data, sheet.body_start, sheet.body_end):
                found.add(bisect_right(sheet.starts, match.start()) - 1)
                if len(found) > MAX_CANDIDATES:
                    break
        if len(found) > MAX_CANDIDATES:
            return None
        keys = list(view.columns)
        out: list[Row] = []
        for index in sorted(i for i in found if i >= 0):
            number = sheet.numbers[index]
            if not view.header_row < number <= last:
                continue
            values = sheet.row_values(number, self._cell_decoder())
            record = {k: values.get(view.columns[k]) for k in keys}
            record.update(dict.fromkeys(view.absent))
            if keep(record.get(key)):  # so not blank: read() has the row
                out.append(Row(number, record))
        return out

    def sheet_title(self, table: str) -> str:
        return self._view(table).sheet.title

    # -- upgrading an older workbook --------------------------------------------------------
    def absent_columns(self) -> dict[str, tuple[str, ...]]:
        """Table → the columns this workbook is older than (read as blank until added)."""
        found = {
            key: tuple(self._view(key).absent)
            for key, table in TABLES.items()
            if table.name in self._found  # a later table: its sheet is added whole
        }
        return {key: columns for key, columns in found.items() if columns}

    def absent_tables(self) -> tuple[str, ...]:
        """The tables added since this workbook was made that it lacks (read as empty until
        ``orderdesk upgrade`` adds their sheets)."""
        return tuple(k for k, table in TABLES.items() if table.name not in self._found)

    def schema_version(self) -> int:
        return workbook_version(self._names.get(NAME_SCHEMA_VERSION))

    def _upgrade_in_memory(self) -> None:
        """A write adds the absent columns first (absent tables wait for ``orderdesk upgrade``)."""
        result = upgraded(self, tables=False)
        if result is None:
            return
        data, _ = result
        # Rows keep their numbers: where each table ends carries over to the upgraded package.
        self._carried = {
            **self._carried,
            **{key: view.last_row for key, view in self._views.items()},
        }
        self._load(data)

    def upgrade(self) -> Upgrade | None:
        """Add the columns and the tables' sheets this workbook lacks and raise its schema
        version, in one write (``orderdesk upgrade``; every write adds the columns first too):
        what was added, or None when the workbook is current (then nothing is written)."""
        result = upgraded(self)
        if result is None:
            return None
        data, added = result
        self.replace_package(data)
        self.last_commit = "patch"
        return added

    def replace_package(self, data: bytes) -> None:
        """Write a whole new package in one atomic save (refused while the workbook is open
        elsewhere) and read on from it."""
        ensure_not_open_elsewhere(self.path)
        try:
            atomic_write_bytes(self.path, data)
        except OSError as exc:
            raise StoreError("store.write_failed", detail=str(exc)) from exc
        self._load(data)

    # -- writing ---------------------------------------------------------------------------
    def commit(self, changes: ChangeSet) -> None:
        if not changes:
            return
        refuse_absent_tables(changes, self._found, str(self.path))
        self._upgrade_in_memory()
        self._validate(changes)
        if changes.deletes:
            self._commit_deletes(changes)
            return
        # Where each table ends, as the file store fixes it when it first looks at a table and
        # then moves it on by its appends only: later commits of this session start from there.
        carried = {key: view.last_row for key, view in self._views.items()}
        while True:
            patch = _Patch(self, changes)
            try:
                data = patch.build()
                break
            except NeedRows as need:  # a row of a packed sheet not read yet: read and redo
                self._need(need)
            except Stale:  # read on while editing: every chunk it needs is read now
                continue
            except Unpatchable as exc:
                self._fallback(changes, str(exc))
                return
        self.replace_package(data)
        self.last_commit = "patch"
        self._carried = {**self._carried, **carried, **patch.appended}

    def _commit_deletes(self, changes: ChangeSet) -> None:
        """Delete rows (renumbering what follows, see :mod:`workbook.xlsx_delete`), then apply
        the rest of the change set to the result: one write, or nothing written."""
        deleted = deleted_rows(changes)
        original, carried_before = self._data, dict(self._carried)
        carried = {key: view.last_row for key, view in self._views.items()}
        replaced: dict[str, bytes] = {}
        patch = _Patch(self, ChangeSet())
        for key, rows in deleted.items():
            view = self._view(key)
            last = carried[key] = view.last_row
            if rows[0] <= view.header_row or rows[-1] > last:
                raise StoreError("store.write_failed", detail=f"{key}: no row {rows[-1]} to delete")
            self._check_deletable(view, rows)
            name = self._package.name(view.sheet.part) or view.sheet.part
            try:
                replaced[name] = delete_rows(self._whole_sheet_xml(view.sheet), rows)
                replaced.update(self._deleted_notes(view.sheet, rows))
            except Unpatchable as exc:
                reason = t("store.delete_why.other", self._lang)
                raise StoreError(
                    "store.cannot_delete", sheet=view.sheet.title, reason=reason
                ) from exc
            patch._resize(view, last - len(rows))
        replaced.update(patch.replaced)
        patch.replaced = replaced
        prepacked: dict[str, tuple[int, Payload, int]] = {}
        patch._pack_whole(prepacked, {})  # the sheets stay in chunks: later actions stay cheap
        if patch._types is not None and patch._types.changed:
            replaced[self._package.name(ContentTypes.NAME) or ContentTypes.NAME] = (
                patch._types.to_bytes()
            )
        data = write_package(self._package, replaced, patch.added, set(), None, prepacked)
        rest = ChangeSet(
            updates=[_moved(u, deleted) for u in changes.updates],
            appends=list(changes.appends),
            marks=[_moved(m, deleted) for m in changes.marks],
            analysis=changes.analysis,
            dashboard=changes.dashboard,
        )
        try:
            self._load(data)
            self._carried = {
                key: last - len(deleted.get(key, ()))
                for key, last in {**self._carried, **carried}.items()
            }
            if rest:
                self.commit(rest)
                return
            ensure_not_open_elsewhere(self.path)
            try:
                atomic_write_bytes(self.path, data)
            except OSError as exc:
                raise StoreError("store.write_failed", detail=str(exc)) from exc
            self.last_commit = "patch"
        except BaseException:
            self._load(original)
            self._carried = carried_before
            raise

    def _notes_parts(self, sheet: _Sheet) -> tuple[str | None, str | None] | None:
        """The sheet's comments and VML parts (None: notes without their drawing)."""
        rels = self._package.rels(sheet.part)
        comments = _first(rels, REL_COMMENTS)
        vml = _first(rels, REL_VML)
        if comments is not None and (vml is None or not self._package.has(vml)):
            return None
        return comments, vml

    def _deleted_notes(self, sheet: _Sheet, rows: list[int]) -> dict[str, bytes]:
        """The sheet's notes parts with the deleted rows' notes gone and the others moved."""
        parts = self._notes_parts(sheet)
        assert parts is not None  # _check_deletable refused that
        comments, vml = parts
        out: dict[str, bytes] = {}
        if comments is None or not any(
            n >= rows[0] for n in note_rows(self._package.read(comments))
        ):
            return out
        out[self._package.name(comments) or comments] = delete_comments(
            self._package.read(comments), rows
        )
        if vml is not None:
            out[self._package.name(vml) or vml] = delete_vml_notes(self._package.read(vml), rows)
        return out

    def _check_deletable(self, view: _View, rows: list[int]) -> None:
        """Refuse (nothing written) a sheet whose rows this store cannot renumber faithfully."""
        sheet = view.sheet
        tables = sum(1 for r in self._package.rels(sheet.part) if r.type == REL_TABLE)
        try:
            why = refusal(self._whole_sheet_xml(sheet), tables)
        except Unpatchable:
            why = "other"
        if why is None and self._notes_parts(sheet) is None:
            why = "notes"
        if why is not None:
            reason = t(f"store.delete_why.{why}", self._lang)
            raise StoreError("store.cannot_delete", sheet=sheet.title, reason=reason)

    def _validate(self, changes: ChangeSet) -> None:
        check_columns(changes, lambda table: self._view(table).columns)
        check_texts(changes, self._lang)
        for item in [*changes.updates, *changes.marks]:
            if not 1 <= item.row <= MAX_ROW:
                raise StoreError(
                    "store.write_failed", detail=f"{item.table}.{item.key}: row {item.row}"
                )

    def _fallback(self, changes: ChangeSet, reason: str) -> None:
        """Commit through openpyxl (the whole workbook loaded and saved): refused when openpyxl
        would drop pictures or flatten rich text anywhere in the workbook."""
        from workbook.fallback_losses import fallback_loss
        from workbook.file_store import FileStore
        from workbook.xstring import load_workbook

        sheets = [(s.title, s.part) for s in self._sheets]
        loss = fallback_loss(self._package, sheets, self._strings_part)
        if loss is not None:
            what, sheet = loss
            raise StoreError(f"store.fallback_{what}", sheet=sheet, detail=reason)

        try:
            wb = load_workbook(io.BytesIO(self._data), rich_text=False)  # text as the file holds
        except Exception as exc:  # openpyxl cannot read what was patched so far
            raise StoreError("store.write_failed", detail=f"{reason}; {exc}") from exc
        reference = FileStore(self.path, wb)
        for key, last in self._carried.items():
            reference._view(key).last_row = last
        reference.commit(changes)
        self.last_commit = f"openpyxl: {reason}"
        self._load(_read(self.path))
        self._carried = {key: view.last_row for key, view in reference._views.items()}


class _Patch:
    """One commit: the parts it changes, built without touching the store until the end."""

    def __init__(self, store: PatchFileStore, changes: ChangeSet) -> None:
        self.store = store
        self.changes = changes
        self.package = store._package
        self.styles = Styles(self.package.read(store._styles_part) if store._styles_part else None)
        self.sheets: dict[str, SheetXml] = {}
        self.touched: dict[str, list[tuple[int, int]]] = {}
        self.formula_overwritten = False
        self.replaced: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self.removed: set[str] = set()
        self._rels: dict[str, RelsEditor] = {}
        self._types: ContentTypes | None = None
        self._notes: dict[str, tuple[Comments, str | None, Vml | None, str | None]] = {}
        self.appended: dict[str, int] = {}  # table → the last row it appended
        self._read_as: dict[str, int] = {}  # part → the partial sheet's version cloned

    # -- cells -----------------------------------------------------------------------------
    def sheet(self, sheet: _Sheet) -> SheetXml:
        found = self.sheets.get(sheet.part)
        if found is None:
            found = self.sheets[sheet.part] = self.store._sheet_xml(sheet).clone()
            partial = self.store._partials.get(sheet.part)
            if partial is not None:
                self._read_as[sheet.part] = partial.version
        return found

    def _cell(self, sheet: SheetXml, row: RowModel, col: int, create: bool) -> CellModel | None:
        cell = row.cells.get(col)
        if cell is None and create:
            style = sheet.empty_cell_style(row, col)
            cell = CellModel(col, [(b"r", f'"{coordinate(row.number, col)}"'.encode())], None, None)
            if style:
                cell.set_attr(b"s", str(style))
            cell.dirty = True
            row.cells[col] = cell
        return cell

    def _check_overwrite(self, sheet: SheetXml, row: int, col: int, cell: CellModel | None) -> None:
        for lo_col, lo_row, hi_col, hi_row in sheet.array_ranges():
            if lo_col <= col <= hi_col and lo_row <= row <= hi_row:
                raise Unpatchable(f"{coordinate(row, col)} is part of an array formula")
        tag = cell.formula_tag() if cell is not None else None
        if tag is not None:
            assert cell is not None
            kind = re.search(rb"\st\s*=\s*[\"'](\w+)[\"']", tag)
            if kind and kind.group(1) not in (b"normal", b"shared"):
                raise Unpatchable(f"{coordinate(row, col)} holds a formula others depend on")
            if kind and kind.group(1) == b"shared" and re.search(rb"\sref\s*=", tag):
                unshare(sheet, row, col, cell, tag)
            self.formula_overwritten = True

    def write(
        self,
        where: _Sheet,
        row_number: int,
        col: int,
        value: Any,
        kind: Kind | None,
        new: bool,
        font: tuple[bool, int] | None = None,
        number_format: str | None = None,
    ) -> None:
        """Write one value as the file store would (its number-format rules), keeping the
        cell's style; a new cell starts from the row's or the column's style, with openpyxl's
        number-format rules. ``font`` and
        ``number_format`` are the dashboard layout's, applied after the value."""
        sheet = self.sheet(where)
        value = cell_value(value, self.store.lang)
        row = sheet.row(row_number)
        assert row is not None
        existing = row.cells.get(col)
        self._check_overwrite(sheet, row_number, col, existing)
        if existing is None and value is None and font is None:
            base = sheet.empty_cell_style(row, col)
            if not new or not base:
                return  # nothing to hold: the file store writes no element either
        cell = self._cell(sheet, row, col, create=True)
        assert cell is not None
        base = cell.style
        style = base
        if value is not None or font is not None:
            fmt = None
            quote = False
            if value is not None:
                # A new cell's number format starts as openpyxl's does, from General (the row's
                # or column's style still gives it its font, fill and borders).
                fmt = self.styles.number_format(base) if existing is not None else "General"
                if isinstance(value, date) and not is_date_format(fmt):
                    fmt = _TIME_FORMATS[datetime if isinstance(value, datetime) else date]
                if (new or fmt == "General") and kind in NUMBER_FORMATS:
                    fmt = NUMBER_FORMATS[kind]  # type: ignore[index]
                quote = isinstance(value, str) and is_formula_like(value)
            style = self.styles.derive(
                base,
                number_format=number_format or fmt,
                quote_prefix=quote,
                font=font,
            )
        data_type, inner = encode_value(value, sheet.prefix.decode(), self.store._epoch)
        cell.set_attr(b"t", data_type)
        cell.set_attr(b"cm", None)
        cell.set_attr(b"vm", None)
        if style != base:
            cell.set_attr(b"s", str(style))
        cell.inner = inner.encode("utf-8") if inner else None
        cell.dirty = True
        self.touched.setdefault(where.part, []).append((row_number, col))

    # -- notes -----------------------------------------------------------------------------
    def rels(self, part: str) -> RelsEditor:
        editor = self._rels.get(part)
        if editor is None:
            name = self.package.name(rels_name(part))
            editor = self._rels[part] = RelsEditor(
                self.package, part, self.package.read(name) if name else None
            )
        return editor

    def types(self) -> ContentTypes:
        if self._types is None:
            self._types = ContentTypes(self.package.read(ContentTypes.NAME))
        return self._types

    def notes(self, where: _Sheet) -> tuple[Comments, Vml | None]:
        found = self._notes.get(where.part)
        if found is None:
            rels = self.package.rels(where.part)
            comments_part = _first(rels, REL_COMMENTS)
            comments = Comments(self.package.read(comments_part) if comments_part else None)
            sheet = self.sheet(where)
            drawing_id = sheet.legacy_drawing_id()
            vml_part = None
            vml = None
            if drawing_id is not None:
                rel = next((r for r in rels if r.id == drawing_id), None)
                if rel is None or rel.type != REL_VML or not self.package.has(rel.target):
                    raise Unpatchable("the sheet's legacy drawing is missing")
                vml_part = rel.target
                vml = Vml(self.package.read(vml_part))
            found = self._notes[where.part] = (comments, comments_part, vml, vml_part)
        comments, _, vml, _ = found
        return comments, vml

    def mark(self, where: _Sheet, row_number: int, col: int, note: str | None) -> None:
        sheet = self.sheet(where)
        ref = coordinate(row_number, col)
        comments, vml = self.notes(where)
        row = sheet.row(row_number)
        assert row is not None
        ours = not comments.has(ref) or note_is_ours(comments.author(ref), comments.text(ref))
        if note is None:
            if comments.has(ref) and ours:
                comments.remove(ref)
                if vml is not None:
                    vml.remove_note(row_number - 1, col - 1)
            cell = row.cells.get(col)
            if cell is not None and self.styles.fill_rgb(cell.style) == MARK_COLOR:
                self._set_style(cell, self.styles.derive(cell.style, no_fill=True))
                self.touched.setdefault(where.part, []).append((row_number, col))
            return
        # A note someone else wrote stays: the finding is still in the order's findings.
        if ours:
            comments.put(ref, NOTE_AUTHOR, note_text(note))
            if vml is None:
                vml = self._new_vml(where)
            vml.add_note(row_number - 1, col - 1, *note_size(note))
        cell = self._cell(sheet, row, col, create=True)
        assert cell is not None
        self._set_style(cell, self.styles.derive(cell.style, fill_rgb=MARK_COLOR))
        self.touched.setdefault(where.part, []).append((row_number, col))

    @staticmethod
    def _set_style(cell: CellModel, style: int) -> None:
        if style != cell.style:
            cell.set_attr(b"s", str(style))

    def _new_vml(self, where: _Sheet) -> Vml:
        taken = [n for name in self.package.names() if name.lower().endswith(".vml")
                 for n in idmaps(self.package.read(name))]  # fmt: skip
        taken += [n for data in self.added.values() for n in idmaps(data)]
        vml = Vml(new_vml(max([0, *taken]) + 1))
        comments, comments_part, _, _ = self._notes[where.part]
        self._notes[where.part] = (comments, comments_part, vml, None)
        return vml

    def _finish_notes(self) -> None:
        for part, (comments, comments_part, vml, vml_part) in self._notes.items():
            where = next(s for s in self.store._sheets if s.part == part)
            sheet = self.sheet(where)
            rels = self.rels(part)
            types = self.types()
            if comments.changed:
                if comments.empty():
                    if comments_part is not None:
                        self._remove_part(comments_part, rels)
                elif comments_part is None:
                    name = _free_name(self.package, self.added, "xl/comments{}.xml")
                    self.added[name] = comments.to_bytes()
                    rels.add(REL_COMMENTS, name)
                    types.add_override(name, COMMENTS_TYPE)
                else:
                    self.replaced[self.package.name(comments_part) or comments_part] = (
                        comments.to_bytes()
                    )
            if vml is None or not vml.changed:
                continue
            if not vml.has_shapes():
                if vml_part is not None:
                    self._remove_part(vml_part, rels)
                    sheet.remove_legacy_drawing()
            elif vml_part is None:
                name = _free_name(self.package, self.added, "xl/drawings/vmlDrawing{}.vml")
                self.added[name] = vml.data
                sheet.add_legacy_drawing(rels.add(REL_VML, name))
                if types.content_type(name) is None:
                    types.ensure_default("vml", VML_TYPE)
            else:
                self.replaced[self.package.name(vml_part) or vml_part] = vml.data

    def _remove_part(self, part: str, rels: RelsEditor | None) -> None:
        name = self.package.name(part)
        if name is not None:
            self.removed.add(name)
        if rels is not None:
            for rel in self.package.rels(rels.part):
                if rel.target == part:
                    rels.remove(rel.id)
        self.types().remove_override(part)

    # -- the whole change set --------------------------------------------------------------
    def build(self) -> bytes:
        store, changes = self.store, self.changes
        for up in changes.updates:
            view = store._view(up.table)
            kind = view.table.column(up.key).kind
            self.write(view.sheet, up.row, view.columns[up.key], up.value, kind, new=False)
        last = self.appended
        for key, count in Counter(a.table for a in changes.appends).items():
            view = store._view(key)
            if view.totals and view.last_row + count > view.data_end:
                self._move_totals(view, view.last_row + count - view.data_end)
        for append in changes.appends:
            view = store._view(append.table)
            number = last[append.table] = last.get(append.table, view.last_row) + 1
            if number > MAX_ROW:
                raise StoreError("store.write_failed", detail=f"{append.table}: sheet full")
            for key in view.table.column_keys:
                kind = view.table.column(key).kind
                value = append.values.get(key)
                self.write(view.sheet, number, view.columns[key], value, kind, new=True)
        for key, number in last.items():
            self._resize(store._view(key), number)
        for mark in changes.marks:
            view = store._view(mark.table)
            self.mark(view.sheet, mark.row, view.columns[mark.key], mark.note)
        if changes.analysis is not None:
            self._analysis(changes.analysis)
        if changes.dashboard is not None:
            self._dashboard(changes.dashboard)
        self._finish_notes()
        return self._assemble()

    def _move_totals(self, view: _View, shift: int) -> None:
        """Move Excel's Total Row down by ``shift`` rows, as Excel does when rows are added to
        the table: the table's cells of the rows below it must be blank (nothing overwritten)."""
        sheet = self.sheet(view.sheet)
        columns = range(view.min_col, view.max_col + 1)
        for number in range(view.ref_max_row + 1, view.ref_max_row + shift + 1):
            values = self.store._row_values(view.sheet, number)
            if not view._blank(values):
                raise StoreError(
                    "store.below_totals", sheet=view.sheet.title, row=number, table=view.key
                )
        for number in range(view.ref_max_row, view.data_end, -1):
            old = sheet.row(number)
            assert old is not None
            new = sheet.row(number + shift)
            assert new is not None
            for col in columns:
                cell = old.cells.pop(col, None)
                if cell is None:
                    continue
                self._check_overwrite(sheet, number, col, cell)  # and drops the calculation chain
                if b"shared" in (cell.formula_tag() or b""):
                    raise Unpatchable("a shared formula in the table's total row")
                cell.set_attr(b"r", coordinate(number + shift, col))
                new.cells[col] = cell
                old.dirty = new.dirty = True
                self.touched.setdefault(view.sheet.part, []).append((number + shift, col))

    def _resize(self, view: _View, last: int) -> None:
        last = max(last, view.header_row + 1)
        part = view.where.part
        data = self.package.read(part)
        pieces: list[bytes] = []
        position = 0
        seen_table = False
        for match in _TABLE_TAG.finditer(data):
            name = match.group(1)
            if name == b"table":
                if seen_table:
                    continue
                seen_table = True
            attrs = match.group(2)
            # The table's range holds its Total Row too; its filter covers the data rows only.
            end = last + view.totals if name == b"table" else last
            ref = (
                f"{get_column_letter(view.min_col)}{view.header_row}:"
                f"{get_column_letter(view.max_col)}{end}"
            )
            found = _REF.search(attrs)
            if found is None:
                if name == b"table":
                    raise Unpatchable("a table without its range")
                continue
            start = match.start(2) + found.start(3)
            pieces += [data[position:start], ref.encode()]
            position = match.start(2) + found.end(3)
        pieces.append(data[position:])
        self.replaced[self.package.name(part) or part] = b"".join(pieces)

    def _sheet_titled(self, key: str) -> _Sheet:
        title = t(f"sheet.{key}", self.store.lang)
        where = next((s for s in self.store._sheets if s.title == title), None)
        if where is None:
            raise Unpatchable(f"no {key} sheet to write to")
        return where

    def _dashboard(self, blocks: list[CellBlock]) -> None:
        """Values into the dashboard's fixed blocks, each cell keeping its style; a dashboard
        without that layout is built by the file store (it adds the charts)."""
        if NAME_DASHBOARD not in self.store._names:
            raise Unpatchable("the dashboard sheet has no tiles and charts yet")
        where = self._sheet_titled("dashboard")
        for block in blocks:
            for r, values in enumerate(block.values, start=block.top):
                for c, value in enumerate(values, start=block.left):
                    self.write(where, r, c, value, None, new=False)

    def _analysis(self, grid: list[list[Any]]) -> None:
        where = self._sheet_titled("analysis")
        sheet = self.sheet(where)
        for number in sheet.numbers:
            row = sheet.row(number)
            assert row is not None
            for col, cell in list(row.cells.items()):
                self._check_overwrite(sheet, number, col, cell)
            row.cells.clear()
            row.dirty = True
        sheet.replace_body = True
        plan = layout(grid)  # the same layout the file store applies
        for r, values in enumerate(grid, start=1):
            size = plan.bold.get(r)
            for c, value in enumerate(values, start=1):
                font = (True, size) if size is not None else None
                fmt = plan.formats.get((r, c))
                self.write(where, r, c, value, None, new=True, font=font, number_format=fmt)
        sheet.set_column_widths(plan.widths)
        for number, row in list(sheet.rows.items()):
            if not row.cells and all(k in (b"r", b"spans") for k, _ in row.attrs):
                del sheet.rows[number]

    def _assemble(self) -> bytes:
        skeletons: dict[str, bytes] = {}
        prepacked: dict[str, tuple[int, Payload, int]] = {}
        indexes: dict[str, bytes] = {}
        for part, sheet in self.sheets.items():
            sheet.extend_dimension(self.touched.get(part, []))
            if not sheet.changed:
                continue
            name = self.package.name(part) or part
            partial = self.store._partials.get(part)
            if partial is None:
                self.replaced[name], skeletons[name] = sheet.render()
                continue
            if partial.version != self._read_as[part]:
                raise Stale(part)  # chunks were read after the edit began: begin again
            rendered, skeletons[name], landed = sheet.render_cut(partial.cuts)
            try:
                result = partial.rewrite(rendered, landed, self.store._cell_decoder())
            except ValueError as exc:
                raise Unpatchable(f"{name}: {exc}") from exc
            if result is not None:
                raw, index = result
                prepacked[name] = (index.crc, raw, index.size)
                indexes[index_name(name)] = index.to_bytes()
        self._pack_whole(prepacked, indexes)
        if self.styles.changed and self.store._styles_part:
            self.replaced[self.package.name(self.store._styles_part) or ""] = self.styles.to_bytes()
        if self.formula_overwritten:
            # Excel rebuilds the calculation chain; a stale one makes it report damage.
            chain = _first(self.package.rels(self.store._workbook_part), REL_CALC_CHAIN)
            if chain is not None:
                self._remove_part(chain, self.rels(self.store._workbook_part))
        for editor in self._rels.values():
            if editor.changed:
                name = self.package.name(editor.name)
                if name is None:
                    self.added[editor.name] = editor.to_bytes()
                else:
                    self.replaced[name] = editor.to_bytes()
        if any(name.endswith(".rels") for name in self.added):
            self.types().ensure_default("rels", RELS_TYPE)
        if self._types is not None and self._types.changed:
            self.replaced[self.package.name(ContentTypes.NAME) or ContentTypes.NAME] = (
                self._types.to_bytes()
            )
        parts = {**self.replaced, **self.added}
        compressing = deflate_all(parts)  # in threads, while the parts are checked here
        for name in prepacked:
            if name in skeletons and not _well_formed(skeletons[name]):
                raise Unpatchable(f"patched part {name} would not be well-formed XML")
        for name, content in parts.items():
            if name in indexes:
                continue
            content = skeletons.get(name, content)  # a worksheet: what this edit wrote
            if name.lower().endswith(".vml"):
                original = self.package.read(name) if self.package.has(name) else None
                if original is not None and not _well_formed(original):
                    continue  # Excel's VML need not be XML; it was edited shape by shape
            if not _well_formed(content):  # a defect here: let openpyxl write this one
                raise Unpatchable(f"patched part {name} would not be well-formed XML")
        return write_package(
            self.package,
            self.replaced,
            self.added,
            self.removed,
            compressing.result(),
            prepacked,
        )

    def _pack_whole(
        self, prepacked: dict[str, tuple[int, Payload, int]], indexes: dict[str, bytes]
    ) -> None:
        """Write large sheets of order rows in chunks with their index (see
        :mod:`workbook.sheet_chunks`): those this edit rewrote whole, and those read whole
        that have no index yet. Adds the index parts to what is written."""
        store = self.store
        for part, table in store._order_tables().items():
            name = self.package.name(part) or part
            if name in prepacked:
                continue
            if name in self.replaced:
                if len(self.replaced[name]) < sheet_chunks.PACK_FROM:
                    continue
                try:
                    sheet = SheetXml(self.replaced[name])
                except Unpatchable:
                    continue
            elif store._partial(part) is None and part in store._xml:
                sheet = store._xml[part]  # read whole, unchanged: its index is at hand
                if sheet.stripped:
                    continue  # its XML comments would go: only an edit of it drops them
            else:
                continue
            texts = pieces(sheet) if packable(sheet) else None
            if texts is None:
                continue
            col = store._view(table).columns["order_no"]
            decoder = store._cell_decoder()
            keys = [group_keys(sheet, group, col, decoder) for group in texts[1:-1]]
            raw, chunks = pack(texts)
            try:
                index = pack_index(chunks, texts, keys, col)
            except ValueError:  # rows this module cannot number (r='5'): kept whole
                continue
            self.replaced.pop(name, None)
            prepacked[name] = (index.crc, raw, index.size)
            indexes[index_name(name)] = index.to_bytes()
        for name, data in indexes.items():
            if self.package.has(name):
                self.replaced[self.package.name(name) or name] = data
            else:
                self.added[name] = data
                self.types().add_override(name, INDEX_TYPE)


def _moved(item: Any, deleted: dict[str, list[int]]) -> Any:
    """An update or mark naming a row as read, moved to where the row is after the deletion."""
    rows = deleted.get(item.table)
    if not rows:
        return item
    row = shift(item.row, rows)
    assert row is not None  # deleted_rows refused an update or mark on a deleted row
    if isinstance(item, CellUpdate):
        return CellUpdate(item.table, row, item.key, item.value)
    assert isinstance(item, CellMark)
    return CellMark(item.table, row, item.key, item.note)


@functools.cache
def _unsearchable(prefix: bytes) -> re.Pattern[bytes]:
    """A formula (``<f``) or a rich-text run (``<r>``, ``<r .../>``) in a sheet's rows: a value
    the byte search could miss (computed, or split across runs); one scan finds either."""
    return re.compile(rb"<" + re.escape(prefix) + rb"(?:f|r[> /])")


def _well_formed(data: bytes) -> bool:
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return False
    return True


def _free_name(package: Package, added: dict[str, bytes], pattern: str) -> str:
    taken = {n.lower() for n in [*package.names(), *added]}
    n = 1
    while pattern.format(n).lower() in taken:
        n += 1
    return pattern.format(n)


def _first(rels: Any, rel_type: str) -> str | None:
    for rel in rels:
        if rel.type == rel_type and not rel.external:
            return rel.target
    return None


def _defined(names: dict[str, str], name: str) -> str | None:
    value = names.get(name)
    return None if value is None else value.strip().strip('"')


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError("store.not_xlsx", path=str(path), detail=str(exc)) from exc
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise StoreError("store.not_xlsx", path=str(path), detail="not a zip file")
    return data
