"""The database schema: one table ``od_<key>`` per workbook table, built from the frozen column
list (:mod:`workbook.sql.columns`), plus the tables of server mode itself.

Every table has a surrogate key ``row_id`` (what a store's ``Row.row`` is) and ``raw``: the
cells a typed column cannot hold as given (a quantity typed as "abc" on an order form), kept
as they were so the preliminary check reports them as in file mode. Tables whose rows name an
order also keep ``order_key``, the order number as parsing gives it, indexed: one order's rows
are one indexed query. ``od_orders`` keeps ``po_key`` too, the PO / contract number as the
preliminary check compares it (``addin.core.forms.po_key``): the orders with one number are one
indexed query.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from workbook.sql.columns import COLUMNS, Spec

PREFIX = "od_"
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}
# Keys the procedure's rules rely on (an order number once, a decision once per order, round
# and department, ...). An order number counts as parsing reads it (``order_key``).
UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "orders": (("order_no",),),
    "lines": (("order_no", "line_no"),),
    "reviews": (("order_no", "round", "department"),),
    "task_orders": (("task_no", "revision"),),
    "changes": (("change_no",),),
    "ledger": (("seq",),),
}

# Columns the check of named orders selects by (``SqlStore.read_open``): the open orders among
# all (by status), the lines delivered in the weeks whose capacity it consults.
INDEXED: dict[str, tuple[str, ...]] = {"orders": ("status",), "lines": ("delivery_date",)}


class DecimalText(sa.types.TypeDecorator[Decimal]):
    """A Decimal kept exactly as text (SQLite's numeric is a float: cents would drift)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


def column_type(kind: str) -> sa.types.TypeEngine[Any]:
    """The SQL type of a workbook column's kind (an enum holds its canonical value)."""
    if kind == "int":
        return sa.BigInteger()
    if kind == "money":
        return sa.Numeric().with_variant(DecimalText(), "sqlite")
    if kind == "percent":
        return sa.Float()
    if kind == "date":
        return sa.Date()
    if kind == "datetime":
        return sa.DateTime()
    return sa.Text()  # text, customer, product, enum


def row_id() -> sa.Column[int]:
    return sa.Column(
        "row_id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        sa.Identity(),
        primary_key=True,
    )


def build(metadata: sa.MetaData, spec: Spec) -> dict[str, sa.Table]:
    tables: dict[str, sa.Table] = {}
    for key, columns in spec.items():
        extra: list[Any] = [sa.Column("raw", sa.JSON(), nullable=True)]
        if any(name == "order_no" for name, _ in columns):
            extra.append(sa.Column("order_key", sa.Text(), nullable=True, index=True))
        if key == "orders":  # what the optimistic check compares (see workbook.sql.store)
            extra += [
                sa.Column("lock_version", sa.BigInteger(), nullable=False, server_default="0"),
                sa.Column("changed_by", sa.Text(), nullable=True),
                sa.Column("changed_at", sa.DateTime(), nullable=True),
                sa.Column("po_key", sa.Text(), nullable=True, index=True),
            ]
        extra += [sa.Index(f"ix_{PREFIX}{key}_{name}", name) for name in INDEXED.get(key, ())]
        tables[key] = sa.Table(
            PREFIX + key,
            metadata,
            row_id(),
            *(sa.Column(name, column_type(kind), nullable=True) for name, kind in columns),
            *extra,
            *(
                sa.UniqueConstraint(*("order_key" if n == "order_no" else n for n in names))
                for names in UNIQUE.get(key, ())
            ),
        )
    return tables


metadata = sa.MetaData(naming_convention=NAMING)  # type: ignore[arg-type]
TABLES: dict[str, sa.Table] = build(metadata, COLUMNS)

meta = sa.Table(
    "od_meta",
    metadata,
    sa.Column("key", sa.Text(), primary_key=True),
    sa.Column("value", sa.Text(), nullable=True),
)
# One row: the end of the ledger's chain, locked by every commit (commits are serialised here).
ledger_head = sa.Table(
    "od_ledger_head",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("hash", sa.Text(), nullable=False),
)
# Findings shown at a cell (the workbook's highlight and note), so an export shows them too.
marks = sa.Table(
    "od_marks",
    metadata,
    row_id(),
    sa.Column("table_key", sa.Text(), nullable=False),
    sa.Column("row", sa.BigInteger(), nullable=False),
    sa.Column("column_key", sa.Text(), nullable=False),
    sa.Column("note", sa.Text(), nullable=False),
    sa.UniqueConstraint("table_key", "row", "column_key"),
)
