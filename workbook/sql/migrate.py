"""The schema's migrations (alembic, in ``migrations/``), run from code: users need no
alembic.ini. Batch mode lets the same migrations alter tables on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, Engine

from workbook.store import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(config()).get_heads())


def current(engine: Engine) -> str | None:
    """The database's revision (None: not initialised)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(
    engine: Engine, revision: str = "head", then: Callable[[Connection], None] | None = None
) -> None:
    """Bring the database's schema to ``revision``, and run ``then`` (filling a new database),
    in one transaction."""
    cfg = config()
    with engine.connect() as conn, conn.execution_options(immediate=True).begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if then is not None:
            then(conn)


def ensure_current(engine: Engine, url: URL | str) -> None:
    """Refuse a database that is not initialised, or whose schema is not this version's."""
    from sqlalchemy.exc import SQLAlchemyError

    from workbook.sql.url import mask

    try:
        found = current(engine)
    except SQLAlchemyError as exc:
        from workbook.sql.errors import database_error

        raise database_error(exc, mask(url)) from exc
    if found is None:
        raise StoreError("server.not_initialised", url=mask(url))
    if found not in heads():
        revisions = ScriptDirectory.from_config(config())
        known = {rev.revision for rev in revisions.walk_revisions()}
        key = "server.needs_upgrade" if found in known else "server.newer_schema"
        raise StoreError(key, url=mask(url), found=found)
