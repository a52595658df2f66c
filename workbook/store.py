"""The one interface between the procedure's rules and the master workbook.

Two implementations: :class:`workbook.file_store.FileStore` (the .xlsx file through openpyxl:
command line, tests) and :class:`workbook.xlwings_store.XlwingsStore` (the open workbook in
live Excel: the ribbon). Service functions read tables as :class:`Row` lists, decide, and hand
back one :class:`ChangeSet`; the store applies it all-or-nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from addin.core.cell_text import MAX_CELL_TEXT, excel_length, too_long
from addin.core.problems import Problem, RuleError
from addin.i18n import Lang, t
from workbook.cell_values import cell_value, note_text


@dataclass(frozen=True, slots=True)
class Row:
    """One table row as read: its worksheet row number and its raw cell values by column key.

    Values are what the cell holds (str, int, float, datetime, bool or None for blank); the
    core converts and validates them. Columns the schema does not know are not included.
    """

    row: int
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CellUpdate:
    table: str
    row: int
    key: str
    value: Any


@dataclass(frozen=True, slots=True)
class RowAppend:
    table: str
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RowDelete:
    """A table row removed whole (archiving); the rows below move up, as in Excel."""

    table: str
    row: int


@dataclass(frozen=True, slots=True)
class CellMark:
    """A finding shown at a cell: highlighted with a note (``note=None`` clears our mark)."""

    table: str
    row: int
    key: str
    note: str | None


@dataclass(frozen=True)
class CellBlock:
    """Values for a rectangle of the dashboard sheet from (``top``, ``left``); cells keep their
    style (the dashboard's layout is fixed, see :mod:`workbook.dashboard_blocks`)."""

    top: int
    left: int
    values: list[list[Any]]


@dataclass
class ChangeSet:
    """Everything one action writes. Values may be str, int, Decimal, date, datetime, None or a
    LabelledEnum (the store writes its label in the workbook's language)."""

    updates: list[CellUpdate] = field(default_factory=list)
    appends: list[RowAppend] = field(default_factory=list)
    marks: list[CellMark] = field(default_factory=list)
    analysis: list[list[Any]] | None = None  # replaces the analysis sheet's cells when set
    dashboard: list[CellBlock] | None = None  # values for the dashboard sheet's fixed blocks
    # Rows removed whole. Updates and marks name rows as read (before the deletion) and may not
    # name a deleted row; appends follow the table's last row left.
    deletes: list[RowDelete] = field(default_factory=list)

    def update(self, table: str, row: int, key: str, value: Any) -> None:
        self.updates.append(CellUpdate(table, row, key, value))

    def append(self, table: str, values: dict[str, Any]) -> None:
        self.appends.append(RowAppend(table, values))

    def mark(self, table: str, row: int, key: str, note: str | None) -> None:
        self.marks.append(CellMark(table, row, key, note))

    def delete(self, table: str, row: int) -> None:
        self.deletes.append(RowDelete(table, row))

    def extend(self, other: ChangeSet) -> None:
        self.updates.extend(other.updates)
        self.appends.extend(other.appends)
        self.marks.extend(other.marks)
        self.deletes.extend(other.deletes)
        if other.analysis is not None:
            self.analysis = other.analysis
        if other.dashboard is not None:
            self.dashboard = other.dashboard

    def __bool__(self) -> bool:
        return bool(
            self.updates
            or self.appends
            or self.marks
            or self.deletes
            or self.analysis is not None
            or self.dashboard is not None
        )


class StoreError(Exception):
    """The workbook cannot be used: locked, missing, not a master workbook, damaged.

    Carries a catalogue key and its parameters, so the entry point shows it in the user's
    language.
    """

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params


def refuse_absent_tables(changes: ChangeSet, present: Container[str], path: str) -> None:
    """Refuse a change set writing a table the workbook was made without (nothing written)."""
    from addin.core.schema import TABLES

    items = [*changes.updates, *changes.appends, *changes.marks, *changes.deletes]
    for table in sorted({item.table for item in items}):
        name = TABLES[table].name if table in TABLES else table
        if table in TABLES and name not in present:
            raise StoreError("store.table_absent", table=name, path=path)


def check_columns(changes: ChangeSet, columns: Callable[[str], Container[str]]) -> None:
    """Refuse a change set that names a column its table does not have (nothing is written).

    ``columns(table)`` gives the column keys a store found for the table.
    """
    for item in [*changes.updates, *changes.marks]:
        if item.key not in columns(item.table):
            raise StoreError("store.unknown_column", table=item.table, column=item.key)
    for append in changes.appends:
        known = columns(append.table)
        unknown = sorted(k for k in append.values if k not in known)
        if unknown:
            raise StoreError("store.unknown_column", table=append.table, column=unknown[0])


def check_texts(changes: ChangeSet, lang: Lang) -> None:
    """Refuse a change set holding text longer than a cell can keep (nothing is written): every
    such value, with its sheet, row (blank for a row to be appended) and field."""
    problems: list[Problem] = []

    def check(value: Any, table: str, row: int | None, key: str) -> None:
        value = cell_value(value, lang)
        if isinstance(value, str) and too_long(value):
            params = {"length": excel_length(value), "limit": MAX_CELL_TEXT}
            problems.append(Problem("error.too_long", params, table, row, key))

    for up in changes.updates:
        check(up.value, up.table, up.row, up.key)
    for append in changes.appends:
        for key, value in append.values.items():
            check(value, append.table, None, key)
    for mark in changes.marks:
        if mark.note is not None:
            check(note_text(mark.note), mark.table, mark.row, mark.key)
    sheets = [("analysis", 1, 1, changes.analysis or [])]
    sheets += [("dashboard", b.top, b.left, b.values) for b in changes.dashboard or []]
    for sheet, top, left, grid in sheets:
        for r, values in enumerate(grid, start=top):
            for c, value in enumerate(values, start=left):
                value = cell_value(value, lang)
                if isinstance(value, str) and too_long(value):
                    params = {"sheet": t(f"sheet.{sheet}", lang), "row": r, "column": c}
                    params.update(length=excel_length(value), limit=MAX_CELL_TEXT)
                    problems.append(Problem("error.too_long_sheet", params))
    if problems:
        raise RuleError(problems)


def deleted_rows(changes: ChangeSet) -> dict[str, list[int]]:
    """Table → its sorted deleted rows; refuses an update or mark on a deleted row."""
    found: dict[str, set[int]] = {}
    for item in changes.deletes:
        found.setdefault(item.table, set()).add(item.row)
    for item in [*changes.updates, *changes.marks]:
        if item.row in found.get(item.table, ()):
            raise StoreError("store.write_failed", detail=f"{item.table}: row {item.row} deleted")
    return {table: sorted(rows) for table, rows in found.items()}


class Store(Protocol):
    """What every service function needs from the master workbook.

    A store may also offer ``snapshot()``: a context manager in which its reads see one
    consistent state (the SQL store, whose reads are otherwise each their own transaction).
    Callers go through :func:`reading`, which does nothing for a store without it.
    """

    @property
    def lang(self) -> Lang:
        """The workbook's display language (sheet titles, headers, labels)."""
        ...

    def read(self, table: str) -> list[Row]:
        """All data rows of a table, in sheet order (blank rows skipped)."""
        ...

    def commit(self, changes: ChangeSet) -> None:
        """Apply the whole change set, or nothing (raise StoreError)."""
        ...


@contextlib.contextmanager
def reading(store: object) -> Iterator[None]:
    """The store's reads inside see one consistent state, where the store offers a
    ``snapshot()`` (see :class:`Store`); for the workbook stores, nothing to do."""
    snapshot = getattr(store, "snapshot", None)
    if snapshot is None:
        yield
        return
    with snapshot():
        yield
