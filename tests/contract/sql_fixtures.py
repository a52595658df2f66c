"""Databases for the SQL store's tests: a SQLite file and a fresh PostgreSQL database (H2's
``pg_url``), as one parametrised fixture ``db_url``; ``master_db``: the lifecycle tests' small
master workbook moved into it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from addin.core.problems import Problem
from addin.services.inquiry import verify
from workbook.sql import admin, schema, security
from workbook.sql import url as urls
from workbook.sql.engine import dispose_all, engine_for
from workbook.sql.store import SqlStore

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS, name="db_url")
def db_url_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'orderdesk.db'}"
    else:
        yield request.getfixturevalue("pg_url")
    dispose_all()


@pytest.fixture(name="master_db")
def master_db_fixture(db_url: str, master_bytes: bytes, tmp_path: Path) -> str:
    """The lifecycle tests' master workbook (eight checked orders) moved into the database."""
    path = tmp_path / "import.xlsx"
    path.write_bytes(master_bytes)
    admin.import_workbook(path, db_url)
    return db_url


def audit(url: str) -> list[Problem]:
    """What ``orderdesk verify`` finds in the database (the chain checked by the server where
    it keeps the chain)."""
    return verify(sql_store(url)).problems


def acting_as(url: str, name: str) -> None:
    """Where the acting user is the database login (PostgreSQL with server security), map the
    tests' login to the staff member ``name`` (the settings' ``staff_logins``)."""
    settings = schema.TABLES["settings"]
    with sql_store(url).engine.begin() as conn:
        if not security.enforced(conn):
            return
        value = f"{security.login(conn)}={name}"
        found = conn.execute(
            sa.update(settings).where(settings.c.key == security.LOGINS_KEY).values(value=value)
        )
        if found.rowcount == 0:
            conn.execute(sa.insert(settings).values(key=security.LOGINS_KEY, value=value))


def sql_store(url: str, cls: type[SqlStore] = SqlStore) -> SqlStore:
    """A store on the database (of class ``cls``), outside a ``with``."""
    parsed = urls.parse(url)
    return cls(engine_for(parsed), parsed)
