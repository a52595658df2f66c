"""One SQLAlchemy engine per database, set up for the store's transactions.

PostgreSQL runs at READ COMMITTED (the commit takes explicit locks). SQLite waits for a busy
database instead of failing, keeps a write-ahead log so readers do not block the writer, and a
connection opened with the ``immediate`` option begins with ``BEGIN IMMEDIATE``: the commit
holds the write lock from its first statement, so two commits never interleave.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

_ENGINES: dict[str, Engine] = {}


def engine_for(url: URL) -> Engine:
    key = url.render_as_string(hide_password=False)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = _create(url)
    return engine


def _create(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, isolation_level="READ COMMITTED", pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, not by pysqlite
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def dispose_all() -> None:
    """Close every pooled connection (tests dropping their databases)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
