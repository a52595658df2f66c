"""Columns the master workbook gained after its first layout, so older workbooks keep working.

A workbook made before a column existed lacks its header: the stores read such a column as
blank, and the first write (or ``orderdesk upgrade``) adds it at the table's right end. A column
not listed here is required: a workbook without it is refused as damaged.
"""

from __future__ import annotations

from addin.core.schema import TABLES

# Schema version → the (table, column) pairs it added, in the order they are appended.
ADDED_IN: dict[int, tuple[tuple[str, str], ...]] = {
    2: (
        ("orders", "customer_po"),
        ("lines", "promised_date"),
        ("changes", "date_reason"),
        ("ledger", "digest"),
        ("staff", "active"),
    ),
}


def later_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` a workbook of an earlier version may lack, in schema order."""
    added = {column for pairs in ADDED_IN.values() for t, column in pairs if t == table}
    return tuple(key for key in TABLES[table].column_keys if key in added)


def split_missing(table: str, missing: list[str]) -> tuple[list[str], list[str]]:
    """(columns an older workbook may lack, columns that must be there) among ``missing``."""
    later = set(later_columns(table))
    return [k for k in missing if k in later], [k for k in missing if k not in later]
