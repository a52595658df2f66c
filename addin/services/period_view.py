"""A store seen through the rows a period's statistics can need.

A store that can select them (``read_period``: the SQL store, :mod:`workbook.sql.period`) is
asked for the rows of the orders that can matter to the period, one query per table; the
figures are then computed by the core from those rows exactly as from the whole tables. Other
stores (the workbooks) are read whole, as before.
"""

from __future__ import annotations

from datetime import date

from addin.core.statistics import read_span
from addin.i18n import Lang
from addin.services.snapshot import Snapshot
from workbook.store import ChangeSet, Row, Store


class PeriodView:
    """Read-only: the tables of orders' rows as ``read_period`` gives them, the others whole."""

    def __init__(self, store: Store, first: date, last: date | None) -> None:
        self.store = store
        self.first = first
        self.last = last

    @property
    def lang(self) -> Lang:
        return self.store.lang

    def read(self, table: str) -> list[Row]:
        rows = self.store.read_period(table, self.first, self.last)  # type: ignore[attr-defined]
        return self.store.read(table) if rows is None else rows

    def commit(self, changes: ChangeSet) -> None:
        raise NotImplementedError("a period view is read-only: commit to its store")


def period_snapshot(
    store: Store,
    date_from: date | None,
    date_to: date | None,
    as_of: date,
    whole: Snapshot | None = None,
) -> Snapshot:
    """A snapshot for the figures of ``date_from``..``date_to`` as of ``as_of``: narrowed to the
    period's rows when the store can select them and the period has a start; else ``whole``
    (an action's own snapshot: the workbook is not read twice) or a new one."""
    first, last = read_span(date_from, date_to, as_of)
    if first is None or getattr(store, "read_period", None) is None:
        return whole or Snapshot(store)
    return Snapshot(PeriodView(store, first, last))
