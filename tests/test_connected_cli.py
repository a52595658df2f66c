"""``orderdesk db connect`` and ``orderdesk db refresh``: a workbook file connected headless."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from foundation_fixtures import cli
from lifecycle_fixtures import OM, build_master
from openpyxl import load_workbook

from addin.core.schema import TABLES
from addin.i18n import t
from addin.services import review
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.sql import admin
from workbook.sql.store import SqlStore
from workbook.sql.sync import NAME_DATABASE, NAME_SEQ, table_contents


@pytest.fixture(scope="module")
def master_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_master(tmp_path_factory.mktemp("connected-cli") / "master.xlsx", "en")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, master_file: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'orders.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    admin.import_workbook(master_file, url)
    return url


def contents(path: Path) -> dict[str, list]:
    with FileStore.open(path) as store:
        return {key: table_contents(key, store.read(key)) for key in TABLES}


def names(path: Path) -> dict[str, str]:
    wb = load_workbook(path)
    return {n: str(d.attr_text) for n, d in wb.defined_names.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_connect_fills_the_workbook_and_refresh_brings_one_orders_rows(
    db_url: str, tmp_path: Path, lang: str
) -> None:
    view = create_master_workbook(tmp_path / "mine.xlsx", lang)  # type: ignore[arg-type]
    done = cli("db", "connect", view, db_url, "--lang", lang)
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[0] == t("sync.connected", lang, workbook=view, url=db_url)
    whole = t("sync.refreshed_whole", lang, url=db_url, seq=16, time="T", rows=0)
    assert lines[1].startswith(whole.split("T")[0])
    export = tmp_path / "export.xlsx"
    admin.export_workbook(db_url, export)
    assert contents(view) == contents(export)
    with SqlStore.open(db_url) as store:
        review.start(store, "SO-2", user=OM)
    done = cli("db", "refresh", view, "--json")
    assert done.code == 0, done.err
    assert done.json["whole"] is False
    assert done.json["orders"] == ["SO-2"]
    assert done.json["seq"] == 17
    admin.export_workbook(db_url, export, force=True)
    assert contents(view) == contents(export)
    assert names(view)[NAME_SEQ] == '"17"'


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refresh_of_a_workbook_not_connected_is_refused(tmp_path: Path, lang: str) -> None:
    view = create_master_workbook(tmp_path / "plain.xlsx", "zh")
    before = view.read_bytes()
    done = cli("db", "refresh", view, "--lang", lang)
    assert done.code == 2
    assert done.err.strip() == t("sync.not_connected", lang, workbook=view)
    assert view.read_bytes() == before


def test_the_workbook_keeps_the_url_without_its_password(
    pg_url: str, tmp_path: Path, master_file: Path
) -> None:
    admin.import_workbook(master_file, pg_url)
    parts = urlsplit(pg_url)
    secret = urlunsplit(
        parts._replace(netloc=f"{parts.username}:s3cret-pw@{parts.hostname}:{parts.port}")
    )
    view = create_master_workbook(tmp_path / "mine.xlsx", "en")
    done = cli("db", "connect", view, secret)
    assert done.code == 0, done.err
    assert "s3cret-pw" not in done.out
    assert names(view)[NAME_DATABASE] == f'"{pg_url}"'
