"""The rows a period's statistics can need (``SqlStore.read_period``), one query per table.

The figures (:mod:`addin.core.statistics`) count each fact by its own date, and the overdue,
at-risk and backlog figures look at every open order. So an order can matter to the figures of
the days ``first``..``last`` (:func:`addin.core.statistics.read_span`) only when

- it was received in those days, or has no received date (then its first ledger row's day
  counts), or is open (its status is blank or not one of ``FINISHED``);
- or one of its tracking facts, complaints or ledger rows is dated in those days;
- or it carries a label: the first order of each customer (code and name as stored) and the
  first order with a line of each product (the figures name a customer or a product by its
  first order's text).

Such orders are read with all their rows in every table, so the core computes each of their
figures from the same rows as from a whole read; the others have no fact the period counts.
Complaints dated in the span are read whatever their order (received complaints count them
all). Rows that may not parse (cells kept raw, a required column blank) of the tables whose
problems the figures report are read too, so they are reported as a whole read reports them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from addin.core.models import MODELS
from addin.core.statistics import FINISHED, REPORTED_TABLES
from workbook.sql import schema

# The tables an order's statistics read; the others are read whole.
PERIOD_TABLES = ("orders", "lines", "tracking", "complaints", "ledger")


def period_query(table: str, first: date, last: date | None) -> sa.Select[Any]:
    """The query of ``table``'s rows that the figures of ``first``..``last`` can need, in
    row order. Each way a row is wanted is a query of its own, joined by UNION (an OR of
    subqueries would be re-run for every row by PostgreSQL's planner)."""
    sql = schema.TABLES[table]
    wanted = [sa.select(sql.c.row_id).where(sql.c.order_key.in_(order_keys(first, last)))]
    if table == "complaints":
        wanted.append(sa.select(sql.c.row_id).where(_within(sql.c.date, first, last)))
    if table in REPORTED_TABLES:
        wanted.append(sa.select(sql.c.row_id).where(maybe_unreadable(table)))
    return sa.select(sql).where(sql.c.row_id.in_(sa.union(*wanted))).order_by(sql.c.row_id)


def order_keys(first: date, last: date | None) -> sa.CompoundSelect:
    """The order keys of the orders that can matter (see the module doc)."""
    orders, lines = schema.TABLES["orders"], schema.TABLES["lines"]
    tracking, complaints = schema.TABLES["tracking"], schema.TABLES["complaints"]
    ledger = schema.TABLES["ledger"]
    finished = sorted(s.value for s in FINISHED)
    customers = (
        sa.select(sa.func.min(orders.c.row_id))
        .where(orders.c.order_key.is_not(None))
        .group_by(orders.c.customer_code, orders.c.customer_name)
    )
    products = (
        sa.select(sa.func.min(orders.c.row_id))
        .join(lines, lines.c.order_key == orders.c.order_key)
        .where(lines.c.line_no.is_not(None))
        .group_by(lines.c.product_code)
    )
    return sa.union(
        sa.select(orders.c.order_key).where(
            sa.or_(
                _within(orders.c.received_date, first, last),
                orders.c.received_date.is_(None),
                orders.c.status.is_(None),
                orders.c.status.not_in(finished),
            )
        ),
        sa.select(orders.c.order_key).where(orders.c.row_id.in_(customers)),
        sa.select(orders.c.order_key).where(orders.c.row_id.in_(products)),
        sa.select(tracking.c.order_key).where(_within(tracking.c.date, first, last)),
        sa.select(complaints.c.order_key).where(_within(complaints.c.date, first, last)),
        sa.select(ledger.c.order_key).where(_moment_within(ledger.c.time, first, last)),
    )


def maybe_unreadable(table: str) -> Any:
    """Rows that may not parse: a cell kept raw, or a column the record requires blank."""
    sql = schema.TABLES[table]
    required = [n for n, f in MODELS[table].model_fields.items() if f.is_required()]
    # an empty ``raw`` may be stored as JSON null (SQLAlchemy's JSON writes None so)
    kept_raw = sa.and_(sql.c.raw.is_not(None), sa.cast(sql.c.raw, sa.Text) != "null")
    return sa.or_(kept_raw, *(sql.c[name].is_(None) for name in required))


def _within(column: Any, first: date, last: date | None) -> Any:
    if last is None:
        return column >= first
    return column.between(first, last)


def _moment_within(column: Any, first: date, last: date | None) -> Any:
    """A time whose day is in ``first``..``last``."""
    start = column >= datetime.combine(first, time())
    if last is None:
        return start
    return sa.and_(start, column < datetime.combine(last + timedelta(days=1), time()))
