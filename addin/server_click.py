"""The ribbon in a connected workbook: each button acts on the database, then the view is
refreshed.

The workbook (see :mod:`workbook.sql.sync`) is the user's view: the selection, the remarks and
the rows typed into it are read from it; the action runs on a :class:`SqlStore`, its reads and
its one commit in the database. A selected order that changed in the database since the view's
last refresh is refused ("changed by X at T, refresh and try again"), nothing written; the
versions the view stands for are then the ones the commit compares (``expected_versions``), so
a change that slips in meanwhile is refused too.

Rows typed into the view and not sent yet (tracking facts, complaints, change requests) are
shown to the action as rows of the database (with negative row numbers, the sheet row negated);
what the action writes to them is appended to the database in its commit and written back
into the typed row, which so becomes the mirror of the new database row. Review decisions typed
into the reviews sheet are recorded department by department (each its own transaction) before
the round is concluded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from addin.click import Click
from addin.core.problems import Problem
from addin.core.schema import TABLES
from addin.i18n import Lang, t
from workbook.sql.sync import PENDING_BLANK, SyncState, is_pending, refresh
from workbook.sql.sync_source import ledger_since, order_of, rows_of_orders
from workbook.sql.sync_views import BookView
from workbook.store import CellUpdate, ChangeSet, Row, RowAppend, StoreError

if TYPE_CHECKING:
    import xlwings as xw

    from workbook.sql.store import SqlStore
    from workbook.xlwings_store import XlwingsStore

# Buttons that need no database (they show a sheet or help, or import functions).
LOCAL_BUTTONS = frozenset({"btn_settings", "btn_help", "btn_import_udfs"})


def connection(store: XlwingsStore) -> SyncState | None:
    """The workbook's connection, or None for a workbook in file mode."""
    return SyncState.from_names(BookView(store).name_value)


def press(control_id: str, click: Click, button: Callable[[Click], None]) -> None:
    """Run one button of a connected workbook on its database, then refresh the view."""
    state = connection(click.store)
    if state is None:
        raise StoreError("sync.not_connected", workbook=click.book.name)
    if control_id in LOCAL_BUTTONS:
        button(click)
        return
    from workbook.sql.store import SqlStore

    with SqlStore.open(state.url) as sql:
        # Who acts: on PostgreSQL the database login's staff member, else the OS user.
        click.user = sql.resolve_user(None) or click.user
        sql.user = click.user
        if control_id != "btn_refresh":
            server = server_click(click, sql, state)
            special = SERVER_BUTTONS.get(control_id)
            if special is not None:
                special(server, button)
            else:
                button(server)
        _refresh(click, sql, state)


def refresh_button(click: Click) -> None:
    """刷新 / Refresh (the ribbon's ``btn_refresh``): :func:`press` refreshes the view after
    every button of a connected workbook, and refuses a workbook that is not connected; this
    button does nothing more."""


def _refresh(click: Click, sql: SqlStore, state: SyncState) -> None:
    state = connection(click.store) or state  # a typed-row write-back leaves the names as were
    done = refresh(sql, BookView(click.store), state, click.now)
    click.report.say(*done.lines(click.lang))
    if done.reason is not None:
        click.report.critical = True
    text = t("sync.status", click.lang, time=click.now.isoformat(sep=" "))
    click.book.app.status_bar = text  # stays after the button: when the view was refreshed


# -- the click on the database ------------------------------------------------------------------
@dataclass
class ServerClick(Click):
    """A press whose store is the database seen through the view; the selection and the
    remarks are read from the view, and the selected orders are pinned to it."""

    view_click: Click | None = None

    def selected(self) -> tuple[str | None, list[Row]]:
        assert self.view_click is not None
        return self.view_click.selected()

    def orders(self, required: bool = True) -> list[str]:
        assert self.view_click is not None
        found = self.view_click.orders(required)
        self.store.expect(found)  # type: ignore[attr-defined]
        return found

    def order_row(self, order_no: str) -> Row | None:
        assert self.view_click is not None
        self.store.expect([order_no])  # type: ignore[attr-defined]
        return self.view_click.order_row(order_no)


def server_click(click: Click, sql: SqlStore, state: SyncState) -> ServerClick:
    store = ServerStore(sql, click.store, state)
    click.report.locate = store.locate
    return ServerClick(  # type: ignore[arg-type]
        click.book, store, click.user, click.now, click.report, view_click=click
    )


class ServerStore:
    """The database as an action sees it from a connected workbook (see the module doc)."""

    def __init__(self, sql: SqlStore, view: XlwingsStore, state: SyncState) -> None:
        self.sql = sql
        self.view = view
        self.state = state
        self.expected: dict[str, int] = {}
        self._pending: dict[str, dict[int, Row]] = {}

    @property
    def lang(self) -> Lang:
        return self.sql.lang

    @property
    def book(self) -> xw.Book:
        return self.view.book

    # -- what the view knows ----------------------------------------------------------------
    def expect(self, orders: list[str]) -> None:
        """Pin the orders to the versions the view stands for; refuse those changed since the
        view's last refresh (StaleView: nothing is written)."""
        from workbook.sql.store import StaleView
        from workbook.sql.sync_source import versions

        todo = [o for o in orders if o and o not in self.expected]
        if not todo:
            return
        if self.state.seq is None:
            raise StaleView(todo[0], None, None, retryable=False)
        later = {}
        for row in ledger_since(self.sql, self.state.seq + 1):
            order_no = order_of("ledger", row.values)
            if order_no in todo:
                later[order_no] = row
        if later:
            order_no, row = next(iter(later.items()))
            raise StaleView(order_no, row.values.get("user"), row.values.get("time"), False)
        current = versions(self.sql, todo)
        for order_no in todo:
            found = current.get(order_no)
            self.expected[order_no] = found.version if found is not None else 0
        self.sql.expected_versions = dict(self.expected)

    def _typed(self, table: str) -> dict[int, Row]:
        """The view's typed, unsent rows of a table, by negative row number."""
        if table not in PENDING_BLANK:
            return {}
        if table not in self._pending:
            self._pending[table] = {
                -r.row: Row(-r.row, dict(r.values))
                for r in self.view.read(table)
                if is_pending(table, r.values)
            }
        return self._pending[table]

    def locate(self, problem: Problem) -> Problem:
        """A problem with its row as the view's sheet row (the database names its row ids)."""
        if problem.table is None or problem.row is None or problem.table not in TABLES:
            return problem
        if problem.row < 0:
            return replace(problem, row=-problem.row)
        table = problem.table
        if "order_no" in TABLES[table].column_keys and problem.order_no:
            theirs = rows_of_orders(self.sql, table, {problem.order_no})
            mine = [
                r for r in self.view.read(table) if order_of(table, r.values) == problem.order_no
            ]
        else:
            theirs, mine = self.sql.read(table), self.view.read(table)
        mine = [r for r in mine if not is_pending(table, r.values)]
        ids = [r.row for r in sorted(theirs, key=lambda r: r.row)]
        index = ids.index(problem.row) if problem.row in ids else len(mine)
        return replace(problem, row=mine[index].row if index < len(mine) else None)

    # -- the Store interface ----------------------------------------------------------------
    def snapshot(self) -> contextlib.AbstractContextManager[None]:
        """The database's rows read as of one moment (:meth:`SqlStore.snapshot`)."""
        return self.sql.snapshot()

    def read(self, table: str) -> list[Row]:
        return [*self.sql.read(table), *self._typed(table).values()]

    def read_where(
        self, table: str, key: str, value: str, match: Callable[[Any], bool]
    ) -> list[Row] | None:
        found = self.sql.read_where(table, key, value, match)
        if found is None:
            return None
        typed = [r for r in self._typed(table).values() if match(r.values.get(key))]
        return [*found, *typed]

    def read_period(self, table: str, first: date, last: date | None) -> list[Row] | None:
        """The database's rows of the period (:meth:`SqlStore.read_period`) while the view has
        no typed, unsent rows of an order's table; else None (every table read whole), as a
        typed row may belong to an order the period's selection does not hold."""
        from workbook.sql.period import PERIOD_TABLES

        if any(self._typed(name) for name in PERIOD_TABLES):
            return None
        return self.sql.read_period(table, first, last)

    def commit(self, changes: ChangeSet) -> None:
        """Rows to the database in one commit; typed rows appended there and written back
        into the view; the dashboard and analysis sheets to the view."""
        to_db = ChangeSet(marks=list(changes.marks))
        typed: dict[tuple[str, int], dict[str, Any]] = {}
        for up in changes.updates:
            if up.row < 0:
                typed.setdefault((up.table, up.row), {})[up.key] = up.value
            else:
                to_db.updates.append(up)
        for (table, row), values in typed.items():
            merged = {**self._typed(table)[row].values, **values}
            to_db.appends.append(_append(table, merged))
        to_db.appends += changes.appends
        self.sql.commit(to_db, expected_versions=dict(self.expected) or None)
        back = ChangeSet(
            updates=[
                CellUpdate(table, -row, key, value)
                for (table, row), values in typed.items()
                for key, value in values.items()
            ],
            analysis=changes.analysis,
            dashboard=changes.dashboard,
        )
        for table, row in typed:
            self._typed(table).pop(row, None)
        if back:
            self.view.commit(back)

    # -- what the ribbon asks of the workbook -----------------------------------------------
    def status(self, text: str | None) -> None:
        self.view.status(text)

    def reset_status(self) -> None:
        self.view.reset_status()

    def sheet_title(self, table: str) -> str:
        return self.view.sheet_title(table)

    def cell(self, table: str, row: int, key: str) -> Any:
        return self.view.cell(table, row, key)

    def table_at(self, sheet: str, column: int) -> str | None:
        return self.view.table_at(sheet, column)


def _append(table: str, values: dict[str, Any]) -> RowAppend:
    return RowAppend(table, {k: values.get(k) for k in TABLES[table].column_keys})


# -- buttons that differ in a connected workbook ----------------------------------------------
def new_order(click: Click, _button: Callable[[Click], None]) -> None:
    """A new order in the database (its number from the database's orders, today, the user as
    receiver); the refresh after the button shows it in the orders sheet, to be filled in."""
    from addin.core.numbering import next_order_no

    store = click.store
    taken = {order_of("orders", r.values) for r in store.read("orders")}
    order_no, _ = next_order_no(click.now.date(), taken)
    changes = ChangeSet()
    values = {"order_no": order_no, "received_date": click.now.date(), "received_by": click.user}
    changes.append("orders", values)
    store.commit(changes)
    click.report.say(t("sync.new_order", click.lang, order_no=order_no))


def review_conclude(click: Click, conclude: Callable[[Click], None]) -> None:
    """Send the decisions typed into the reviews sheet for the selected orders, each
    department's as its own action (checked afresh on the database, so departments deciding at
    once do not refuse each other); pressed with none typed, conclude the selected orders."""
    from addin.core.enums import Decision, Department
    from workbook.sql.sync_source import rows_of_orders

    store: ServerStore = click.store  # type: ignore[assignment]
    view_click = _view_click(click)
    orders = view_click.orders()
    view_rows = store.view.read("reviews")
    db_rows = rows_of_orders(store.sql, "reviews", set(orders))
    typed: list[tuple[str, Any, Any, Any]] = []
    for order_no in orders:
        mine = [r for r in view_rows if order_of("reviews", r.values) == order_no]
        theirs = [r for r in db_rows if order_of("reviews", r.values) == order_no]
        for have, want in zip(mine, theirs, strict=False):
            decision = _parse(Decision, have.values.get("decision"))
            department = _parse(Department, want.values.get("department"))
            if decision is None or department is None or _filled(want.values.get("decision")):
                continue
            comment = have.values.get("comment")
            text = str(comment).strip() if _filled(comment) else None
            typed.append((order_no, department, decision, text))
    if not typed:
        conclude(click)
        return
    for order_no, department, decision, text in typed:
        click.each(
            [order_no], lambda no, d=department, v=decision, c=text: _record(click, no, d, v, c)
        )


def _record(
    click: Click, order_no: str, department: Any, decision: Any, comment: str | None
) -> Any:
    from addin.services.review import record
    from workbook.sql.retry import retrying

    store: ServerStore = click.store  # type: ignore[assignment]
    return retrying(
        lambda: record(store, order_no, department, decision, comment, click.user, click.now)
    )


def _view_click(click: Click) -> Click:
    return getattr(click, "view_click", None) or click


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _parse(enum: Any, value: Any) -> Any:
    try:
        return enum.parse(value) if value not in (None, "") else None
    except ValueError:
        return None


SERVER_BUTTONS: dict[str, Callable[[Click, Callable[[Click], None]], None]] = {
    "btn_new_order": new_order,
    "btn_review_conclude": review_conclude,
}
