"""The master workbook open in Excel, through xlwings: the store of the ribbon.

It behaves as :class:`workbook.file_store.FileStore` does: tables are found by their ListObject
name on any sheet, headers are mapped in either language, rows typed just below a table belong to
it, values are written as :func:`workbook.cell_values.cell_value` gives them, marks are a fill
colour and a note. What differs is the cost model: every xlwings call is a round trip to Excel, so
each table is read once, in one block, and kept; a commit writes only the cells whose value
changes (neighbouring cells of a row as one block, the appended rows of a table as one block per
run of adjacent columns). Excel has no transactions: the whole change set is validated and
converted before the first write, so a change set that is wrong writes nothing.

xlwings is imported only by :meth:`XlwingsStore.active`, so importing this module stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from addin.core.schema import NAME_LANG, NAME_SCHEMA_VERSION, NUMBER_FORMATS, SCHEMA_VERSION, TABLES
from addin.core.schema_history import LATER_TABLES, split_missing, workbook_version
from addin.i18n import Lang, normalize_lang, t
from workbook.analysis_layout import Layout, layout
from workbook.cell_values import MARK_COLOR, cell_value, excel_literal, note_is_ours, note_text
from workbook.dashboard_blocks import NAME_DASHBOARD
from workbook.headers import map_headers
from workbook.store import (
    CellBlock,
    CellMark,
    ChangeSet,
    Row,
    StoreError,
    check_columns,
    check_texts,
    refuse_absent_tables,
)
from workbook.xlwings_protection import lifted

if TYPE_CHECKING:
    import xlwings as xw

MARK_RGB = (int(MARK_COLOR[2:4], 16), int(MARK_COLOR[4:6], 16), int(MARK_COLOR[6:8], 16))
READ_MARGIN = 64  # rows read below a table with it, to catch rows typed under the table
MAX_ROWS = 1_048_576
_UNKNOWN = object()  # a cell the store has not read


def order_key(value: Any) -> str:
    """An order number cell as the rules read it ("" for none): rows are matched by it."""
    from addin.core.parse import CellError, convert  # here: importing the ribbon stays light

    try:
        found = convert(TABLES["orders"], "order_no", value)
    except CellError:
        return ""
    return str(found) if found is not None else ""


def _filled(value: Any) -> bool:
    return value is not None and value != "" and value is not _UNKNOWN


def _as_read(value: Any) -> Any:
    """A value as reading the cell back gives it, in the types FileStore reads.

    Excel hands every number over as a float; openpyxl reads whole numbers as int.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _same(old: Any, new: Any) -> bool:
    """Whether writing ``new`` over a cell holding ``old`` would leave the same value."""
    if not _filled(old) and not _filled(new):
        return True
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, date) and isinstance(new, date):
        # Excel keeps times as fractions of a day: compare to the millisecond.
        return abs(_as_read(old) - _as_read(new)) < timedelta(milliseconds=1)
    if isinstance(old, int | float) and isinstance(new, int | float):
        return old == new
    return type(old) is type(new) and old == new


def _runs(cells: dict[int, Any]) -> list[tuple[int, list[Any]]]:
    """Group values by column into runs of adjacent columns: [(first column, values)]."""
    runs: list[tuple[int, list[Any]]] = []
    for col in sorted(cells):
        if runs and runs[-1][0] + len(runs[-1][1]) == col:
            runs[-1][1].append(cells[col])
        else:
            runs.append((col, [cells[col]]))
    return runs


class _TableView:
    """One table as read from Excel: where it is, its columns, and its cells, read in one block."""

    def __init__(
        self,
        sheet: xw.Sheet,
        listobject: xw.main.Table,
        key: str,
        path: str,
        version: int,
        partial: bool = False,
    ) -> None:
        self.sheet = sheet
        self.lo = listobject
        self.table = TABLES[key]
        rng = listobject.range
        self.header_row, self.min_col = rng.row, rng.column
        nrows, ncols = rng.shape
        self.max_col = self.min_col + ncols - 1
        self.ref_last_row = self.header_row + nrows - 1
        # Excel's Total Row ends the range: data rows end above it, and nothing below belongs.
        self.totals = 1 if listobject.show_totals else 0
        # Rows from the header row down, columns of the table; None: a row not read (partial).
        self.grid: list[list[Any] | None] = []
        self.complete = not partial
        self.keys: dict[int, Any] | None = None  # the order number column, by row (partial)
        self.last_row = self._load() if not partial else self._load_ends()
        positions, missing = map_headers(self.table, list(self.grid[0] or []))
        # Columns newer than the workbook read as blank; writing them needs `orderdesk upgrade`.
        self.absent, required = split_missing(key, missing, version)
        if required:
            label = self.table.column(required[0]).label(key, "zh")
            raise StoreError("store.missing_column", sheet=sheet.name, column=label, path=path)
        self.columns = {k: self.min_col + p for k, p in positions.items()}

    def _read(self, first: int, last: int) -> list[list[Any]]:
        last = min(last, MAX_ROWS)
        block = self.sheet.range((first, self.min_col), (last, self.max_col))
        values = block.options(ndim=2, err_to_str=True).value
        return [[_as_read(v) for v in row] for row in values]

    def _load(self) -> int:
        """Read the table and the rows below it; return the last non-blank row."""
        self.grid = self._read(self.header_row, self.ref_last_row + READ_MARGIN)
        while True:
            last, complete = self._extent()
            end = self.header_row + len(self.grid) - 1
            if complete or end >= MAX_ROWS:
                return last
            self.grid += self._read(end + 1, end + READ_MARGIN * len(self.grid))

    def _load_ends(self) -> int:
        """Read the header and the table's last rows with the rows below them (a block of a
        size that does not grow with the table), not the rows above: enough to append and to
        find rows by order number later (:meth:`rows_of_orders`). The last non-blank row as
        :meth:`_load` finds it; the table is read whole when the block cannot tell."""
        first = max(self.header_row + 1, self.ref_last_row - READ_MARGIN + 1)
        self.grid = [self._read(self.header_row, self.header_row)[0]]
        self.grid += [None] * (first - self.header_row - 1)
        self.grid += self._read(first, self.ref_last_row + READ_MARGIN)
        last, complete = self._extent(first)
        if complete and (last >= first or first == self.header_row + 1):
            return last
        self.complete = True  # blank up to the block's top, or typed rows below its end
        return self._load()

    def _extent(self, first: int | None = None) -> tuple[int, bool]:
        """The last non-blank row, as FileStore finds it: the table's range, plus rows typed
        just below it up to the first blank row; and whether the block read was enough (from
        row ``first`` down when only those were read)."""
        last = self.header_row
        start = first or self.header_row + 1
        for r, values in enumerate(self.grid[start - self.header_row :], start=start):
            if self.totals and r > self.data_end:
                return last, True
            if values is not None and any(_filled(v) for v in values):
                last = r
            elif r > self.ref_last_row:
                return last, True
        return last, False

    def rows_of_orders(self, orders: set[str]) -> list[Row]:
        """The rows naming one of ``orders`` (as :meth:`rows` gives them): found with one read
        of the order number column, then only those rows read (one block per run of adjacent
        rows)."""
        if self.complete:
            return [r for r in self.rows() if order_key(r.values.get("order_no")) in orders]
        if self.keys is None:
            col = self.columns["order_no"]
            first, last = self.header_row + 1, max(self.last_row, self.header_row + 1)
            block = self.sheet.range((first, col), (last, col)).options(ndim=2, err_to_str=True)
            self.keys = {first + i: _as_read(row[0]) for i, row in enumerate(block.value)}
        wanted = [
            r
            for r in range(self.header_row + 1, self.last_row + 1)
            if order_key(self.key(r)) in orders
        ]
        unread = [r for r in wanted if self.grid[r - self.header_row] is None]
        for start, run in _runs(dict.fromkeys(unread)):
            for offset, values in enumerate(self._read(start, start + len(run) - 1)):
                self.grid[start + offset - self.header_row] = values
        return [row for r in wanted if (row := self._row(r)) is not None]

    def key(self, row: int) -> Any:
        values = (
            self.grid[row - self.header_row] if row - self.header_row < len(self.grid) else None
        )
        if values is not None:
            return values[self.columns["order_no"] - self.min_col]
        return (self.keys or {}).get(row)

    @property
    def data_end(self) -> int:
        return self.ref_last_row - self.totals

    def check_room(self, count: int) -> None:
        """Refuse ``count`` appended rows that would move Excel's Total Row over cells that are
        not blank (checked before the first write: Excel has no transactions)."""
        shift = self.last_row + count - self.data_end
        if not self.totals or shift <= 0:
            return
        below = self._read(self.ref_last_row + 1, self.ref_last_row + shift)
        for offset, values in enumerate(below, start=self.ref_last_row + 1):
            if any(_filled(v) for v in values):
                raise StoreError(
                    "store.below_totals", sheet=self.sheet.name, row=offset, table=self.table.key
                )

    def make_room(self, count: int) -> None:
        """Before ``count`` rows are appended: insert table rows above Excel's Total Row, as
        Excel does (after :meth:`check_room`)."""
        shift = self.last_row + count - self.data_end
        if not self.totals or shift <= 0:
            return
        at = self.data_end + 1
        self.sheet.range((at, self.min_col), (at + shift - 1, self.max_col)).insert("down")
        index = at - self.header_row
        blank = [[_UNKNOWN] * (self.max_col - self.min_col + 1) for _ in range(shift)]
        self.grid[index:index] = blank
        self.ref_last_row += shift
        if self.keys is not None:  # rows at and below the insertion moved down
            self.keys = {r + shift if r >= at else r: v for r, v in self.keys.items()}

    def rows(self) -> list[Row]:
        if not self.complete:  # located only (partial): now read whole
            self.complete, self.keys = True, None
            self.last_row = self._load()
        return [row for r in range(self.header_row + 1, self.last_row + 1) if (row := self._row(r))]

    def _row(self, r: int) -> Row | None:
        values = self.grid[r - self.header_row]
        if values is None:
            return None
        record = {k: values[c - self.min_col] for k, c in self.columns.items()}
        if not any(_filled(v) for v in record.values()):
            return None
        record.update(dict.fromkeys(self.absent))
        return Row(r, record)

    def cached(self, row: int, col: int) -> Any:
        index = row - self.header_row
        if 0 < index < len(self.grid):
            values = self.grid[index]
            return values[col - self.min_col] if values is not None else _UNKNOWN
        return _UNKNOWN

    def remember(self, row: int, col: int, value: Any) -> None:
        index = row - self.header_row
        if index <= 0 or not self.min_col <= col <= self.max_col:
            return
        while len(self.grid) <= index:
            self.grid.append(None)
        values = self.grid[index]
        if values is None:
            values = self.grid[index] = [_UNKNOWN] * (self.max_col - self.min_col + 1)
        values[col - self.min_col] = _as_read(value)
        if self.keys is not None and col == self.columns.get("order_no"):
            self.keys[row] = _as_read(value)

    def resize(self) -> None:
        """Make the ListObject end at the last row (its Total Row below), as FileStore does."""
        last = max(self.last_row, self.header_row + 1) + self.totals
        if last != self.ref_last_row:
            self.lo.resize(self.sheet.range((self.header_row, self.min_col), (last, self.max_col)))
            self.ref_last_row = last


@dataclass
class _Plan:
    """A validated change set with every value converted: what commit will write."""

    updates: dict[tuple[str, int, str], Any] = field(default_factory=dict)
    appends: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    marks: list[CellMark] = field(default_factory=list)
    analysis: list[list[Any]] | None = None
    analysis_layout: Layout | None = None
    dashboard: list[CellBlock] | None = None


class XlwingsStore:
    """Store over a workbook open in Excel. Use :meth:`active` from a ribbon entry point."""

    def __init__(self, book: xw.Book) -> None:
        self.book = book
        self._views: dict[str, _TableView] = {}
        self._status_shown = False
        self._lang: Lang = normalize_lang(_name_value(book, NAME_LANG) or "zh")
        version = _name_value(book, NAME_SCHEMA_VERSION)
        self._version = workbook_version(version)
        if version is not None and version.isdigit() and int(version) > SCHEMA_VERSION:
            raise StoreError("store.newer_schema", found=version, supported=SCHEMA_VERSION)
        self._locate_tables()

    @classmethod
    def active(cls) -> XlwingsStore:
        """The store over the master workbook the user works in: the workbook that called
        Python when it is one, else Excel's active workbook. Under ``RunPython`` from the
        add-in the caller is the .xlam, which holds no OD_* tables: the active workbook it is."""
        import xlwings as xw

        try:
            caller = xw.Book.caller()
        except Exception:  # not called from Excel (xlwings raises a bare Exception then)
            caller = None
        if caller is not None:
            try:
                return cls(caller)
            except StoreError as exc:
                if exc.key != "store.not_master":
                    raise
            book = caller.app.books.active
        else:
            book = xw.books.active if xw.apps else None
        if book is None or book.impl is None:  # Excel without an open workbook
            raise StoreError("addin.vba.no_workbook")
        return cls(book)

    def __enter__(self) -> XlwingsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.reset_status()

    @property
    def lang(self) -> Lang:
        return self._lang

    def _locate_tables(self) -> None:
        found: dict[str, tuple[Any, Any]] = {}
        self._sheet_names: list[str] = []
        for sheet in self.book.sheets:
            self._sheet_names.append(sheet.name)
            for listobject in sheet.tables:
                found[listobject.name] = (sheet, listobject)
        self._found = found
        for table in TABLES.values():
            if table.name not in found and table.key not in LATER_TABLES:
                raise StoreError("store.not_master", table=table.name, path=self.book.fullname)

    def _view(self, key: str, partial: bool = False) -> _TableView:
        view = self._views.get(key)
        if view is None:
            sheet, listobject = self._found[TABLES[key].name]
            view = _TableView(sheet, listobject, key, self.book.fullname, self._version, partial)
            self._views[key] = view
        return view

    def read(self, table: str) -> list[Row]:
        if TABLES[table].name not in self._found:  # a later table an older workbook lacks
            return []
        return self._view(table).rows()

    def locate(self, table: str) -> None:
        """Find where a table ends without reading it whole (a refresh then appends to it and
        reads its rows by order number): its header and last rows are read, the cost of a
        table of any length."""
        if TABLES[table].name in self._found:
            self._view(table, partial=True)

    def rows_of_orders(self, table: str, orders: set[str]) -> list[Row]:
        """The rows of ``read(table)`` that name one of ``orders``; a table not read yet is
        searched by its order number column, and only the rows found are read."""
        if TABLES[table].name not in self._found:
            return []
        view = self._view(table, partial="order_no" in TABLES[table].column_keys)
        if "order_no" not in view.columns:
            return [r for r in view.rows() if order_key(r.values.get("order_no")) in orders]
        return view.rows_of_orders(orders)

    def order_numbers(self, table: str) -> set[str]:
        """Every order number a table's rows name (one read of its order number column)."""
        if TABLES[table].name not in self._found:
            return set()
        view = self._view(table, partial=True)
        if view.complete:
            return {no for r in view.rows() if (no := order_key(r.values.get("order_no")))}
        view.rows_of_orders(set())  # reads the column
        rows = range(view.header_row + 1, view.last_row + 1)
        return {no for r in rows if (no := order_key(view.key(r)))}

    def sheet_title(self, table: str) -> str:
        return self._found[TABLES[table].name][0].name

    def cell(self, table: str, row: int, key: str) -> xw.Range:
        """The cell of a table's column at a worksheet row (to select it, say)."""
        view = self._view(table)
        return view.sheet.range((row, view.columns[key]))

    def table_at(self, sheet: str, column: int) -> str | None:
        """The key of the table on ``sheet`` whose columns include ``column``, if any."""
        for key, table in TABLES.items():
            found = self._found.get(table.name)
            if found is None or found[0].name != sheet:
                continue
            rng = found[1].range
            if rng.column <= column < rng.column + rng.shape[1]:
                return key
        return None

    # -- progress ------------------------------------------------------------------------
    def status(self, text: str | None) -> None:
        """Show progress in Excel's status bar (``None`` hands the bar back to Excel)."""
        if text is None:
            self.reset_status()
            return
        self.book.app.status_bar = text
        self._status_shown = True

    def reset_status(self) -> None:
        if self._status_shown:
            self.book.app.status_bar = False  # False restores Excel's own status text
            self._status_shown = False

    # -- writing -------------------------------------------------------------------------
    def commit(self, changes: ChangeSet) -> None:
        if not changes:
            return
        refuse_absent_tables(changes, self._found, self.book.fullname)
        if changes.deletes:  # archiving moves rows out of the closed file (command line)
            raise StoreError("store.delete_live")
        try:
            plan = self._plan(changes)
            try:
                # A protected sheet refuses these writes: lifted for them, then restored.
                with (
                    self.book.app.properties(screen_updating=False),
                    lifted(self._sheets_written(plan)),
                ):
                    self._apply(plan)
            except StoreError:
                raise
            except Exception as exc:  # Excel refused a write: protected sheet, cell in edit
                raise StoreError("store.write_failed", detail=str(exc)) from exc
        finally:
            self.reset_status()

    def _plan(self, changes: ChangeSet) -> _Plan:
        """Validate the whole change set as FileStore does and convert every value."""
        plan = _Plan()
        written = {c.table for c in [*changes.updates, *changes.appends, *changes.marks]}
        for table in sorted(written):
            view = self._view(table)
            if view.absent:  # a live workbook is upgraded closed, by the command line
                label = view.table.column(view.absent[0]).label(table, self._lang)
                raise StoreError(
                    "store.needs_upgrade",
                    sheet=view.sheet.name,
                    column=label,
                    path=self.book.fullname,
                )
        check_columns(changes, lambda table: self._view(table).columns)
        check_texts(changes, self._lang)
        for up in changes.updates:
            key = (up.table, up.row, up.key)
            plan.updates.pop(key, None)  # a later update of a cell wins, in its own place
            plan.updates[key] = cell_value(up.value, self._lang)
        for append in changes.appends:
            values = {
                k: cell_value(append.values.get(k), self._lang)
                for k in TABLES[append.table].column_keys
            }
            plan.appends.setdefault(append.table, []).append(values)
        for key, rows in plan.appends.items():
            self._views[key].check_room(len(rows))
        plan.marks = list(changes.marks)
        if changes.analysis is not None:
            plan.analysis = [[cell_value(v, self._lang) for v in row] for row in changes.analysis]
            plan.analysis_layout = layout(changes.analysis)
        if changes.dashboard is not None:
            # The charts are built by the file stores; Excel's chart API differs by platform.
            if _name_value(self.book, NAME_DASHBOARD) is None:
                raise StoreError("store.no_dashboard", path=self.book.name)
            plan.dashboard = [
                CellBlock(
                    b.top, b.left, [[cell_value(v, self._lang) for v in row] for row in b.values]
                )
                for b in changes.dashboard
            ]
        return plan

    def _sheets_written(self, plan: _Plan) -> list[xw.Sheet]:
        tables = {key for key, _, _ in plan.updates} | set(plan.appends)
        tables |= {mark.table for mark in plan.marks}
        sheets = [self._views[key].sheet for key in sorted(tables)]
        titles = []
        if plan.analysis is not None:
            titles.append(t("sheet.analysis", self._lang))
        if plan.dashboard is not None:
            titles.append(t("sheet.dashboard", self._lang))
        sheets += [self.book.sheets[title] for title in titles if title in self._sheet_names]
        return sheets

    def _apply(self, plan: _Plan) -> None:
        self._write_updates(plan.updates)
        for key, rows in plan.appends.items():
            self._append(self._views[key], rows)
        for key in plan.appends:
            self._views[key].resize()
        for mark in plan.marks:
            view = self._views[mark.table]
            _set_mark(view.sheet.range((mark.row, view.columns[mark.key])), mark.note)
        if plan.analysis is not None:
            self._write_analysis(plan.analysis, plan.analysis_layout or Layout())
        if plan.dashboard is not None:
            sheet = self.book.sheets[t("sheet.dashboard", self._lang)]
            for block in plan.dashboard:
                _write(sheet, block.top, block.left, block.values)

    def _write_updates(self, updates: dict[tuple[str, int, str], Any]) -> None:
        changed: dict[tuple[str, int], dict[int, tuple[str, Any]]] = {}
        for (table, row, key), value in updates.items():
            view = self._views[table]
            col = view.columns[key]
            old = view.cached(row, col)
            if old is _UNKNOWN or not _same(old, value):
                changed.setdefault((table, row), {})[col] = (key, value)
        for (table, row), cells in changed.items():
            view = self._views[table]
            for first, items in _runs(cells):
                _write(view.sheet, row, first, [[value for _, value in items]])
            for col, (key, value) in cells.items():
                view.remember(row, col, value)
                number_format = NUMBER_FORMATS.get(view.table.column(key).kind)
                if number_format is not None and value is not None:
                    # As FileStore: a kind's format goes only where the cell has none.
                    cell = view.sheet.range((row, col))
                    if cell.number_format == "General":
                        cell.number_format = number_format

    def _append(self, view: _TableView, rows: list[dict[str, Any]]) -> None:
        view.make_room(len(rows))
        first, last = view.last_row + 1, view.last_row + len(rows)
        by_column = {view.columns[k]: k for k in view.table.column_keys}
        for start, keys in _runs(by_column):
            _write(view.sheet, first, start, [[values[k] for k in keys] for values in rows])
        for offset, values in enumerate(rows):
            for col, key in by_column.items():
                view.remember(first + offset, col, values[key])
        view.last_row = last
        formats = {
            col: NUMBER_FORMATS[view.table.column(key).kind]
            for col, key in by_column.items()
            if view.table.column(key).kind in NUMBER_FORMATS
            and any(values[key] is not None for values in rows)
        }
        for start, same in _runs(formats):
            # One call per run of adjacent columns that take the same format.
            for offset, group in _group_equal(same):
                col = start + offset
                target = view.sheet.range((first, col), (last, col + len(group) - 1))
                target.number_format = group[0]

    def _write_analysis(self, grid: list[list[Any]], plan: Layout) -> None:
        title = t("sheet.analysis", self._lang)
        sheets = self.book.sheets
        if title in self._sheet_names:
            sheet = sheets[title]
        else:
            after = t("sheet.dashboard", self._lang)
            sheet = sheets.add(
                title, after=sheets[after] if after in self._sheet_names else sheets[-1]
            )
            self._sheet_names.append(title)
        sheet.clear()
        width = max((len(row) for row in grid), default=0)
        if width:
            _write(sheet, 1, 1, [row + [None] * (width - len(row)) for row in grid])
        for r, size in plan.bold.items():
            font = sheet.range((r, 1), (r, max(1, len(grid[r - 1])))).font
            font.bold = True
            font.size = size
        # One call per run of rows in a column that share a format (a COM round trip each).
        for (c, first, last), number_format in _format_runs(plan.formats).items():
            sheet.range((first, c), (last, c)).number_format = number_format
        for c, column_width in plan.widths.items():
            sheet.range((1, c)).column_width = column_width


def _format_runs(formats: dict[tuple[int, int], str]) -> dict[tuple[int, int, int], str]:
    """(row, col) → format, as (col, first row, last row) → format over consecutive rows."""
    runs: dict[tuple[int, int, int], str] = {}
    open_run: dict[int, tuple[int, int, str]] = {}  # col → (first, last, format)
    for (r, c), fmt in sorted(formats.items(), key=lambda item: (item[0][1], item[0][0])):
        current = open_run.get(c)
        if current is not None and current[1] == r - 1 and current[2] == fmt:
            open_run[c] = (current[0], r, fmt)
            continue
        if current is not None:
            runs[(c, current[0], current[1])] = current[2]
        open_run[c] = (r, r, fmt)
    for c, (first, last, fmt) in open_run.items():
        runs[(c, first, last)] = fmt
    return runs


def _write(sheet: xw.Sheet, top: int, left: int, values: list[list[Any]]) -> None:
    """Write a block of cell values with one call, so that Excel keeps each as given.

    Text Excel would convert goes in behind an apostrophe (see excel_literal). A cell formatted
    as Text may keep that apostrophe as part of the text instead: the block is read back when
    it holds such text, and a cell that kept it is written again as is, which a Text cell
    keeps unconverted.
    """
    literals = [[excel_literal(v) for v in row] for row in values]
    block = sheet.range((top, left), (top + len(values) - 1, left + len(values[0]) - 1))
    block.value = literals
    guarded = [
        (r, c)
        for r, row in enumerate(values)
        for c, value in enumerate(row)
        if literals[r][c] is not value
    ]
    if not guarded:
        return
    back = block.options(ndim=2).value
    for r, c in guarded:
        if back[r][c] == literals[r][c]:
            sheet.range((top + r, left + c)).value = [[values[r][c]]]


def _group_equal(values: list[Any]) -> list[tuple[int, list[Any]]]:
    """Split a list into runs of equal neighbours: [(offset, run)]."""
    groups: list[tuple[int, list[Any]]] = []
    for i, value in enumerate(values):
        if groups and groups[-1][1][0] == value:
            groups[-1][1].append(value)
        else:
            groups.append((i, [value]))
    return groups


def _set_mark(cell: xw.Range, note: str | None) -> None:
    """Highlight a cell with a note, or clear OrderDesk's mark there.

    Excel gives a note the user's name as author, so a note counts as OrderDesk's when it is
    written by "OrderDesk" (the file stores) or opens with OrderDesk's first line (see
    workbook.cell_values.note_is_ours); a person's note stays.
    """
    marked = cell.color == MARK_RGB
    existing = cell.note
    # Excel makes the user the author of every note: the text's first line tells (one call).
    current = existing.text if existing is not None else None
    ours = existing is not None and note_is_ours(None, current)
    if note is None:
        if ours:
            existing.delete()
        if marked:
            cell.color = None
        return
    text = note_text(note)
    if existing is None:
        cell.add_note(text)
    elif ours and current != text:
        existing.text = text
    if not marked:
        cell.color = MARK_RGB


def _name_value(book: xw.Book, name: str) -> str | None:
    """The text of a workbook-level defined name holding a constant (``="zh"`` → ``zh``)."""
    names = book.names
    if name not in names:
        return None
    refers_to = names[name].refers_to or ""
    return refers_to.lstrip("=").strip().strip('"')
