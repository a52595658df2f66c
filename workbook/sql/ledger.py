"""Appending ledger rows in a commit: under the lock of the chain's head, in commit order.

The rows an action appends carry the seq and hash of the head it read; another commit may have
appended since. Here they are numbered and chained again from the locked head, so the chain
never forks, and the head (``od_ledger_head`` and the settings' ``ledger_head``) moves on.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from addin.core import ledger as core_ledger
from workbook.sql import schema
from workbook.store import StoreError


def lock_head(conn: Connection) -> core_ledger.Chain:
    """The chain's end, locked until the transaction ends (every commit takes this lock first)."""
    head = schema.ledger_head
    query = sa.select(head.c.seq, head.c.hash).where(head.c.id == 1)
    if conn.dialect.name != "sqlite":  # SQLite: BEGIN IMMEDIATE already holds the write lock
        query = query.with_for_update()
    found = conn.execute(query).one_or_none()
    if found is None:
        raise StoreError("server.not_initialised", url="")
    return core_ledger.Chain(int(found.seq), str(found.hash))


def chain_hash(conn: Connection, prev_hash: str, row: dict[str, Any]) -> str:
    """The hash of one ledger row continuing ``prev_hash``: the file mode's SHA-256 chain."""
    return core_ledger.row_hash(prev_hash, row)


def chain(conn: Connection, head: core_ledger.Chain, rows: list[dict[str, Any]]) -> list[dict]:
    """The rows numbered and hashed from ``head`` (which moves to the last of them)."""
    chained = []
    for fields in rows:
        row = dict(fields, seq=head.seq + 1)
        row["hash"] = chain_hash(conn, head.hash, row)
        head.seq, head.hash = row["seq"], row["hash"]
        chained.append(row)
    return chained


def save_head(conn: Connection, head: core_ledger.Chain) -> None:
    conn.execute(
        sa.update(schema.ledger_head)
        .where(schema.ledger_head.c.id == 1)
        .values(seq=head.seq, hash=head.hash)
    )
