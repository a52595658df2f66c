"""A site set up as the README's "Server mode (PostgreSQL)" says: its SQL run as the server's
superuser (role and database names made unique), ``db init`` and ``db import`` by the owner, a
staff login and an editor login at work, a workbook connected with a staff login."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from foundation_fixtures import check, cli, order_rows, receive_rows, seeded_workbook
from pg_server import admin_connect

from workbook.file_store import FileStore
from workbook.sql import admin, security
from workbook.sql.engine import dispose_all
from workbook.store import ChangeSet, StoreError

README = Path(__file__).resolve().parents[1] / "README.md"
NAMES = ("orderdesk_owner", "orderdesk_app", "orderdesk_admin", "sunli", "wugang", "orderdesk")


def readme_sql() -> list[str]:
    """The statements of the README's server-mode SQL block."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Server mode (PostgreSQL)") :]
    block = section[section.index("<<'SQL'\n") + len("<<'SQL'\n") : section.index("\nSQL\n")]
    return [s.strip() for s in block.split(";") if s.strip()]


def url_as(server_url: str, login: str, database: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(
        parts._replace(netloc=f"{login}@{parts.hostname}:{parts.port}", path="/" + database)
    )


@pytest.fixture
def names(pg_server_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The README's names made unique on the shared test server; dropped afterwards."""
    tag = uuid.uuid4().hex[:8]
    unique = {name: f"{name}_{tag}" for name in NAMES}
    monkeypatch.setenv(security.APP_ROLE_ENV, unique["orderdesk_app"])
    yield unique
    dispose_all()
    with admin_connect(pg_server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{unique["orderdesk"]}" WITH (FORCE)')
        for name in reversed(NAMES[:-1]):
            conn.execute(f'DROP ROLE IF EXISTS "{unique[name]}"')


def as_readme_says(server_url: str, names: dict[str, str]) -> None:
    pattern = re.compile(r"\b(" + "|".join(NAMES) + r")\b")
    with admin_connect(server_url) as conn:
        for statement in readme_sql():
            conn.execute(pattern.sub(lambda m: names[m.group(1)], statement))


def master_workbook(directory: Path, names: dict[str, str]) -> Path:
    """The seeded workbook with an order received and checked, and the README's two settings."""
    book = seeded_workbook(directory)
    receive_rows(book, order_rows("SO-1"))
    check(book, ["SO-1"])
    changes = ChangeSet()
    changes.append("settings", {"key": "settings_editor_roles", "value": names["orderdesk_admin"]})
    logins = f"{names['sunli']}=孙丽; {names['wugang']}=吴刚"
    changes.append("settings", {"key": "staff_logins", "value": logins})
    with FileStore.open(book, write=True) as store:
        store.commit(changes)
    return book


def test_a_site_set_up_as_the_readme_says(
    names: dict[str, str], pg_server_url: str, tmp_path: Path
) -> None:
    as_readme_says(pg_server_url, names)
    database = names["orderdesk"]
    owner = url_as(pg_server_url, names["orderdesk_owner"], database)
    sunli = url_as(pg_server_url, names["sunli"], database)
    wugang = url_as(pg_server_url, names["wugang"], database)
    book = master_workbook(tmp_path, names)

    assert cli("db", "init", owner).code == 0
    done = cli("db", "import", book, owner)
    assert done.code == 0, done.err

    # A staff login acts as its staff member: --user naming someone else is refused, nothing
    # done; without it the action is 孙丽's, and the ledger names her.
    refused = cli("review", "start", sunli, "SO-1", "--user", "吴刚", "--lang", "en")
    assert refused.code == 2
    assert f"{names['sunli']} acts as 孙丽, not as --user 吴刚" in refused.err
    done = cli("review", "start", sunli, "SO-1", "--json")
    assert done.code == 0, done.err
    with psycopg.connect(owner) as conn:
        last = conn.execute('SELECT "user", order_no FROM od_ledger ORDER BY seq DESC LIMIT 1')
        assert last.fetchone() == ("孙丽", "SO-1")
        assert conn.execute("SELECT count(*) FROM od_ledger").fetchone() == (3,)

    # wugang (orderdesk_app only) may not change the roster; sunli (orderdesk_admin) may.
    change = "UPDATE od_staff SET email = 'new@example.com' WHERE name = '吴刚'"
    with psycopg.connect(wugang) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(change)
    found = security.refusal(refused.value)
    assert found is not None and found.key == "security.settings_editors_only"
    with psycopg.connect(sunli) as conn:
        assert conn.execute(change).rowcount == 1

    # Each user connects their own copy with their own login; the chain verifies.
    mine = tmp_path / "mine.xlsx"
    mine.write_bytes(book.read_bytes())
    done = cli("db", "connect", mine, wugang)
    assert done.code == 0, done.err
    done = cli("verify", wugang, "--json")
    assert (done.code, done.json["problems"]) == (0, [])


def test_an_owner_who_may_not_create_the_application_role_is_told_how(
    names: dict[str, str], pg_server_url: str
) -> None:
    owner, database = names["orderdesk_owner"], names["orderdesk"]
    with admin_connect(pg_server_url) as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN')  # no CREATEROLE
        conn.execute(f'CREATE DATABASE "{database}" OWNER "{owner}"')
    with pytest.raises(StoreError) as caught:
        admin.init(url_as(pg_server_url, owner, database))
    found = security.refusal(caught.value.__cause__ or caught.value)
    assert found is not None and found.key == "security.app_role_missing"
    assert found.params == {"role": names["orderdesk_app"]}
    superuser = urlsplit(pg_server_url).username or ""
    with admin_connect(url_as(pg_server_url, superuser, database)) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchone() == (0,)  # nothing was written
