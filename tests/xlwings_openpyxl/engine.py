"""An xlwings engine whose "Excel" is openpyxl: xlwings' own front end, a workbook file behind it.

xlwings splits every object in two: the front end (``xlwings.main``: Book, Sheet, Range, Table,
Note, Names ...) that user code calls, and an engine's impl objects below it (``_xlwindows`` talks
COM to Excel). This module is such an engine, so code written against xlwings runs unchanged in
tests, on Linux, without Excel. Only what the stores and ribbon code use is implemented; the rest
raises NotImplementedError (inherited from ``xlwings.base_classes``).

It behaves as Excel does where that matters for correctness:
- numbers are read back as floats, dates as datetimes, error values as Excel's error codes;
- text entered into a cell is parsed as Excel parses typing: ``=...`` becomes a formula, text
  that looks like a number, a date, a time or a boolean becomes one, and a leading apostrophe
  is consumed and keeps the rest as text. A cell formatted as Text (``@``) keeps what it is
  given; whether it also keeps a leading apostrophe is ``Engine.text_cells_keep_apostrophe``
  (default True), so tests can check code against both readings of Excel's behaviour;
- a note gets the application's user name as author (``App.user_name``);
- the selection belongs to the active sheet of the active book; it may have several areas
  (``Sheet.select_areas``), read one by one through ``api.Areas``, while its ``address`` stops
  at 255 characters, at an area's end, as Excel's does;
- ``len(range)`` (Excel's ``Range.Count``, a Long) raises :class:`CountOverflow` above
  2**31 - 1 cells, as Excel's does for a whole sheet; ``api.CountLarge`` counts any range;
- rows can be hidden (``range.rows.hidden``, kept in the file as Excel keeps a filter's hidden
  rows), and ``range.get_special_cells("visible")`` gives the visible areas;
- ``Engine.import_udfs`` stands in for ``xlwings.import_udfs`` (Windows only): it puts the
  generated ``xlwings_udfs`` module into the workbook it is given (``Book.vba_modules``).
- a protected sheet (``<sheetProtection sheet="1">``) refuses, with a :class:`ComError` as
  Excel's COM interface raises, a value written into a locked cell (a cell's own style, else
  its row's, else its column's), a format, a fill or a note where formatting is not allowed,
  rows inserted, a table resized or the sheet cleared; ``sheet.api.Unprotect()`` and
  ``Protect(...)`` (Excel's arguments: ``AllowFormattingColumns`` ...) lift and restore it, and
  ``api.ProtectContents`` / ``api.Protection.Allow...`` read it. A password is checked.
Formulas are stored, not calculated: reading a formula cell gives the formula text.

Every operation that would be a round trip to Excel is recorded in ``Engine.calls``.
"""

from __future__ import annotations

import importlib
import itertools
import math
import re
from collections.abc import Iterator
from copy import copy
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font as CellFont
from openpyxl.styles import PatternFill
from openpyxl.styles import Protection as Protection_
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.utils.protection import hash_password
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import TableColumn
from xlwings import base_classes
from xlwings.utils import hex_to_rgb, int_to_rgb

from workbook.xstring import escape, load_workbook, read_value, unescape

ENGINE_NAME = "openpyxl"
MAX_ROWS, MAX_COLS = 1_048_576, 16_384
COUNT_LIMIT = 2**31 - 1  # Range.Count is a Long: a whole sheet's 17,179,869,184 cells overflow it
ADDRESS_LIMIT = 255  # Range.Address of a multi-area range stops at the last area that fits
Box = tuple[int, int, int, int]  # (row, column, rows, columns) of one area

# What Excel hands over through COM for an error value (xlwings maps them back to text).
ERROR_CODES = {
    "#DIV/0!": -2146826281,
    "#N/A": -2146826246,
    "#NAME?": -2146826259,
    "#NULL!": -2146826288,
    "#NUM!": -2146826252,
    "#REF!": -2146826265,
    "#VALUE!": -2146826273,
}
ERROR_TEXTS = {code: text for text, code in ERROR_CODES.items()}

_NUMBER = re.compile(r"[+-]?\$?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?")
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


class CountOverflow(OverflowError):
    """Excel's run-time error 6 (Overflow): ``Range.Count`` of more cells than a Long holds."""


class ComError(Exception):
    """What Excel raises through COM when it refuses an operation (``pywintypes.com_error``)."""


PROTECTED_TEXT = (
    "The cell or chart you're trying to change is on a protected sheet. To make a change, "
    "unprotect the sheet. You might be requested to enter a password."
)
# Worksheet.Protect's Allow... arguments → the <sheetProtection> attribute (True there: refused).
PROTECT_OPTIONS = {
    "AllowFormattingCells": "formatCells",
    "AllowFormattingColumns": "formatColumns",
    "AllowFormattingRows": "formatRows",
    "AllowInsertingColumns": "insertColumns",
    "AllowInsertingRows": "insertRows",
    "AllowInsertingHyperlinks": "insertHyperlinks",
    "AllowDeletingColumns": "deleteColumns",
    "AllowDeletingRows": "deleteRows",
    "AllowSorting": "sort",
    "AllowFiltering": "autoFilter",
    "AllowUsingPivotTables": "pivotTables",
}


class Protection:
    """Excel's ``Worksheet.Protection``: what a protected sheet still allows (read only)."""

    def __init__(self, ws: Any) -> None:
        self._prot = ws.protection

    def __getattr__(self, name: str) -> bool:
        if name not in PROTECT_OPTIONS:
            raise AttributeError(name)
        return not getattr(self._prot, PROTECT_OPTIONS[name])


class SheetApi:
    """A sheet's ``api`` (Excel's Worksheet object): its protection; anything else is the
    openpyxl worksheet behind it."""

    def __init__(self, sheet: Sheet) -> None:
        self._sheet = sheet

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sheet.ws, name)

    @property
    def ProtectContents(self) -> bool:
        self._sheet.engine.record("protection", self._sheet.name)
        return bool(self._sheet.ws.protection.sheet)

    @property
    def ProtectDrawingObjects(self) -> bool:
        prot = self._sheet.ws.protection
        return bool(prot.sheet and prot.objects)

    @property
    def ProtectScenarios(self) -> bool:
        prot = self._sheet.ws.protection
        return bool(prot.sheet and prot.scenarios)

    @property
    def Protection(self) -> Protection:
        return Protection(self._sheet.ws)

    def Unprotect(self, Password: str | None = None) -> None:
        self._sheet.engine.record("unprotect", self._sheet.name)
        prot = self._sheet.ws.protection
        wrong = Password is None or hash_password(Password) != prot.password
        if prot.sheet and prot.password and wrong:
            raise ComError("The password you supplied is not correct.")
        prot.sheet = False

    def Protect(
        self,
        Password: str | None = None,
        DrawingObjects: bool = True,
        Contents: bool = True,
        Scenarios: bool = True,
        UserInterfaceOnly: bool = False,
        **allow: bool,
    ) -> None:
        unknown = set(allow) - set(PROTECT_OPTIONS)
        if unknown:
            raise TypeError(f"Protect() got unexpected arguments {sorted(unknown)}")
        if UserInterfaceOnly:
            raise NotImplementedError("UserInterfaceOnly is not modelled")
        self._sheet.engine.record("protect", self._sheet.name)
        prot = self._sheet.ws.protection
        prot.sheet = bool(Contents)
        prot.objects = bool(DrawingObjects)
        prot.scenarios = bool(Scenarios)
        for name, attribute in PROTECT_OPTIONS.items():
            setattr(prot, attribute, not allow.get(name, False))  # omitted: not allowed
        if Password:
            prot.password = Password  # openpyxl keeps its hash, as the file does


class Call(NamedTuple):
    """One operation that reaches the workbook (one COM round trip in real Excel)."""

    op: str
    target: str


def _rgb(color: Any) -> tuple[int, int, int] | None:
    if color is None:
        return None
    if isinstance(color, str):
        return hex_to_rgb(color)
    if isinstance(color, int):
        return int_to_rgb(color)  # Excel's colour integers are BGR
    return (int(color[0]), int(color[1]), int(color[2]))


def _argb(rgb: tuple[int, int, int]) -> str:
    return "FF" + "".join(f"{part:02X}" for part in rgb)


def _parse_typed(text: str) -> Any:
    """What Excel makes of text typed into a General cell (numbers, dates, times, booleans)."""
    s = text.strip()
    if not s:
        return text
    if s.upper() in ("TRUE", "FALSE"):
        return s.upper() == "TRUE"
    negative = s.startswith("(") and s.endswith(")")
    core = s[1:-1] if negative else s
    if _NUMBER.fullmatch(core) and any(ch.isdigit() for ch in core):
        number = float(core.replace("$", "").replace(",", "").rstrip("%"))
        number = number / 100 if core.endswith("%") else number
        number = -number if negative else number
        return int(number) if number.is_integer() and "." not in core else number
    for pattern, order in ((_ISO_DATE, "ymd"), (_US_DATE, "mdy")):
        match = pattern.fullmatch(s)
        if match:
            parts = dict(zip(order, match.groups(), strict=True))
            try:
                year = int(parts["y"]) if parts["y"] else datetime.now().year
                year = year + 2000 if year < 100 else year
                return datetime(year, int(parts["m"]), int(parts["d"] or 1))
            except ValueError:
                return text
    match = _TIME.fullmatch(s)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]), int(match[3] or 0))
    return text


def _excel_value(cell: Any) -> Any:
    """A cell's value as Excel's COM interface hands it over."""
    if cell is None or cell.value is None:
        return None
    value = cell.value
    if cell.data_type == "e":
        return ERROR_CODES.get(str(value), ERROR_CODES["#VALUE!"])
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        return datetime(1899, 12, 30, value.hour, value.minute, value.second)
    return unescape(value) if isinstance(value, str) else value


class Engine:
    """The engine impl: what ``xlwings.Engine(impl=...)`` wraps."""

    name = ENGINE_NAME
    type = "desktop"  # behave as Excel on a desktop does (no chunked scalar writes)

    def __init__(self) -> None:
        self.apps = Apps(self)
        self.calls: list[Call] = []
        self._pids = itertools.count(4242)
        # Whether a cell formatted as Text keeps a leading apostrophe as part of the text
        # (other cells take it as "this is text" and drop it). Tests run both ways.
        self.text_cells_keep_apostrophe = True

    def record(self, op: str, target: str = "") -> None:
        self.calls.append(Call(op, target))

    def count(self, *ops: str) -> int:
        """How many operations were recorded (of the given kinds, or all)."""
        return sum(1 for call in self.calls if not ops or call.op in ops)

    def reset(self) -> None:
        """Quit every app and forget the recorded calls."""
        for app in list(self.apps):
            app.quit()
        self.calls.clear()
        self.text_cells_keep_apostrophe = True

    def import_udfs(self, module_names: str, xl_workbook: Any) -> None:
        """A model of ``xlwings.import_udfs`` (Windows only): the workbook behind
        ``xl_workbook`` (a book's ``api``) gets a fresh ``xlwings_udfs`` module with one VBA
        function per ``@xw.func`` of the modules, each calling ``XLPy.CallUDF``, which exists
        only in a VBA project that holds xlwings' own module (an add-in's)."""
        book = next((b for app in self.apps for b in app.books if b.workbook is xl_workbook), None)
        if book is None:
            raise ValueError("import_udfs: not the api of an open workbook")
        self.record("import_udfs", book.name)
        lines = ['Attribute VB_Name = "xlwings_udfs"']
        for module_name in module_names.split(";"):
            module = importlib.import_module(module_name)
            for name in sorted(dir(module)):
                # On Windows xlwings takes the functions marked by @xw.func; elsewhere the mark
                # is not set, so the module's own public functions stand in for them.
                function = getattr(module, name)
                if name.startswith("_") or getattr(function, "__module__", None) != module_name:
                    continue
                lines += [
                    f"Function {name}(ParamArray args())",
                    f'    {name} = XLPy.CallUDF("{module_name}", "{name}", args)',
                    "End Function",
                ]
        book.vba_modules["xlwings_udfs"] = "\r\n".join(lines) + "\r\n"

    @staticmethod
    def prepare_xl_data_element(x: Any, options: Any) -> Any:
        return x

    @staticmethod
    def clean_value_data(
        data: list[list[Any]],
        datetime_builder: Any,
        empty_as: Any,
        number_builder: Any,
        err_to_str: bool,
    ) -> list[list[Any]]:
        def clean(value: Any) -> Any:
            if value in ("", None):
                return empty_as
            if isinstance(value, datetime):
                return datetime_builder(
                    year=value.year,
                    month=value.month,
                    day=value.day,
                    hour=value.hour,
                    minute=value.minute,
                    second=value.second,
                    microsecond=value.microsecond,
                    tzinfo=None,
                )
            if isinstance(value, float) and number_builder is not None:
                return number_builder(value)
            if isinstance(value, int) and not isinstance(value, bool) and value in ERROR_TEXTS:
                return ERROR_TEXTS[value] if err_to_str else None
            return value

        return [[clean(value) for value in row] for row in data]


class Apps(base_classes.Apps):
    """The running "Excel instances"; the first one is the active one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._apps: list[App] = []

    def keys(self) -> list[int]:
        return [app.pid for app in self._apps]

    def add(
        self, spec: Any = None, add_book: bool | None = True, xl: Any = None, visible: Any = None
    ) -> App:
        app = App(self.engine, next(self.engine._pids))
        self._apps.insert(0, app)
        if add_book:
            app.books.add()
        return app

    @staticmethod
    def cleanup() -> None:
        pass

    def __iter__(self) -> Iterator[App]:
        return iter(list(self._apps))

    def __len__(self) -> int:
        return len(self._apps)

    def __getitem__(self, pid: int) -> App:
        for app in self._apps:
            if app.pid == pid:
                return app
        raise KeyError(pid)

    def _activate(self, app: App) -> None:
        self._apps.remove(app)
        self._apps.insert(0, app)

    def _remove(self, app: App) -> None:
        if app in self._apps:
            self._apps.remove(app)


def _setting(name: str, recorded: bool = False) -> property:
    """An application setting kept in ``App._settings`` (``recorded``: count reads and writes)."""

    def get(self: App) -> Any:
        if recorded:
            self._engine.record(name)
        return self._settings[name]

    def put(self: App, value: Any) -> None:
        if recorded:
            self._engine.record(f"set_{name}", str(value))
        self._settings[name] = value

    return property(get, put)


class App(base_classes.App):
    """One "Excel instance": its books, its status bar, its settings."""

    visible = _setting("visible")
    screen_updating = _setting("screen_updating", recorded=True)
    display_alerts = _setting("display_alerts")
    enable_events = _setting("enable_events")
    interactive = _setting("interactive")
    calculation = _setting("calculation")
    cut_copy_mode = _setting("cut_copy_mode")

    def __init__(self, engine: Engine, pid: int) -> None:
        self._engine = engine
        self._pid = pid
        self._books = Books(self)
        self.user_name = "Excel User"  # Excel's Application.UserName: the author of new notes
        self._settings: dict[str, Any] = {
            "visible": False,
            "screen_updating": True,
            "display_alerts": True,
            "enable_events": True,
            "interactive": True,
            "calculation": "automatic",
            "cut_copy_mode": None,
        }
        self._status_bar: str | bool = False
        self.status_history: list[str | bool] = []  # every value the status bar was set to
        self.alerts: list[tuple[str, str | None, str]] = []  # (prompt, title, buttons) shown
        self.alert_answers: list[str] = []  # answers the next alerts give, first first

    @property
    def books(self) -> Books:
        return self._books

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def api(self) -> App:
        return self

    @property
    def pid(self) -> int:
        return self._pid

    @property
    def version(self) -> str:
        return "16.0"

    @property
    def hwnd(self) -> None:
        return None

    @property
    def path(self) -> str:
        return ""

    @property
    def startup_path(self) -> str:
        return ""

    @property
    def selection(self) -> Range | None:
        book = self.books.active
        if book is None:
            return None
        self._engine.record("selection", book.name)
        return book.sheets.active.selection

    def activate(self, steal_focus: bool = False) -> None:
        self._engine.apps._activate(self)

    def quit(self) -> None:
        for book in list(self.books):
            book.close()
        self._engine.apps._remove(self)

    def kill(self) -> None:
        self.quit()

    def calculate(self) -> None:
        pass

    @property
    def status_bar(self) -> str | bool:
        self._engine.record("status_bar")
        return self._status_bar

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        self._engine.record("set_status_bar", str(value))
        # As Excel: False (or None) gives the bar back to Excel, which then reports False.
        self._status_bar = False if value is None or value is False else str(value)
        self.status_history.append(self._status_bar)

    def alert(
        self, prompt: str, title: str | None, buttons: str | None, mode: Any, callback: Any
    ) -> str:
        buttons = buttons or "ok"
        self.alerts.append((prompt, title, buttons))
        self._engine.record("alert", prompt)
        if self.alert_answers:
            return self.alert_answers.pop(0)
        return "yes" if buttons.startswith("yes") else "ok"

    def run(self, macro: str, args: Any) -> Any:
        raise NotImplementedError("this engine runs no VBA")


class Books(base_classes.Books):
    def __init__(self, app: App) -> None:
        self.app = app
        self._books: list[Book] = []
        self._active: Book | None = None
        self._new_names = itertools.count(1)

    @property
    def api(self) -> Books:
        return self

    @property
    def active(self) -> Book | None:
        return self._active

    def __call__(self, name_or_index: int | str) -> Book:
        if isinstance(name_or_index, int):
            return self._books[name_or_index - 1]
        for book in self._books:
            if book.name.lower() == str(name_or_index).lower():
                return book
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self._books)

    def __iter__(self) -> Iterator[Book]:
        return iter(list(self._books))

    def add(self) -> Book:
        workbook = Workbook()
        workbook.active.title = "Sheet1"
        return self._opened(Book(self.app, workbook, None, f"Book{next(self._new_names)}"))

    def open(self, fullname: str, *args: Any, **kwargs: Any) -> Book:
        path = Path(fullname).resolve()
        self.app.engine.record("open", path.name)
        keep_vba = path.suffix.lower() in (".xlsm", ".xlam")
        workbook = load_workbook(path, keep_vba=keep_vba, rich_text=False)  # cells: escaped text
        return self._opened(Book(self.app, workbook, path, path.name))

    def _opened(self, book: Book) -> Book:
        self._books.append(book)
        self._active = book
        return book

    def _activate(self, book: Book) -> None:
        self._active = book

    def _remove(self, book: Book) -> None:
        self._books.remove(book)
        if self._active is book:
            self._active = self._books[-1] if self._books else None


class Book(base_classes.Book):
    """One workbook: an openpyxl Workbook held in memory, saved back on ``save()``."""

    def __init__(self, app: App, workbook: Workbook, path: Path | None, name: str) -> None:
        self._app = app
        self.workbook = workbook
        self.path = path
        self._name = name
        self._sheets: dict[int, Sheet] = {}
        # The VBA project's modules by name (what import_udfs adds); in memory only, as a
        # .xlsx cannot keep them.
        self.vba_modules: dict[str, str] = {}

    def sheet(self, worksheet: Any) -> Sheet:
        """The impl of an openpyxl worksheet of this book (one per worksheet, it keeps state)."""
        impl = self._sheets.get(id(worksheet))
        if impl is None or impl.ws is not worksheet:
            impl = self._sheets[id(worksheet)] = Sheet(self, worksheet)
        return impl

    @property
    def engine(self) -> Engine:
        return self._app.engine

    @property
    def api(self) -> Workbook:
        return self.workbook

    @property
    def name(self) -> str:
        return self._name

    @property
    def fullname(self) -> str:
        return str(self.path) if self.path is not None else self._name

    @property
    def sheets(self) -> Sheets:
        return Sheets(self)

    @property
    def app(self) -> App:
        return self._app

    @property
    def names(self) -> Names:
        return Names(self, self.workbook.defined_names)

    def close(self) -> None:
        self._app.books._remove(self)

    def save(self, path: str | None = None, password: str | None = None) -> None:
        if password:
            raise NotImplementedError("openpyxl cannot write protected workbooks")
        if path is None and self.path is None:
            raise ValueError(f"{self._name} was never saved: give a path")
        target = Path(path).resolve() if path else self.path
        assert target is not None
        self.engine.record("save", target.name)
        self.workbook.save(target)
        if path:  # as Excel's Save As: the book is now that file
            self.path, self._name = target, target.name

    def activate(self) -> None:
        self._app.books._activate(self)


class Sheets(base_classes.Sheets):
    def __init__(self, book: Book) -> None:
        self.book = book

    @property
    def api(self) -> Sheets:
        return self

    @property
    def active(self) -> Sheet:
        return self.book.sheet(self.book.workbook.active)

    def __call__(self, name_or_index: int | str) -> Sheet:
        self.book.engine.record("sheet", str(name_or_index))
        worksheets = self.book.workbook.worksheets
        if isinstance(name_or_index, int):
            return self.book.sheet(worksheets[name_or_index - 1])
        for ws in worksheets:
            if ws.title.lower() == str(name_or_index).lower():
                return self.book.sheet(ws)
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self.book.workbook.worksheets)

    def __iter__(self) -> Iterator[Sheet]:
        self.book.engine.record("sheets", self.book.name)
        return iter([self.book.sheet(ws) for ws in self.book.workbook.worksheets])

    def add(
        self, before: Sheet | None = None, after: Sheet | None = None, name: str | None = None
    ) -> Sheet:
        workbook = self.book.workbook
        if before is not None:
            index = workbook.worksheets.index(before.ws)
        elif after is not None:
            index = workbook.worksheets.index(after.ws) + 1
        else:  # as Excel: before the active sheet
            index = workbook.worksheets.index(workbook.active)
        if name is None:
            taken = {ws.title.lower() for ws in workbook.worksheets}
            name = next(f"Sheet{i}" for i in itertools.count(1) if f"sheet{i}" not in taken)
        self.book.engine.record("add_sheet", name)
        ws = workbook.create_sheet(name, index)
        workbook.active = ws
        return self.book.sheet(ws)


class Sheet(base_classes.Sheet):
    def __init__(self, book: Book, ws: Any) -> None:
        self._book = book
        self.ws = ws
        self._selection: list[Box] = [(1, 1, 1, 1)]  # its selected areas, kept per sheet

    @property
    def engine(self) -> Engine:
        return self._book.engine

    @property
    def api(self) -> SheetApi:
        return SheetApi(self)

    @property
    def name(self) -> str:
        return self.ws.title

    # -- protection, as Excel enforces it ---------------------------------------------------
    def locked(self, row: int, col: int) -> bool:
        """Whether a cell is locked: its own style's flag, else its row's, else its column's."""
        cell = self.ws._cells.get((row, col))
        if cell is not None:
            return bool(cell.protection.locked)
        dim = self.ws.row_dimensions.get(row)
        if dim is None or not dim.customFormat:
            dim = next(
                (
                    d
                    for d in self.ws.column_dimensions.values()
                    if (d.min or 0) <= col <= (d.max or d.min or 0)
                ),
                None,
            )
        return True if dim is None or not dim.has_style else bool(dim.protection.locked)

    def refuse_locked(self, positions: Any, target: str) -> None:
        """Excel refuses a write into any locked cell of a protected sheet (nothing written)."""
        if self.ws.protection.sheet and any(self.locked(r, c) for r, c in positions):
            self.engine.record("refused", target)
            raise ComError(PROTECTED_TEXT)

    def refuse_formatting(self, target: str) -> None:
        prot = self.ws.protection
        if prot.sheet and prot.formatCells:
            self.engine.record("refused", target)
            raise ComError(PROTECTED_TEXT)

    def refuse_protected(self, target: str) -> None:
        """Operations a protected sheet refuses whatever its cells (insert into a table,
        resize a table, clear the sheet)."""
        if self.ws.protection.sheet:
            self.engine.record("refused", target)
            raise ComError(PROTECTED_TEXT)

    @name.setter
    def name(self, value: str) -> None:
        self.engine.record("set_sheet_name", value)
        self.ws.title = value

    @property
    def names(self) -> Names:
        return Names(self._book, self.ws.defined_names)

    @property
    def book(self) -> Book:
        return self._book

    @property
    def index(self) -> int:
        return self._book.workbook.worksheets.index(self.ws) + 1

    @property
    def notes(self) -> Iterator[Note]:
        cells = sorted(
            (c for c in self.ws._cells.values() if c.comment is not None),
            key=lambda c: (c.row, c.column),
        )
        return iter([Note(self.cell(c.row, c.column)) for c in cells])

    def cell(self, row: int, col: int) -> Range:
        return Range(self, row, col, 1, 1)

    def range(self, arg1: Any, arg2: Any = None) -> Range:
        if isinstance(arg1, tuple) and len(arg1) == 4:
            return Range(self, *arg1)
        if isinstance(arg1, str) and "," in arg1 and arg2 is None:  # "A2:C2,A5:C5"
            boxes = [self._corner(part).coords[1:] for part in arg1.split(",")]
            return Range(self, *boxes[0], areas=boxes)
        first = self._corner(arg1)
        if arg2 is None:
            return first
        second = self._corner(arg2)
        top, left = min(first.row, second.row), min(first.column, second.column)
        bottom = max(first.row + first.nrows - 1, second.row + second.nrows - 1)
        right = max(first.column + first.ncols - 1, second.column + second.ncols - 1)
        return Range(self, top, left, bottom - top + 1, right - left + 1)

    def _corner(self, arg: Any) -> Range:
        if isinstance(arg, Range):
            return arg
        if isinstance(arg, tuple):
            if 0 in arg:
                raise IndexError(
                    "Attempted to access 0-based Range. xlwings/Excel Ranges are 1-based."
                )
            return self.cell(int(arg[0]), int(arg[1]))
        if isinstance(arg, str):
            address = arg.split("!")[-1].replace("$", "")
            min_col, min_row, max_col, max_row = range_boundaries(address)
            min_col, max_col = min_col or 1, max_col or MAX_COLS
            min_row, max_row = min_row or 1, max_row or MAX_ROWS
            return Range(self, min_row, min_col, max_row - min_row + 1, max_col - min_col + 1)
        raise TypeError(f"cannot make a range of {arg!r}")

    @property
    def cells(self) -> Range:
        return Range(self, 1, 1, MAX_ROWS, MAX_COLS)

    @property
    def used_range(self) -> Range:
        ws = self.ws
        if not ws._cells:
            return self.cell(1, 1)
        return Range(
            self,
            ws.min_row,
            ws.min_column,
            ws.max_row - ws.min_row + 1,
            ws.max_column - ws.min_column + 1,
        )

    @property
    def tables(self) -> Tables:
        return Tables(self)

    @property
    def selection(self) -> Range:
        return Range(self, *self._selection[0], areas=self._selection)

    def select_areas(self, boxes: list[Box]) -> None:
        """Select several areas at once (Ctrl+click), each ``(row, column, rows, columns)``:
        for selections whose address is too long to type."""
        self.engine.record("select", f"{self.name}!{len(boxes)} areas")
        self._selection = list(boxes)
        self.activate()
        self._book.app.activate()

    def hidden_rows(self) -> list[int]:
        """The sheet's hidden rows, in order (from the rows' own records: none are created)."""
        return sorted(r for r, dim in self.ws.row_dimensions.items() if dim.hidden)

    def activate(self) -> None:
        self._book.workbook.active = self.ws
        self._book.activate()

    def select(self) -> None:
        self.activate()

    def clear(self) -> None:
        self.engine.record("clear", self.name)
        self.refuse_protected(self.name)
        self.ws._cells.clear()

    def clear_contents(self) -> None:
        self.used_range.clear_contents()

    def clear_formats(self) -> None:
        self.used_range.clear_formats()

    def delete(self) -> None:
        self.engine.record("delete_sheet", self.name)
        self._book.workbook.remove(self.ws)

    def autofit(self, axis: str | None = None) -> None:
        pass

    @property
    def visible(self) -> bool:
        return self.ws.sheet_state == "visible"

    @visible.setter
    def visible(self, value: bool) -> None:
        self.ws.sheet_state = "visible" if value else "hidden"


class Range(base_classes.Range):
    """A rectangle of cells; cells are created only when written, as openpyxl would otherwise
    add every cell it is asked about to the file."""

    def __init__(
        self,
        sheet: Sheet,
        row: int,
        col: int,
        nrows: int,
        ncols: int,
        areas: list[Box] | None = None,
    ) -> None:
        self._sheet = sheet
        self._row, self._column, self.nrows, self.ncols = row, col, nrows, ncols
        # Every area, the first being (row, col, nrows, ncols): as in Excel, the range's
        # row, column and shape are its first area's.
        self.boxes: list[Box] = list(areas) if areas else [(row, col, nrows, ncols)]

    @property
    def row(self) -> int:
        return self._row

    @property
    def column(self) -> int:
        return self._column

    @property
    def engine(self) -> Engine:
        return self._sheet.engine

    @property
    def coords(self) -> tuple[Sheet, int, int, int, int]:
        return (self._sheet, self.row, self.column, self.nrows, self.ncols)

    @property
    def api(self) -> Range | None:
        return self if self._size() else None

    @property
    def sheet(self) -> Sheet:
        return self._sheet

    @property
    def shape(self) -> tuple[int, int]:
        return (self.nrows, self.ncols)

    def __len__(self) -> int:
        """Excel's ``Range.Count``: a Long, which overflows for a whole sheet."""
        size = self._size()
        if size > COUNT_LIMIT:
            self.engine.record("count_overflow", self._target())
            raise CountOverflow(f"Range.Count of {size} cells: Overflow")
        return size

    def _size(self) -> int:
        return sum(nrows * ncols for _, _, nrows, ncols in self.boxes)

    # -- Excel's object model as the ``api`` (COM) gives it: Excel's own names -----------------
    @property
    def Count(self) -> int:
        return len(self)

    @property
    def CountLarge(self) -> int:
        return self._size()

    @property
    def Areas(self) -> Areas:
        self.engine.record("areas", self._target())
        return Areas([Range(self._sheet, *box) for box in self.boxes])

    @property
    def Row(self) -> int:
        return self.row

    @property
    def Column(self) -> int:
        return self.column

    @property
    def Rows(self) -> Counted:
        return Counted(self.nrows)

    @property
    def Columns(self) -> Counted:
        return Counted(self.ncols)

    # -- hidden rows ---------------------------------------------------------------------------
    @property
    def row_hidden(self) -> bool | None:
        """Whether the first area's rows are hidden: True, False, or None when mixed."""
        dims = self._sheet.ws.row_dimensions
        states = {
            bool(dims[r].hidden) if r in dims else False
            for r in range(self.row, self.row + self.nrows)
        }
        return states.pop() if len(states) == 1 else None

    @row_hidden.setter
    def row_hidden(self, value: bool) -> None:
        self.engine.record("set_row_hidden", self._target())
        for r in range(self.row, self.row + self.nrows):
            self._sheet.ws.row_dimensions[r].hidden = value

    def get_special_cells(self, cell_type: str, value_type: str | None) -> list[Range]:
        """Only ``"visible"``: the visible parts of every area, area by area, each split where
        rows are hidden (hidden columns are not modelled)."""
        if cell_type != "visible" or value_type is not None:
            raise NotImplementedError(f"special cells {cell_type!r}")
        self.engine.record("special_cells", self._target())
        hidden = self._sheet.hidden_rows()
        parts = []
        for row, col, nrows, ncols in self.boxes:
            start, end = row, row + nrows  # the part being built: rows start .. end - 1
            for r in hidden:
                if start <= r < end:
                    if r > start:
                        parts.append(Range(self._sheet, start, col, r - start, ncols))
                    start = r + 1
            if start < end:
                parts.append(Range(self._sheet, start, col, end - start, ncols))
        return parts

    def _positions(self) -> Iterator[tuple[int, int]]:
        for r in range(self.row, self.row + self.nrows):
            for c in range(self.column, self.column + self.ncols):
                yield r, c

    def _existing(self) -> Iterator[Any]:
        """The cells of this range that exist, without creating the others."""
        cells = self._sheet.ws._cells
        if self._size() <= len(cells):
            for position in self._positions():
                cell = cells.get(position)
                if cell is not None:
                    yield cell
        else:
            bottom, right = self.row + self.nrows, self.column + self.ncols
            for (r, c), cell in list(cells.items()):
                if self.row <= r < bottom and self.column <= c < right:
                    yield cell

    def _peek(self, row: int, col: int) -> Any:
        return self._sheet.ws._cells.get((row, col))

    def _cell(self, row: int, col: int) -> Any:
        ws = self._sheet.ws
        if (row, col) in ws._cells:
            return ws._cells[(row, col)]
        # Excel shows a cell without an element in its row's or column's style: its locked
        # flag at least is kept (openpyxl would start it from the default style, locked).
        unlocked = not self._sheet.locked(row, col)
        cell = ws.cell(row=row, column=col)
        if unlocked:
            cell.protection = Protection_(locked=False)
        return cell

    @property
    def address(self) -> str:
        return self.get_address(True, True, False)

    def get_address(self, row_absolute: bool, col_absolute: bool, external: bool) -> str:
        def ref(row: int, col: int) -> str:
            c = ("$" if col_absolute else "") + get_column_letter(col)
            return c + ("$" if row_absolute else "") + str(row)

        def area(row: int, col: int, nrows: int, ncols: int) -> str:
            text = ref(row, col)
            if nrows * ncols > 1:
                text += ":" + ref(row + nrows - 1, col + ncols - 1)
            return text

        text = area(*self.boxes[0])
        for box in self.boxes[1:]:  # Excel's address stops where the next area would not fit
            longer = f"{text},{area(*box)}"
            if len(longer) > ADDRESS_LIMIT:
                break
            text = longer
        if external:
            sheet = f"[{self._sheet.book.name}]{self._sheet.name}"
            text = f"{quote_sheetname(sheet)}!{text}"
        return text

    def _target(self) -> str:
        return f"{self._sheet.name}!{self.get_address(False, False, False)}"

    def __call__(self, *args: int) -> Range:
        if len(args) == 1:
            index = args[0] - 1
            row, col = divmod(index, self.ncols)
            return Range(self._sheet, self.row + row, self.column + col, 1, 1)
        if len(args) == 2:
            return Range(self._sheet, self.row + args[0] - 1, self.column + args[1] - 1, 1, 1)
        raise ValueError("Invalid arguments")

    # -- values ----------------------------------------------------------------------------
    @property
    def raw_value(self) -> Any:
        self.engine.record("read", self._target())
        rows = [
            [_excel_value(self._peek(r, c)) for c in range(self.column, self.column + self.ncols)]
            for r in range(self.row, self.row + self.nrows)
        ]
        return rows[0][0] if self._size() == 1 else rows

    @raw_value.setter
    def raw_value(self, data: Any) -> None:
        self.engine.record("write", self._target())
        if not isinstance(data, list | tuple):
            grid = [[data] * self.ncols for _ in range(self.nrows)]  # a scalar fills the range
        elif data and not isinstance(data[0], list | tuple):
            grid = [list(data)]
        else:
            grid = [list(row) for row in data]
        if len(grid) != self.nrows or any(len(row) != self.ncols for row in grid):
            raise ValueError(f"{len(grid)} rows of data for {self._target()}")
        self._sheet.refuse_locked(self._positions(), self._target())
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                self._enter(self.row + r, self.column + c, value)

    def _enter(self, row: int, col: int, value: Any) -> None:
        """Put a value into a cell as Excel does when it is handed one."""
        if value is None or value == "":
            cell = self._peek(row, col)
            if cell is not None:
                cell.value = None
                cell.quotePrefix = False
            return
        cell = self._cell(row, col)
        prefix = False
        formula = False
        if isinstance(value, str):
            text_cell = cell.number_format == "@"
            if value.startswith("'") and not (text_cell and self.engine.text_cells_keep_apostrophe):
                value, prefix = value[1:], True
            elif not text_cell:  # a Text cell keeps what it is given; others parse it
                formula = value.startswith("=") and len(value) > 1
                value = value if formula else _parse_typed(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"Excel cannot hold {value}")
        elif not isinstance(value, int | float | date | time):
            raise TypeError(f"Excel cannot hold a {type(value).__name__}: {value!r}")
        # The workbook in memory holds text as the file does: escaped (workbook.xstring).
        cell.value = escape(value) if isinstance(value, str) else value
        if isinstance(value, str) and not formula:
            cell.data_type = "s"  # openpyxl would take "=..." for a formula
        cell.quotePrefix = prefix

    @property
    def formula(self) -> Any:
        self.engine.record("formula", self._target())
        rows = []
        for r in range(self.row, self.row + self.nrows):
            row = []
            for c in range(self.column, self.column + self.ncols):
                cell = self._peek(r, c)
                value = None if cell is None else cell.value
                row.append("" if value is None else read_value(str(value)))
            rows.append(row)
        return rows[0][0] if self._size() == 1 else rows

    @formula.setter
    def formula(self, value: Any) -> None:
        self.raw_value = value

    formula2 = formula

    @property
    def has_array(self) -> bool:
        return False

    def clear_contents(self) -> None:
        self.engine.record("clear_contents", self._target())
        cells = list(self._existing())
        self._sheet.refuse_locked(((c.row, c.column) for c in cells), self._target())
        for cell in cells:
            cell.value = None

    def insert(self, shift: str | None = None, copy_origin: str | None = None) -> None:
        """Excel's Range.Insert(xlShiftDown): the cells from here down move down by the range's
        height in its columns; a table the range cuts into grows by as many rows (rows inserted
        at a table's Total Row go above it). Excel refuses to shift part of a table's columns."""
        if shift != "down":
            raise NotImplementedError("only shift='down' is modelled")
        self.engine.record("insert", self._target())
        self._sheet.refuse_protected(self._target())
        ws = self._sheet.ws
        first, last = self.column, self.column + self.ncols - 1
        for lo in ws.tables.values():
            min_col, min_row, max_col, max_row = range_boundaries(lo.ref)
            if max_col < first or min_col > last or max_row < self.row:
                continue
            if min_col < first or max_col > last:
                raise ValueError(f"this would shift cells in table {lo.displayName}")
            if min_row >= self.row:
                raise NotImplementedError("moving a whole table down is not modelled")
            lo.ref = (
                f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}"
                f"{max_row + self.nrows}"
            )
            _table_filter(lo)
        bottom = max(ws.max_row, self.row)
        ws.move_range(
            f"{get_column_letter(first)}{self.row}:{get_column_letter(last)}{bottom}",
            rows=self.nrows,
        )

    def clear_formats(self) -> None:
        self.engine.record("clear_formats", self._target())
        self._sheet.refuse_formatting(self._target())
        for cell in list(self._existing()):
            cell._style = StyleArray()

    def clear(self) -> None:
        self.engine.record("clear", self._target())
        cells = self._sheet.ws._cells
        existing = list(self._existing())
        self._sheet.refuse_locked(((c.row, c.column) for c in existing), self._target())
        self._sheet.refuse_formatting(self._target())
        for cell in existing:
            del cells[(cell.row, cell.column)]

    # -- formats ---------------------------------------------------------------------------
    def _common(self, read: Any, default: Any) -> Any:
        """A property shared by all cells of the range, or None where they differ (as Excel)."""
        values = {
            read(self._peek(r, c)) if self._peek(r, c) is not None else default
            for r, c in self._positions()
        }
        return values.pop() if len(values) == 1 else None

    @property
    def number_format(self) -> str | None:
        self.engine.record("number_format", self._target())
        return self._common(lambda cell: cell.number_format, "General")

    @number_format.setter
    def number_format(self, value: str) -> None:
        self.engine.record("set_number_format", self._target())
        self._sheet.refuse_formatting(self._target())
        for r, c in self._positions():
            self._cell(r, c).number_format = value

    @property
    def color(self) -> tuple[int, int, int] | None:
        self.engine.record("color", self._target())

        def fill(cell: Any) -> tuple[int, int, int] | None:
            if cell.fill is None or cell.fill.fill_type != "solid":
                return None
            rgb = cell.fill.fgColor.rgb
            return hex_to_rgb(rgb[-6:]) if isinstance(rgb, str) else None

        return self._common(fill, None)

    @color.setter
    def color(self, color_or_rgb: Any) -> None:
        self.engine.record("set_color", self._target())
        self._sheet.refuse_formatting(self._target())
        rgb = _rgb(color_or_rgb)
        fill = (
            PatternFill(fill_type=None) if rgb is None else PatternFill("solid", fgColor=_argb(rgb))
        )
        for r, c in self._positions():
            self._cell(r, c).fill = fill

    @property
    def font(self) -> Font:
        return Font(self)

    @property
    def wrap_text(self) -> bool | None:
        return self._common(lambda cell: bool(cell.alignment.wrap_text), False)

    @property
    def column_width(self) -> float | None:
        widths = {
            self._sheet.ws.column_dimensions[get_column_letter(c)].width
            for c in range(self.column, self.column + self.ncols)
        }
        return widths.pop() if len(widths) == 1 else None

    @column_width.setter
    def column_width(self, value: float) -> None:
        self.engine.record("set_column_width", self._target())
        for c in range(self.column, self.column + self.ncols):
            self._sheet.ws.column_dimensions[get_column_letter(c)].width = value

    @property
    def row_height(self) -> float | None:
        heights = {
            self._sheet.ws.row_dimensions[r].height or 15.0
            for r in range(self.row, self.row + self.nrows)
        }
        return heights.pop() if len(heights) == 1 else None

    def autofit(self, axis: str | None = None) -> None:
        pass

    # -- notes -----------------------------------------------------------------------------
    @property
    def note(self) -> Note | None:
        self.engine.record("note", self._target())
        cell = self._peek(self.row, self.column)
        return Note(self(1, 1)) if cell is not None and cell.comment is not None else None

    def add_note(self, text: str) -> Note:
        self.engine.record("add_note", self._target())
        self._sheet.refuse_locked([(self.row, self.column)], self._target())
        comment = Comment(text, self._sheet.book.app.user_name)
        self._cell(self.row, self.column).comment = comment
        return Note(self(1, 1))

    # -- navigation ------------------------------------------------------------------------
    def select(self) -> None:
        self.engine.record("select", self._target())
        self._sheet._selection = list(self.boxes)
        self._sheet.activate()
        self._sheet.book.app.activate()

    @property
    def table(self) -> Table | None:
        for table in self._sheet.tables:
            min_col, min_row, max_col, max_row = range_boundaries(table.lo.ref)
            if min_row <= self.row <= max_row and min_col <= self.column <= max_col:
                return table
        return None

    def end(self, direction: str) -> Range:
        """Ctrl+arrow: to the edge of the block of filled cells, or the next filled cell."""
        step = {"up": (-1, 0), "u": (-1, 0), "down": (1, 0), "d": (1, 0)}
        step |= {"left": (0, -1), "l": (0, -1), "right": (0, 1), "r": (0, 1)}
        dr, dc = step[direction.lower()]
        ws = self._sheet.ws
        last_row, last_col = max(ws.max_row, 1), max(ws.max_column, 1)

        def filled(r: int, c: int) -> bool:
            cell = self._peek(r, c)
            return cell is not None and cell.value not in (None, "")

        def inside(r: int, c: int) -> bool:
            return 1 <= r <= MAX_ROWS and 1 <= c <= MAX_COLS

        r, c = self.row, self.column
        if filled(r, c) and inside(r + dr, c + dc) and filled(r + dr, c + dc):
            while inside(r + dr, c + dc) and filled(r + dr, c + dc):
                r, c = r + dr, c + dc
        else:
            r, c = r + dr, c + dc
            while inside(r, c) and not filled(r, c) and r <= last_row and c <= last_col:
                r, c = r + dr, c + dc
            if not inside(r, c) or r > last_row or c > last_col:
                r = {1: MAX_ROWS, -1: 1}.get(dr, self.row)
                c = {1: MAX_COLS, -1: 1}.get(dc, self.column)
        return Range(self._sheet, r, c, 1, 1)

    @property
    def current_region(self) -> Range:
        top, left = self.row, self.column
        bottom, right = top + self.nrows - 1, left + self.ncols - 1

        def any_filled(rows: range, cols: range) -> bool:
            return any(
                (cell := self._peek(r, c)) is not None and cell.value not in (None, "")
                for r in rows
                for c in cols
            )

        grown = True
        while grown:
            grown = False
            if top > 1 and any_filled(range(top - 1, top), range(max(left - 1, 1), right + 2)):
                top, grown = top - 1, True
            if any_filled(range(bottom + 1, bottom + 2), range(max(left - 1, 1), right + 2)):
                bottom, grown = bottom + 1, True
            if left > 1 and any_filled(range(max(top - 1, 1), bottom + 2), range(left - 1, left)):
                left, grown = left - 1, True
            if any_filled(range(max(top - 1, 1), bottom + 2), range(right + 1, right + 2)):
                right, grown = right + 1, True
        return Range(self._sheet, top, left, bottom - top + 1, right - left + 1)

    @property
    def merge_cells(self) -> bool:
        return False

    @property
    def merge_area(self) -> Range:
        return self


class Counted(NamedTuple):
    """A collection as Excel's object model counts it (``Range.Rows.Count``)."""

    Count: int


class Areas:
    """``Range.Areas``: each area a range of its own, counted and read one by one."""

    def __init__(self, ranges: list[Range]) -> None:
        self._ranges = ranges

    @property
    def Count(self) -> int:
        return len(self._ranges)

    def Item(self, index: int) -> Range:
        return self._ranges[index - 1]

    __call__ = Item

    def __iter__(self) -> Iterator[Range]:
        return iter(self._ranges)


class Font(base_classes.Font):
    def __init__(self, rng: Range) -> None:
        self.rng = rng

    @property
    def api(self) -> Font:
        return self

    def _get(self, attribute: str) -> Any:
        self.rng.engine.record("font", self.rng._target())
        return self.rng._common(
            lambda cell: getattr(cell.font, attribute), getattr(CellFont(), attribute)
        )

    def _set(self, **changes: Any) -> None:
        self.rng.engine.record("set_font", self.rng._target())
        self.rng._sheet.refuse_formatting(self.rng._target())
        for r, c in self.rng._positions():
            cell = self.rng._cell(r, c)
            font = copy(cell.font)  # a cell's style objects are shared: change a copy
            for attribute, value in changes.items():
                setattr(font, attribute, value)
            cell.font = font

    @property
    def bold(self) -> bool | None:
        return self._get("b")

    @bold.setter
    def bold(self, value: bool) -> None:
        self._set(b=value)

    @property
    def italic(self) -> bool | None:
        return self._get("i")

    @italic.setter
    def italic(self, value: bool) -> None:
        self._set(i=value)

    @property
    def size(self) -> float | None:
        return self._get("sz")

    @size.setter
    def size(self, value: float) -> None:
        self._set(sz=value)

    @property
    def name(self) -> str | None:
        return self._get("name")

    @name.setter
    def name(self, value: str) -> None:
        self._set(name=value)

    @property
    def color(self) -> tuple[int, int, int] | None:
        self.rng.engine.record("font", self.rng._target())

        def rgb(cell: Any) -> tuple[int, int, int] | None:
            color = cell.font.color
            return (
                hex_to_rgb(color.rgb[-6:])
                if color is not None and isinstance(color.rgb, str)
                else None
            )

        return self.rng._common(rgb, None)

    @color.setter
    def color(self, color_or_rgb: Any) -> None:
        rgb = _rgb(color_or_rgb)
        self._set(color=None if rgb is None else _argb(rgb))


class Note(base_classes.Note):
    """A cell's note (Excel's legacy comment), kept as the openpyxl cell's comment."""

    def __init__(self, cell: Range) -> None:
        self.cell = cell

    @property
    def _comment(self) -> Comment:
        cell = self.cell._peek(self.cell.row, self.cell.column)
        comment = None if cell is None else cell.comment
        if comment is None:
            raise RuntimeError(f"the note at {self.cell._target()} was deleted")
        return comment

    @property
    def api(self) -> Comment:
        return self._comment

    @property
    def text(self) -> str:
        self.cell.engine.record("note_text", self.cell._target())
        return self._comment.text

    @text.setter
    def text(self, value: str) -> None:
        self.cell.engine.record("set_note_text", self.cell._target())
        self.cell._sheet.refuse_locked([(self.cell.row, self.cell.column)], self.cell._target())
        old = self._comment
        comment = Comment(value, old.author, width=old.width, height=old.height)
        self.cell._cell(self.cell.row, self.cell.column).comment = comment

    @property
    def author(self) -> str:
        self.cell.engine.record("note_author", self.cell._target())
        return self._comment.author

    @property
    def location(self) -> Range:
        return self.cell

    def delete(self) -> None:
        self.cell.engine.record("delete_note", self.cell._target())
        self.cell._sheet.refuse_locked([(self.cell.row, self.cell.column)], self.cell._target())
        self.cell._cell(self.cell.row, self.cell.column).comment = None


class Tables(base_classes.Collection):
    """The ListObjects of a sheet (openpyxl's worksheet tables)."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    @property
    def api(self) -> Any:
        return self.sheet.ws.tables

    @property
    def parent(self) -> Sheet:
        return self.sheet

    def _all(self) -> list[Table]:
        return [Table(self.sheet, lo) for lo in self.sheet.ws.tables.values()]

    def __call__(self, key: int | str) -> Table:
        self.sheet.engine.record("table", str(key))
        tables = self._all()
        if isinstance(key, int):
            return tables[key - 1]
        for table in tables:
            if table.name.lower() == key.lower():
                return table
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self.sheet.ws.tables)

    def __iter__(self) -> Iterator[Table]:
        self.sheet.engine.record("tables", self.sheet.name)
        return iter(self._all())

    def __contains__(self, key: str) -> bool:
        return any(table.name.lower() == key.lower() for table in self._all())


class Table(base_classes.Table):
    """A ListObject: an openpyxl worksheet table."""

    def __init__(self, sheet: Sheet, lo: Any) -> None:
        self.sheet = sheet
        self.lo = lo

    def _bounds(self) -> tuple[int, int, int, int]:
        self.sheet.engine.record("table_range", self.name)
        return range_boundaries(self.lo.ref)

    @property
    def api(self) -> Any:
        return self.lo

    @property
    def parent(self) -> Sheet:
        return self.sheet

    @property
    def name(self) -> str:
        return self.lo.displayName or self.lo.name

    @name.setter
    def name(self, value: str) -> None:
        tables = self.sheet.ws.tables
        del tables[self.lo.name]
        self.lo.name = self.lo.displayName = value
        tables[value] = self.lo

    display_name = name

    @property
    def range(self) -> Range:
        min_col, min_row, max_col, max_row = self._bounds()
        return Range(self.sheet, min_row, min_col, max_row - min_row + 1, max_col - min_col + 1)

    @property
    def header_row_range(self) -> Range | None:
        if not self.show_headers:
            return None
        min_col, min_row, max_col, _ = self._bounds()
        return Range(self.sheet, min_row, min_col, 1, max_col - min_col + 1)

    @property
    def data_body_range(self) -> Range | None:
        min_col, min_row, max_col, max_row = self._bounds()
        first = min_row + (1 if self.show_headers else 0)
        last = max_row - (self.lo.totalsRowCount or 0)
        if last < first:
            return None
        return Range(self.sheet, first, min_col, last - first + 1, max_col - min_col + 1)

    @property
    def totals_row_range(self) -> Range | None:
        if not self.show_totals:
            return None
        min_col, _, max_col, max_row = self._bounds()
        return Range(self.sheet, max_row, min_col, 1, max_col - min_col + 1)

    @property
    def insert_row_range(self) -> None:
        return None

    @property
    def show_headers(self) -> bool:
        return self.lo.headerRowCount != 0

    @property
    def show_totals(self) -> bool:
        return bool(self.lo.totalsRowCount)

    @property
    def show_autofilter(self) -> bool:
        return self.lo.autoFilter is not None

    @property
    def table_style(self) -> str | None:
        info = self.lo.tableStyleInfo
        return info.name if info is not None else None

    def resize(self, range: Any) -> None:
        """Excel's ListObject.Resize: the header row stays where it is."""
        target = range.impl
        min_col, min_row, max_col, _ = range_boundaries(self.lo.ref)
        if target.sheet.ws is not self.sheet.ws or target.row != min_row:
            raise ValueError("a table keeps its header row and its sheet when resized")
        ref = target.get_address(False, False, False)
        self.sheet.engine.record("resize", f"{self.name}={ref}")
        self.sheet.refuse_protected(f"{self.name}={ref}")
        if target.ncols != max_col - min_col + 1 or target.column != min_col:
            headers = [
                target._peek(target.row, c)
                for c in range(target.column, target.column + target.ncols)
            ]
            self.lo.tableColumns = [
                TableColumn(
                    id=i + 1,
                    name=str(cell.value)
                    if cell is not None and cell.value is not None
                    else f"Column{i + 1}",
                )
                for i, cell in enumerate(headers)
            ]
        self.lo.ref = ref
        _table_filter(self.lo)


def _table_filter(lo: Any) -> None:
    """A table's filter covers its header and data rows: never its Total Row."""
    if lo.autoFilter is not None:
        min_col, min_row, max_col, max_row = range_boundaries(lo.ref)
        last = max_row - (lo.totalsRowCount or 0)
        lo.autoFilter.ref = (
            f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last}"
        )


class Names(base_classes.Names):
    """Defined names of a book (or of a sheet): openpyxl's defined-name dictionary."""

    def __init__(self, book: Book, names: Any) -> None:
        self.book = book
        self.names = names

    @property
    def api(self) -> Any:
        return self.names

    def _find(self, name: str) -> DefinedName | None:
        for defined in self.names.values():
            if defined.name.lower() == name.lower():
                return defined
        return None

    def __call__(self, name_or_index: int | str) -> Name:
        self.book.engine.record("name", str(name_or_index))
        if isinstance(name_or_index, int):
            return Name(self, list(self.names.values())[name_or_index - 1])
        defined = self._find(name_or_index)
        if defined is None:
            raise KeyError(name_or_index)
        return Name(self, defined)

    def snapshot(self) -> list[tuple[str, Name]]:
        self.book.engine.record("names", self.book.name)
        return [(defined.name, Name(self, defined)) for defined in self.names.values()]

    def contains(self, name_or_index: int | str) -> bool:
        self.book.engine.record("names", self.book.name)
        if isinstance(name_or_index, int):
            return 1 <= name_or_index <= len(self.names)
        return self._find(name_or_index) is not None

    def __len__(self) -> int:
        return len(self.names)

    def add(self, name: str, refers_to: str) -> Name:
        self.book.engine.record("add_name", name)
        defined = DefinedName(name, attr_text=refers_to.removeprefix("="))
        self.names[name] = defined
        return Name(self, defined)


class Name(base_classes.Name):
    def __init__(self, names: Names, defined: DefinedName) -> None:
        self._names = names
        self.defined = defined

    @property
    def api(self) -> DefinedName:
        return self.defined

    @property
    def name(self) -> str:
        return self.defined.name

    @name.setter
    def name(self, value: str) -> None:
        del self._names.names[self.defined.name]
        self.defined.name = value
        self._names.names[value] = self.defined

    @property
    def refers_to(self) -> str:
        self._names.book.engine.record("refers_to", self.defined.name)
        return "=" + str(self.defined.attr_text)

    @refers_to.setter
    def refers_to(self, value: str) -> None:
        self._names.book.engine.record("set_refers_to", self.defined.name)
        self.defined.attr_text = value.removeprefix("=")

    @property
    def refers_to_range(self) -> Range:
        title, address = next(iter(self.defined.destinations))
        book = self._names.book
        return book.sheets(title).range(address)

    def delete(self) -> None:
        self._names.book.engine.record("delete_name", self.defined.name)
        del self._names.names[self.defined.name]


def book_impl(book: Any) -> Book:
    """The engine's book behind an ``xw.Book`` (for tests that look at the openpyxl workbook)."""
    impl = book.impl
    if not isinstance(impl, Book):
        raise TypeError(f"{book!r} is not a book of the {ENGINE_NAME} engine")
    return impl
