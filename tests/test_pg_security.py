"""Server-side security on PostgreSQL (migration 0002), against the real server, logging in as
the owner, a staff login of the application role, and a settings editor."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from foundation_fixtures import NOW, check, cli, order_rows, receive_rows, seeded_workbook
from pg_server import admin_connect

from addin.core import ledger as core_ledger
from addin.i18n import t
from addin.services import review
from workbook.sql import admin, security
from workbook.sql.engine import dispose_all
from workbook.sql.store import SqlStore
from workbook.store import ChangeSet, StoreError

APP_ROLE = security.DEFAULT_APP_ROLE
ORDER_MANAGER, SALES = "孙丽", "吴刚"  # the seeded roster's order management and sales staff


def login_url(url: str, login: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{login}@{parts.hostname}:{parts.port}"))


@dataclass
class Site:
    """A database set up by its owner (the test server's superuser), with logins."""

    url: str  # the owner's
    clerk: str  # a staff login, member of the application role only
    editor: str  # a staff login, member of the application role and of the editors' role
    editors_role: str

    def connect(self, login: str | None = None) -> psycopg.Connection:
        return psycopg.connect(login_url(self.url, login) if login else self.url, autocommit=True)

    def refused(self, login: str, sql: str, params: Any = None) -> psycopg.Error:
        with self.connect(login) as conn, pytest.raises(psycopg.Error) as caught:
            conn.execute(sql, params)
        return caught.value


@pytest.fixture
def roles(pg_server_url: str) -> Iterator[list[str]]:
    """Role names a test creates, dropped after its database (set up before ``pg_url``)."""
    created: list[str] = []
    yield created
    with admin_connect(pg_server_url) as conn:
        for name in reversed(created):
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def create_role(server_url: str, roles: list[str], suffix: str, *options: str) -> str:
    name = f"od_t{uuid.uuid4().hex[:8]}_{suffix}"
    with admin_connect(server_url) as conn:
        conn.execute(f'CREATE ROLE "{name}" {" ".join(options)}')
    roles.append(name)
    return name


@pytest.fixture
def site(roles: list[str], pg_url: str, tmp_path: Path) -> Iterator[Site]:
    """The seeded master workbook with one order received and checked, imported by the owner;
    a clerk and an editor login (the editor's role is not named in the settings yet)."""
    book = seeded_workbook(tmp_path)
    receive_rows(book, order_rows("SO-1"))
    check(book, ["SO-1"])
    admin.import_workbook(book, pg_url)
    clerk = create_role(pg_url, roles, "clerk", "LOGIN", "IN ROLE", APP_ROLE)
    editors = create_role(pg_url, roles, "editors", "NOLOGIN")
    editor = create_role(pg_url, roles, "editor", "LOGIN", "IN ROLE", APP_ROLE, ",", editors)
    yield Site(pg_url, clerk, editor, editors)
    dispose_all()


def set_setting(site: Site, key: str, value: str) -> None:
    with site.connect() as conn:
        done = conn.execute("UPDATE od_settings SET value = %s WHERE key = %s", (value, key))
        if done.rowcount == 0:
            conn.execute("INSERT INTO od_settings (key, value) VALUES (%s, %s)", (key, value))


def append_ledger(conn: psycopg.Connection, user: str, details: str) -> tuple[int, str, str]:
    return conn.execute(
        'INSERT INTO od_ledger (seq, "time", "user", order_no, action, details, hash) '
        "VALUES (999, %s, %s, 'SO-1', 'note', %s, 'forged') RETURNING seq, hash, \"user\"",
        (NOW, user, details),
    ).fetchone()


def ledger_rows(site: Site) -> list[tuple[Any, ...]]:
    with site.connect() as conn:
        return conn.execute(
            'SELECT row_id, seq, "time", "user", order_no, action, status_before, status_after,'
            " details, hash, digest FROM od_ledger ORDER BY seq"
        ).fetchall()


def fields(row: tuple[Any, ...]) -> dict[str, Any]:
    keys = ("seq", "time", "user", "order_no", "action", "status_before", "status_after")
    return dict(zip((*keys, "details"), row[1:9], strict=True), digest=row[10])


def chain_problems(site: Site, login: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    url = login_url(site.url, login) if login else site.url
    with SqlStore.open(url) as store, store.engine.connect() as conn:
        found = security.chain_problems(conn)
    assert found is not None
    return [(p.key, p.params) for p in found]


# -- the ledger ---------------------------------------------------------------------------
def test_the_server_numbers_and_keys_the_chain_and_the_key_stays_hidden(site: Site) -> None:
    with site.connect(site.clerk) as conn:
        first = append_ledger(conn, site.clerk, "one")
        second = append_ledger(conn, site.clerk, "two")
        assert conn.execute("SELECT seq, hash FROM od_ledger_head").fetchone() == second[:2]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT secret FROM od_private.ledger_key")
    rows = ledger_rows(site)
    imported = len(rows) - 2
    assert imported > 0 and [r[1] for r in rows] == list(range(1, len(rows) + 1))
    assert (first[0], second[0]) == (imported + 1, imported + 2)
    with site.connect() as conn:  # the owner may read the key: the hash is its HMAC
        secret = conn.execute("SELECT secret FROM od_private.ledger_key").fetchone()[0]
    prev = core_ledger.GENESIS
    for row in rows:
        text = core_ledger.row_text(prev, fields(row))
        assert row[9] == hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()
        assert row[9] != core_ledger.row_hash(prev, fields(row))  # not the file mode's hash
        prev = row[9]
    assert chain_problems(site, site.clerk) == []


def test_rows_of_one_transaction_chain_on_and_the_head_moves_once_at_commit(site: Site) -> None:
    """The head is rewritten once per transaction, not once per row (rewriting one row many
    times in a transaction makes a bulk append quadratic)."""
    with site.connect() as conn:
        head = conn.execute("SELECT seq, hash FROM od_ledger_head").fetchone()
    with psycopg.connect(login_url(site.url, site.clerk)) as conn:
        appended = [append_ledger(conn, site.clerk, f"bulk {n}") for n in range(3)]
        assert [row[0] for row in appended] == [head[0] + 1, head[0] + 2, head[0] + 3]
        in_transaction = conn.execute("SELECT seq, hash FROM od_ledger_head")
        assert in_transaction.fetchone() == head  # not moved yet
        conn.commit()
    with site.connect() as conn:
        assert conn.execute("SELECT seq, hash FROM od_ledger_head").fetchone() == appended[-1][:2]
        value = conn.execute("SELECT value FROM od_settings WHERE key = 'ledger_head'")
        assert value.fetchone() == (f"{appended[-1][0]}:{appended[-1][1]}",)
    assert chain_problems(site) == []


def test_logins_appending_at_once_never_fork_the_chain(site: Site) -> None:
    """Four logins' connections append at the same moment, each row its own transaction, with
    no lock taken by the program: the server's lock of the head orders them."""
    from concurrent.futures import ThreadPoolExecutor

    start = len(ledger_rows(site))

    def append_many(worker: int) -> list[int]:
        with site.connect(site.clerk if worker % 2 else site.editor) as conn:
            return [append_ledger(conn, "x", f"worker {worker} row {n}")[0] for n in range(15)]

    with ThreadPoolExecutor(4) as pool:
        numbers = sorted(n for found in pool.map(append_many, range(4)) for n in found)
    assert numbers == list(range(start + 1, start + 61))
    assert [row[1] for row in ledger_rows(site)] == list(range(1, start + 61))
    assert chain_problems(site) == []


@pytest.mark.parametrize("operation", ["UPDATE", "DELETE", "TRUNCATE"])
def test_the_application_role_cannot_change_the_ledger(site: Site, operation: str) -> None:
    before = ledger_rows(site)
    sql = {
        "UPDATE": "UPDATE od_ledger SET details = 'rewritten' WHERE seq = 1",
        "DELETE": "DELETE FROM od_ledger WHERE seq = 1",
        "TRUNCATE": "TRUNCATE od_ledger",
    }[operation]
    error = site.refused(site.clerk, sql)
    assert error.sqlstate == "42501"
    # A grant made by mistake is still caught: the trigger refuses the write itself.
    with site.connect() as conn:
        conn.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON od_ledger TO {APP_ROLE}")
    error = site.refused(site.clerk, sql)
    refusal = security.refusal(error)
    assert refusal is not None and refusal.key == "security.ledger_append_only"
    assert refusal.params == {"operation": operation}
    assert t(refusal.key, "en", **refusal.params) == (
        f"the ledger is append-only: the database refused {operation} on it (nothing was written)"
    )
    assert t(refusal.key, "zh", **refusal.params) == (
        f"台账只能追加：数据库拒绝了对台账的 {operation}（未写入任何内容）"
    )
    assert ledger_rows(site) == before


def test_the_head_moves_only_with_the_chain(site: Site) -> None:
    with site.connect() as conn:
        head = conn.execute("SELECT seq, hash FROM od_ledger_head").fetchone()
    for login in (site.clerk, None):  # the owner too: the head is the chain's
        with site.connect(login) as conn:
            conn.execute("UPDATE od_ledger_head SET seq = 1, hash = 'x'")
            conn.execute("UPDATE od_settings SET value = '1:x' WHERE key = 'ledger_head'")
            assert conn.execute("SELECT seq, hash FROM od_ledger_head").fetchone() == head
            value = conn.execute("SELECT value FROM od_settings WHERE key = 'ledger_head'")
            assert value.fetchone() == (f"{head[0]}:{head[1]}",)
    assert site.refused(site.clerk, "DELETE FROM od_ledger_head").sqlstate == "42501"
    assert chain_problems(site) == []


def test_editing_a_row_and_recomputing_plain_hashes_is_detected(site: Site) -> None:
    """The owner turns the guards off, edits a row, and rewrites every hash after it and the
    head with the file mode's SHA-256 chain: the keyed check finds the edit."""
    rows = ledger_rows(site)
    assert len(rows) >= 2
    done = cli("verify", site.url, "--json")
    assert (done.code, done.json["problems"]) == (0, [])
    with site.connect() as conn:
        conn.execute("ALTER TABLE od_ledger DISABLE TRIGGER USER")
        conn.execute("ALTER TABLE od_ledger_head DISABLE TRIGGER USER")
        prev = core_ledger.GENESIS
        for index, row in enumerate(rows):
            values = fields(row)
            if index == 1:
                values["details"] = "edited by the owner"
            digest = core_ledger.row_hash(prev, values)
            conn.execute(
                "UPDATE od_ledger SET details = %s, hash = %s WHERE row_id = %s",
                (values["details"], digest, row[0]),
            )
            prev = digest
        conn.execute("UPDATE od_ledger_head SET hash = %s", (prev,))
        conn.execute("ALTER TABLE od_ledger ENABLE TRIGGER USER")
        conn.execute("ALTER TABLE od_ledger_head ENABLE TRIGGER USER")
    # The rows now chain by the file mode's SHA-256; the server's keyed check reports each.
    found = chain_problems(site, site.clerk)
    assert found == [("verify.edited", {"seq": row[1]}) for row in rows]
    done = cli("verify", site.url, "--json", "--lang", "en")
    assert done.code == 1
    assert [(p["code"], p["row"]) for p in done.json["problems"]] == [
        ("verify.edited", row[0]) for row in rows
    ]


def test_a_deleted_row_and_a_cut_chain_are_found(site: Site) -> None:
    with site.connect(site.clerk) as conn:
        append_ledger(conn, site.clerk, "three")
        append_ledger(conn, site.clerk, "four")
    rows = ledger_rows(site)
    with site.connect() as conn:
        conn.execute("ALTER TABLE od_ledger DISABLE TRIGGER USER")
        conn.execute("DELETE FROM od_ledger WHERE seq IN (1, %s)", (rows[-1][1],))
        conn.execute("ALTER TABLE od_ledger ENABLE TRIGGER USER")
    found = chain_problems(site)
    assert found[0] == ("verify.gap", {"seq": 2, "expected": 1})
    assert found[1:] == [("verify.truncated", {"head": rows[-1][1], "last": rows[-2][1]})]


# -- who acts -----------------------------------------------------------------------------
def test_the_ledger_names_the_login_not_the_user_the_program_gives(site: Site) -> None:
    with site.connect(site.clerk) as conn:
        assert append_ledger(conn, "someone else", "x")[2] == site.clerk
    set_setting(site, security.LOGINS_KEY, f"nobody=无名; {site.clerk.upper()} = {SALES}")
    with site.connect(site.clerk) as conn:
        assert append_ledger(conn, ORDER_MANAGER, "y")[2] == SALES
    with site.connect() as conn:  # the owner (db import) keeps the user it gives
        assert append_ledger(conn, "王五", "z")[2] == "王五"
    assert chain_problems(site) == []


def test_an_action_runs_as_the_login_and_a_different_user_is_refused(site: Site) -> None:
    set_setting(site, security.LOGINS_KEY, f"{site.clerk}={ORDER_MANAGER}")
    with SqlStore.open(login_url(site.url, site.clerk)) as store:
        with store.engine.connect() as conn:
            acting, login = security.acting_user(conn), security.login(conn)
        assert (acting, login) == (ORDER_MANAGER, site.clerk)
        with pytest.raises(StoreError) as refused:
            security.resolve_user(SALES, acting, login)
        assert refused.value.key == "security.user_not_login"
        assert t(refused.value.key, "en", **refused.value.params) == (
            f"in server mode the acting user is the database login: {site.clerk} acts as "
            f"{ORDER_MANAGER}, not as --user {SALES} (nothing was done)"
        )
        assert t(refused.value.key, "zh", **refused.value.params) == (
            f"服务器模式下操作人就是登录数据库的账户：登录 {site.clerk} 以职员 {ORDER_MANAGER} "
            f"的身份操作，不能用 --user {SALES}（未执行任何操作）"
        )
        user = security.resolve_user(None, acting, login)
        assert security.resolve_user(f" {ORDER_MANAGER} ", acting, login) == ORDER_MANAGER
        # The application role's privileges carry a whole action.
        review.start(store, "SO-1", user=user, now=datetime(2026, 11, 28, 10, 0))
    last = ledger_rows(site)[-1]
    assert (last[3], last[4]) == (ORDER_MANAGER, "SO-1")
    assert chain_problems(site, site.clerk) == []


def test_elsewhere_the_user_is_the_one_given() -> None:
    assert security.resolve_user("张三", None) == "张三"
    assert security.resolve_user(None, None) is None


# -- roster and settings ------------------------------------------------------------------
WRITES = {
    "staff": "UPDATE od_staff SET role = 'manager' WHERE name = %s",
    "settings": "UPDATE od_settings SET value = 'no' WHERE key = 'credit_check'",
    "new_setting": "INSERT INTO od_settings (key, value) VALUES ('company', 'X')",
    "editors": "INSERT INTO od_settings (key, value) VALUES ('settings_editor_roles', %s)",
    "time_limits": "DELETE FROM od_time_limits",
    "dept_mail": "UPDATE od_dept_mail SET emails = 'x@example.com'",
    "truncate_staff": "TRUNCATE od_staff",
}


def settings_state(site: Site) -> list[Any]:
    with site.connect() as conn:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY row_id").fetchall()
            for table in ("od_staff", "od_settings", "od_time_limits", "od_dept_mail")
        ]


@pytest.mark.parametrize("write", WRITES)
def test_a_login_not_in_the_editors_roles_cannot_change_roster_or_settings(
    site: Site, write: str
) -> None:
    set_setting(site, security.EDITORS_KEY, site.editors_role)
    before = settings_state(site)
    param = {"staff": (SALES,), "editors": (site.clerk,)}.get(write)
    error = site.refused(site.clerk, WRITES[write], param)
    assert error.sqlstate == "42501"
    refusal = security.refusal(error)
    assert refusal is not None
    if write != "truncate_staff":  # TRUNCATE is not granted at all
        assert refusal.key == "security.settings_editors_only"
        table = {"staff": "OD_Staff", "time_limits": "OD_TimeLimits", "dept_mail": "OD_DeptMail"}
        assert refusal.params == {"table": table.get(write, "OD_Settings")}
    assert settings_state(site) == before


def test_the_editors_the_settings_name_may_change_them(site: Site) -> None:
    update = WRITES["staff"]
    # Named nowhere yet: only the owner may.
    assert site.refused(site.editor, update, (SALES,)).sqlstate == "42501"
    set_setting(site, security.EDITORS_KEY, f"someone_else, {site.editors_role}")
    with site.connect(site.editor) as conn:
        assert conn.execute(update, (SALES,)).rowcount == 1
        conn.execute("INSERT INTO od_settings (key, value) VALUES ('extra', '1')")
    with site.connect() as conn:
        role = conn.execute("SELECT role FROM od_staff WHERE name = %s", (SALES,)).fetchone()
    assert role == ("manager",)


def test_a_refused_store_commit_writes_nothing(site: Site) -> None:
    """Through the store: the roster change and the order change of one commit are refused
    together by the server."""
    before = settings_state(site)
    with SqlStore.open(login_url(site.url, site.clerk)) as store:
        staff = next(r for r in store.read("staff") if r.values["name"] == SALES)
        order = store.read("orders")[0]
        changes = ChangeSet()
        changes.update("orders", order.row, "remarks", "changed with the roster")
        changes.update("staff", staff.row, "email", "forged@example.com")
        with pytest.raises(StoreError) as refused:
            store.commit(changes)
    assert refused.value.key == "security.settings_editors_only"
    assert refused.value.params == {"table": "OD_Staff"}
    assert t(refused.value.key, "en", **refused.value.params) == (
        "only the database roles the setting settings_editor_roles names may change OD_Staff: "
        "the database refused the write (nothing was written)"
    )
    assert t(refused.value.key, "zh", **refused.value.params) == (
        "只有设置 settings_editor_roles 中列出的数据库角色才能修改 OD_Staff：数据库拒绝了该写入"
        "（未写入任何内容）"
    )
    assert settings_state(site) == before
    with site.connect() as conn:
        remarks = conn.execute("SELECT remarks FROM od_orders").fetchall()
    assert ("changed with the roster",) not in remarks


def test_the_application_role_can_be_named(
    roles: list[str], pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"od_t{uuid.uuid4().hex[:8]}_app"  # the migration creates it
    roles.append(name)
    monkeypatch.setenv(security.APP_ROLE_ENV, name)
    admin.init(pg_url)
    dispose_all()
    with admin_connect(pg_url) as conn:
        assert conn.execute("SELECT od_app_role()").fetchone() == (name,)
        granted = conn.execute(
            "SELECT has_table_privilege(%s, 'od_ledger', 'INSERT'),"
            " has_table_privilege(%s, 'od_ledger', 'UPDATE'),"
            " has_table_privilege(%s, 'od_orders', 'UPDATE')",
            (name, name, name),
        ).fetchone()
    assert granted == (True, False, True)


def test_the_migration_goes_down_to_the_base_and_up_again(site: Site) -> None:
    """Down: the rows go back to the file mode's SHA-256 chain and the guards go; up again:
    they join the new key. A link broken before stays broken both ways."""
    from alembic import command

    from workbook.sql import migrate
    from workbook.sql.engine import engine_for
    from workbook.sql.url import parse

    with site.connect(site.clerk) as conn:
        for n in range(3):
            append_ledger(conn, site.clerk, f"row {n}")
    engine = engine_for(parse(site.url))
    cfg = migrate.config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001_base")
    rows = ledger_rows(site)
    prev = core_ledger.GENESIS
    for row in rows:
        assert row[9] == core_ledger.row_hash(prev, fields(row))
        prev = row[9]
    with site.connect() as conn:
        assert conn.execute("SELECT to_regnamespace('od_private')").fetchone() == (None,)
        assert conn.execute("SELECT hash FROM od_ledger_head").fetchone() == (prev,)
        head = conn.execute("SELECT value FROM od_settings WHERE key = 'ledger_head'")
        assert head.fetchone() == (f"{rows[-1][1]}:{prev}",)
        conn.execute("UPDATE od_ledger SET details = 'edited while unguarded' WHERE seq = 2")
    migrate.upgrade(engine)
    assert migrate.current(engine) in migrate.heads()
    assert site.refused(site.clerk, "DELETE FROM od_ledger").sqlstate == "42501"
    assert chain_problems(site) == [("verify.edited", {"seq": 2})]
    done = cli("verify", site.url, "--json")
    chain = [p["code"] for p in done.json["problems"] if p["table"] == "ledger"]
    assert (done.code, chain) == (1, ["verify.edited"])


def test_a_staff_login_may_read_every_table_of_the_schema(site: Site) -> None:
    """Every table the store reads is granted to the application role (a table added to the
    schema without its grant would fail every action on it)."""
    from workbook.sql.schema import TABLES as SQL_TABLES

    with site.connect(site.clerk) as conn:
        for table in SQL_TABLES.values():
            granted = conn.execute(
                "SELECT has_table_privilege(current_user, %s, 'SELECT')", (f"public.{table.name}",)
            ).fetchone()[0]
            assert granted, table.name
