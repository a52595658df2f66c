"""What an action knows of the workbook: the tables it reads, parsed once, with their problems.

Most actions concern one order, so a table is parsed as far as it is asked for: looking an order
up (``snap.orders.get(no)``, ``snap.lines.get(no)``, ``snap.by_order(table).get(no)``,
:meth:`Snapshot.problems_for`) parses only the rows whose order-number cell names that order;
going through a table whole (``records``, ``problems_of``, iterating a mapping) parses it all.
Either way each row is parsed once, by :func:`addin.core.parse.parse_row`, so a record reached
both ways is the same object and an order's records and problems are exactly those the whole
table gives for it. A damaged row of another order is therefore not even parsed by an action on
this order, and whole-table readers (``check``, ``verify``, statistics, ...) still report it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import Any, Generic, TypeVar

from addin.core.checks import Considered
from addin.core.enums import OPEN_STATUSES
from addin.core.forms import po_key
from addin.core.models import (
    Customer,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    Record,
)
from addin.core.parse import CellError, convert, parse_row
from addin.core.problems import Problem
from addin.core.schema import TABLES, Table
from addin.core.settings import Settings
from workbook.store import Row, Store

V = TypeVar("V")
SEARCHED_ORDERS = 8  # orders of a table looked up one by one before it is read whole
Parsed = tuple[Record | None, list[Problem]]


class _Table:
    """One table's rows and the ones parsed so far (by sheet row), grouped by the order number
    their cell converts to (the value the record's ``order_no`` gets).

    A store that can find one order's rows without reading the table (``read_where``: the
    patching store) is asked for them, for a few orders; then, or for a whole-table reader,
    the table is read whole."""

    def __init__(
        self, key: str, store: Store, context_for: Callable[[dict[str, Any]], Any] | None
    ) -> None:
        self.key = key
        self.store = store
        self.context_for = context_for
        self.parsed: dict[int, Parsed] = {}
        self.groupable = "order_no" in TABLES[key].column_keys
        self.searched: dict[str, list[Row]] = {}
        self._rows: list[Row] | None = None
        self._groups: dict[str, list[Row]] | None = None

    @property
    def rows(self) -> list[Row]:
        if self._rows is None:
            self._rows = self.store.read(self.key)
        return self._rows

    def parse(self, raw: Row, context: Any = None) -> Parsed:
        """The row parsed (once); ``context`` when the caller knows it, else ``context_for``."""
        found = self.parsed.get(raw.row)
        if found is None:
            if context is None and self.context_for:
                context = self.context_for(raw.values)
            found = self.parsed[raw.row] = parse_row(self.key, raw.row, raw.values, context)
        return found

    def all(self) -> list[Parsed]:
        return [self.parse(raw) for raw in self.rows]

    def group(self, order_no: str) -> list[Parsed] | None:
        """The parsed rows of one order, in sheet order; None when rows cannot be told apart by
        their cell (then the caller goes through the whole table)."""
        if not self.groupable:
            return None
        rows = self._rows_of(order_no)
        found = [self.parse(raw) for raw in rows]
        for record, _ in found:
            if record is not None and (getattr(record, "order_no", None) or "") != order_no:
                self.groupable = False  # the model changed the number: never split this table
                return None
        return found

    def _rows_of(self, order_no: str) -> list[Row]:
        if self._rows is None and order_no in self.searched:
            return self.searched[order_no]
        if self._rows is None and order_no and len(self.searched) < SEARCHED_ORDERS:
            read_where = getattr(self.store, "read_where", None)
            if read_where is not None:
                table = TABLES[self.key]
                rows = read_where(
                    self.key, "order_no", order_no, lambda v: _order_key(table, v) == order_no
                )
                if rows is not None:
                    self.searched[order_no] = rows
                    return rows
        if self._groups is None:
            table = TABLES[self.key]
            groups: dict[str, list[Row]] = defaultdict(list)
            for raw in self.rows:
                groups[_order_key(table, raw.values.get("order_no"))].append(raw)
            self._groups = dict(groups)
        return self._groups.get(order_no, [])


def _order_key(table: Table, value: Any) -> str:
    """The order number a raw cell becomes, as parsing gives it ("" for none)."""
    try:
        converted = convert(table, "order_no", value)
    except CellError:
        return ""
    return str(converted) if converted is not None else ""


class OrderMap(Mapping[str, V], Generic[V]):
    """A read-only mapping by order number: a look-up parses that order only, anything that goes
    through every key parses the whole table (once)."""

    def __init__(self, one: Callable[[str], V | None], whole: Callable[[], dict[str, V]]) -> None:
        self._one = one
        self._whole_of = whole
        self._whole: dict[str, V] | None = None

    def whole(self) -> dict[str, V]:
        if self._whole is None:
            self._whole = self._whole_of()
        return self._whole

    def __getitem__(self, order_no: str) -> V:
        if self._whole is not None:
            return self._whole[order_no]
        found = self._one(order_no) if isinstance(order_no, str) else None
        if found is None:
            raise KeyError(order_no)
        return found

    def get(self, order_no: str, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[order_no]
        except KeyError:
            return default

    def __contains__(self, order_no: object) -> bool:
        return self.get(order_no) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())

    def keys(self):  # type: ignore[no-untyped-def, override]
        return self.whole().keys()

    def values(self):  # type: ignore[no-untyped-def, override]
        return self.whole().values()

    def items(self):  # type: ignore[no-untyped-def, override]
        return self.whole().items()

    def __repr__(self) -> str:
        return f"OrderMap({self.whole()!r})"


class Snapshot:
    """Tables are read from the store on first use only, so an action pays for what it needs."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._tables: dict[str, _Table] = {}
        self._records: dict[str, list[Any]] = {}
        self._problems: dict[str, list[Problem]] = {}
        # Duplicated order numbers / line numbers found so far, by order: reported by the
        # problems of orders / lines once ``orders`` / ``lines`` has been used, as always.
        self._duplicates: dict[str, dict[str, list[Problem]]] = {"orders": {}, "lines": {}}
        # Open orders, their lines and the loose problems, by what was asked (None: all).
        self._open: dict[Considered | None, Any] = {}
        self._loose: Callable[[str], list[Problem]] | None = None

    # -- parsing -----------------------------------------------------------------------------
    def _table(self, table: str) -> _Table:
        found = self._tables.get(table)
        if found is None:
            context_for = None
            if table == "lines":
                default = self.settings.currency

                def context_for(raw: dict[str, Any]) -> dict[str, Any]:
                    order = self.orders.get(str(raw.get("order_no") or "").strip())
                    return {"currency": order.currency_code if order is not None else default}

            found = self._tables[table] = _Table(table, self.store, context_for)
        return found

    def records(self, table: str) -> list[Any]:
        if table not in self._records:
            if table == "lines":
                self.orders.whole()  # every order's currency, as the whole table needs
            parsed = self._table(table).all()
            self._records[table] = [record for record, _ in parsed if record is not None]
            self._problems[table] = [p for _, found in parsed for p in found]
        return self._records[table]

    def problems_of(self, table: str) -> list[Problem]:
        """Every problem of a table: its unreadable rows, then (once ``orders`` / ``lines`` has
        been used) its duplicated numbers."""
        self.records(table)
        problems = list(self._problems[table])
        if table == "orders" and "orders" in self.__dict__:
            self.orders.whole()
        if table == "lines" and "lines" in self.__dict__:
            self.lines.whole()
        duplicates = self._duplicates.get(table, {})
        problems += sorted((p for found in duplicates.values() for p in found), key=_row)
        return problems

    def problems_for(self, table: str, order_no: str) -> list[Problem]:
        """The problems of ``problems_of(table)`` that name ``order_no``, parsing its rows only."""
        group = self._table(table).group(order_no) if table not in self._records else None
        if group is None:
            return [p for p in self.problems_of(table) if p.order_no == order_no]
        problems = [p for _, found in group for p in found if p.order_no == order_no]
        if table in self._duplicates and table in self.__dict__:  # as problems_of gives them
            getattr(self, table).get(order_no)
            problems += self._duplicates[table].get(order_no, [])
        return problems

    def _group(self, table: str, order_no: str) -> list[Any] | None:
        """The records of one order in sheet order, or None to go through the whole table."""
        if table in self._records:
            return None
        group = self._table(table).group(order_no)
        if group is None:
            return None
        return [record for record, _ in group if record is not None]

    # -- by order ----------------------------------------------------------------------------
    @cached_property
    def orders(self) -> OrderMap[Order]:
        """Orders by number; a duplicated number is a problem on the later row."""
        found = OrderMap(self._order, self._all_orders)
        if "orders" in self._records:
            found.whole()
        return found

    def _order(self, order_no: str) -> Order | None:
        group = self._group("orders", order_no)
        if group is None:
            return self.orders.whole().get(order_no)
        if group:
            self._duplicates["orders"][order_no] = [
                _duplicate_order(o, group[0]) for o in group[1:]
            ]
        return group[0] if group else None

    def _all_orders(self) -> dict[str, Order]:
        by_no: dict[str, Order] = {}
        duplicates: dict[str, list[Problem]] = defaultdict(list)
        for order in self.records("orders"):
            first = by_no.get(order.order_no)
            if first is not None:
                duplicates[order.order_no].append(_duplicate_order(order, first))
                continue
            by_no[order.order_no] = order
        self._duplicates["orders"] = dict(duplicates)
        return by_no

    @cached_property
    def lines(self) -> OrderMap[list[OrderLine]]:
        found = OrderMap(self._lines_of, self._all_lines)
        if "lines" in self._records:
            found.whole()
        return found

    def _lines_of(self, order_no: str) -> list[OrderLine] | None:
        group = self._group("lines", order_no)
        if group is None:
            return self.lines.whole().get(order_no)
        kept, duplicates = _unique_lines(group)
        self._duplicates["lines"][order_no] = duplicates
        return kept or None

    def _all_lines(self) -> dict[str, list[OrderLine]]:
        kept, duplicates = _unique_lines(self.records("lines"))
        by_order: dict[str, list[OrderLine]] = defaultdict(list)
        for line in kept:
            by_order[line.order_no].append(line)
        found: dict[str, list[Problem]] = defaultdict(list)
        for problem in duplicates:
            found[problem.order_no or ""].append(problem)
        self._duplicates["lines"] = dict(found)
        return dict(by_order)

    def by_order(self, table: str) -> OrderMap[list[Any]]:
        """A table's records by order number (a new list on each look-up)."""

        def one(order_no: str) -> list[Any] | None:
            group = self._group(table, order_no)
            if group is None:
                return mapping.whole().get(order_no)
            return group or None

        def whole() -> dict[str, list[Any]]:
            grouped: dict[str, list[Record]] = defaultdict(list)
            for record in self.records(table):
                grouped[getattr(record, "order_no", None) or ""].append(record)
            return dict(grouped)

        mapping: OrderMap[list[Any]] = OrderMap(one, whole)
        return mapping

    # -- open orders ---------------------------------------------------------------------------
    def open_orders(
        self, considered: Considered | None = None
    ) -> tuple[dict[str, Order], dict[str, list[OrderLine]]]:
        """The open orders (``OPEN_STATUSES``) by number and their lines, as ``orders`` and
        ``lines`` give them. A store that can select them (``read_open``: the SQL store) is
        asked for those rows only, and of those for the ones ``considered`` names when given
        (an order's lines all come with it); otherwise the whole tables are read and filtered,
        and all open orders are given."""
        found = self._open.get(considered)
        if found is None:
            read_open = getattr(self.store, "read_open", None)
            whole = "orders" in self._records or "lines" in self._records
            order_rows = read_open("orders", considered) if read_open and not whole else None
            line_rows = read_open("lines", considered) if order_rows is not None else None
            if order_rows is None or line_rows is None:
                orders = {n: o for n, o in self.orders.items() if o.status in OPEN_STATUSES}
                lines = {n: self.lines.get(n, []) for n in orders}
                found = (orders, lines, self.loose_problems_whole)
            else:
                found = self._open_from(order_rows, line_rows)
            self._open[considered] = found
        orders, lines, self._loose = found
        return orders, lines

    def loose_problems(self, table: str) -> list[Problem]:
        """The problems of ``table`` (orders or lines) on rows that name no order (as the last
        read of the open orders found them; it reads all of them when none was made)."""
        if self._loose is None:
            self.open_orders()
        assert self._loose is not None
        return self._loose(table)

    def loose_problems_whole(self, table: str) -> list[Problem]:
        return [p for p in self.problems_of(table) if not p.order_no]

    def _open_from(self, order_rows: list[Row], line_rows: list[Row]) -> Any:
        """Open orders and lines from the rows a store selected (orders first: the lines'
        currency is their order's); the first row of a number is the order, as in ``orders``."""
        parsed: dict[str, list[Parsed]] = {"orders": [], "lines": []}
        orders: dict[str, Order] = {}
        table = self._table("orders")
        for raw in order_rows:
            parsed["orders"].append(found := table.parse(raw))
            order = found[0]
            if order is not None and order.order_no not in orders:
                orders[order.order_no] = order
        default = self.settings.currency
        lines_table = self._table("lines")
        by_order: dict[str, list[OrderLine]] = defaultdict(list)
        for raw in line_rows:
            key = str(raw.values.get("order_no") or "").strip()
            order = orders.get(key)
            currency = order.currency_code if order is not None else default
            parsed["lines"].append(found := lines_table.parse(raw, {"currency": currency}))
            line = found[0]
            if line is not None:
                by_order[line.order_no].append(line)
        kept = {n: o for n, o in orders.items() if o.status in OPEN_STATUSES}
        lines = {n: _unique_lines(by_order.get(n, []))[0] for n in kept}

        def loose(name: str) -> list[Problem]:
            return [p for _, found in parsed[name] for p in found if not p.order_no]

        return kept, lines, loose

    # -- one PO / contract number ----------------------------------------------------------------
    def orders_with_po(self, po: str | None) -> list[Order]:
        """The orders that may carry the PO / contract number ``po`` (as ``same_po`` compares
        it), each as ``orders`` gives it: a store that can look them up (``read_po``: the SQL
        store) is asked for their rows; otherwise every order is given."""
        read_po = getattr(self.store, "read_po", None)
        rows = read_po(po_key(po)) if read_po is not None else None
        if rows is None:
            return list(self.orders.values())
        table = TABLES["orders"]
        numbers = dict.fromkeys(_order_key(table, raw.values.get("order_no")) for raw in rows)
        found = (self.orders.get(no) for no in numbers if no)  # the number's first row
        return [order for order in found if order is not None]

    # -- whole tables --------------------------------------------------------------------------
    @cached_property
    def customers(self) -> dict[str, Customer]:
        return {c.customer_code: c for c in self.records("customers")}

    @cached_property
    def products(self) -> dict[str, Product]:
        return {p.product_code: p for p in self.records("products")}

    @cached_property
    def settings(self) -> Settings:
        return Settings.from_records(
            self.records("settings"),
            self.records("staff"),
            self.records("time_limits"),
            self.records("dept_mail"),
        )

    @cached_property
    def settings_rows(self) -> dict[str, int]:
        return {s.key: s.row for s in self.records("settings") if s.row is not None}

    @cached_property
    def ledger(self) -> list[LedgerEntry]:
        return self.records("ledger")


def _row(problem: Problem) -> int:
    return problem.row or 0


def _duplicate_order(order: Order, first: Order) -> Problem:
    return Problem(
        "error.duplicate_order",
        {"order_no": order.order_no, "other": first.row},
        "orders",
        order.row,
        "order_no",
        order.order_no,
    )


def _unique_lines(lines: list[OrderLine]) -> tuple[list[OrderLine], list[Problem]]:
    """Lines without repeated (order, line number); each repeat is a problem on its row."""
    kept: list[OrderLine] = []
    duplicates: list[Problem] = []
    seen: set[tuple[str, int]] = set()
    for line in lines:
        key = (line.order_no, line.line_no)
        if key in seen:
            duplicates.append(
                Problem(
                    "error.duplicate_line",
                    {"order_no": line.order_no, "line_no": line.line_no},
                    "lines",
                    line.row,
                    "line_no",
                    line.order_no,
                )
            )
            continue
        seen.add(key)
        kept.append(line)
    return kept, duplicates
