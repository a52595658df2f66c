"""Sheet protection of the master workbook (issue 11 item 3): which columns staff type into.

A protected sheet's locked cells refuse typing in Excel; its unlocked cells take it. The columns
locked here are those only actions write (numbers assigned, statuses, times, who recorded,
ledger, versions, task orders); every other column of a protected table is an input column,
unlocked for the whole column, so rows typed below a table are unlocked too. Columns staff type
when they add a row (an order's customer, quantity, price; a complaint's date) stay unlocked
even where the ledger's digest controls them (``addin.core.controlled``): ``verify`` reports a
hand edit of those. Protection has no password: it guards against slips, not a determined editor.

Master data (customers, products, capacity) and the settings sheet are not protected: admins
type them and the master-data check reads them. The dashboard and analysis sheets hold no
records.
"""

from __future__ import annotations

from addin.core.schema import TABLES

ALL = ("*",)  # every column of the table is locked

# table → the columns only actions write (locked). Tables not listed are on unprotected sheets.
LOCKED: dict[str, tuple[str, ...]] = {
    "orders": (
        "status",
        "status_since",
        "due_date",
        "version",
        "findings",
        "released_at",
        "progress",
        "inspection",
        "shipped_at",
    ),
    "lines": ("produced_qty", "passed_qty", "shipped_qty", "delivered_qty", "promised_date"),
    # Rows opened by "start review": each department types decision, reviewer and comment.
    "reviews": ("order_no", "round", "department", "points", "decided_at"),
    "task_orders": ALL,
    # A fact is typed whole; the action fills who recorded it and when.
    "tracking": ("recorded_by", "recorded_at"),
    "changes": (
        "change_no",
        "requester",
        "requested_at",
        "status",
        "reviewed_by",
        "reviewed_at",
        "decided_by",
        "decided_at",
        "version",
    ),
    "change_reviews": ("change_no", "order_no", "department", "points", "decided_at"),
    "versions": ALL,
    "complaints": ("complaint_no",),
    "ledger": ALL,
}

# The sheets protected, by sheet key (one table per protected sheet).
PROTECTED_SHEETS: frozenset[str] = frozenset(TABLES[key].sheet for key in LOCKED)

# What staff may still do on a protected sheet, as the .xlsx ``<sheetProtection>`` attributes
# (False: that part is not protected). Deleting rows stays protected: a row is a record.
ALLOWED: tuple[str, ...] = (
    "selectLockedCells",
    "selectUnlockedCells",
    "formatColumns",
    "formatRows",
    "insertRows",
    "sort",
    "autoFilter",
)


def is_locked(table: str, key: str) -> bool:
    """Whether ``table``'s column ``key`` is locked on its protected sheet."""
    locked = LOCKED.get(table)
    if locked is None:
        return False
    return locked == ALL or key in locked


def input_columns(table: str) -> tuple[str, ...]:
    """The columns of a protected table left unlocked for typing (none of an unprotected one)."""
    if table not in LOCKED:
        return ()
    return tuple(k for k in TABLES[table].column_keys if not is_locked(table, k))
