"""Databases for the SQL store's tests: a SQLite file and a fresh PostgreSQL database (H2's
``pg_url``), as one parametrised fixture ``db_url``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbook.sql.engine import dispose_all

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS, name="db_url")
def db_url_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'orderdesk.db'}"
    else:
        yield request.getfixturevalue("pg_url")
    dispose_all()
