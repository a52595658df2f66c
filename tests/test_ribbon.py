"""The ribbon's buttons, pressed through xlwings' own front end (no Excel: the openpyxl engine).

Every button runs as Excel runs it: ``addin.ribbon.run("<id>")`` with the master workbook open
and active and the add-in as the caller (a book without OD_* tables stands in for the .xlam).
Each test checks the one message box, and that the workbook afterwards holds exactly what the
same service calls leave when run through FileStore on a copy (the command line's store), with
the same user and time: the OS user (LOGNAME) and the ribbon's clock, both fixed here.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from lifecycle_fixtures import (
    MANAGER,
    OM,
    SALES,
    USERS,
    Desk,
    build_master,
)
from openpyxl import load_workbook
from xlwings_openpyxl import Engine, book_impl

import addin.ribbon as ribbon
from addin.core.enums import REVIEW_DEPARTMENTS, Decision, Department, OrderStatus
from addin.core.lifecycle import forbids
from addin.core.problems import RuleError
from addin.core.schema import TABLES
from addin.i18n import t
from addin.services import (
    changes,
    closure,
    inquiry,
    receipt,
    release,
    review,
    sending,
    statistics,
)
from addin.services import complaints as complaint_service
from addin.services import tracking as tracking_service
from workbook.cell_values import MARK_COLOR
from workbook.file_store import FileStore
from workbook.store import ChangeSet
from workbook.xlwings_selection import selection_areas
from workbook.xlwings_store import XlwingsStore

NOW = datetime(2026, 3, 20, 10, 0)  # the ribbon's clock: after every stage below
WORKBOOK = "orders.xlsx"


# -- a workbook with orders at every stage (built once per language) ---------------------------
def build_stages(folder: Path, lang: str) -> Path:
    """SO-1 checked · SO-2 in review, every department decided · SO-3 review passed ·
    SO-4 released · SO-5 negotiating · SO-6 accepted · SO-7 released with a change requested ·
    SO-8 checked with a change requested. Departments have e-mail addresses (sending)."""
    path = build_master(folder / WORKBOOK, lang)
    desk = Desk(path, folder / "task-orders")
    mails = ChangeSet()
    for row in desk.rows("dept_mail"):
        dept = Department.parse(row.values["department"])
        mails.update("dept_mail", row.row, "emails", f"{dept.value}@example.com")
    desk.type_rows(mails)
    desk(review.start, "SO-2", user=OM)
    for dept in REVIEW_DEPARTMENTS:
        desk(review.record, "SO-2", dept, Decision.PASS, None, user=USERS[dept])
    desk.review_pass("SO-3")
    desk.released("SO-4")
    desk(review.start, "SO-5", user=OM)
    for dept in REVIEW_DEPARTMENTS:
        conditional = dept == Department.SALES
        decision = Decision.CONDITIONAL if conditional else Decision.PASS
        comment = "price to agree" if conditional else None
        desk(review.record, "SO-5", dept, decision, comment, user=USERS[dept])
    desk(review.conclude, "SO-5", user=OM)
    desk.released("SO-6")
    desk.complete("SO-6")
    desk.released("SO-7")
    desk(changes.request, "SO-7", Department.CUSTOMER, "more", ["quantity=30"], user=SALES)
    desk(changes.request, "SO-8", Department.CUSTOMER, "later", ["delivery_date=2026-06-01"],
         user=SALES)  # fmt: skip
    return folder


_STAGES: dict[str, Path] = {}


@pytest.fixture(scope="session")
def stages(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    def get(lang: str) -> Path:
        if lang not in _STAGES:
            _STAGES[lang] = build_stages(tmp_path_factory.mktemp(f"stages-{lang}"), lang)
        return _STAGES[lang]

    return get


# -- the bench: the workbook in "Excel" and its copy for FileStore ------------------------------
@dataclass
class Alert:
    prompt: str
    title: str | None
    mode: str | None


class Bench:
    def __init__(self, stage: Path, tmp_path: Path, open_book: Callable[[Path], xw.Book]) -> None:
        self.excel_dir = Path(shutil.copytree(stage, tmp_path / "excel"))
        self.file_dir = Path(shutil.copytree(stage, tmp_path / "file"))
        self.addin = xw.Book()  # stands in for OrderDesk.xlam: no OD_* tables
        self.addin.set_mock_caller()
        self.book = open_book(self.excel_dir / WORKBOOK)
        self.alerts: list[Alert] = []
        impl = self.book.app.impl
        shown = impl.alert

        def alert(prompt: str, title: str | None, buttons: Any, mode: Any, callback: Any) -> Any:
            self.alerts.append(Alert(prompt, title, mode))
            return shown(prompt, title, buttons, mode, callback)

        impl.alert = alert

    @property
    def excel_path(self) -> Path:
        return self.excel_dir / WORKBOOK

    @property
    def file_path(self) -> Path:
        return self.file_dir / WORKBOOK

    @property
    def lang(self) -> str:
        return XlwingsStore(self.book).lang

    # what the user does in Excel
    def rows(self, table: str) -> list[Any]:
        return XlwingsStore(self.book).read(table)

    def row_of(self, table: str, **match: Any) -> int:
        return next(
            r.row for r in self.rows(table) if all(r.values.get(k) == v for k, v in match.items())
        )

    def sheet(self, table: str) -> xw.Sheet:
        return self.book.sheets[TABLES[table].sheet_title(self.lang)]

    def type(self, table: str, row: int, **values: Any) -> None:
        """Type values into a row, cell by cell (as Excel takes typing)."""
        keys = TABLES[table].column_keys
        for key, value in values.items():
            col = TABLES[table].first_column + keys.index(key)
            self.sheet(table).range((row, col)).value = value

    def next_row(self, table: str) -> int:
        return XlwingsStore(self.book).read(table)[-1].row + 1

    def select(self, table: str, first: int, last: int | None = None) -> None:
        self.sheet(table).range((first, 1), (last or first, 1)).select()

    def sync(self) -> None:
        """The file copy takes what was typed in Excel, so both start alike."""
        self.book.save()
        shutil.copy(self.excel_path, self.file_path)

    def press(self, control_id: str) -> Alert:
        before = len(self.alerts)
        ribbon.run(control_id)
        assert len(self.alerts) == before + 1, "one message box per press"
        return self.alerts[-1]

    # the same actions through FileStore
    def on_file(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("user", OM)
        kwargs.setdefault("now", NOW)
        with FileStore.open(self.file_path, write=True) as store:
            return service(store, *args, **kwargs)

    def refused_on_file(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        with pytest.raises(RuleError):
            self.on_file(service, *args, **kwargs)

    def assert_same(self) -> None:
        self.book.save()
        assert workbook_state(self.excel_path) == workbook_state(self.file_path)


def workbook_state(path: Path) -> dict[str, Any]:
    """Every cell's value (with its type), note and OrderDesk mark, and the tables' ranges."""
    wb = load_workbook(path)
    values, notes, marks = {}, {}, set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                where = (ws.title, cell.coordinate)
                if cell.value is not None:
                    values[where] = (type(cell.value).__name__, cell.value)
                if cell.comment is not None:
                    notes[where] = cell.comment.text
                if cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == MARK_COLOR:
                    marks.add(where)
    tables = {lo.name: lo.ref for ws in wb.worksheets for lo in ws.tables.values()}
    return {"values": values, "notes": notes, "marks": marks, "tables": tables}


def told(*outcomes: Any, lang: str = "en") -> str:
    """The message the ribbon shows for these outcomes (its formatter, on FileStore's)."""
    report = ribbon.Report(lang)
    for outcome in outcomes:
        report.outcome(outcome)
    return report.text()


def status(bench: Bench, order_no: str) -> OrderStatus:
    row = next(r for r in bench.rows("orders") if r.values["order_no"] == order_no)
    return OrderStatus.parse(row.values["status"])  # type: ignore[return-value]


@pytest.fixture
def as_user(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """The OS user the ribbon sees (getpass reads LOGNAME first)."""

    def set_user(name: str) -> None:
        monkeypatch.setenv("LOGNAME", name)

    return set_user


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def make_bench(
    stages: Callable[[str], Path],
    tmp_path: Path,
    open_book: Callable[[Path], xw.Book],
    monkeypatch: pytest.MonkeyPatch,
    as_user: Callable[[str], None],
    home: Path,
) -> Callable[[str], Bench]:
    monkeypatch.setattr(ribbon, "clock", lambda: NOW)
    as_user(OM)

    def make(lang: str = "en") -> Bench:
        return Bench(stages(lang), tmp_path, open_book)

    return make


@pytest.fixture
def bench(make_bench: Callable[[str], Bench]) -> Bench:
    return make_bench("en")


def where(lang: str, table: str, row: int, column: str) -> str:
    parts = [
        t("where.sheet", lang, sheet=TABLES[table].sheet_title(lang)),
        t("where.row", lang, row=row),
        t("where.column", lang, column=TABLES[table].column(column).label(table, lang)),
    ]
    return t("where.sep", lang).join(parts)


# -- receipt and check -----------------------------------------------------------------------------
def test_new_order_appends_a_numbered_row_and_selects_its_customer_cell(bench: Bench) -> None:
    before = len(bench.rows("orders"))
    bench.sync()
    alert = bench.press("btn_new_order")
    row = bench.rows("orders")[-1]
    assert len(bench.rows("orders")) == before + 1
    assert row.values["order_no"] == "SO20260320-001"
    assert row.values["received_by"] == OM
    assert row.values["received_date"] == datetime(2026, 3, 20)
    assert row.values["status"] is None  # the check takes it in
    sheet = bench.sheet("orders")
    customer = 1 + TABLES["orders"].column_keys.index("customer_code")
    assert bench.book.selection.address == sheet.range((row.row, customer)).address
    assert bench.book.sheets.active.name == sheet.name
    assert "SO20260320-001" in alert.prompt and f"{row.row}" in alert.prompt
    assert alert.title == "OrderDesk · New order" and alert.mode == "info"
    with FileStore.open(bench.file_path, write=True) as store:
        typed = ChangeSet()
        typed.append(
            "orders",
            {"order_no": "SO20260320-001", "received_date": date(2026, 3, 20), "received_by": OM},
        )
        store.commit(typed)
    bench.assert_same()
    # a second new order takes the next number
    bench.press("btn_new_order")
    assert bench.rows("orders")[-1].values["order_no"] == "SO20260320-002"


def type_order(bench: Bench, order_no: str, quantity: int) -> None:
    row = bench.next_row("orders")
    bench.type("orders", row, order_no=order_no, received_date=date(2026, 3, 19), channel="Phone",
               received_by=OM, customer_code="C1", customer_name="Acme Machines", contact="Ann",
               contact_info="ann@example.com", currency="CNY", quality_req="GB/T 3098.1",
               packaging_req="cartons", transport_req="truck")  # fmt: skip
    line = bench.next_row("lines")
    bench.type("lines", line, order_no=order_no, line_no=1, product_code="P1", product_name="Bolt",
               spec="M8x40", quantity=quantity, unit_price=1, delivery_date=date(2026, 6, 1),
               delivery_place="Shanghai")  # fmt: skip


def test_check_the_orders_selected_on_the_lines_sheet(bench: Bench) -> None:
    type_order(bench, "SO-A", 100)
    type_order(bench, "SO-B", 7)  # below the minimum quantity and not a lot: needs information
    bench.sync()
    first = bench.row_of("lines", order_no="SO-A")
    bench.select("lines", first, first + 1)
    alert = bench.press("btn_check")
    assert alert.prompt.startswith("SO-A: Received → Checked\n")
    assert "\nSO-B: Received → Needs information\n" in alert.prompt
    assert where("en", "lines", first + 1, "quantity") in alert.prompt
    assert alert.mode == "info"  # checked, findings and all: nothing refused
    expected = [bench.on_file(receipt.check, [no]) for no in ("SO-A", "SO-B")]
    assert alert.prompt == told(*expected)
    bench.assert_same()


def test_check_without_a_selection_takes_every_order_waiting(bench: Bench) -> None:
    type_order(bench, "SO-A", 100)
    bench.sync()
    bench.sheet("settings").range("A1").select()
    alert = bench.press("btn_check")
    assert alert.prompt.startswith("SO-A: Received → Checked\n")
    assert alert.prompt == told(bench.on_file(receipt.check, None))
    bench.assert_same()


# -- review -------------------------------------------------------------------------------------------
def test_review_start_over_several_orders_is_one_call_each(bench: Bench, xl_engine: Engine) -> None:
    orders = bench.rows("orders")
    bench.type("orders", orders[4].row, remarks="price 0.95 agreed")  # SO-5, negotiating
    bench.sync()
    bench.select("orders", orders[0].row, orders[4].row)  # SO-1 … SO-5
    alert = bench.press("btn_review_start")
    lines = alert.prompt.splitlines()
    assert lines[0] == "SO-1: Checked → In review  review round 1 opened"
    assert lines[1] == "SO-2: " + t("cli.refused", "en")
    assert "SO-3: " + t("cli.refused", "en") in lines and "SO-4: " + t("cli.refused", "en") in lines
    assert lines[-2] == "SO-5: " + t("cli.refused", "en")  # sales records the agreement
    assert "'negotiation agreed' is for Sales staff only" in lines[-1]
    assert alert.mode == "critical"
    history = bench.book.app.impl.status_history
    assert "OrderDesk: 1/5 SO-1" in history and "OrderDesk: 5/5 SO-5" in history
    assert history[-1] is False  # the status bar is Excel's again
    bench.on_file(review.start, "SO-1")
    bench.refused_on_file(review.agree, "SO-5", "price 0.95 agreed", [])
    bench.assert_same()


def test_review_start_on_a_negotiated_order_records_the_agreement(
    bench: Bench, as_user: Callable[[str], None]
) -> None:
    as_user(SALES)
    row = bench.row_of("orders", order_no="SO-5")
    bench.type("orders", row, remarks="price 0.95 agreed")
    bench.sync()
    bench.select("reviews", bench.row_of("reviews", order_no="SO-5"))
    alert = bench.press("btn_review_start")
    assert alert.prompt == "SO-5: Negotiating → In review  review round 2 opened"
    bench.on_file(review.agree, "SO-5", "price 0.95 agreed", [], user=SALES)
    bench.assert_same()


def test_an_agreement_comes_from_the_remarks(make_bench: Callable[[str], Bench]) -> None:
    bench = make_bench("zh")
    row = bench.row_of("orders", order_no="SO-5")
    bench.sync()
    bench.select("orders", row)
    alert = bench.press("btn_review_start")
    message = t("addin.ribbon.agreement_in_remarks", "zh")
    assert (
        alert.prompt == f"SO-5{t('punct.colon', 'zh')}{t('cli.refused', 'zh')}\n    - "
        f"{where('zh', 'orders', row, 'remarks')}{t('punct.colon', 'zh')}{message}"
    )
    assert alert.title == "OrderDesk · 发起评审" and alert.mode == "critical"
    bench.assert_same()  # nothing written


def test_review_conclude_from_the_reviews_sheet(bench: Bench) -> None:
    bench.sync()
    rows = [r.row for r in bench.rows("reviews") if r.values["order_no"] == "SO-2"]
    bench.select("reviews", rows[2])
    alert = bench.press("btn_review_conclude")
    assert alert.prompt.startswith("SO-2: In review → Review passed  round 1 passed")
    bench.on_file(review.conclude, "SO-2")
    bench.assert_same()


# -- release and sending -----------------------------------------------------------------------------
def test_release_writes_the_task_orders_beside_the_workbook(bench: Bench) -> None:
    bench.sync()
    bench.select("lines", bench.row_of("lines", order_no="SO-3"))
    alert = bench.press("btn_release")
    task = bench.excel_dir / "task-orders"
    assert alert.prompt.startswith("SO-3: Review passed → Released")
    assert any(str(task) in line for line in alert.prompt.splitlines())
    bench.on_file(release.release, "SO-3", bench.file_dir / "task-orders",
                  base_dir=bench.file_dir)  # fmt: skip
    bench.assert_same()
    names = sorted(p.name for p in task.glob("*TO-SO-3-*"))
    assert names and names == sorted(
        p.name for p in (bench.file_dir / "task-orders").glob("*TO-SO-3-*")
    )


def test_send_the_selected_task_order(bench: Bench) -> None:
    bench.sync()
    bench.select("task_orders", bench.row_of("task_orders", order_no="SO-4"))
    alert = bench.press("btn_send_task")
    assert alert.prompt.startswith("SO-4: Released → Released  " + t(
        "send.done", "en", task_no="TO-SO-4-1", count=4))  # fmt: skip
    assert alert.mode == "info"
    # recipient by recipient, as the transport reported
    for department in ("production", "technical", "quality", "purchasing"):
        assert f"{department}@example.com" in alert.prompt
    assert list((bench.excel_dir / "outbox").glob("*.eml"))
    bench.on_file(sending.send, "TO-SO-4-1", bench.file_dir)
    bench.assert_same()


def test_send_from_an_order_without_a_task_order(bench: Bench) -> None:
    bench.sync()
    bench.select("orders", bench.row_of("orders", order_no="SO-1"))
    alert = bench.press("btn_send_task")
    assert alert.prompt == (
        f"SO-1: {t('cli.refused', 'en')}\n    - "
        + t("addin.ribbon.no_current_task", "en", order_no="SO-1")
    )
    bench.assert_same()


# -- tracking -----------------------------------------------------------------------------------------
def test_track_applies_every_typed_fact_order_by_order(bench: Bench) -> None:
    first = bench.next_row("tracking")
    bench.type("tracking", first, order_no="SO-4", kind="Production", quantity=30)
    bench.type("tracking", first + 1, order_no="SO-7", kind="Production", quantity=50,
               date=date(2026, 3, 19))  # fmt: skip
    bench.type("tracking", first + 2, order_no="SO-4", kind="Inspection", quantity=10,
               passed_qty=8, cause="burrs", date=date(2026, 3, 20))  # fmt: skip
    bench.sync()
    alert = bench.press("btn_track")
    lines = alert.prompt.splitlines()
    assert lines[0].startswith("SO-4: Released → In production  recorded:")
    assert lines[1].startswith("SO-4: In production → In production  recorded:")
    assert lines[2] == "SO-7: " + t("cli.refused", "en")
    assert where("en", "tracking", first + 1, "quantity") in lines[3]
    assert alert.mode == "critical"
    so4 = [r.values for r in bench.rows("tracking") if r.row in (first, first + 2)]
    assert [v["recorded_at"] for v in so4] == [NOW, NOW]
    assert so4[0]["date"] == datetime(2026, 3, 20) and so4[0]["line_no"] == 1
    assert so4[1]["rejected_qty"] == 2  # completed as orderdesk track does
    bench.on_file(tracking_service.record_pending, "SO-4")
    bench.refused_on_file(tracking_service.record_pending, "SO-7")
    bench.assert_same()


def test_track_with_nothing_typed_says_how(bench: Bench) -> None:
    alert = bench.press("btn_track")
    assert alert.prompt == t("addin.ribbon.no_pending_tracking", "en", sheet="Tracking",
                             column="Recorded at")  # fmt: skip


def test_overdue_lists_the_late_orders_and_writes_nothing(bench: Bench) -> None:
    bench.sync()
    alert = bench.press("btn_overdue")
    from addin.services.timenodes import overdue

    with FileStore.open(bench.file_path) as store:
        found = overdue(store, now=NOW)
    assert found.data["items"]
    assert alert.prompt.splitlines()[0] == t(
        "overdue.count", "en", count=len(found.data["items"]), today=NOW.date()
    )
    assert {item["order_no"] for item in found.data["items"]} <= set(alert.prompt.split())
    assert alert.mode == "critical"
    bench.assert_same()


# -- change -------------------------------------------------------------------------------------------
def test_change_request_files_the_typed_rows(bench: Bench, as_user: Callable[[str], None]) -> None:
    as_user(SALES)
    row = bench.next_row("changes")
    bench.type("changes", row, order_no="SO-1", requested_by="Customer", reason="needs more",
               content="Quantity=120", impact="one more week")  # fmt: skip
    bench.type("changes", row + 1, order_no="SO-99", requested_by="Customer", reason="x",
               content="Quantity=1")  # fmt: skip
    bench.sync()
    alert = bench.press("btn_change_request")
    lines = alert.prompt.splitlines()
    assert lines[0] == t("cli.refused", "en")
    assert lines[1] == "    - " + where("en", "changes", row + 1, "order_no") + ": " + t(
        "rule.unknown_order", "en", order_no="SO-99"
    )
    assert lines[2] == "SO-1: Checked → Checked  change request CH-SO-1-01 filed"
    filed = next(r.values for r in bench.rows("changes") if r.row == row)
    assert filed["change_no"] == "CH-SO-1-01" and filed["requester"] == SALES
    assert filed["content"] == "Quantity@1=120"
    bench.on_file(changes.file_pending, "SO-1", user=SALES)
    bench.assert_same()


def test_change_approve_reviews_and_approves_the_selected_row(
    bench: Bench, as_user: Callable[[str], None]
) -> None:
    as_user(MANAGER)  # order management's manager: reviews and approves
    row = bench.row_of("changes", order_no="SO-7")
    bench.type("changes", row, necessity="customer needs it", feasibility="yes",
               impact_delivery="none", impact_cost="none", impact_quality="none",
               decision_comment="go")  # fmt: skip
    # the concerned departments' opinions, typed into their rows with the reviewer's name
    for dept in ("Production", "Purchasing"):
        at = bench.row_of("change_reviews", change_no="CH-SO-7-01", department=dept)
        bench.type("change_reviews", at, opinion="Agree", reviewer=USERS[Department(dept.lower())])
    bench.sync()
    bench.select("changes", row)
    alert = bench.press("btn_change_approve")
    lines = alert.prompt.splitlines()
    assert lines[0] == "SO-7: Released → Released  change CH-SO-7-01 reviewed"
    assert lines[1].startswith("SO-7: Released → Released  ")
    assert any("CH-SO-7-01" in line and line.strip().startswith("→") for line in lines)
    out = bench.file_dir / "task-orders"
    bench.on_file(changes.review, "CH-SO-7-01", "customer needs it", "yes", "none", "none",
                  "none", user=MANAGER)  # fmt: skip
    bench.on_file(changes.approve, "CH-SO-7-01", "go", out, user=MANAGER, base_dir=bench.file_dir)
    bench.assert_same()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_change_approve_waits_for_the_typed_opinions(
    make_bench: Callable[[str], Bench], as_user: Callable[[str], None], lang: str
) -> None:
    bench = make_bench(lang)
    as_user(MANAGER)
    row = bench.row_of("changes", order_no="SO-7")
    bench.type("changes", row, necessity="n", feasibility="f", impact_delivery="d",
               impact_cost="c", impact_quality="q")  # fmt: skip
    production = t("enum.Department.production", lang)
    purchasing = t("enum.Department.purchasing", lang)
    first = bench.row_of("change_reviews", change_no="CH-SO-7-01", department=production)
    second = bench.row_of("change_reviews", change_no="CH-SO-7-01", department=purchasing)
    bench.type("change_reviews", first, opinion=t("enum.Opinion.agree", lang), reviewer="pete")
    bench.type("change_reviews", second, opinion=t("enum.Opinion.disagree", lang),
               reviewer="paco", comment="no steel")  # fmt: skip
    bench.sync()
    bench.select("changes", row)
    alert = bench.press("btn_change_approve")
    disagrees = t("change_review.disagrees", lang, department=purchasing,
                  change_no="CH-SO-7-01", comment="no steel")  # fmt: skip
    colon = t("punct.colon", lang)
    assert where(lang, "change_reviews", second, "opinion") + colon + disagrees in alert.prompt
    bench.on_file(changes.review, "CH-SO-7-01", "n", "f", "d", "c", "q", user=MANAGER)
    bench.refused_on_file(changes.approve, "CH-SO-7-01", None, None, user=MANAGER)
    bench.assert_same()  # reviewed, not approved
    bench.type("change_reviews", second, opinion=None, reviewer=None, comment=None)
    bench.sync()
    alert = bench.press("btn_change_approve")
    missing = t("change_review.missing", lang, department=purchasing, change_no="CH-SO-7-01")
    assert where(lang, "change_reviews", second, "opinion") + colon + missing in alert.prompt
    bench.assert_same()


def test_change_reject_needs_the_comment_typed_in_the_row(
    bench: Bench, as_user: Callable[[str], None]
) -> None:
    as_user(MANAGER)
    row = bench.row_of("changes", order_no="SO-8")
    bench.sync()
    bench.select("changes", row)
    alert = bench.press("btn_change_reject")
    column = TABLES["changes"].column("decision_comment").label("changes", "en")
    assert alert.prompt == (
        f"CH-SO-8-01: {t('cli.refused', 'en')}\n    - "
        + where("en", "changes", row, "decision_comment")
        + ": "
        + t("change.text_required", "en", field=column)
    )
    bench.assert_same()
    bench.type("changes", row, decision_comment="customer withdrew it")
    bench.sync()
    alert = bench.press("btn_change_reject")
    assert alert.prompt == "SO-8: Checked → Checked  change CH-SO-8-01 rejected"
    bench.on_file(changes.reject, "CH-SO-8-01", "customer withdrew it", user=MANAGER)
    bench.assert_same()


def test_change_buttons_need_change_rows(bench: Bench) -> None:
    bench.select("orders", 2)
    alert = bench.press("btn_change_approve")
    assert alert.prompt == t("cli.refused", "en") + "\n    - " + t(
        "addin.ribbon.select_changes", "en", sheet="Changes"
    )


# -- closure ------------------------------------------------------------------------------------------
def test_close_an_accepted_order(bench: Bench) -> None:
    row = bench.row_of("orders", order_no="SO-6")
    bench.type("orders", row, final_report_no="QR-0606")  # the button closes on the cell's report
    bench.sync()
    bench.select("orders", row)
    alert = bench.press("btn_close")
    assert alert.prompt.startswith("SO-6: Accepted → Closed  order closed")
    bench.on_file(closure.close, "SO-6")
    bench.assert_same()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_close_without_a_report_number_is_refused_at_its_cell(
    make_bench: Callable[[str], Bench], lang: str
) -> None:
    bench = make_bench(lang)
    row = bench.row_of("orders", order_no="SO-6")
    bench.sync()
    bench.select("orders", row)
    alert = bench.press("btn_close")
    message = t("closure.no_report", lang)
    colon = t("punct.colon", lang)
    where_it_is = where(lang, "orders", row, "final_report_no")
    assert (
        alert.prompt == f"SO-6{colon}{t('cli.refused', lang)}\n    - {where_it_is}{colon}{message}"
    )
    bench.assert_same()  # nothing written


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cancel_takes_the_reason_from_the_remarks(
    make_bench: Callable[[str], Bench], lang: str
) -> None:
    bench = make_bench(lang)
    row = bench.row_of("orders", order_no="SO-1")
    bench.sync()
    bench.select("orders", row)
    alert = bench.press("btn_cancel")
    message = t("addin.ribbon.reason_in_remarks", lang)
    assert alert.prompt == (
        f"SO-1{t('punct.colon', lang)}{t('cli.refused', lang)}\n    - "
        f"{where(lang, 'orders', row, 'remarks')}{t('punct.colon', lang)}{message}"
    )
    assert alert.mode == "critical"
    bench.assert_same()  # nothing written
    bench.type("orders", row, remarks="customer cancelled")
    bench.sync()
    alert = bench.press("btn_cancel")
    assert alert.prompt.startswith("SO-1" + t("punct.colon", lang))
    assert t("cancel.done", lang, reason="customer cancelled") in alert.prompt
    bench.on_file(closure.cancel, "SO-1", "customer cancelled")
    bench.assert_same()


def test_a_refusal_in_chinese_writes_nothing(make_bench: Callable[[str], Bench]) -> None:
    bench = make_bench("zh")
    bench.sync()
    row = bench.row_of("orders", order_no="SO-2")
    bench.select("orders", row)
    alert = bench.press("btn_release")
    problem = forbids("release", "SO-2", OrderStatus.IN_REVIEW, row)
    assert alert.prompt == f"SO-2：{t('cli.refused', 'zh')}\n    - {problem.format('zh')}"
    assert "工作表“订单”，第 3 行，“状态”列" in alert.prompt
    assert alert.title == "OrderDesk · 下达任务单" and alert.mode == "critical"
    bench.assert_same()
    assert not list((bench.excel_dir / "task-orders").glob("*TO-SO-2-*"))


# -- complaints ---------------------------------------------------------------------------------------
def test_complaints_numbers_the_typed_rows_order_by_order(bench: Bench) -> None:
    assert bench.rows("complaints") == []
    row = 2  # the first row of the empty table
    bench.type("complaints", row, order_no="SO-6", date=date(2026, 3, 19),
               description="scratched housing", severity="Major")  # fmt: skip
    bench.type("complaints", row + 1, order_no="SO-4", date=date(2026, 3, 19),
               description="late")  # fmt: skip
    bench.type("complaints", row + 2, order_no="SO-99", date=date(2026, 3, 19),
               description="who?")  # fmt: skip
    bench.sync()
    alert = bench.press("btn_complaints")
    lines = alert.prompt.splitlines()
    assert lines[0] == t("cli.refused", "en")
    assert lines[1] == "    - " + where("en", "complaints", row + 2, "order_no") + ": " + t(
        "rule.unknown_order", "en", order_no="SO-99"
    )
    assert lines[2] == "SO-6: Accepted → Accepted  complaint CP20260319-001 recorded"
    assert lines[3] == "SO-4: " + t("cli.refused", "en")
    so4 = bench.row_of("orders", order_no="SO-4")
    assert lines[4].startswith("    - " + where("en", "orders", so4, "status"))
    assert alert.mode == "critical"
    recorded = next(r.values for r in bench.rows("complaints") if r.row == row)
    assert recorded["complaint_no"] == "CP20260319-001" and recorded["customer_code"] == "C1"
    assert recorded["status"] == "Open"
    bench.on_file(complaint_service.record_pending, "SO-6")
    bench.refused_on_file(complaint_service.record_pending, "SO-4")
    bench.assert_same()


def test_complaints_with_nothing_typed_says_how(make_bench: Callable[[str], Bench]) -> None:
    bench = make_bench("zh")
    alert = bench.press("btn_complaints")
    assert alert.prompt == t("addin.ribbon.no_pending_complaints", "zh", sheet="客户投诉",
                             column="投诉编号")  # fmt: skip
    assert alert.title == "OrderDesk · 记录投诉" and alert.mode == "info"
    bench.assert_same()


# -- statistics and tools -------------------------------------------------------------------------
def test_dashboard_is_refreshed_and_shown(bench: Bench) -> None:
    bench.sync()
    alert = bench.press("btn_dashboard")
    assert bench.book.sheets.active.name == "Dashboard"
    _, stats = bench.on_file(statistics.refresh)
    summary = t(
        "stats.logged",
        "en",
        period=statistics.period_text(stats, "en"),  # the last twelve months
        orders=stats.orders,
        on_time=statistics.percent_text(stats.on_time),
        quality=statistics.percent_text(stats.quality),
        complaints=statistics.percent_text(stats.complaint_rate),
    )
    assert alert.prompt == f"Dashboard written to sheet 'Dashboard'. {summary}"
    assert stats.orders > 0 and stats.period.date_from is not None
    bench.assert_same()


def test_verify(bench: Bench) -> None:
    bench.sync()
    alert = bench.press("btn_verify")
    with FileStore.open(bench.file_path) as store:
        data = inquiry.verify(store).data
    assert alert.prompt == t("verify.ok", "en", **data) and alert.mode == "info"
    bench.assert_same()


def test_verify_finds_an_edited_ledger_row(bench: Bench) -> None:
    row = bench.rows("ledger")[3].row
    bench.sheet("ledger").api.Unprotect()  # no password: protection stops slips, not this
    bench.type("ledger", row, details="nothing happened here")
    bench.sync()
    alert = bench.press("btn_verify")
    with FileStore.open(bench.file_path) as store:
        problems = inquiry.verify(store).problems
    assert [p.key for p in problems][:1] == ["verify.edited"]
    assert alert.prompt.splitlines() == [
        t("verify.found", "en", count=len(problems)),
        *(f"  - {p.format('en')}" for p in problems),
    ]
    assert alert.mode == "critical"
    bench.assert_same()


def test_settings_sheet_is_shown(bench: Bench) -> None:
    bench.sync()
    alert = bench.press("btn_settings")
    assert bench.book.sheets.active.name == "Settings"
    assert alert.prompt == t("addin.ribbon.settings", "en", sheet="Settings")
    bench.assert_same()


def test_help_names_the_user_guide_and_the_log(bench: Bench, home: Path) -> None:
    bench.sync()
    alert = bench.press("btn_help")
    readme = Path(ribbon.__file__).resolve().parents[1] / "README.md"
    assert readme.is_file() and str(readme) in alert.prompt
    assert str(home / ".orderdesk" / "orderdesk.log") in alert.prompt
    assert alert.prompt.startswith("OrderDesk runs the company's customer-order procedure")
    bench.assert_same()


def test_import_udfs_needs_windows(bench: Bench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    alert = bench.press("btn_import_udfs")
    assert alert.prompt == t("addin.ribbon.udfs_windows_only", "en", platform="linux")
    assert alert.mode == "critical"


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch, xl_engine: Engine) -> None:
    """Windows, where xlwings imports UDFs (its import_udfs, modelled by the engine)."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(xw, "import_udfs", xl_engine.import_udfs, raising=False)


def installed_addin(bench: Bench) -> xw.Book:
    """The add-in's stand-in, under the add-in's file name (as Excel has it open)."""
    bench.addin.save(bench.excel_dir.parent / "XLSTART" / "OrderDesk.xlam")
    bench.book.activate()
    return bench.addin


def test_import_udfs_into_the_addin(
    bench: Bench, on_windows: None, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    (bench.excel_dir.parent / "XLSTART").mkdir()
    addin = installed_addin(bench)
    saved = book_impl(addin).path
    alert = bench.press("btn_import_udfs")
    assert alert.prompt == t(
        "addin.ribbon.udfs_imported", "en", module="udfs.functions", addin="OrderDesk.xlam"
    )
    assert ".xlsm" not in alert.prompt and alert.mode == "info"
    module = book_impl(addin).vba_modules["xlwings_udfs"]
    assert "Function OD_CHECK_LINE(" in module and "XLPy.CallUDF(" in module
    assert book_impl(bench.book).vba_modules == {}  # the master workbook is left as it is
    assert saved is not None and saved.is_file()  # the add-in keeps them
    bench.assert_same()

    def refused(module: str, book: Any) -> None:
        raise PermissionError("VBA project access is not trusted")

    monkeypatch.setattr(xw, "import_udfs", refused)
    alert = bench.press("btn_import_udfs")
    assert "VBA project access is not trusted" in alert.prompt and alert.mode == "critical"
    assert "PermissionError" in (home / ".orderdesk" / "orderdesk.log").read_text("utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_udfs_without_the_addin_open(
    make_bench: Callable[[str], Bench], on_windows: None, lang: str
) -> None:
    bench = make_bench(lang)
    alert = bench.press("btn_import_udfs")
    assert alert.prompt == t("addin.ribbon.udfs_no_addin", lang, addin="OrderDesk.xlam")
    assert alert.mode == "critical"
    assert book_impl(bench.book).vba_modules == {}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_addin_built_for_another_xlwings_runs_no_button(
    make_bench: Callable[[str], Bench], lang: str
) -> None:
    bench = make_bench(lang)
    bench.sync()
    bench.select("orders", bench.row_of("orders", order_no="SO-1"))
    ribbon.run("btn_review_start", "0.30.0")  # the VBA hands over the version it was built with
    alert = bench.alerts[-1]
    assert alert.prompt == t(
        "addin.ribbon.xlwings_mismatch", lang, built="0.30.0", installed=xw.__version__
    )
    assert "orderdesk addin install" in alert.prompt and alert.mode == "critical"
    bench.assert_same()  # nothing done
    ribbon.run("btn_review_start", xw.__version__)
    assert bench.alerts[-1].prompt.startswith("SO-1" + t("punct.colon", lang))


# -- failures --------------------------------------------------------------------------------------
def test_an_unexpected_error_is_a_short_message_and_a_logged_traceback(
    bench: Bench, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("deep inside")

    monkeypatch.setattr(closure, "close", broken)
    bench.sync()
    bench.select("orders", bench.row_of("orders", order_no="SO-6"))
    log = home / ".orderdesk" / "orderdesk.log"
    assert ribbon.run("btn_close") is None  # nothing escapes
    alert = bench.alerts[-1]
    assert alert.prompt == t("addin.ribbon.unexpected", "en", log=log)
    assert alert.mode == "critical"
    text = log.read_text("utf-8")
    assert "button btn_close failed" in text and "Traceback" in text
    assert "ZeroDivisionError: deep inside" in text
    bench.assert_same()


def test_a_book_that_is_not_a_master_workbook(
    xl_engine: Engine, tmp_path: Path, open_book: Callable[[Path], xw.Book]
) -> None:
    other = xw.Book()  # the add-in stand-in is the caller, the active book holds no tables
    other.set_mock_caller()
    plain = xw.Book()
    plain.activate()
    ribbon.run("btn_check")
    prompt, title, _ = plain.app.impl.alerts[-1]
    assert prompt == t("store.not_master", "zh", table="OD_Orders", path=plain.fullname)
    assert title == "OrderDesk · 初步审核"


def test_no_workbook_at_all_is_logged(xl_engine: Engine, home: Path) -> None:
    assert ribbon.run("btn_check") is None
    assert t("addin.vba.no_workbook", "zh") in (home / ".orderdesk" / "orderdesk.log").read_text(
        "utf-8"
    )


def test_an_unknown_button(bench: Bench) -> None:
    alert = bench.press("btn_teleport")
    assert alert.prompt == t("addin.ribbon.unknown_button", "en", id="btn_teleport")
    assert alert.title == "OrderDesk · btn_teleport"


def test_without_a_caller_the_active_workbook_is_used(bench: Bench) -> None:
    del xw.Book._mock_caller
    alert = bench.press("btn_verify")
    assert alert.prompt.startswith("ledger intact: ")


# -- the selection as Excel hands it over ---------------------------------------------------------
def start_each_on_file(bench: Bench, orders: list[str]) -> None:
    for order_no in orders:
        try:
            bench.on_file(review.start, order_no)
        except RuleError:
            continue


def test_a_whole_sheet_selected_acts_on_its_table(bench: Bench, xl_engine: Engine) -> None:
    """Ctrl+A: 17 billion cells, more than Range.Count (a Long) can count."""
    bench.sync()
    orders = [r.values["order_no"] for r in bench.rows("orders")]
    bench.sheet("orders").cells.select()
    alert = bench.press("btn_review_start")
    assert xl_engine.count("count_overflow") == 0
    starts = [line.split(":")[0] for line in alert.prompt.splitlines() if line.startswith("SO-")]
    assert starts == orders
    assert alert.prompt.startswith("SO-1: Checked → In review")
    start_each_on_file(bench, orders)
    bench.assert_same()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rows_hidden_by_a_filter_are_left_alone(
    make_bench: Callable[[str], Bench], lang: str
) -> None:
    bench = make_bench(lang)
    bench.sync()
    rows = {r.values["order_no"]: r.row for r in bench.rows("orders")}
    sheet = bench.sheet("orders")
    sheet.range((rows["SO-2"], 1)).rows.hidden = True  # as a filter hides it
    bench.select("orders", rows["SO-1"], rows["SO-3"])
    alert = bench.press("btn_review_start")
    lines = alert.prompt.splitlines()
    title = TABLES["orders"].sheet_title(lang)
    assert lines[0] == t("addin.ribbon.hidden_rows", lang, count=1, sheet=title)
    colon = t("punct.colon", lang)
    assert lines[1].startswith("SO-1" + colon)
    assert not any(line.startswith("SO-2") for line in lines)
    assert any(line.startswith("SO-3" + colon) for line in lines)
    bench.on_file(review.start, "SO-1")
    bench.assert_same()


def test_check_of_hidden_rows_only_checks_nothing(bench: Bench) -> None:
    type_order(bench, "SO-A", 100)
    bench.sync()
    row = bench.row_of("orders", order_no="SO-A")
    bench.sheet("orders").range((row, 1)).rows.hidden = True
    bench.select("orders", row)
    alert = bench.press("btn_check")
    sheet = TABLES["orders"].sheet_title("en")
    assert alert.prompt == t("addin.ribbon.hidden_rows", "en", count=1, sheet=sheet)
    bench.assert_same()  # not every order waiting, as with nothing selected


def test_a_long_multi_area_selection_loses_no_area(bench: Bench) -> None:
    """Ctrl+click over many cells: an address over 255 characters, which Excel cuts."""
    bench.sync()
    rows = {r.values["order_no"]: r.row for r in bench.rows("orders")}
    areas = [(rows["SO-6"], col, 1, 1) for col in range(1, 120, 2)]
    areas.append((rows["SO-1"], 1, 1, 1))
    bench.sheet("orders").impl.select_areas(areas)
    assert len(bench.book.selection.address) <= 255  # the last area is not in it
    alert = bench.press("btn_review_start")
    assert alert.prompt.startswith("SO-1: Checked → In review")
    assert "SO-6: " + t("cli.refused", "en") in alert.prompt
    bench.on_file(review.start, "SO-1")
    bench.assert_same()


# -- the pieces --------------------------------------------------------------------------------------
def test_every_button_of_the_ribbon_has_a_function() -> None:
    import xml.etree.ElementTree as ET

    from addin.xlam.labels import CUSTOMUI_NS

    source = Path(ribbon.__file__).parent / "xlam" / "customUI.xml"
    buttons = [e.attrib["id"] for e in ET.parse(source).iter(f"{{{CUSTOMUI_NS}}}button")]
    assert sorted(buttons) == sorted(ribbon.BUTTONS)


@pytest.mark.parametrize(
    ("address", "areas"),
    [
        ("$A$2", [(2, 2, 1)]),
        ("$B$3:$D$7", [(3, 7, 2)]),
        ("$A$2:$A$3,$C$9", [(2, 3, 1), (9, 9, 3)]),
        ("$4:$6", [(4, 6, 1)]),
        ("$C:$C", [(1, 1_048_576, 3)]),
        ("'Order lines'!$A$5", [(5, 5, 1)]),
    ],
)
def test_selection_areas(address: str, areas: list[tuple[int, int, int]]) -> None:
    assert selection_areas(address) == areas


def test_next_order_number_skips_those_taken() -> None:
    taken = {"SO20260320-001", "SO20260320-002"}
    assert ribbon.next_order_no(date(2026, 3, 20), taken) == ("SO20260320-003", 3)


def test_importing_the_ribbon_is_light() -> None:
    import subprocess

    code = (
        "import sys, addin.ribbon; "
        "print(sorted(m for m in ('pandas', 'openpyxl', 'pydantic', 'xlwings') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
