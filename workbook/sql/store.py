"""``SqlStore``: the records in a SQL database, behind the same store interface as the workbook.

Reading gives rows as the workbook gives them (``Row.row`` is the row's ``row_id``), so every
service runs unchanged. Each read of an order's row remembers the order's ``lock_version``;
``commit`` is one transaction that

1. locks the ledger's head (every commit takes this lock first: commits are serialised),
2. compares the versions of the orders the change set touches with those read (or with the
   ``expected_versions`` a connected workbook saw) and raises :class:`StaleView` when one moved,
3. applies the updates, appends and marks,
4. appends the ledger rows numbered and chained from the locked head,
5. bumps the touched orders' versions and moves the head on,

or writes nothing. Database errors become :class:`StoreError`; a serialization failure, a
deadlock or a busy SQLite file is :class:`Contention`, which :mod:`workbook.sql.retry` retries.
"""

from __future__ import annotations

import contextlib
import getpass
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from addin.core.checks import Considered
from addin.core.enums import OPEN_STATUSES
from addin.core.forms import po_key
from addin.core.ledger import HEAD_KEY
from addin.core.parse import CellError, convert
from addin.core.problems import Problem
from addin.core.schema import TABLES, Table
from addin.i18n import Lang, normalize_lang
from workbook.sql import ledger, migrate, period, schema
from workbook.sql import url as urls
from workbook.sql.engine import engine_for
from workbook.sql.errors import Contention, StaleView, database_error

__all__ = ["Contention", "SqlStore", "StaleView", "database_error"]  # the errors are its too
from workbook.sql.values import STRIPPED, decode, encode
from workbook.store import ChangeSet, Row, StoreError, check_columns


def po_value(table: Table, value: Any) -> str | None:
    """The ``po_key`` of a PO / contract number cell (None for none, or for a cell that does
    not parse: its row is no order the check compares with)."""
    try:
        converted = convert(table, "customer_po", value)
    except CellError:
        return None
    return po_key(converted) or None


def order_key(table: Table, value: Any) -> str | None:
    """The order number a cell becomes when parsed (None for none)."""
    try:
        converted = convert(table, "order_no", value)
    except CellError:
        return None
    return str(converted) if converted else None


class SqlStore:
    """Store over a database. Use :meth:`open`; the engine is shared per database URL."""

    def __init__(
        self, engine: Engine, url: URL, user: str | None = None, shown: str | None = None
    ) -> None:
        self.engine = engine
        self.url = url
        self.display_url = shown or urls.mask(url)  # as the user wrote it, less the password
        self.user = user
        # Versions a connected workbook saw, compared at commit instead of those read here.
        self.expected_versions: dict[str, int] | None = None
        self._seen: dict[str, int] = {}  # order number → lock_version read (0: absent)
        self._all_orders_read = False
        self._head_rows: set[int] = set()  # the settings row(s) holding the ledger's head
        self._held: Connection | None = None  # the open snapshot's transaction, if any
        self._lang = normalize_lang(self._meta("lang") or "zh")

    @classmethod
    @contextlib.contextmanager
    def open(cls, target: str | URL, write: bool = False) -> Iterator[SqlStore]:
        """Open the database at ``target`` (``write`` is accepted for the interface: every
        commit is its own transaction, so nothing is locked while the action decides; its
        reads share a read-only one, :meth:`snapshot`)."""
        url = urls.parse(target) if isinstance(target, str) else target
        shown = urls.mask(target)
        engine = engine_for(url)
        migrate.ensure_current(engine, shown)
        store = cls(engine, url, shown=shown)
        try:
            yield store
        finally:
            store._end_snapshot()  # one an action left open (refused, or reading only)

    @property
    def lang(self) -> Lang:
        return self._lang

    def _meta(self, key: str) -> str | None:
        with self._connect() as conn:
            return conn.execute(
                sa.select(schema.meta.c.value).where(schema.meta.c.key == key)
            ).scalar_one_or_none()

    @contextlib.contextmanager
    def _connect(self, immediate: bool = False) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                if immediate:
                    conn = conn.execution_options(immediate=True)
                yield conn
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            raise database_error(exc, self.display_url) from exc

    # -- one consistent view -------------------------------------------------------------
    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """The reads made while this is open see the database as of one moment (the first of
        them): they run in one read-only transaction, ended on leaving. A store holds one at a
        time: opening one ends a snapshot still open (an action refused, or one that only
        read, never reached its commit), whose further reads then run one by one again."""
        self._end_snapshot()
        conn = self._begin_snapshot()
        self._held = conn
        try:
            yield
        finally:
            if self._held is conn:
                self._end_snapshot()

    def _begin_snapshot(self) -> Connection:
        try:
            conn = self.engine.connect()
            if conn.dialect.name != "sqlite":
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            conn.begin()  # SQLite: the engine's plain BEGIN; its snapshot comes with a read
        except SQLAlchemyError as exc:
            raise database_error(exc, self.display_url) from exc
        return conn

    def _end_snapshot(self) -> None:
        conn, self._held = self._held, None
        if conn is not None:
            # Rolls the read-only transaction back; a connection the server dropped meanwhile
            # leaves nothing to undo.
            with contextlib.suppress(SQLAlchemyError):
                conn.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection]:
        """The connection a read runs on: the open snapshot's, else its own short one."""
        if self._held is None:
            with self._connect() as conn, conn.begin():
                yield conn
            return
        try:
            yield self._held
        except SQLAlchemyError as exc:
            raise database_error(exc, self.display_url) from exc

    # -- reading -------------------------------------------------------------------------
    def read(self, table: str) -> list[Row]:
        sql = schema.TABLES[table]
        with self._reading() as conn:
            result = conn.execute(sa.select(sql).order_by(sql.c.row_id)).mappings().all()
        if table == "orders":
            self._all_orders_read = True
        return [self._row(table, values) for values in result]

    def read_where(
        self, table: str, key: str, value: str, match: Callable[[Any], bool]
    ) -> list[Row] | None:
        """The rows of one order (an indexed query), those whose cell ``match`` accepts."""
        sql = schema.TABLES[table]
        if key != "order_no" or "order_key" not in sql.c:
            return None
        query = sa.select(sql).where(sql.c.order_key == value).order_by(sql.c.row_id)
        with self._reading() as conn:
            result = conn.execute(query).mappings().all()
        rows = [self._row(table, values) for values in result]
        if table == "orders" and not result:
            self._seen.setdefault(value, 0)
        return [row for row in rows if match(row.values.get(key))]

    def read_open(self, table: str, considered: Considered | None = None) -> list[Row] | None:
        """The rows of the orders that are open (or whose status cell is not a status) and of
        rows naming no order, for ``orders`` or a table of an order's rows; None for another
        table. With ``considered``, of the open orders only those it names (see
        :func:`selected`). A superset of what a reader keeps: the reader parses and filters by
        the rule."""
        orders = schema.TABLES["orders"]
        sql = schema.TABLES.get(table)
        if sql is None or "order_key" not in sql.c:
            return None
        chosen = selected(considered)
        if table == "orders":
            wheres = [sa.or_(chosen, orders.c.order_key.is_(None))]
        else:  # apart: "no order or one of these" would scan the table, not its index
            keys = sa.select(orders.c.order_key).where(chosen)
            wheres = [sql.c.order_key.is_(None), sql.c.order_key.in_(keys)]
        with self._reading() as conn:
            result = [
                values
                for where in wheres
                for values in conn.execute(sa.select(sql).where(where)).mappings().all()
            ]
        result.sort(key=lambda values: values["row_id"])
        return [self._row(table, values) for values in result]

    def read_po(self, key: str) -> list[Row]:
        """The rows of ``orders`` whose PO / contract number is ``key`` as
        :func:`addin.core.forms.po_key` gives it (an indexed query)."""
        orders = schema.TABLES["orders"]
        query = sa.select(orders).where(orders.c.po_key == key).order_by(orders.c.row_id)
        with self._reading() as conn:
            result = conn.execute(query).mappings().all()
        return [self._row("orders", values) for values in result]

    def read_period(self, table: str, first: date, last: date | None) -> list[Row] | None:
        """The rows of ``table`` that the statistics of the days ``first``..``last`` can need
        (:mod:`workbook.sql.period`), or None for a table read whole."""
        if table not in period.PERIOD_TABLES:
            return None
        with self._reading() as conn:
            result = conn.execute(period.period_query(table, first, last)).mappings().all()
        return [self._row(table, values) for values in result]

    def _row(self, table: str, values: Any) -> Row:
        if table == "orders" and values["order_key"]:
            self._seen[values["order_key"]] = int(values["lock_version"])
        elif table == "settings" and values["key"] == HEAD_KEY:
            self._head_rows.add(int(values["row_id"]))
        return Row(int(values["row_id"]), decode(TABLES[table], values, values["raw"]))

    def ledger_problems(self) -> list[Problem] | None:
        """The ledger chain's problems as the server finds them (PostgreSQL keys the chain
        with its own secret: see :mod:`workbook.sql.security`), or None where the file mode's
        check of the chain applies (SQLite)."""
        from workbook.sql import security

        with self._reading() as conn:
            return security.chain_problems(conn)

    def resolve_user(self, requested: str | None) -> str | None:
        """Who the action is recorded as: on PostgreSQL with server security, the login's
        staff member (a ``--user`` naming someone else is refused); elsewhere ``requested``."""
        from workbook.sql import security

        with self._connect() as conn, conn.begin():
            acting = security.acting_user(conn)
            login = security.login(conn) if acting is not None else ""
        return security.resolve_user(requested, acting, login)

    def version_of(self, order_no: str) -> int:
        """An order's version as last read (0: it did not exist)."""
        return self._seen.get(order_no, 0)

    # -- writing -------------------------------------------------------------------------
    def commit(self, changes: ChangeSet, expected_versions: dict[str, int] | None = None) -> None:
        """Apply the change set in one transaction, or nothing (see the module doc)."""
        check_columns(changes, lambda table: TABLES[table].column_keys if table in TABLES else ())
        given = expected_versions if expected_versions is not None else self.expected_versions
        expected = dict(given) if given is not None else dict(self._seen)
        changes = _without_head(changes, self._head_rows)
        if not (changes.updates or changes.appends or changes.marks):
            return  # the dashboard and analysis sheets are derived: an export fills them
        with self._connect(immediate=True) as conn, conn.begin():
            head = ledger.lock_head(conn)
            touched = self._touched(conn, changes)
            self._check_versions(conn, touched, expected, retryable=given is None)
            self._apply(conn, changes)
            entries = [a.values for a in changes.appends if a.table == "ledger"]
            if entries:
                rows = ledger.chain(conn, head, entries)
                self._insert(conn, "ledger", rows)
                ledger.save_head(conn, head)
                self._save_settings_head(conn, head.head)
            versions = self._bump(conn, touched, self._acting_user(entries))
        self._seen.update(versions)

    def _touched(self, conn: Connection, changes: ChangeSet) -> set[str]:
        """The orders the change set writes to, in any table (updates, appends, ledger rows)."""
        touched: set[str] = set()
        by_table: dict[str, set[int]] = defaultdict(set)
        for item in [*changes.updates, *changes.marks]:
            if "order_key" in schema.TABLES[item.table].c:
                by_table[item.table].add(item.row)
        for table, rows in by_table.items():
            sql = schema.TABLES[table]
            found = conn.execute(
                sa.select(sql.c.row_id, sql.c.order_key).where(sql.c.row_id.in_(rows))
            ).all()
            touched.update(key for _, key in found if key)
        for append in changes.appends:
            if "order_no" in TABLES[append.table].column_keys:
                key = order_key(TABLES[append.table], append.values.get("order_no"))
                if key:
                    touched.add(key)
        return touched

    def _check_versions(
        self, conn: Connection, touched: set[str], expected: dict[str, int], retryable: bool
    ) -> None:
        orders = schema.TABLES["orders"]
        query = sa.select(
            orders.c.order_key, orders.c.lock_version, orders.c.changed_by, orders.c.changed_at
        ).where(orders.c.order_key.in_(sorted(touched)))
        if conn.dialect.name != "sqlite":
            query = query.with_for_update()
        current = {row.order_key: row for row in conn.execute(query)}
        for key in sorted(touched):
            if key not in expected and not (self._all_orders_read and key not in current):
                continue  # never read here: nothing to compare with
            found = current.get(key)
            version = int(found.lock_version) if found is not None else 0
            if version != expected.get(key, 0):
                by = found.changed_by if found is not None else None
                at = found.changed_at if found is not None else None
                raise StaleView(key, by, at, retryable)

    def _apply(self, conn: Connection, changes: ChangeSet) -> None:
        lang = self._lang
        updates: dict[tuple[str, int], dict[str, Any]] = defaultdict(dict)
        for up in changes.updates:
            updates[(up.table, up.row)][up.key] = up.value
        for (table, row), values in updates.items():
            sql = schema.TABLES[table]
            old_raw = conn.execute(sa.select(sql.c.raw).where(sql.c.row_id == row)).one_or_none()
            if old_raw is None:
                raise StoreError("server.row_missing", table=table, row=row)
            raw = dict(old_raw.raw or {})
            typed: dict[str, Any] = {}
            for key, value in values.items():
                typed[key], kept = encode(TABLES[table], key, value, lang)
                raw.pop(key, None)
                if kept is not None:
                    raw[key] = kept
            typed["raw"] = raw or None
            if "order_no" in values and "order_key" in sql.c:
                typed["order_key"] = order_key(TABLES[table], values["order_no"])
            if "customer_po" in values and table == "orders":
                typed["po_key"] = po_value(TABLES[table], values["customer_po"])
            conn.execute(sa.update(sql).where(sql.c.row_id == row).values(**typed))
        appends: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for append in changes.appends:
            if append.table != "ledger":
                appends[append.table].append(append.values)
        for table, rows in appends.items():
            self._insert(conn, table, rows)
        for mark in changes.marks:
            marks = schema.marks
            conn.execute(
                sa.delete(marks).where(
                    marks.c.table_key == mark.table,
                    marks.c.row == mark.row,
                    marks.c.column_key == mark.key,
                )
            )
            if mark.note is not None:
                conn.execute(
                    sa.insert(marks).values(
                        table_key=mark.table, row=mark.row, column_key=mark.key, note=mark.note
                    )
                )

    def _insert(self, conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows in the given order (their row ids follow that order)."""
        for values in rows:
            conn.execute(
                sa.insert(schema.TABLES[table]).values(**row_values(table, values, self._lang))
            )

    def _save_settings_head(self, conn: Connection, head: str) -> None:
        settings = schema.TABLES["settings"]
        done = conn.execute(
            sa.update(settings).where(settings.c.key == HEAD_KEY).values(value=head, raw=None)
        )
        if done.rowcount == 0:
            self._insert(conn, "settings", [{"key": HEAD_KEY, "value": head}])

    def _acting_user(self, entries: list[dict[str, Any]]) -> str:
        if self.user:
            return self.user
        for entry in entries:
            if entry.get("user"):
                return str(entry["user"])
        try:
            return getpass.getuser()
        except Exception:  # no login name (some containers): still record something
            return "unknown"

    def _bump(self, conn: Connection, touched: set[str], user: str) -> dict[str, int]:
        if not touched:
            return {}
        orders = schema.TABLES["orders"]
        conn.execute(
            sa.update(orders)
            .where(orders.c.order_key.in_(sorted(touched)))
            .values(
                lock_version=orders.c.lock_version + 1,
                changed_by=user,
                changed_at=datetime.now().replace(microsecond=0),
            )
        )
        found = conn.execute(
            sa.select(orders.c.order_key, orders.c.lock_version).where(
                orders.c.order_key.in_(sorted(touched))
            )
        )
        return {key: int(version) for key, version in found}


def selected(considered: Considered | None) -> sa.ColumnElement[bool]:
    """Which orders' rows :meth:`SqlStore.read_open` gives: the open ones (a typed status is a
    canonical value; a cell that is not a status is kept raw, the column left empty), and of
    those the ones ``considered`` names when given. A code is compared as parsing reads the
    cell (stored as typed, spaces and all: trimmed as ``str.strip`` does); a delivery date is
    stored as parsed."""
    orders = schema.TABLES["orders"]
    lines = schema.TABLES["lines"]
    is_open = sa.or_(
        orders.c.status.is_(None), orders.c.status.in_(sorted(s.value for s in OPEN_STATUSES))
    )
    if considered is None:
        return is_open
    named: list[sa.ColumnElement[bool]] = []
    if considered.customers:
        named.append(_stripped(orders.c.customer_code).in_(sorted(considered.customers)))
    if considered.products and considered.first and considered.last:
        loading = sa.select(lines.c.order_key).where(
            _stripped(lines.c.product_code).in_(sorted(considered.products)),
            lines.c.delivery_date.between(considered.first, considered.last),
        )
        named.append(orders.c.order_key.in_(loading))
    return sa.and_(is_open, sa.or_(*named)) if named else sa.false()


def _stripped(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return sa.func.trim(column, STRIPPED)  # PostgreSQL's trim(a, b) is btrim, as SQLite's


def row_values(table: str, values: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """A new row's column values: typed columns, the raw cells, the order key."""
    spec = TABLES[table]
    typed: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for key, value in values.items():
        typed[key], kept = encode(spec, key, value, lang)
        if kept is not None:
            raw[key] = kept
    typed["raw"] = raw or None
    if "order_no" in spec.column_keys:
        typed["order_key"] = order_key(spec, values.get("order_no"))
    if table == "orders":
        typed["po_key"] = po_value(spec, values.get("customer_po"))
    return typed


def _without_head(changes: ChangeSet, heads: set[int]) -> ChangeSet:
    """The change set less its writes of the settings' ``ledger_head`` (rows ``heads``): the
    commit writes the head it chained to (the action's own reckoning may be stale)."""
    return ChangeSet(
        updates=[u for u in changes.updates if not (u.table == "settings" and u.row in heads)],
        appends=[
            a
            for a in changes.appends
            if not (a.table == "settings" and a.values.get("key") == HEAD_KEY)
        ],
        marks=list(changes.marks),
        analysis=changes.analysis,
        dashboard=changes.dashboard,
    )
