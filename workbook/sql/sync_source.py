"""What a refresh and a connected workbook's button read from the database, each one query.

Over a :class:`workbook.sql.store.SqlStore` these are indexed queries (the ledger after a
sequence, the rows of some orders, the orders' versions); over any other store (a workbook
standing in for the database) they filter the tables read whole, with the same results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from addin.core.parse import CellError, convert
from addin.core.schema import TABLES
from workbook.sql import schema
from workbook.sql.values import decode
from workbook.store import Row, Store

IN_CHUNK = 500  # order numbers per IN (...) list


@dataclass(frozen=True)
class OrderVersion:
    order_no: str
    version: int
    changed_by: str | None
    changed_at: datetime | None


def _engine(source: Store) -> Any:
    return getattr(source, "engine", None)


def _rows(table: str, result: Iterable[Any]) -> list[Row]:
    return [Row(int(v["row_id"]), decode(TABLES[table], v, v["raw"])) for v in result]


def keyed_chain(source: Store) -> bool:
    """Whether the database keys its ledger chain with a secret of its own (PostgreSQL with
    the server's security): then no client can recompute its hashes."""
    engine = _engine(source)
    if engine is None or engine.dialect.name != "postgresql":
        return False
    from workbook.sql import security

    with engine.connect() as conn:
        return security.enforced(conn)


def ledger_since(source: Store, seq: int) -> list[Row]:
    """The ledger rows with ``seq`` at least the given one, in sequence order."""
    engine = _engine(source)
    if engine is not None:
        sql = schema.TABLES["ledger"]
        query = sa.select(sql).where(sql.c.seq >= seq).order_by(sql.c.seq)
        with engine.connect() as conn:
            return _rows("ledger", conn.execute(query).mappings())
    found = [r for r in source.read("ledger") if (_int(r.values.get("seq")) or 0) >= seq]
    return sorted(found, key=lambda r: _int(r.values.get("seq")) or 0)


def rows_of_orders(source: Store, table: str, orders: set[str]) -> list[Row]:
    """The rows of ``table`` naming one of ``orders``, in the database's row order."""
    engine = _engine(source)
    if engine is not None:
        sql = schema.TABLES[table]
        keys = sorted(orders)
        found: list[Row] = []
        with engine.connect() as conn:
            for start in range(0, len(keys), IN_CHUNK):
                query = sa.select(sql).where(sql.c.order_key.in_(keys[start : start + IN_CHUNK]))
                found += _rows(table, conn.execute(query).mappings())
        return sorted(found, key=lambda r: r.row)
    return [r for r in source.read(table) if order_of(table, r.values) in orders]


def order_numbers(source: Store) -> set[str]:
    """Every order number in the database (one query of the indexed key)."""
    engine = _engine(source)
    if engine is not None:
        sql = schema.TABLES["orders"]
        with engine.connect() as conn:
            return {key for (key,) in conn.execute(sa.select(sql.c.order_key)) if key}
    return {no for r in source.read("orders") if (no := order_of("orders", r.values))}


def versions(source: Store, orders: Iterable[str]) -> dict[str, OrderVersion]:
    """The orders' current versions and who changed them last, when."""
    keys = sorted(set(orders))
    engine = _engine(source)
    if engine is None or not keys:
        return {}
    sql = schema.TABLES["orders"]
    out: dict[str, OrderVersion] = {}
    with engine.connect() as conn:
        for start in range(0, len(keys), IN_CHUNK):
            query = sa.select(
                sql.c.order_key, sql.c.lock_version, sql.c.changed_by, sql.c.changed_at
            ).where(sql.c.order_key.in_(keys[start : start + IN_CHUNK]))
            for key, version, by, at in conn.execute(query):
                out[key] = OrderVersion(key, int(version), by, at)
    return out


def order_of(table: str, values: dict[str, Any]) -> str:
    """The order number a row names, as parsing reads it ("" for none)."""
    try:
        found = convert(TABLES[table], "order_no", values.get("order_no"))
    except CellError:
        return ""
    return str(found) if found is not None else ""


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
