"""Closure and cancellation (DOMAIN §8)."""

from __future__ import annotations

from datetime import date

from lifecycle_fixtures import (
    MANAGER,
    OM,
    PROD,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)

from addin.core.closure import unmet_conditions
from addin.core.enums import ChangeStatus, Department, OrderStatus, TaskOrderStatus, TrackKind
from addin.core.models import ChangeRequest, Order, OrderLine
from addin.core.tracking import OrderFacts
from addin.services import changes, closure


def test_every_unmet_condition_is_listed() -> None:
    order = Order(order_no="X")
    facts = OrderFacts.of(
        "X",
        [
            OrderLine(order_no="X", line_no=1, quantity=10, row=2),
            OrderLine(order_no="X", line_no=2, quantity=5, row=3),
        ],
    )
    facts.lines[1].produced = facts.lines[1].passed = facts.lines[1].shipped = 10
    facts.lines[1].delivered = 10
    facts.lines[2].produced = 5
    pending = ChangeRequest(
        change_no="CH-1", order_no="X", requested_by=Department.SALES, reason="r", content="c"
    )
    problems = unmet_conditions(order, facts, [pending])
    assert [(p.key, p.row, p.column) for p in problems] == [
        ("closure.not_passed", 3, "passed_qty"),
        ("closure.not_shipped", 3, "shipped_qty"),
        ("closure.not_delivered", 3, "delivered_qty"),
        ("closure.not_accepted", None, "kind"),
        ("closure.no_report", None, "final_report_no"),
        ("closure.pending_change", None, "status"),
    ]
    decided = pending.model_copy(update={"status": ChangeStatus.REJECTED})
    facts.lines[2].passed = facts.lines[2].shipped = facts.lines[2].delivered = 5
    facts.accepted_on = date(2026, 3, 2)
    keys = [p.key for p in unmet_conditions(order, facts, [decided], report_no="  ")]
    assert keys == ["closure.no_report"]
    assert unmet_conditions(order, facts, [decided], report_no="QR-1") == []
    with_cell = order.model_copy(update={"final_report_no": "QR-2"})
    assert unmet_conditions(with_cell, facts, [decided]) == []


def test_close_only_when_everything_is_done(desk: Desk) -> None:
    desk.released("SO-2")
    keys = refusal(desk, closure.close, "SO-2", user=OM)
    assert keys == [
        "closure.not_produced", "closure.not_passed", "closure.not_shipped",
        "closure.not_delivered",
    ] * 2 + ["closure.not_accepted", "closure.no_report"]  # fmt: skip
    desk.complete("SO-2", accept=False)
    assert refusal(desk, closure.close, "SO-2", user=OM, report_no="QR-2") == [
        "closure.not_accepted"
    ]
    desk.track("SO-2", TrackKind.ACCEPTANCE, remarks="signed")
    assert refusal(desk, closure.close, "SO-2", user=SALES) == ["role.wrong_department"]
    assert refusal(desk, closure.close, "SO-2", user=OM) == ["closure.no_report"]
    outcome = desk(closure.close, "SO-2", user=OM, report_no="QR-2")
    assert (outcome.orders[0].before, outcome.orders[0].after) == (
        OrderStatus.ACCEPTED,
        OrderStatus.CLOSED,
    )
    assert desk.verify() == []


def test_a_pending_change_keeps_the_order_open(mem: Desk) -> None:
    mem.released("SO-1")
    mem.complete("SO-1", accept=False)
    mem(changes.request, "SO-1", Department.SALES, "invoice", ["contact=Bob"], user=SALES)
    mem.track("SO-1", TrackKind.ACCEPTANCE)
    keys = refusal(mem, closure.close, "SO-1", user=OM, report_no="QR-1")
    assert keys == ["closure.pending_change"]


def test_cancel_before_shipment_withdraws_the_task_orders(mem: Desk) -> None:
    mem.released("SO-2")
    mem.track("SO-2", TrackKind.PRODUCTION, line_no=1, quantity=10)
    assert refusal(mem, closure.cancel, "SO-2", "  ", user=OM) == ["cancel.reason_required"]
    assert refusal(mem, closure.cancel, "SO-2", "x", user=PROD) == ["role.wrong_department"]
    outcome = mem(closure.cancel, "SO-2", "customer withdrew", user=SALES)
    assert outcome.orders[0].after == OrderStatus.CANCELLED
    tasks = [task for task in mem.read().records("task_orders") if task.order_no == "SO-2"]
    assert {task.status for task in tasks} == {TaskOrderStatus.CANCELLED}
    assert mem.verify() == []


def test_no_cancel_once_anything_shipped(mem: Desk) -> None:
    mem.released("SO-2")
    mem.track("SO-2", TrackKind.PRODUCTION, line_no=1, quantity=50)
    mem.track("SO-2", TrackKind.INSPECTION, line_no=1, quantity=50, passed=50)
    mem.track("SO-2", TrackKind.SHIPMENT, line_no=1, quantity=10)
    assert mem.status("SO-2") == OrderStatus.IN_PRODUCTION  # before shipment in status only
    assert refusal(mem, closure.cancel, "SO-2", "late", user=OM) == ["cancel.shipped"]


def test_closed_and_cancelled_orders_take_no_action(mem: Desk) -> None:
    mem.released("SO-1")
    mem.complete("SO-1")
    mem(closure.close, "SO-1", user=OM, report_no="QR-1")
    mem(closure.cancel, "SO-4", "duplicate order", user=OM)
    for order_no in ("SO-1", "SO-4"):
        assert refusal(mem, closure.close, order_no, user=OM) == ["rule.status_forbids"]
        assert refusal(mem, closure.cancel, order_no, "again", user=OM) == ["rule.status_forbids"]
        assert refusal(
            mem, changes.request, order_no, Department.SALES, "r", ["contact=Z"], user=SALES
        ) == ["rule.status_forbids"]
        assert refusal(mem, mem_track, order_no) == ["rule.status_forbids"]


def mem_track(store: object, order_no: str, now: object = None) -> object:
    from addin.services.tracking import track

    return track(store, order_no, TrackKind.DELAY, cause="c", measures="m",  # type: ignore[arg-type]
                 expected=date(2026, 4, 1), user=MANAGER, now=now)  # fmt: skip
