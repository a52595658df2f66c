"""What an action knows of the workbook: the tables it reads, parsed once, with their problems."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Any

from addin.core.models import (
    Customer,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    Record,
)
from addin.core.parse import parse_table
from addin.core.problems import Problem
from addin.core.settings import Settings
from workbook.store import Store


class Snapshot:
    """Tables are read from the store on first use only, so an action pays for what it needs."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._records: dict[str, list[Any]] = {}
        self.problems: dict[str, list[Problem]] = {}

    def records(self, table: str) -> list[Any]:
        if table not in self._records:
            context_for = None
            if table == "lines":
                currency = {no: o.currency_code for no, o in self.orders.items()}
                default = self.settings.currency
                context_for = lambda raw: {  # noqa: E731
                    "currency": currency.get(str(raw.get("order_no") or "").strip(), default)
                }
            records, problems = parse_table(table, self.store.read(table), context_for)
            self._records[table] = records
            self.problems[table] = problems
        return self._records[table]

    def problems_of(self, table: str) -> list[Problem]:
        self.records(table)
        return self.problems[table]

    @cached_property
    def orders(self) -> dict[str, Order]:
        """Orders by number; a duplicated number is a problem on the later row."""
        by_no: dict[str, Order] = {}
        for order in self.records("orders"):
            first = by_no.get(order.order_no)
            if first is not None:
                self.problems["orders"].append(
                    Problem(
                        "error.duplicate_order",
                        {"order_no": order.order_no, "other": first.row},
                        "orders",
                        order.row,
                        "order_no",
                        order.order_no,
                    )
                )
                continue
            by_no[order.order_no] = order
        return by_no

    @cached_property
    def lines(self) -> dict[str, list[OrderLine]]:
        by_order: dict[str, list[OrderLine]] = defaultdict(list)
        seen: dict[tuple[str, int], int | None] = {}
        for line in self.records("lines"):
            key = (line.order_no, line.line_no)
            if key in seen:
                self.problems["lines"].append(
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
            seen[key] = line.row
            by_order[line.order_no].append(line)
        return dict(by_order)

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

    def by_order(self, table: str) -> dict[str, list[Any]]:
        grouped: dict[str, list[Record]] = defaultdict(list)
        for record in self.records(table):
            grouped[getattr(record, "order_no", None) or ""].append(record)
        return dict(grouped)
