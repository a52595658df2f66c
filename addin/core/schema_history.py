"""Columns and tables the master workbook gained after its first layout, so older workbooks keep
working.

A workbook made before a column existed lacks its header: the stores read such a column as
blank, and the first write (or ``orderdesk upgrade``) adds it at the table's right end. A column
not listed here is required: a workbook without it is refused as damaged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from addin.core.schema import SHEETS, TABLES

# Schema version → the (table, column) pairs it added, in the order they are appended.
ADDED_IN: dict[int, tuple[tuple[str, str], ...]] = {
    2: (
        ("orders", "customer_po"),
        ("lines", "promised_date"),
        ("changes", "date_reason"),
        ("ledger", "digest"),
        ("staff", "active"),
        ("orders", "final_report_no"),
    ),
}


# Tables added since the first layout, each on a sheet of its own: a workbook made before them
# lacks them and is read as having them empty; an action that writes one is refused until
# ``orderdesk upgrade`` adds the sheet (an ordinary write adds columns only).
LATER_TABLES: frozenset[str] = frozenset({"change_reviews"})


@dataclass(frozen=True)
class Upgrade:
    """What an upgrade added: (table, column) pairs, and tables (each with its sheet)."""

    columns: tuple[tuple[str, str], ...] = ()
    tables: tuple[str, ...] = ()


def later_sheets(tables: Iterable[str]) -> tuple[str, ...]:
    """The sheets that hold ``tables``, in workbook order."""
    wanted = {TABLES[key].sheet for key in tables}
    return tuple(sheet for sheet in SHEETS if sheet in wanted)


def tables_before(sheet: str) -> tuple[str, ...]:
    """The tables of the sheets before ``sheet`` in workbook order, the nearest sheet's first: a
    sheet an upgrade adds goes after the first of their sheets the workbook has."""
    earlier = SHEETS[: SHEETS.index(sheet)]
    return tuple(
        key for s in reversed(earlier) for key, table in TABLES.items() if table.sheet == s
    )


def workbook_version(name_value: str | None) -> int:
    """The schema version a workbook's defined name gives (a workbook without it: the first)."""
    value = (name_value or "").strip().strip('"')
    return int(value) if value.isdigit() else 1


def later_columns(table: str, since: int = 1) -> tuple[str, ...]:
    """The columns of ``table`` added after schema version ``since``, in schema order."""
    added = {
        column
        for version, pairs in ADDED_IN.items()
        if version > since
        for t, column in pairs
        if t == table
    }
    return tuple(key for key in TABLES[table].column_keys if key in added)


def split_missing(table: str, missing: list[str], version: int) -> tuple[list[str], list[str]]:
    """Among ``missing``: (columns a workbook of ``version`` may lack, columns it must have)."""
    later = set(later_columns(table, version))
    return [k for k in missing if k in later], [k for k in missing if k not in later]
