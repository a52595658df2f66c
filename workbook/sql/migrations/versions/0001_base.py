"""The base schema: one table per workbook table (as of schema version 1), od_meta,
od_ledger_head and od_marks.

Self-contained on purpose: a migration is frozen, so it does not import the current column
list or schema module (a later change to those needs a migration of its own).

Revision ID: 0001_base
Revises:
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001_base"
down_revision = None
branch_labels = None
depends_on = None

# fmt: off
SPEC: dict[str, tuple[tuple[str, str], ...]] = {
    "orders": (
        ("order_no", "text"),
        ("received_date", "date"),
        ("channel", "enum"),
        ("received_by", "text"),
        ("customer_code", "customer"),
        ("customer_name", "text"),
        ("contact", "text"),
        ("contact_info", "text"),
        ("sales_rep", "text"),
        ("currency", "text"),
        ("quality_req", "text"),
        ("packaging_req", "text"),
        ("transport_req", "text"),
        ("status", "enum"),
        ("status_since", "datetime"),
        ("due_date", "date"),
        ("version", "int"),
        ("findings", "text"),
        ("released_at", "datetime"),
        ("progress", "percent"),
        ("inspection", "text"),
        ("shipped_at", "date"),
        ("remarks", "text"),
        ("customer_po", "text"),
        ("final_report_no", "text"),
    ),
    "lines": (
        ("order_no", "text"),
        ("line_no", "int"),
        ("product_code", "product"),
        ("product_name", "text"),
        ("spec", "text"),
        ("quantity", "int"),
        ("unit_price", "money"),
        ("delivery_date", "date"),
        ("delivery_place", "text"),
        ("produced_qty", "int"),
        ("passed_qty", "int"),
        ("shipped_qty", "int"),
        ("delivered_qty", "int"),
        ("promised_date", "date"),
    ),
    "customers": (
        ("customer_code", "text"),
        ("name", "text"),
        ("contact", "text"),
        ("contact_info", "text"),
        ("address", "text"),
        ("credit_limit", "money"),
        ("currency", "text"),
        ("active", "enum"),
    ),
    "products": (
        ("product_code", "text"),
        ("name", "text"),
        ("spec", "text"),
        ("product_group", "text"),
        ("unit", "text"),
        ("list_price", "money"),
        ("price_floor", "money"),
        ("lot_size", "int"),
        ("min_qty", "int"),
        ("lead_time_days", "int"),
        ("active", "enum"),
    ),
    "capacity": (
        ("product_group", "text"),
        ("week_start", "date"),
        ("capacity_qty", "int"),
    ),
    "reviews": (
        ("order_no", "text"),
        ("round", "int"),
        ("department", "enum"),
        ("points", "text"),
        ("decision", "enum"),
        ("reviewer", "text"),
        ("comment", "text"),
        ("decided_at", "datetime"),
    ),
    "task_orders": (
        ("task_no", "text"),
        ("order_no", "text"),
        ("line_no", "int"),
        ("revision", "int"),
        ("batch", "text"),
        ("product_code", "product"),
        ("product_name", "text"),
        ("spec", "text"),
        ("quantity", "int"),
        ("due_date", "date"),
        ("quality_req", "text"),
        ("packaging_req", "text"),
        ("transport_req", "text"),
        ("notes", "text"),
        ("distribution", "text"),
        ("status", "enum"),
        ("issued_at", "datetime"),
        ("issued_by", "text"),
        ("file", "text"),
        ("sent_at", "datetime"),
        ("sent_to", "text"),
        ("sent_via", "text"),
    ),
    "tracking": (
        ("order_no", "text"),
        ("line_no", "int"),
        ("kind", "enum"),
        ("date", "date"),
        ("quantity", "int"),
        ("passed_qty", "int"),
        ("rejected_qty", "int"),
        ("cause", "text"),
        ("measures", "text"),
        ("expected_date", "date"),
        ("carrier", "text"),
        ("recorded_by", "text"),
        ("recorded_at", "datetime"),
        ("remarks", "text"),
    ),
    "changes": (
        ("change_no", "text"),
        ("order_no", "text"),
        ("requested_by", "enum"),
        ("requester", "text"),
        ("requested_at", "datetime"),
        ("reason", "text"),
        ("content", "text"),
        ("impact", "text"),
        ("status", "enum"),
        ("necessity", "text"),
        ("feasibility", "text"),
        ("impact_delivery", "text"),
        ("impact_cost", "text"),
        ("impact_quality", "text"),
        ("reviewed_by", "text"),
        ("reviewed_at", "datetime"),
        ("decided_by", "text"),
        ("decided_at", "datetime"),
        ("decision_comment", "text"),
        ("version", "int"),
        ("date_reason", "text"),
    ),
    "change_reviews": (
        ("change_no", "text"),
        ("order_no", "text"),
        ("department", "enum"),
        ("points", "text"),
        ("opinion", "enum"),
        ("reviewer", "text"),
        ("comment", "text"),
        ("decided_at", "datetime"),
    ),
    "versions": (
        ("order_no", "text"),
        ("version", "int"),
        ("change_no", "text"),
        ("line_no", "int"),
        ("field", "text"),
        ("old_value", "text"),
        ("new_value", "text"),
        ("changed_at", "datetime"),
        ("changed_by", "text"),
    ),
    "complaints": (
        ("complaint_no", "text"),
        ("order_no", "text"),
        ("date", "date"),
        ("customer_code", "customer"),
        ("description", "text"),
        ("severity", "enum"),
        ("status", "enum"),
        ("closed_date", "date"),
    ),
    "ledger": (
        ("seq", "int"),
        ("time", "datetime"),
        ("user", "text"),
        ("order_no", "text"),
        ("action", "text"),
        ("status_before", "text"),
        ("status_after", "text"),
        ("details", "text"),
        ("hash", "text"),
        ("digest", "text"),
    ),
    "settings": (
        ("key", "text"),
        ("value", "text"),
        ("note", "text"),
    ),
    "staff": (
        ("name", "text"),
        ("department", "enum"),
        ("role", "enum"),
        ("email", "text"),
        ("active", "enum"),
    ),
    "time_limits": (
        ("stage", "text"),
        ("days", "int"),
    ),
    "dept_mail": (
        ("department", "enum"),
        ("emails", "text"),
    ),
}
# fmt: on
UNIQUE = {
    "orders": (("order_key",),),
    "lines": (("order_key", "line_no"),),
    "reviews": (("order_key", "round", "department"),),
    "task_orders": (("task_no", "revision"),),
    "changes": (("change_no",),),
    "ledger": (("seq",),),
}


class DecimalText(sa.types.TypeDecorator[Decimal]):
    impl = sa.Text
    cache_ok = True


def _type(kind: str) -> Any:
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
    return sa.Text()


def _row_id() -> sa.Column:
    return sa.Column(
        "row_id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        sa.Identity(),
        primary_key=True,
    )


def upgrade() -> None:
    for key, columns in SPEC.items():
        table = f"od_{key}"
        extra: list[Any] = [sa.Column("raw", sa.JSON(), nullable=True)]
        names = [name for name, _ in columns]
        if "order_no" in names:
            extra.append(sa.Column("order_key", sa.Text(), nullable=True))
        if key == "orders":
            extra += [
                sa.Column("lock_version", sa.BigInteger(), nullable=False, server_default="0"),
                sa.Column("changed_by", sa.Text(), nullable=True),
                sa.Column("changed_at", sa.DateTime(), nullable=True),
            ]
        op.create_table(
            table,
            _row_id(),
            *(sa.Column(name, _type(kind), nullable=True) for name, kind in columns),
            *extra,
            sa.PrimaryKeyConstraint("row_id", name=f"pk_{table}"),
            *(
                sa.UniqueConstraint(*unique, name=f"uq_{table}_{'_'.join(unique)}")
                for unique in UNIQUE.get(key, ())
            ),
        )
        if "order_no" in names:
            op.create_index(f"ix_{table}_order_key", table, ["order_key"])
    op.create_table(
        "od_meta",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_od_meta"),
    )
    op.create_table(
        "od_ledger_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_od_ledger_head"),
    )
    op.create_table(
        "od_marks",
        _row_id(),
        sa.Column("table_key", sa.Text(), nullable=False),
        sa.Column("row", sa.BigInteger(), nullable=False),
        sa.Column("column_key", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_od_marks"),
        sa.UniqueConstraint(
            "table_key", "row", "column_key", name="uq_od_marks_table_key_row_column_key"
        ),
    )


def downgrade() -> None:
    for table in ("od_marks", "od_ledger_head", "od_meta"):
        op.drop_table(table)
    for key in reversed(list(SPEC)):
        op.drop_table(f"od_{key}")
