"""Archiving at closure (§8): which orders and ledger rows leave the master for the yearly
archives, and how the master records what it handed over (rules only; no workbook here)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from addin.core.enums import OrderStatus
from addin.core.models import LedgerEntry, Order
from addin.core.schema import ORDER_TABLES

NAME_ARCHIVE = "OrderDesk_Archive"  # the defined name that marks an archive workbook
PERIOD_KEY = "archive_after_months"
BASE_KEY = "ledger_base"  # seq:hash of the last row moved out: the master's chain starts there
RECORD_PREFIX = "archive."  # archive.<YYYY> = file|sha256|end seq:hash
FINAL = frozenset({OrderStatus.CLOSED, OrderStatus.CANCELLED})
# The tables whose rows move with their order (the ledger moves by date, as one prefix).
ARCHIVED_TABLES: tuple[str, ...] = tuple(k for k in ORDER_TABLES if k != "ledger")
CELL_ROOM = 30_000  # of a cell's 32,767 characters, for the carried statuses of one row
CARRIED_MARK = "\n⇢ "  # the archive row's details: summary, then ORDER=status; ...


def cutoff(today: date, months: int) -> datetime:
    """The start of the day ``months`` calendar months before ``today`` (the day clamped)."""
    month0 = today.year * 12 + today.month - 1 - months
    year, month = divmod(month0, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return datetime(year, month + 1, day)


def ledger_prefix(entries: Iterable[LedgerEntry], before: datetime) -> list[LedgerEntry]:
    """The ledger's rows (in sheet order) dated before ``before``, up to the first that is not."""
    prefix: list[LedgerEntry] = []
    for entry in sorted(entries, key=lambda e: e.row or 0):
        if entry.time is None or entry.time >= before:
            break
        prefix.append(entry)
    return prefix


def archived_orders(
    orders: Iterable[Order], entries: Iterable[LedgerEntry], moved: set[int], before: datetime
) -> list[Order]:
    """Closed or cancelled before ``before`` with every ledger row of theirs among ``moved``
    (seqs): so the master's ledger never names an order it no longer holds."""
    staying = {e.order_no for e in entries if e.order_no and e.seq not in moved}
    return [
        o
        for o in orders
        if o.status in FINAL
        and o.status_since is not None
        and o.status_since < before
        and o.order_no not in staying
    ]


def ledger_years(prefix: list[LedgerEntry]) -> dict[int, int]:
    """seq → the archive year of each moved row: its own year, never earlier than the row
    before it (so each yearly archive holds one unbroken stretch of the chain)."""
    years: dict[int, int] = {}
    year = 0
    for entry in prefix:
        assert entry.time is not None
        year = max(year, entry.time.year)
        years[entry.seq] = year
    return years


def carried(prefix: list[LedgerEntry], staying_orders: set[str]) -> dict[str, str]:
    """Order → its last ledger status, for orders still in the master none of whose rows stay:
    the archive row carries them, so ``verify`` of the master needs no archive."""
    last: dict[str, str] = {}
    for entry in prefix:
        for order_no, status in carried_statuses(entry.details).items():
            last[order_no] = status
        if entry.order_no:
            last[entry.order_no] = entry.status_after or ""
    return {no: s for no, s in last.items() if no in staying_orders}


def carried_details(summary: str, statuses: dict[str, str]) -> list[str]:
    """The archive rows' details: the summary, carrying the statuses in as many rows as a
    cell's 32,767 characters need."""
    items = [f"{no}={s}" for no, s in sorted(statuses.items())]
    rows: list[list[str]] = [[]]
    size = 0
    for item in items:
        if rows[-1] and size + len(item) + 2 > CELL_ROOM:
            rows.append([])
            size = 0
        rows[-1].append(item)
        size += len(item) + 2
    return [summary + (CARRIED_MARK + "; ".join(row) if row else "") for row in rows]


def carried_statuses(details: str | None) -> dict[str, str]:
    """The statuses an archive row carries (none for any other row)."""
    _, mark, tail = (details or "").partition(CARRIED_MARK)
    if not mark:
        return {}
    found: dict[str, str] = {}
    for item in tail.split("; "):
        order_no, eq, status = item.partition("=")
        if eq:
            found[order_no.strip()] = status.strip()
    return found


@dataclass(frozen=True)
class ArchiveRecord:
    """What the master keeps of one yearly archive."""

    year: int
    file: str
    digest: str
    end: str  # the archive's last ledger row, seq:hash

    @property
    def value(self) -> str:
        return f"{self.file}|{self.digest}|{self.end}"

    @classmethod
    def parse(cls, key: str, value: str | None) -> ArchiveRecord | None:
        year = key.removeprefix(RECORD_PREFIX)
        parts = (value or "").split("|")
        if not key.startswith(RECORD_PREFIX) or not year.isdigit() or len(parts) != 3:
            return None
        return cls(int(year), *parts)


def archive_name(stem: str, year: int) -> str:
    return f"{stem}-archive-{year}.xlsx"
