"""Customer complaints: the rules, recording from the command line and from typed rows, closing,
the complaint rate they feed, ``orderdesk complaint`` and ``orderdesk show``."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    OM,
    PROD,
    QUAL,
    SALES,
    STRANGER,
    USERS,
    Desk,
    master_bytes_fixture,  # noqa: F401 - fixture
)

from addin.cli import main
from addin.core.enums import (
    REVIEW_DEPARTMENTS,
    ComplaintSeverity,
    ComplaintStatus,
    Decision,
    Department,
    OrderStatus,
    TrackKind,
)
from addin.core.models import Complaint, Order
from addin.core.numbering import next_complaint_no
from addin.core.problems import Problem
from addin.i18n import t
from addin.services import closure, review
from addin.services.complaints import (
    close_complaint,
    pending_complaints,
    record_complaint,
    record_pending,
)
from workbook.store import ChangeSet

NOW = datetime(2026, 3, 20, 10, 0)  # after every stage below
DAY = date(2026, 3, 10)


def build_stages(desk: Desk) -> None:
    """SO-6 delivered · SO-2 closed · SO-4 in production, 10 of 30 shipped · SO-7 released,
    nothing shipped · SO-8 cancelled · SO-3 rejected in review · SO-1 checked."""
    desk.released("SO-6")
    desk.complete("SO-6", accept=False)
    desk.released("SO-2")
    desk.complete("SO-2")
    desk(closure.close, "SO-2", user=OM, report_no="QR-2")
    desk.released("SO-4")
    desk.track("SO-4", TrackKind.PRODUCTION, quantity=30)
    desk.track("SO-4", TrackKind.INSPECTION, quantity=10, passed=10)
    desk.track("SO-4", TrackKind.SHIPMENT, quantity=10)
    desk.released("SO-7")
    desk(closure.cancel, "SO-8", "customer withdrew", user=OM)
    desk(review.start, "SO-3", user=OM)
    for dept in REVIEW_DEPARTMENTS:
        decision = Decision.REJECT if dept == Department.TECHNICAL else Decision.PASS
        desk(review.record, "SO-3", dept, decision, "cannot" if decision else None,
             user=USERS[dept])  # fmt: skip
    desk(review.conclude, "SO-3", user=OM)


@pytest.fixture(scope="module")
def stage_bytes(master_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("complaints")
    desk = Desk(folder / "orders.xlsx", folder / "task-orders")
    desk.path.write_bytes(master_bytes)
    build_stages(desk)
    expected = {
        "SO-6": OrderStatus.DELIVERED,
        "SO-2": OrderStatus.CLOSED,
        "SO-4": OrderStatus.IN_PRODUCTION,
        "SO-7": OrderStatus.RELEASED,
        "SO-8": OrderStatus.CANCELLED,
        "SO-3": OrderStatus.REJECTED,
        "SO-1": OrderStatus.CHECKED,
    }
    assert {no: desk.status(no) for no in expected} == expected
    return desk.path.read_bytes()


@pytest.fixture
def desk(stage_bytes: bytes, tmp_path: Path) -> Desk:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(stage_bytes)
    return Desk(path, tmp_path / "task-orders")


def record(desk: Desk, order_no: str, **kwargs: Any) -> Any:
    kwargs.setdefault("date", DAY)
    kwargs.setdefault("description", "scratches on the housing")
    kwargs.setdefault("user", SALES)
    kwargs.setdefault("now", NOW)
    return desk(record_complaint, order_no, **kwargs)


def refused(desk: Desk, service: Any, *args: Any, **kwargs: Any) -> list[Problem]:
    """Problems of an action that must be refused, having checked the file did not change."""
    kwargs.setdefault("now", NOW)
    before = desk.path.read_bytes()
    from addin.core.problems import RuleError

    with pytest.raises(RuleError) as caught:
        desk(service, *args, **kwargs)
    assert desk.path.read_bytes() == before, "a refused action changed the workbook"
    return caught.value.problems


def located(problem: Problem) -> tuple[str, str | None, int | None, str | None]:
    return problem.key, problem.table, problem.row, problem.column


def complaints(desk: Desk) -> list[Complaint]:
    return desk.read().records("complaints")


# -- recording ----------------------------------------------------------------------------------
def test_a_complaint_on_a_delivered_order_is_recorded_with_its_ledger_row(desk: Desk) -> None:
    ledger_before = len(desk.read().ledger)
    outcome = record(desk, "SO-6", severity="major", description="  scratches  ")
    assert outcome.data == {"complaint_no": "CP20260310-001"}
    assert outcome.lines("en") == ["SO-6: Delivered → Delivered  complaint CP20260310-001 recorded"]
    assert outcome.lines("zh") == ["SO-6：已交付 → 已交付  已记录投诉 CP20260310-001"]
    (complaint,) = complaints(desk)
    assert complaint.model_dump() == {
        "complaint_no": "CP20260310-001",
        "order_no": "SO-6",
        "date": DAY,
        "customer_code": "C1",  # the order's
        "description": "scratches",
        "severity": ComplaintSeverity.MAJOR,
        "status": ComplaintStatus.OPEN,
        "closed_date": None,
    }
    (row,) = desk.rows("complaints")
    assert (row.values["severity"], row.values["status"]) == ("Major", "Open")  # en workbook
    snap = desk.read()
    assert len(snap.ledger) == ledger_before + 1
    entry = snap.ledger[-1]
    assert (entry.order_no, entry.user, entry.action) == ("SO-6", SALES, "record complaint")
    assert entry.status_before == entry.status_after == "Delivered"
    assert "CP20260310-001" in (entry.details or "") and "Major" in (entry.details or "")
    assert snap.orders["SO-6"].status == OrderStatus.DELIVERED
    assert desk.verify() == []


def test_numbers_run_per_day_of_the_complaint(desk: Desk) -> None:
    assert record(desk, "SO-6").data["complaint_no"] == "CP20260310-001"
    assert record(desk, "SO-2", user=QUAL).data["complaint_no"] == "CP20260310-002"
    other = record(desk, "SO-6", date=date(2026, 3, 11), user=OM)
    assert other.data["complaint_no"] == "CP20260311-001"
    assert next_complaint_no(DAY, {"CP20260310-001", "CP20260310-003"}) == "CP20260310-002"


def test_closed_and_partly_shipped_orders_take_complaints(desk: Desk) -> None:
    assert record(desk, "SO-2").orders[0].after == OrderStatus.CLOSED
    assert record(desk, "SO-4", severity="严重").orders[0].after == OrderStatus.IN_PRODUCTION
    assert [c.severity for c in complaints(desk)] == [None, ComplaintSeverity.MAJOR]


@pytest.mark.parametrize(
    ("order_no", "key"),
    [
        ("SO-7", "complaint.not_shipped"),  # released, nothing shipped
        ("SO-1", "complaint.not_shipped"),  # checked
        ("SO-8", "complaint.order_ended"),  # cancelled
        ("SO-3", "complaint.order_ended"),  # rejected
    ],
)
def test_orders_nothing_was_shipped_of_are_refused_at_their_status(
    desk: Desk, order_no: str, key: str
) -> None:
    (problem,) = refused(desk, record_complaint, order_no, DAY, "broken", user=SALES)
    order: Order = desk.read().orders[order_no]
    assert located(problem) == (key, "orders", order.row, "status")
    assert order_no in problem.format("en") and order.status is not None
    assert order.status.label("zh") in problem.format("zh")


def test_an_unknown_order_is_refused(desk: Desk) -> None:
    (problem,) = refused(desk, record_complaint, "SO-99", DAY, "broken", user=SALES)
    assert problem.key == "rule.unknown_order" and "SO-99" in problem.format("en")


def test_date_description_and_customer_are_checked_together(desk: Desk) -> None:
    problems = refused(
        desk, record_complaint, "SO-6", date(2026, 3, 1), "  ", user=SALES, customer_code="C9"
    )
    assert [located(p) for p in problems] == [
        ("complaint.customer_mismatch", "complaints", None, "customer_code"),
        ("error.required", "complaints", None, "description"),
        ("complaint.before_received", "complaints", None, "date"),
    ]
    assert problems[0].format("en") == (
        "sheet 'Complaints', column 'Customer code': customer code 'C9' is not order SO-6's "
        "customer 'C1'"
    )
    assert "2026-03-02" in problems[2].format("zh")  # the order's received date
    (future,) = refused(desk, record_complaint, "SO-6", date(2026, 3, 21), "x", user=SALES)
    assert located(future) == ("complaint.future_date", "complaints", None, "date")
    # the order's own customer code, typed, is fine
    assert record(desk, "SO-6", customer_code="C1").data["complaint_no"]


def test_severity_is_one_of_the_closed_list(desk: Desk) -> None:
    (problem,) = refused(desk, record_complaint, "SO-6", DAY, "x", "urgent", user=SALES)
    assert located(problem) == ("complaint.bad_severity", "complaints", None, "severity")
    assert "Minor, Major, Critical" in problem.format("en")
    assert "轻微、严重、重大" in problem.format("zh")


@pytest.mark.parametrize(("user", "key"), [(PROD, "role.wrong_department"),
                                           (STRANGER, "role.not_in_roster")])  # fmt: skip
def test_only_sales_quality_and_order_management_record(desk: Desk, user: str, key: str) -> None:
    (problem,) = refused(desk, record_complaint, "SO-6", DAY, "x", user=user)
    assert problem.key == key


# -- closing ------------------------------------------------------------------------------------
def test_close_a_complaint_and_only_once(desk: Desk) -> None:
    record(desk, "SO-6")
    outcome = desk(close_complaint, "CP20260310-001", date(2026, 3, 12), user=QUAL, now=NOW)
    assert outcome.lines("en") == ["SO-6: Delivered → Delivered  complaint CP20260310-001 closed"]
    (complaint,) = complaints(desk)
    assert (complaint.status, complaint.closed_date) == (ComplaintStatus.CLOSED, date(2026, 3, 12))
    assert desk.read().ledger[-1].action == "close complaint"
    (again,) = refused(desk, close_complaint, "CP20260310-001", user=QUAL)
    assert located(again) == ("complaint.already_closed", "complaints", 2, "status")
    assert desk.verify() == []


def test_close_refusals(desk: Desk) -> None:
    record(desk, "SO-6")
    no = "CP20260310-001"
    (early,) = refused(desk, close_complaint, no, date(2026, 3, 9), user=QUAL)
    assert located(early) == ("complaint.closed_before_made", "complaints", 2, "closed_date")
    (late,) = refused(desk, close_complaint, no, date(2026, 3, 21), user=QUAL)
    assert located(late) == ("complaint.future_date", "complaints", 2, "closed_date")
    (unknown,) = refused(desk, close_complaint, "CP1", user=QUAL)
    assert located(unknown) == ("complaint.unknown", "complaints", None, "complaint_no")
    (sales,) = refused(desk, close_complaint, no, user=SALES)
    assert sales.key == "role.wrong_department"
    outcome = desk(close_complaint, no, user=OM, now=NOW)  # today by default
    assert outcome.data == {"complaint_no": no, "closed_date": "2026-03-20"}


# -- typed rows ---------------------------------------------------------------------------------
def type_complaints(desk: Desk, *rows: dict[str, Any]) -> list[int]:
    before = len(desk.rows("complaints"))
    changes = ChangeSet()
    for values in rows:
        changes.append("complaints", values)
    desk.type_rows(changes)
    return [r.row for r in desk.rows("complaints")[before:]]


def test_typed_complaints_are_numbered_and_recorded(desk: Desk) -> None:
    record(desk, "SO-6")  # takes CP20260310-001
    rows = type_complaints(
        desk,
        {"order_no": "SO-6", "date": DAY, "description": "dents ", "severity": "轻微"},
        {"order_no": "SO-4", "date": DAY, "description": "late", "customer_code": "C1"},
        {
            "order_no": "SO-2",
            "date": DAY,
            "description": "label",
            "status": "Closed",
            "closed_date": date(2026, 3, 15),
        },
    )
    assert pending_of(desk) == (["SO-6", "SO-4", "SO-2"], [])
    ledger_before = len(desk.read().ledger)
    outcome = desk(record_pending, user=QUAL, now=NOW)
    assert outcome.data == {"complaint_nos": ["CP20260310-002", "CP20260310-003", "CP20260310-004"]}
    typed = {c.row: c for c in complaints(desk)}
    assert [typed[r].complaint_no for r in rows] == outcome.data["complaint_nos"]
    assert typed[rows[0]].description == "dents" and typed[rows[0]].customer_code == "C1"
    assert typed[rows[0]].severity == ComplaintSeverity.MINOR
    assert typed[rows[2]].status == ComplaintStatus.CLOSED
    assert len(desk.read().ledger) == ledger_before + 3  # one row per complaint
    assert "closed on 2026-03-15" in (desk.read().ledger[-1].details or "")
    assert desk.verify() == []
    nothing = desk(record_pending, user=QUAL, now=NOW)
    assert nothing.orders == [] and nothing.lines("en") == [t("cli.nothing", "en")]


def test_typed_rows_are_all_checked_before_any_is_written(desk: Desk) -> None:
    rows = type_complaints(
        desk,
        {"order_no": "SO-6", "date": DAY, "description": "fine"},
        {"order_no": "SO-6", "date": "soon", "description": "x", "severity": "huge"},
        {"order_no": "SO-7", "date": DAY, "description": "not shipped"},
        {"order_no": "SO-2", "date": DAY, "description": "x", "status": "Closed"},
        {"order_no": "SO-2", "date": DAY, "description": "x", "closed_date": DAY},
        {"order_no": "SO-6", "description": "no date", "customer_code": "C2"},
    )
    problems = refused(desk, record_pending, user=QUAL)
    so7 = desk.read().orders["SO-7"].row
    assert [located(p) for p in problems] == [
        ("error.not_date", "complaints", rows[1], "date"),
        ("error.not_choice", "complaints", rows[1], "severity"),
        ("complaint.not_shipped", "orders", so7, "status"),
        ("complaint.closed_date_required", "complaints", rows[3], "closed_date"),
        ("complaint.closed_date_while_open", "complaints", rows[4], "closed_date"),
        ("complaint.customer_mismatch", "complaints", rows[5], "customer_code"),
        ("error.required", "complaints", rows[5], "date"),
    ]
    assert problems[0].format("en").startswith(f"sheet 'Complaints', row {rows[1]}, column 'Date'")
    assert problems[0].format("zh").startswith(f"工作表“客户投诉”，第 {rows[1]} 行，“日期”列")


def test_typed_rows_naming_no_order_are_refused_and_reported_apart(desk: Desk) -> None:
    rows = type_complaints(
        desk,
        {"order_no": "SO-6", "date": DAY, "description": "fine"},
        {"order_no": "SO-99", "date": DAY, "description": "who?"},
        {"date": DAY, "description": "no order"},
    )
    orders, orphans = pending_of(desk)
    assert orders == ["SO-6"]
    assert [located(p) for p in orphans] == [
        ("rule.unknown_order", "complaints", rows[1], "order_no"),
        ("error.required", "complaints", rows[2], "order_no"),
    ]
    assert len(refused(desk, record_pending, user=QUAL)) == 2
    outcome = desk(record_pending, "SO-6", user=QUAL, now=NOW)  # one order's rows only
    assert outcome.data == {"complaint_nos": ["CP20260310-001"]}


def test_typed_rows_need_a_recorder(desk: Desk) -> None:
    type_complaints(desk, {"order_no": "SO-6", "date": DAY, "description": "fine"})
    (problem,) = refused(desk, record_pending, user=PROD)
    assert problem.key == "role.wrong_department"


def pending_of(desk: Desk) -> tuple[list[str], list[Problem]]:
    with desk.open() as store:
        return pending_complaints(store)


# -- what complaints feed -----------------------------------------------------------------------
def test_the_complaint_rate_counts_the_recorded_complaints(desk: Desk) -> None:
    from addin.services.statistics import figures_of

    def rate() -> Any:
        return figures_of(desk.read(), None, None, NOW.date()).stats.complaint_rate

    before = rate()
    assert before.numerator == 0 and before.denominator == 2  # SO-6 and SO-2 delivered
    record(desk, "SO-6")
    record(desk, "SO-6", description="again")  # one order, however many complaints
    after = rate()
    assert (after.numerator, after.denominator) == (1, 2)


# -- the command line ---------------------------------------------------------------------------
def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    payload = json.loads(captured.out) if "--json" in argv and captured.out else captured.out
    return code, payload, captured.err


def test_cli_records_closes_and_numbers_typed_complaints(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = str(desk.path)
    code, out, _ = cli(capsys, "complaint", wb, "SO-6", "--date", "2026-03-10",
                       "--description", "rust", "--severity", "critical", "--user", SALES,
                       "--json")  # fmt: skip
    assert code == 0 and out["ok"] is True
    assert out["data"] == {"complaint_no": "CP20260310-001"}
    assert out["orders"][0]["message"] == "complaint CP20260310-001 recorded"
    code, out, _ = cli(capsys, "complaint", wb, "SO-2", "--date", "2026-03-10",
                       "--description", "dents", "--user", SALES, "--lang", "zh")  # fmt: skip
    assert code == 0 and out == "SO-2：已结案 → 已结案  已记录投诉 CP20260310-002\n"
    code, out, _ = cli(capsys, "complaint", wb, "--close", "CP20260310-001", "--date",
                       "2026-03-12", "--user", QUAL, "--lang", "en")  # fmt: skip
    assert code == 0 and out == "SO-6: Delivered → Delivered  complaint CP20260310-001 closed\n"
    type_complaints(desk, {"order_no": "SO-4", "date": DAY, "description": "late"})
    code, out, _ = cli(capsys, "complaint", wb, "--pending", "--user", OM, "--json")
    assert code == 0 and out["data"] == {"complaint_nos": ["CP20260310-003"]}
    code, out, _ = cli(capsys, "show", wb, "SO-6", "--lang", "en")
    assert code == 0 and "-- Complaints (1) --" in out
    assert "CP20260310-001 | 2026-03-10 | C1 | rust | Critical | Closed | 2026-03-12" in out


def test_cli_refusals_exit_1_naming_sheet_row_and_field(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = str(desk.path)
    before = desk.path.read_bytes()
    code, out, _ = cli(capsys, "complaint", wb, "SO-7", "--date", "2026-03-10",
                       "--description", "x", "--user", SALES, "--json")  # fmt: skip
    assert code == 1 and out["ok"] is False
    (problem,) = out["refused"]
    row = desk.read().orders["SO-7"].row
    assert (problem["code"], problem["sheet"], problem["row"], problem["field"]) == (
        "complaint.not_shipped", "Orders", row, "Status"
    )  # fmt: skip
    code, _, err = cli(capsys, "complaint", wb, "SO-6", "--date", "2026-03-01",
                       "--description", "x", "--user", SALES, "--lang", "zh")  # fmt: skip
    assert code == 1
    assert err.splitlines()[0] == t("cli.refused", "zh")
    assert "工作表“客户投诉”，“日期”列" in err and "2026-03-02" in err
    assert desk.path.read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [
        ("SO-6", "--description", "x"),  # no date
        ("SO-6", "--date", "2026-03-10"),  # no description
        ("--pending", "--description", "x"),
        ("--pending", "--close", "CP1"),
        ("SO-6", "--close", "CP1"),
        ("SO-6", "--date", "tomorrow", "--description", "x"),
        ("SO-6", "--date", "2026-03-10", "--description", "x", "--severity", "huge"),
    ],
)
def test_cli_bad_usage_exits_2(
    desk: Desk, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    before = desk.path.read_bytes()
    with pytest.raises(SystemExit) as caught:
        main(["complaint", str(desk.path), *argv, "--user", SALES])
    assert caught.value.code == 2
    assert capsys.readouterr().err
    assert desk.path.read_bytes() == before
