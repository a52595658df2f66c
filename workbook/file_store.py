"""The master workbook as a file, through openpyxl: the store of the command line and the tests.

One load per action, one atomic save: the file is read whole (the .xlsx format allows no
less), the action's change set is validated against the tables before anything is touched,
applied to the loaded workbook, and the workbook is written to a temporary file and renamed
over the original, the previous version kept as a backup.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.cell_range import MultiCellRange

from addin.core.schema import NAME_LANG, NAME_SCHEMA_VERSION, NUMBER_FORMATS, SCHEMA_VERSION, TABLES
from addin.core.schema_history import LATER_TABLES, Upgrade, split_missing, workbook_version
from addin.i18n import Lang, normalize_lang, t
from workbook import dashboard_sheet
from workbook.analysis_layout import layout, print_one_page_wide
from workbook.cell_values import MARK_COLOR, NOTE_AUTHOR, cell_value, note_is_ours, note_text
from workbook.dashboard_blocks import NAME_DASHBOARD
from workbook.headers import is_formula_like, map_headers
from workbook.safe_save import atomic_write_bytes, ensure_not_open_elsewhere, held
from workbook.sheet_protection import inherit_protection
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
from workbook.upgrade_openpyxl import add_columns, add_tables, set_version
from workbook.xlsx_delete import shift, shift_sqref
from workbook.xstring import escape, load_workbook, read_value

MARK_FILL = PatternFill("solid", fgColor=MARK_COLOR)
NO_FILL = PatternFill(fill_type=None)


class _TableView:
    """Where one table lives in the loaded workbook."""

    def __init__(self, ws: Any, listobject: Any, key: str, path: Path, version: int) -> None:
        self.ws = ws
        self.lo = listobject
        self.table = TABLES[key]
        min_col, min_row, max_col, max_row = range_boundaries(listobject.ref)
        self.min_col, self.header_row, self.max_col = min_col, min_row, max_col
        headers = [ws.cell(row=min_row, column=c).value for c in range(min_col, max_col + 1)]
        positions, missing = map_headers(self.table, headers)
        # Columns newer than the workbook read as blank until a write adds them.
        self.absent, required = split_missing(key, missing, version)
        if required:
            label = self.table.column(required[0]).label(key, "zh")
            raise StoreError("store.missing_column", sheet=ws.title, column=label, path=str(path))
        self.columns = {k: min_col + p for k, p in positions.items()}
        # Excel's Total Row ends the range: data rows end above it, and nothing below belongs.
        self.totals = listobject.totalsRowCount or 0
        self.ref_max_row = max_row
        self.data_end = max_row - self.totals
        self.last_row = self._extent(max_row)

    def _extent(self, ref_max_row: int) -> int:
        """The last non-blank row: the table's range, plus rows typed just below it."""
        last = self.header_row
        for r, values in enumerate(
            self.ws.iter_rows(
                min_row=self.header_row + 1,
                max_row=self.data_end if self.totals else None,
                min_col=self.min_col,
                max_col=self.max_col,
                values_only=True,
            ),
            start=self.header_row + 1,
        ):
            if any(v is not None and v != "" for v in values):
                last = r
            elif r > ref_max_row:
                break
        return last

    def make_room(self, count: int) -> None:
        """Before ``count`` rows are appended: move Excel's Total Row down as Excel does, when
        the table's cells below it are blank (nothing is overwritten)."""
        shift = self.last_row + count - self.data_end
        if not self.totals or shift <= 0:
            return
        for r in range(self.ref_max_row + 1, self.ref_max_row + shift + 1):
            for c in range(self.min_col, self.max_col + 1):
                if self.ws.cell(row=r, column=c).value not in (None, ""):
                    raise StoreError(
                        "store.below_totals", sheet=self.ws.title, row=r, table=self.table.key
                    )
        first, last = get_column_letter(self.min_col), get_column_letter(self.max_col)
        self.ws.move_range(f"{first}{self.data_end + 1}:{last}{self.ref_max_row}", rows=shift)
        self.data_end += shift
        self.ref_max_row += shift

    def rows(self) -> list[Row]:
        if self.last_row <= self.header_row:
            return []
        keys = list(self.columns)
        offsets = [self.columns[k] - self.min_col for k in keys]
        out: list[Row] = []
        for r, values in enumerate(
            self.ws.iter_rows(
                min_row=self.header_row + 1,
                max_row=self.last_row,
                min_col=self.min_col,
                max_col=self.max_col,
                values_only=True,
            ),
            start=self.header_row + 1,
        ):
            # Cells hold the file's text (escaped, see workbook.xstring): read as Excel reads it.
            record = {k: read_value(values[o]) for k, o in zip(keys, offsets, strict=True)}
            record.update(dict.fromkeys(self.absent))
            if any(v is not None and v != "" for v in record.values()):
                out.append(Row(r, record))
        return out

    def resize(self) -> None:
        last = max(self.last_row, self.header_row + 1)
        first = (
            f"{get_column_letter(self.min_col)}{self.header_row}:{get_column_letter(self.max_col)}"
        )
        self.lo.ref = f"{first}{last + self.totals}"  # the Total Row stays the range's last
        if self.lo.autoFilter is not None:
            self.lo.autoFilter.ref = f"{first}{last}"


class FileStore:
    """Store over an .xlsx file. Use :meth:`open`; ``write=True`` holds the file for the action."""

    def __init__(self, path: Path, wb: Any) -> None:
        self.path = path
        self.wb = wb
        self._views: dict[str, _TableView] = {}
        self._lang: Lang = normalize_lang(_defined_value(wb, NAME_LANG) or "zh")
        version = _defined_value(wb, NAME_SCHEMA_VERSION)
        self._version = workbook_version(version)
        if version is not None and version.isdigit() and int(version) > SCHEMA_VERSION:
            raise StoreError("store.newer_schema", found=version, supported=SCHEMA_VERSION)
        self._locate_tables()

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path | str, write: bool = False) -> Iterator[FileStore]:
        with held(path, write) as held_path:
            yield cls(held_path, _load(held_path))

    @property
    def lang(self) -> Lang:
        return self._lang

    def _locate_tables(self) -> None:
        found: dict[str, tuple[Any, Any]] = {}
        for ws in self.wb.worksheets:
            for name in ws.tables:
                found[name] = (ws, ws.tables[name])
        self._found = found
        for table in TABLES.values():
            if table.name not in found and table.key not in LATER_TABLES:
                raise StoreError("store.not_master", table=table.name, path=str(self.path))

    def _view(self, key: str) -> _TableView:
        view = self._views.get(key)
        if view is None:
            ws, lo = self._found[TABLES[key].name]
            view = self._views[key] = _TableView(ws, lo, key, self.path, self._version)
        return view

    def read(self, table: str) -> list[Row]:
        if TABLES[table].name not in self._found:  # a later table an older workbook lacks
            return []
        return self._view(table).rows()

    def sheet_title(self, table: str) -> str:
        return self._view(table).ws.title

    # -- writing -------------------------------------------------------------------------
    def absent_tables(self) -> tuple[str, ...]:
        """The tables added since this workbook was made that it lacks."""
        return tuple(k for k, table in TABLES.items() if table.name not in self._found)

    def upgrade(self, tables: bool = True) -> Upgrade:
        """Add the columns this (older) workbook lacks to the loaded workbook, and with
        ``tables`` the sheets of the tables it lacks, and raise its schema version; what was
        added. Every commit adds the columns first (absent tables wait for an upgrade)."""
        added: list[tuple[str, str]] = []
        absent_tables = self.absent_tables() if tables else ()
        if self._version >= SCHEMA_VERSION and not absent_tables:
            return Upgrade()
        if absent_tables:  # first: it may refuse, and then nothing has changed
            add_tables(self.wb, absent_tables, self._found, self._lang)
        for key in TABLES:
            if TABLES[key].name not in self._found:  # a later table, left absent by a write
                continue
            view = self._view(key)
            if view.absent:
                add_columns(view.ws, view.lo, key, tuple(view.absent), self._lang)
                added += [(key, c) for c in view.absent]
        set_version(self.wb)
        self._version = SCHEMA_VERSION
        # Rows keep their numbers: the views are found again with the new columns.
        last = {key: view.last_row for key, view in self._views.items()}
        self._views = {}
        for key, row in last.items():
            self._view(key).last_row = row
        return Upgrade(tuple(added), absent_tables)

    def commit(self, changes: ChangeSet) -> None:
        if not changes:
            return
        refuse_absent_tables(changes, self._found, str(self.path))
        self.upgrade(tables=False)
        self._validate(changes)
        self.apply(changes)
        ensure_not_open_elsewhere(self.path)
        buffer = io.BytesIO()
        try:
            self.wb.save(buffer)
            atomic_write_bytes(self.path, buffer.getvalue())
        except OSError as exc:
            raise StoreError("store.write_failed", detail=str(exc)) from exc

    def _validate(self, changes: ChangeSet) -> None:
        check_columns(changes, lambda table: self._view(table).columns)
        check_texts(changes, self._lang)

    def apply(self, changes: ChangeSet) -> None:
        """Apply a change set to the loaded workbook (without saving)."""
        if changes.deletes:
            changes = self._delete(changes)
        for up in changes.updates:
            view = self._view(up.table)
            self._put(view, up.row, up.key, up.value)
        touched: set[str] = set()
        for key, count in Counter(a.table for a in changes.appends).items():
            self._view(key).make_room(count)
        for append in changes.appends:
            view = self._view(append.table)
            view.last_row += 1
            for key in view.table.column_keys:
                self._put(view, view.last_row, key, append.values.get(key), new=True)
            touched.add(append.table)
        for key in touched:
            self._view(key).resize()
        for mark in changes.marks:
            view = self._view(mark.table)
            cell = view.ws.cell(row=mark.row, column=view.columns[mark.key])
            _set_mark(cell, mark.note)
        if changes.analysis is not None:
            self._write_analysis(changes.analysis)
        if changes.dashboard is not None:
            self._write_dashboard(changes.dashboard)

    def _delete(self, changes: ChangeSet) -> ChangeSet:
        """Delete rows whole, as Excel does (what follows moves up: cells with their notes,
        row heights, format and validation ranges, the table's range); the rest of the change
        set with its rows moved to match. A sheet openpyxl cannot renumber faithfully is
        refused before anything changes."""
        deleted = deleted_rows(changes)
        for key, rows in deleted.items():
            view = self._view(key)
            if rows[0] <= view.header_row or rows[-1] > view.last_row:
                raise StoreError("store.write_failed", detail=f"{key}: no row {rows[-1]} to delete")
            why = _delete_refusal(view.ws)
            if why is not None:
                reason = t(f"store.delete_why.{why}", self.lang)
                raise StoreError("store.cannot_delete", sheet=view.ws.title, reason=reason)
        for key, rows in deleted.items():
            view = self._view(key)
            ws = view.ws
            heights = {n: d for n, d in ws.row_dimensions.items() if n >= rows[0]}
            for number in reversed(rows):
                ws.delete_rows(number)
            for number in sorted(heights):
                moved = shift(number, rows)
                del ws.row_dimensions[number]
                if moved is not None:
                    heights[number].index = moved
                    ws.row_dimensions[moved] = heights[number]
            formats = ws.conditional_formatting._cf_rules  # keyed by range: re-keyed
            for cf, rules in list(formats.items()):
                del formats[cf]
                moved = shift_sqref(str(cf.sqref), rows)
                if moved is not None:  # one left without cells goes, as in Excel
                    cf.sqref = MultiCellRange(moved)
                    formats[cf] = rules
            validations = ws.data_validations.dataValidation
            for dv in list(validations):
                moved = shift_sqref(str(dv.sqref), rows)
                if moved is None:
                    validations.remove(dv)
                else:
                    dv.sqref = MultiCellRange(moved)
            view.last_row -= len(rows)
            view.resize()

        def moved(item: Any) -> Any:
            rows = deleted.get(item.table)
            row = shift(item.row, rows) if rows else item.row
            if isinstance(item, CellUpdate):
                return CellUpdate(item.table, row, item.key, item.value)  # type: ignore[arg-type]
            return CellMark(item.table, row, item.key, item.note)  # type: ignore[arg-type]

        return ChangeSet(
            updates=[moved(u) for u in changes.updates],
            appends=changes.appends,
            marks=[moved(m) for m in changes.marks],
            analysis=changes.analysis,
            dashboard=changes.dashboard,
        )

    def _put(self, view: _TableView, row: int, key: str, value: Any, new: bool = False) -> None:
        cell = view.ws.cell(row=row, column=view.columns[key])
        if value is not None and not cell.has_style:
            # New (or made by a read): in a protected sheet's input column it stays unlocked,
            # as Excel shows it (a blank cell needs no element: its column's style shows).
            inherit_protection(view.ws, cell)
        write_cell(cell, value, self._lang)
        kind = view.table.column(key).kind
        if (
            (new or cell.number_format == "General")
            and kind in NUMBER_FORMATS
            and value is not None
        ):
            cell.number_format = NUMBER_FORMATS[kind]

    def _write_analysis(self, grid: list[list[Any]]) -> None:
        title = t("sheet.analysis", self._lang)
        if title in self.wb.sheetnames:
            ws = self.wb[title]
        else:
            after = t("sheet.dashboard", self._lang)
            index = self.wb.sheetnames.index(after) + 1 if after in self.wb.sheetnames else None
            ws = self.wb.create_sheet(title, index)
            print_one_page_wide(ws)
        ws.delete_rows(1, ws.max_row)
        for r, values in enumerate(grid, start=1):
            for c, value in enumerate(values, start=1):
                write_cell(ws.cell(row=r, column=c), value, self._lang)
        plan = layout(grid)
        for r, size in plan.bold.items():
            for c in range(1, len(grid[r - 1]) + 1):
                ws.cell(row=r, column=c).font = Font(bold=True, size=size)
        for (r, c), number_format in plan.formats.items():
            ws.cell(row=r, column=c).number_format = number_format
        for c, width in plan.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = width

    def _write_dashboard(self, blocks: list[CellBlock]) -> None:
        ws = self._dashboard_sheet()
        for block in blocks:
            for r, values in enumerate(block.values, start=block.top):
                for c, value in enumerate(values, start=block.left):
                    write_cell(ws.cell(row=r, column=c), value, self._lang)

    def _dashboard_sheet(self) -> Any:
        """The dashboard sheet, built anew (tiles, tables, charts) in a workbook made before it
        had that layout: whatever an older version wrote there is replaced."""
        title = t("sheet.dashboard", self._lang)
        if NAME_DASHBOARD in self.wb.defined_names and title in self.wb.sheetnames:
            return self.wb[title]
        index = None
        if title in self.wb.sheetnames:
            index = self.wb.sheetnames.index(title)
            self.wb.remove(self.wb[title])
        ws = self.wb.create_sheet(title, index)
        dashboard_sheet.build(self.wb, ws, self._lang)
        return ws


def write_cell(cell: Any, value: Any, lang: Lang) -> None:
    """Write one value as the workbook should hold it (labels, numbers, text never formulas)."""
    value = cell_value(value, lang)
    cell.value = escape(value) if isinstance(value, str) else value
    if isinstance(value, str) and is_formula_like(value):
        cell.data_type = "s"  # openpyxl would otherwise write "=..." as a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited


def _set_mark(cell: Any, note: str | None) -> None:
    ours = cell.comment is None or note_is_ours(cell.comment.author, read_value(cell.comment.text))
    if note is None:
        if cell.comment is not None and ours:
            cell.comment = None
        if (
            cell.fill is not None
            and cell.fill.fgColor is not None
            and cell.fill.fgColor.rgb == MARK_COLOR
        ):
            cell.fill = NO_FILL
        return
    if ours:  # a person's note stays: the finding is in the order's findings too
        text = note_text(note)
        comment = Comment(escape(text), NOTE_AUTHOR)
        comment.width = 300
        comment.height = max(60, 20 * (1 + text.count("\n")) + len(text) // 2)
        cell.comment = comment
    cell.fill = MARK_FILL


def _defined_value(wb: Any, name: str) -> str | None:
    defined = wb.defined_names.get(name)
    if defined is None:
        return None
    return str(defined.attr_text).strip().strip('"')


def _load(path: Path) -> Any:
    try:
        return load_workbook(path, rich_text=False)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        SyntaxError,  # a damaged XML part inside an intact zip (ElementTree's and lxml's errors)
    ) as exc:
        raise StoreError("store.not_xlsx", path=str(path), detail=str(exc)) from exc


def _delete_refusal(ws: Any) -> str | None:
    """Why openpyxl cannot delete rows of this sheet faithfully (a catalogue key's last part)."""
    if len(ws.tables) != 1:
        return "tables"
    if ws.merged_cells.ranges:
        return "merged"
    if ws._images or ws._charts:
        return "drawings"
    if ws.row_breaks.brk:
        return "breaks"
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                return "formulas"
            if cell.hyperlink is not None:
                return "hyperlinks"
    return None
