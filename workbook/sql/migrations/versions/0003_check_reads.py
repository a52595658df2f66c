"""What the preliminary check of named orders selects by (``SqlStore.read_open``,
``SqlStore.read_po``): indexes on the orders' status and the lines' delivery date, and
``od_orders.po_key``, the PO / contract number as the check compares it (stripped, casefolded),
indexed, filled here for the rows there are.

Self-contained on purpose (a migration is frozen): the key is computed here as
``addin.core.forms.po_key`` computes it today.

Revision ID: 0003_check_reads
Revises: 0002_server_security
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_check_reads"
down_revision = "0002_server_security"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_od_orders_po_key", "od_orders", "po_key"),
    ("ix_od_orders_status", "od_orders", "status"),
    ("ix_od_lines_delivery_date", "od_lines", "delivery_date"),
)


def upgrade() -> None:
    with op.batch_alter_table("od_orders") as batch:
        batch.add_column(sa.Column("po_key", sa.Text(), nullable=True))
    orders = sa.table(
        "od_orders", sa.column("row_id"), sa.column("customer_po"), sa.column("po_key")
    )
    conn = op.get_bind()
    found = conn.execute(
        sa.select(orders.c.row_id, orders.c.customer_po).where(orders.c.customer_po.is_not(None))
    ).all()
    for row_id, po in found:
        key = po.strip().casefold()
        if key:
            conn.execute(sa.update(orders).where(orders.c.row_id == row_id).values(po_key=key))
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("od_orders") as batch:
        batch.drop_column("po_key")
