"""Connected workbooks: master workbooks that are views of one database, pressed through the
ribbon over xlwings' own front end (the openpyxl engine), against SQLite and PostgreSQL.

Each test imports the lifecycle fixtures' workbook (eight orders, checked) into a fresh
database and connects copies of an empty master workbook to it, as ``orderdesk db connect``
does; the ribbon then acts on the database and refreshes the view.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import xlwings as xw
from lifecycle_fixtures import MANAGER, OM, USERS, build_master
from openpyxl import load_workbook
from pg_server import admin_connect
from xlwings_openpyxl import Engine

import addin.ribbon as ribbon
from addin.core.enums import REVIEW_DEPARTMENTS, Decision, Department, OrderStatus
from addin.core.schema import TABLES
from addin.i18n import t
from addin.services import release, review
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.sql import admin, security
from workbook.sql.engine import dispose_all
from workbook.sql.store import SqlStore
from workbook.sql.sync import NAME_HASH, NAME_SEQ, SyncState, refresh, table_contents
from workbook.sql.sync_views import FileView
from workbook.xlwings_store import XlwingsStore

NOW = datetime(2026, 3, 20, 10, 0)


@pytest.fixture(scope="session")
def master_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_master(tmp_path_factory.mktemp("connected") / "master.xlsx", "en")


STAFF = [*USERS.values(), MANAGER]


@dataclass
class Database:
    url: str  # the owner's
    view_url: str  # what the connected workbooks keep: on PostgreSQL without a login
    logins: dict[str, str]  # staff member → their PostgreSQL login (PGUSER when they press)


@pytest.fixture
def pg_logins(pg_server_url: str) -> Iterator[list[str]]:
    """Logins created for a test, dropped after its database (set up before ``pg_url``)."""
    created: list[str] = []
    yield created
    dispose_all()
    with admin_connect(pg_server_url) as conn:
        for name in created:
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path, master_file: Path) -> Database:
    """A database holding the lifecycle fixtures' workbook; on PostgreSQL each staff member
    has a login in the application role, mapped to their name."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'orders.sqlite'}"
        admin.import_workbook(master_file, url)
        return Database(url, url, {})
    created = request.getfixturevalue("pg_logins")
    url = request.getfixturevalue("pg_url")
    admin.import_workbook(master_file, url)
    logins = {name: f"od_t{uuid.uuid4().hex[:8]}_{name}" for name in STAFF}
    with admin_connect(url) as conn:
        for login in logins.values():
            conn.execute(f'CREATE ROLE "{login}" LOGIN IN ROLE {security.DEFAULT_APP_ROLE}')
            created.append(login)
        mapping = "; ".join(f"{login}={name}" for name, login in logins.items())
        conn.execute(
            "INSERT INTO od_settings (key, value) VALUES (%s, %s)", (security.LOGINS_KEY, mapping)
        )
    parts = urlsplit(url)
    view_url = urlunsplit(parts._replace(netloc=f"{parts.hostname}:{parts.port}"))
    return Database(url, view_url, logins)


@dataclass
class Alert:
    prompt: str
    mode: str | None


class Desk:
    """Connected workbooks open in one "Excel", the ribbon's clock and user set per press."""

    def __init__(self, db: Database, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.url = db.url
        self.db_info = db
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.alerts: list[Alert] = []
        self.now = NOW
        self.addin = xw.Book()  # stands in for OrderDesk.xlam: no OD_* tables
        self.addin.set_mock_caller()
        impl = self.addin.app.impl
        shown = impl.alert

        def alert(prompt: str, title: str | None, buttons: Any, mode: Any, callback: Any) -> Any:
            self.alerts.append(Alert(prompt, mode))
            return shown(prompt, title, buttons, mode, callback)

        impl.alert = alert
        monkeypatch.setattr(ribbon, "clock", lambda: self.now)

    def connect(self, name: str) -> xw.Book:
        """A new workbook connected to the database (as ``orderdesk db connect``), opened."""
        path = create_master_workbook(self.folder / name, "en")
        with SqlStore.open(self.url) as source, FileView.open(path) as view:
            refresh(source, view, SyncState(self.db_info.view_url), self.now)
        return xw.Book(path)

    def press(self, book: xw.Book, control_id: str, user: str = OM) -> Alert:
        self.monkeypatch.setenv("LOGNAME", user)
        if self.db_info.logins:  # PostgreSQL: the workbook's URL names no login, PGUSER does
            self.monkeypatch.setenv("PGUSER", self.db_info.logins[user])
            dispose_all()  # one login per Excel in life; here pooled connections go with it
        self.now += timedelta(minutes=5)
        book.activate()
        before = len(self.alerts)
        ribbon.run(control_id)
        assert len(self.alerts) == before + 1, "one message box per press"
        return self.alerts[-1]

    def select(self, book: xw.Book, table: str, order_no: str) -> None:
        store = XlwingsStore(book)
        rows = [r.row for r in store.read(table) if r.values.get("order_no") == order_no]
        sheet = book.sheets[store.sheet_title(table)]
        book.activate()
        sheet.activate()
        sheet.range((rows[0], TABLES[table].first_column), (rows[-1], 1)).select()

    def db(self, table: str) -> list[Any]:
        with SqlStore.open(self.url) as store:
            return table_contents(table, store.read(table))

    def status(self, order_no: str) -> OrderStatus:
        with SqlStore.open(self.url) as store:
            row = next(r for r in store.read("orders") if r.values["order_no"] == order_no)
        return OrderStatus.parse(row.values["status"])  # type: ignore[return-value]

    def export(self, name: str) -> dict[str, list[Any]]:
        path = self.folder / name
        admin.export_workbook(self.url, path)
        with FileStore.open(path) as store:
            return {key: table_contents(key, store.read(key)) for key in TABLES}


def contents(book: xw.Book) -> dict[str, list[Any]]:
    store = XlwingsStore(book)
    return {key: table_contents(key, store.read(key)) for key in TABLES}


@pytest.fixture
def desk(
    database: Database, tmp_path: Path, xl_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Desk]:
    monkeypatch.setenv("HOME", str(tmp_path))
    yield Desk(database, tmp_path, monkeypatch)


def test_connecting_fills_the_workbook_with_the_database(desk: Desk) -> None:
    book = desk.connect("a.xlsx")
    assert contents(book) == desk.export("export.xlsx")
    names = {n.name: n.refers_to for n in book.names}
    assert names["OrderDesk_Database"] == f'="{desk.db_info.view_url}"'
    assert names[NAME_SEQ] == '="16"'


def test_two_workbooks_see_each_others_actions_after_a_refresh(desk: Desk) -> None:
    a, b = desk.connect("a.xlsx"), desk.connect("b.xlsx")
    desk.select(a, "orders", "SO-1")
    alert = desk.press(a, "btn_review_start")
    assert alert.mode == "info", alert.prompt
    assert desk.status("SO-1") == OrderStatus.IN_REVIEW
    assert "refreshed" in alert.prompt.lower()
    desk.select(b, "orders", "SO-2")
    alert = desk.press(b, "btn_review_start")
    assert alert.mode == "info", alert.prompt
    # b's press refreshed b: it shows a's action; a sees b's after its refresh button.
    assert ("SO-1", OrderStatus.IN_REVIEW) in _statuses(b)
    assert ("SO-2", OrderStatus.IN_REVIEW) not in _statuses(a)
    alert = desk.press(a, "btn_refresh")
    assert alert.mode == "info", alert.prompt
    assert ("SO-2", OrderStatus.IN_REVIEW) in _statuses(a)
    assert a.app.status_bar == t("sync.status", "en", time=desk.now.isoformat(sep=" "))
    assert contents(a) == contents(b) == desk.export("export.xlsx")


def test_a_refresh_after_one_action_rewrites_only_that_orders_rows(
    desk: Desk, xl_engine: Engine
) -> None:
    book = desk.connect("a.xlsx")
    with SqlStore.open(desk.url) as store:  # someone else, from the command line
        review.start(store, "SO-3", user=OM, now=NOW)
    store = XlwingsStore(book)
    allowed = {
        store.sheet_title(key): {r.row for r in store.read(key) if r.values["order_no"] == "SO-3"}
        for key in ("orders", "lines")
    }
    ledger_rows = len(store.read("ledger"))
    head_row = next(r.row for r in store.read("settings") if r.values["key"] == "ledger_head")
    first_review = len(store.read("reviews")) + 2  # appended below the last row
    xl_engine.calls.clear()
    alert = desk.press(book, "btn_refresh")
    assert alert.mode == "info", alert.prompt
    writes = [call.target for call in xl_engine.calls if call.op == "write"]
    for target in writes:
        sheet, first, last = _rows_of(target)
        if sheet == store.sheet_title("ledger"):
            assert first == last == ledger_rows + 2  # the one new ledger row
        elif sheet == store.sheet_title("reviews"):
            assert first >= first_review  # the round's new rows, appended
        elif sheet == store.sheet_title("settings"):
            assert first == last == head_row  # the chain's head
        else:
            assert set(range(first, last + 1)) <= allowed[sheet], target
    assert any(t.startswith(store.sheet_title("orders")) for t in writes)
    assert "1 order(s), 1 ledger row(s)" in alert.prompt
    # The sheets of records written were unprotected for the refresh and protected again.
    written = {_rows_of(target)[0] for target in writes} - {store.sheet_title("settings")}
    assert {call.target for call in xl_engine.calls if call.op == "unprotect"} == written
    assert all(book.sheets[title].api.ProtectContents for title in written)
    assert contents(book) == desk.export("export.xlsx")


def test_a_stale_view_is_refused_with_nothing_written(desk: Desk) -> None:
    a, b = desk.connect("a.xlsx"), desk.connect("b.xlsx")
    desk.select(b, "orders", "SO-4")
    assert desk.press(b, "btn_review_start").mode == "info"
    before = {key: desk.db(key) for key in TABLES}
    a_before = contents(a)
    desk.select(a, "orders", "SO-4")
    alert = desk.press(a, "btn_cancel", user=OM)
    assert alert.mode == "critical"
    assert re.search(r"order SO-4 was changed by olga at .*: refresh and try again", alert.prompt)
    assert {key: desk.db(key) for key in TABLES} == before
    assert contents(a) == a_before  # not refreshed either: the user sees what they decided on
    # after a refresh the same press goes through
    desk.press(a, "btn_refresh")
    desk.select(a, "orders", "SO-4")
    XlwingsStore(a).cell("orders", _row(a, "SO-4"), "remarks").value = "customer withdrew"
    alert = desk.press(a, "btn_cancel")
    assert alert.mode == "info", alert.prompt
    assert desk.status("SO-4") == OrderStatus.CANCELLED


def test_a_chain_that_does_not_continue_forces_a_whole_refresh(desk: Desk) -> None:
    book = desk.connect("a.xlsx")
    with SqlStore.open(desk.url) as store:
        review.start(store, "SO-5", user=OM, now=NOW)
    book.names.add(NAME_HASH, '="' + "f" * 64 + '"')  # not the hash of row 16 any more
    alert = desk.press(book, "btn_refresh")
    assert alert.mode == "critical"
    assert t("sync.chain_broken", "en", seq=16) in alert.prompt
    assert "Refreshed whole" in alert.prompt
    assert contents(book) == desk.export("export.xlsx")


def test_typed_review_decisions_are_sent_department_by_department(desk: Desk) -> None:
    book = desk.connect("a.xlsx")
    desk.select(book, "orders", "SO-6")
    desk.press(book, "btn_review_start")
    store = XlwingsStore(book)
    rows = {
        Department.parse(r.values["department"]): r.row
        for r in store.read("reviews")
        if r.values["order_no"] == "SO-6"
    }
    for department in REVIEW_DEPARTMENTS:
        user = USERS[department]
        cell = XlwingsStore(book).cell("reviews", rows[department], "decision")
        cell.value = Decision.PASS.label("en")
        desk.select(book, "reviews", "SO-6")
        alert = desk.press(book, "btn_review_conclude", user=user)
        assert alert.mode == "info", alert.prompt
    assert desk.status("SO-6") == OrderStatus.IN_REVIEW
    desk.select(book, "orders", "SO-6")
    alert = desk.press(book, "btn_review_conclude", user=OM)  # none typed: conclude
    assert alert.mode == "info", alert.prompt
    assert desk.status("SO-6") == OrderStatus.REVIEW_PASSED
    assert contents(book) == desk.export("export.xlsx")


def test_typed_tracking_facts_are_sent_and_become_the_rows_they_were_typed_as(
    desk: Desk,
) -> None:
    with SqlStore.open(desk.url) as store:  # SO-7 released, from the command line
        review.start(store, "SO-7", user=OM, now=NOW)
        for department in REVIEW_DEPARTMENTS:
            user = USERS[department]
            review.record(store, "SO-7", department, Decision.PASS, None, user=user, now=NOW)
        review.conclude(store, "SO-7", user=OM, now=NOW)
        release.release(store, "SO-7", desk.folder / "tasks", OM, NOW, desk.folder)
    book = desk.connect("a.xlsx")
    store = XlwingsStore(book)
    row = store.read("tracking")[-1].row + 1 if store.read("tracking") else 2
    sheet = book.sheets[store.sheet_title("tracking")]
    keys = TABLES["tracking"].column_keys
    for key, value in (("order_no", "SO-7"), ("kind", "Production"), ("quantity", 20)):
        sheet.range((row, keys.index(key) + 1)).value = value
    alert = desk.press(book, "btn_track", user=USERS[Department.PRODUCTION])
    assert alert.mode == "critical"  # more than ordered: refused, named at its sheet row
    assert f"sheet 'Tracking', row {row}, column 'Quantity'" in alert.prompt
    assert desk.db("tracking") == []
    sheet.range((row, keys.index("quantity") + 1)).value = 5
    alert = desk.press(book, "btn_track", user=USERS[Department.PRODUCTION])
    assert alert.mode == "info", alert.prompt
    assert "SO-7: Released → In production" in alert.prompt
    facts = [r.values for r in XlwingsStore(book).read("tracking")]
    assert len(facts) == 1 and facts[0]["recorded_at"] == desk.now
    assert desk.db("tracking") == contents(book)["tracking"]
    assert contents(book) == desk.export("export.xlsx")


def test_typed_change_requests_are_filed_in_the_database(desk: Desk) -> None:
    book = desk.connect("a.xlsx")
    store = XlwingsStore(book)
    sheet = book.sheets[store.sheet_title("changes")]
    keys = TABLES["changes"].column_keys
    typed = {
        "order_no": "SO-1",
        "requested_by": "Customer",
        "reason": "needs more",
        "content": "Quantity=120",
    }
    for key, value in typed.items():
        sheet.range((2, keys.index(key) + 1)).value = value
    alert = desk.press(book, "btn_change_request", user=USERS[Department.SALES])
    assert alert.mode == "info", alert.prompt
    assert "SO-1: Checked → Checked  change request CH-SO-1-01 filed" in alert.prompt
    filed = [r.values for r in XlwingsStore(book).read("changes")]
    assert len(filed) == 1 and filed[0]["change_no"] == "CH-SO-1-01"
    assert contents(book) == desk.export("export.xlsx")


def test_a_new_order_is_numbered_and_created_in_the_database(desk: Desk) -> None:
    a, b = desk.connect("a.xlsx"), desk.connect("b.xlsx")
    alert = desk.press(a, "btn_new_order", user=OM)
    assert alert.mode == "info", alert.prompt
    order_no = alert.prompt.split()[1]
    assert alert.prompt.startswith(t("sync.new_order", "en", order_no=order_no))
    created = [r for r in desk.db("orders") if r[0] == order_no]
    assert len(created) == 1 and created[0][3] == OM
    assert (order_no, None) in _statuses(a)  # shown by the refresh after the button
    desk.press(b, "btn_new_order", user=OM)  # the other copy takes the next number
    numbers = [r[0] for r in desk.db("orders") if r[0] not in {f"SO-{n}" for n in range(1, 9)}]
    assert len(set(numbers)) == 2


def test_a_refreshed_workbook_keeps_its_layout(desk: Desk, tmp_path: Path) -> None:
    """Tables, drop-downs, number formats and the dashboard sheet stay as a new master
    workbook has them."""
    book = desk.connect("a.xlsx")
    with SqlStore.open(desk.url) as store:
        review.start(store, "SO-1", user=OM, now=NOW)
    desk.press(book, "btn_refresh")
    book.save()
    fresh = load_workbook(create_master_workbook(tmp_path / "fresh.xlsx", "en"))
    mine = load_workbook(book.fullname)
    assert mine.sheetnames == fresh.sheetnames
    for ws in fresh.worksheets:
        ours = mine[ws.title]
        assert sorted(ws.tables) == sorted(ours.tables)
        validations = [
            (v.type, v.formula1, str(v.sqref)) for v in ws.data_validations.dataValidation
        ]
        assert [
            (v.type, v.formula1, str(v.sqref)) for v in ours.data_validations.dataValidation
        ] == validations, ws.title
    orders = mine[XlwingsStore(book).sheet_title("orders")]
    column = TABLES["orders"].column_keys.index("received_date") + 1
    assert orders.cell(row=2, column=column).number_format == "yyyy-mm-dd"
    assert "OrderDesk_Dashboard" in fresh.defined_names
    assert "OrderDesk_Dashboard" in mine.defined_names


def _statuses(book: xw.Book) -> set[tuple[str, OrderStatus | None]]:
    return {
        (
            r.values["order_no"],
            OrderStatus.parse(r.values["status"]) if r.values["status"] else None,
        )
        for r in XlwingsStore(book).read("orders")
    }


def _row(book: xw.Book, order_no: str) -> int:
    return next(
        r.row for r in XlwingsStore(book).read("orders") if r.values["order_no"] == order_no
    )


def _rows_of(target: str) -> tuple[str, int, int]:
    """(sheet, first row, last row) of an engine call's target such as ``Orders!N2:O2``."""
    sheet, _, ref = target.rpartition("!")
    numbers = [int(n) for n in re.findall(r"\d+", ref)]
    return sheet.strip("'"), min(numbers), max(numbers)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refresh_in_a_workbook_not_connected_says_so(
    new_master_book: Callable[..., xw.Book], lang: str
) -> None:
    book = new_master_book(lang)
    addin = xw.Book()  # stands in for the add-in
    addin.set_mock_caller()
    alerts: list[tuple[str, Any]] = []
    impl = addin.app.impl
    impl.alert = lambda prompt, title, buttons, mode, callback: alerts.append((prompt, mode))
    book.activate()
    ribbon.run("btn_refresh")
    assert alerts == [(t("sync.not_connected", lang, workbook=book.name), "critical")]
