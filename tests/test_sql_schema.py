"""The database schema: built from a frozen column list that must follow the workbook's schema,
and reached by the migrations exactly; URLs shown without password; SQLite refused on a network
drive."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from contract.sql_fixtures import db_url_fixture  # noqa: F401 - a fixture

from addin.i18n import t
from workbook.sql import columns, migrate, schema
from workbook.sql import url as urls
from workbook.sql.engine import engine_for
from workbook.store import StoreError


def test_frozen_columns_follow_the_workbook_schema() -> None:
    # A changed TABLES fails here until `python -m workbook.sql.columns --write` (and then the
    # migration test below fails until a migration brings the database along).
    assert columns.from_schema() == columns.COLUMNS


def test_generator_writes_the_schema_columns(tmp_path: Path) -> None:
    copy = tmp_path / "columns_copy.py"
    text = Path(columns.__file__).read_text(encoding="utf-8")
    begin = text.index("COLUMNS: Spec = {")
    end = text.index("# -- generated: end")
    copy.write_text(text[:begin] + "COLUMNS: Spec = {}\n" + text[end:], encoding="utf-8")
    columns.write(copy)
    found: dict = {"__file__": str(copy), "__name__": "columns_copy"}
    exec(compile(copy.read_text(encoding="utf-8"), str(copy), "exec"), found)
    assert found["COLUMNS"] == columns.from_schema()


def _differences(url: str, metadata: sa.MetaData) -> list:
    engine = engine_for(urls.parse(url))
    ours = {table.name for table in schema.metadata.sorted_tables}

    def include(name: str | None, kind: str, parent: dict) -> bool:
        # Tables of other migrations (server security, sync) are not this schema's to compare.
        return kind != "table" or name in ours

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include})
        return compare_metadata(context, metadata)


def test_migrations_build_exactly_the_schema(db_url: str) -> None:
    engine = engine_for(urls.parse(db_url))
    migrate.upgrade(engine)
    assert migrate.current(engine) in migrate.heads()
    assert _differences(db_url, schema.metadata) == []


def test_a_schema_change_without_migration_is_found(db_url: str) -> None:
    migrate.upgrade(engine_for(urls.parse(db_url)))
    spec = dict(columns.COLUMNS)
    spec["orders"] = (*spec["orders"], ("priority", "int"))
    changed = sa.MetaData(naming_convention=schema.NAMING)  # type: ignore[arg-type]
    schema.build(changed, spec)
    for table in (schema.meta, schema.ledger_head, schema.marks):
        table.to_metadata(changed)
    found = _differences(db_url, changed)
    assert [(d[0], d[3].name) for d in found] == [("add_column", "priority")]


def test_first_revision_id() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.config())
    assert scripts.get_base() == "0001_base"


# -- URLs ------------------------------------------------------------------------------------
def test_url_shown_without_password() -> None:
    shown = urls.mask("postgresql://clerk:s3cret@db.example:5432/orders")
    assert "s3cret" not in shown
    assert shown == "postgresql://clerk@db.example:5432/orders"
    assert urls.mask(urls.parse("postgresql://clerk:s3cret@db/orders")).count("s3cret") == 0
    assert "s3cret" not in urls.mask("postgresql://clerk@db/orders?password=s3cret&sslmode=require")


def test_urls_told_from_paths() -> None:
    assert urls.is_url("postgresql://db/orders")
    assert urls.is_url("postgresql+psycopg://db/orders")
    assert urls.is_url("sqlite:///C:/data/orders.db")
    assert not urls.is_url("orders.xlsx")
    assert not urls.is_url("C:\\data\\orders.xlsx")
    assert not urls.is_url("http://example.com/orders.xlsx")


def test_postgresql_uses_psycopg_3() -> None:
    assert urls.parse("postgresql://db/orders").drivername == "postgresql+psycopg"


# -- SQLite on a network drive ---------------------------------------------------------------
LINUX_MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/orders nfs4 rw,relatime 0 0
//fs/share /mnt/share\\040drive cifs rw 0 0
"""
MAC_MOUNTS = """\
/dev/disk1s1 on / (apfs, local, journaled)
//clerk@fs/share on /Volumes/share (smbfs, nodev, nosuid, mounted by clerk)
"""


@pytest.mark.parametrize(
    ("path", "mounts", "fs"),
    [
        ("/mnt/orders/od.db", LINUX_MOUNTS, "nfs4"),
        ("/mnt/share drive/od.db", LINUX_MOUNTS, "cifs"),
        ("/Volumes/share/od.db", MAC_MOUNTS, "smbfs"),
        ("/home/clerk/od.db", LINUX_MOUNTS, None),
        ("/mnt/ordersx/od.db", LINUX_MOUNTS, None),  # a prefix of a name is not inside it
        ("/Users/clerk/od.db", MAC_MOUNTS, None),
    ],
)
def test_network_file_systems_found(path: str, mounts: str, fs: str | None) -> None:
    assert urls.network_fs(Path(path), mounts) == fs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sqlite_on_a_network_drive_refused(lang: str) -> None:
    with pytest.raises(StoreError) as caught:
        urls.refuse_network_drive(Path("/mnt/orders/od.db"), LINUX_MOUNTS)
    assert caught.value.key == "server.sqlite_network"
    message = t(caught.value.key, lang, **caught.value.params)
    assert "/mnt/orders/od.db" in message and "nfs4" in message
    assert ("网络驱动器" if lang == "zh" else "network drive") in message


def test_unc_path_refused() -> None:
    with pytest.raises(StoreError) as caught:
        urls.parse("sqlite:///\\\\fileserver\\share\\orders.db")
    assert caught.value.params["fs"] == "UNC"


def test_local_sqlite_accepted(tmp_path: Path) -> None:
    assert urls.parse(f"sqlite:///{tmp_path / 'od.db'}").database == str(tmp_path / "od.db")


class _Keyring:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def get_password(self, service: str, name: str) -> str | None:
        self.asked.append((service, name))
        return "from-keyring" if name == "postgresql://clerk@db:5432/orders" else None


def test_password_from_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    fake = _Keyring()
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = urls.parse("postgresql://clerk@db:5432/orders")
    assert url.password == "from-keyring"
    assert "from-keyring" not in urls.mask(url)
    assert fake.asked == [("orderdesk", "postgresql://clerk@db:5432/orders")]
    # A password in the URL or the environment comes first; the keyring is not asked.
    assert urls.parse("postgresql://clerk:given@db:5432/orders").password == "given"
    monkeypatch.setenv("PGPASSWORD", "env")
    assert urls.parse("postgresql://clerk@db:5432/orders").password is None  # libpq reads it
    assert len(fake.asked) == 1
