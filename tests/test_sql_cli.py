"""The command line in server mode: a database URL wherever a workbook goes (or --db /
ORDERDESK_DB), the same output and exit codes, and the db commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract.sql_fixtures import acting_as, audit, db_url_fixture, master_db_fixture, sql_store  # noqa: F401
from foundation_fixtures import cli
from lifecycle_fixtures import OM, USERS, master_bytes_fixture  # noqa: F401 - fixtures
from openpyxl import load_workbook

from addin.core.enums import REVIEW_DEPARTMENTS, Decision
from addin.core.schema import TABLES
from addin.services import review
from workbook.dashboard_blocks import NAME_DASHBOARD
from workbook.file_store import FileStore
from workbook.sql import migrate
from workbook.sql import url as urls
from workbook.sql.engine import engine_for


@pytest.fixture(name="book")
def book_fixture(master_bytes: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "master.xlsx"
    path.write_bytes(master_bytes)
    return path


def test_db_init(db_url: str) -> None:
    done = cli("db", "init", db_url, "--lang", "en", "--json")
    assert done.code == 0 and done.json["created"] is True and done.json["lang"] == "en"
    again = cli("db", "init", db_url, "--json")
    assert again.code == 0 and again.json["created"] is False
    assert cli("verify", db_url, "--json").json["ok"] is True
    rows = sql_store(db_url).read("settings")
    assert {r.values["key"] for r in rows} >= {"currency", "task_order_dir"}


def test_init_with_a_url_initialises_the_database(db_url: str) -> None:
    done = cli("init", db_url, "--lang", "zh")
    assert done.code == 0 and migrate.current(engine_for(urls.parse(db_url))) is not None


def test_same_output_on_the_file_and_the_database(master_db: str, book: Path) -> None:
    acting_as(master_db, OM)
    for target in (book, master_db):
        assert cli("review", "start", target, "SO-1", "--user", OM).code == 0
    sales = USERS[REVIEW_DEPARTMENTS[0]]
    acting_as(master_db, sales)
    args = ["SO-1", "--dept", "sales", "--decision", "pass", "--user", sales, "--json"]
    on_file = cli("review", "record", book, *args)
    on_db = cli("review", "record", master_db, *args)
    assert on_db.code == on_file.code == 0
    assert on_db.json == on_file.json
    # A refusal alike: the same department again.
    refused_file = cli("review", "record", book, *args)
    refused_db = cli("review", "record", "--db", master_db, *args)
    assert refused_db.code == refused_file.code == 1
    assert [p["code"] for p in refused_db.json["refused"]] == ["review.already_decided"]
    assert [p["code"] for p in refused_file.json["refused"]] == ["review.already_decided"]


def test_db_option_and_environment(
    master_db: str, book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dept = REVIEW_DEPARTMENTS[1]
    acting_as(master_db, OM)
    assert cli("review", "start", "--db", master_db, "SO-2", "--user", OM).code == 0
    acting_as(master_db, USERS[dept])
    monkeypatch.setenv("ORDERDESK_DB", master_db)
    done = cli("review", "record", "SO-2", "--dept", dept.value, "--decision", "pass",
               "--user", USERS[dept], "--json")  # fmt: skip
    assert done.code == 0, done.err
    assert [r.values["decision"] for r in sql_store(master_db).read("reviews")].count("pass") == 1
    # A workbook named on the command line is used, not the environment's database.
    assert cli("verify", book, "--json").json["data"]["entries"] == 16
    monkeypatch.setenv("ORDERDESK_DB", "sqlite:///" + str(book.parent / "missing" / "x.db"))
    assert cli("verify", book).code == 0
    assert cli("verify").code == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_db_option_with_a_workbook_refused(master_db: str, book: Path, lang: str) -> None:
    done = cli("verify", "--lang", lang, "--db", master_db, book)
    assert done.code == 2
    assert ("不要同时给出" if lang == "zh" else "not both") in done.err


def test_files_go_under_the_current_directory(
    master_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = sql_store(master_db)
    review.start(store, "SO-1", user=OM)
    for department in REVIEW_DEPARTMENTS:
        review.record(
            sql_store(master_db), "SO-1", department, Decision.PASS, user=USERS[department]
        )
    review.conclude(sql_store(master_db), "SO-1", user=OM)
    work = tmp_path / "desk"
    work.mkdir()
    monkeypatch.chdir(work)
    acting_as(master_db, OM)
    done = cli("release", master_db, "SO-1", "--user", OM, "--json")
    assert done.code == 0, done.err
    files = [Path(f) for f in done.json["files"]]
    assert files and all(f.resolve().parent == work / "task-orders" for f in files)
    assert all(f.exists() for f in files)


def test_import_refuses_a_broken_chain(book: Path, tmp_path: Path) -> None:
    with FileStore.open(book, write=True) as store:
        row = store.read("ledger")[3]
        from workbook.store import ChangeSet

        edit = ChangeSet()
        edit.update("ledger", row.row, "details", "rewritten afterwards")
        store.commit(edit)
    url = f"sqlite:///{tmp_path / 'refused.db'}"
    done = cli("db", "import", book, url, "--lang", "en")
    assert done.code == 1
    assert "chain is broken" in done.out and "nothing was imported" in done.out
    assert "4" in done.err  # the edited row's sequence number is listed
    assert migrate.current(engine_for(urls.parse(url))) is None  # nothing written at all
    zh = cli("db", "import", book, url, "--lang", "zh", "--json")
    assert zh.code == 1 and [p["code"] for p in zh.json["refused"]] == ["verify.edited"]


def test_import_into_a_database_with_records_refused(master_db: str, book: Path) -> None:
    done = cli("db", "import", book, master_db, "--json", "--lang", "en")
    assert done.code == 2 and done.json["error"] == "server.not_empty"


def test_export_is_a_master_workbook(master_db: str, tmp_path: Path) -> None:
    store = sql_store(master_db)
    review.start(store, "SO-3", user=OM)
    out = tmp_path / "export.xlsx"
    done = cli("db", "export", master_db, out, "--json")
    assert done.code == 0, done.err
    assert done.json["orders"] == 8
    verified = cli("verify", out, "--json")
    assert verified.code == 0 and verified.json["data"]["entries"] == 17
    wb = load_workbook(out)
    names = {name for ws in wb.worksheets for name in ws.tables}
    assert names == {table.name for table in TABLES.values()}
    assert NAME_DASHBOARD in wb.defined_names
    assert cli("db", "export", master_db, out).code == 2  # never overwritten unasked
    assert cli("db", "export", master_db, out, "--force").code == 0


def test_password_never_printed(pg_url: str) -> None:
    with_password = (
        pg_url.replace("://", "://postgres:s3cret-pw@", 1)
        if "@" not in pg_url
        else (pg_url.replace("@", ":s3cret-pw@", 1))
    )
    done = cli("db", "init", with_password, "--json")
    assert done.code == 0, done.err
    assert "s3cret-pw" not in done.out and "s3cret-pw" not in done.err
    refused = cli("check", "postgresql://clerk:s3cret-pw@127.0.0.1:1/none")
    assert refused.code == 2 and "s3cret-pw" not in refused.out + refused.err


ENV = {"ORDERDESK_DB": "U"}


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["receive", "--db", "U", "form.xlsx"], {}, ["receive", "U", "form.xlsx"]),
        (["receive", "form.xlsx"], ENV, ["receive", "U", "form.xlsx"]),
        (["check", "--db=U", "SO-1"], {}, ["check", "U", "SO-1"]),
        (["check", "SO-1"], ENV, ["check", "U", "SO-1"]),
        (["check", "book.xlsx", "SO-1"], ENV, ["check", "book.xlsx", "SO-1"]),
        (["check", "sqlite:///o.db"], ENV, ["check", "sqlite:///o.db"]),
        (
            ["review", "record", "--dept", "sales", "SO-1", "--decision", "pass"],
            ENV,
            ["review", "record", "U", "--dept", "sales", "SO-1", "--decision", "pass"],
        ),
        (["track", "--lang", "en", "--pending"], ENV, ["track", "U", "--lang", "en", "--pending"]),
        (["demo"], ENV, ["demo"]),
        (["db", "init", "sqlite:///o.db"], ENV, ["db", "init", "sqlite:///o.db"]),
        (["verify", "book.xlsx"], {}, ["verify", "book.xlsx"]),
    ],
)
def test_where_the_database_stands_for_the_workbook(
    argv: list[str], env: dict[str, str], expected: list[str]
) -> None:
    from addin.cli import _nested, build_parser
    from addin.commands.common import database_argv

    parser = build_parser()
    assert database_argv(argv, parser.prog, _nested, env) == expected


def test_upgrade_brings_an_older_schema_up(db_url: str) -> None:
    from workbook.sql import admin

    engine = engine_for(urls.parse(db_url))
    # A database initialised by a version whose schema was the first revision.
    migrate.upgrade(engine, "0001_base", then=lambda conn: admin.fill(conn, {}, "en", None))
    assert "0001_base" not in migrate.heads()  # a later revision exists to upgrade to
    refused = cli("verify", db_url, "--json", "--lang", "en")
    assert refused.code == 2 and refused.json["error"] == "server.needs_upgrade"
    assert "orderdesk db upgrade" in refused.json["message"]
    done = cli("db", "upgrade", db_url, "--json")
    assert done.code == 0 and done.json["before"] == "0001_base"
    assert done.json["after"] in migrate.heads()
    assert cli("verify", db_url).code == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_view_staying_stale_is_retried_then_refused(
    master_db: str, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from datetime import datetime

    from workbook.sql import retry
    from workbook.sql.store import SqlStore, StaleView

    tries: list[int] = []

    def always_stale(self: SqlStore, changes: object, expected_versions: object = None) -> None:
        tries.append(1)
        raise StaleView("SO-1", "pete", datetime(2026, 3, 2, 10, 5))

    monkeypatch.setattr(SqlStore, "commit", always_stale)
    monkeypatch.setattr(retry, "BASE_DELAY", 0.0)
    acting_as(master_db, OM)
    before = sql_store(master_db).read("ledger")
    done = cli("review", "start", master_db, "SO-1", "--user", OM, "--lang", lang, "--json")
    assert done.code == 1  # refused, nothing written: not a usage error
    assert done.json["error"] == "store.stale" and "pete" in done.json["message"]
    assert len(tries) == retry.ATTEMPTS
    assert sql_store(master_db).read("ledger") == before


def test_import_of_a_repeated_order_number_writes_nothing(book: Path, db_url: str) -> None:
    """The database keeps an order number once: a workbook typed with one twice is refused
    whole (the check reports it in file mode), not half imported."""
    from workbook.store import ChangeSet

    with FileStore.open(book, write=True) as store:
        typed = ChangeSet()
        typed.append("orders", {"order_no": "SO-1", "customer_code": "C1"})
        store.commit(typed)
    done = cli("db", "import", book, db_url, "--json", "--lang", "en")
    assert done.code == 2 and done.json["error"] == "server.constraint"
    assert "already exists" in done.json["message"]
    store = sql_store(db_url)
    assert store.read("orders") == [] and store.read("ledger") == []
