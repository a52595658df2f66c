"""A short close (the customer cancels the rest after a partial shipment) and a return (the
customer rejects goods on delivery): the rules, the status and quantities that follow, and what
the statistics count."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    PROD,
    QUAL,
    SALES,
    Desk,
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)

from addin.core.enums import Department, OrderStatus, TrackKind
from addin.core.models import TrackingEntry
from addin.core.problems import RuleError
from addin.core.statistics import Rate
from addin.core.tracking import replay
from addin.services import changes, closure, statistics
from addin.services.snapshot import Snapshot

LATER = datetime(2026, 6, 1, 9, 0)  # the facts below happen before this day


def made_and_shipped(mem: Desk, shipped: int, delivered: int) -> None:
    """SO-1 (one line, 100 bolts, due 2026-05-01) released, all made and passed, part shipped."""
    mem.released("SO-1")
    mem.clock.now = LATER
    mem.track("SO-1", TrackKind.PRODUCTION, quantity=100, on=date(2026, 3, 20))
    mem.track("SO-1", TrackKind.INSPECTION, quantity=100, passed=100, on=date(2026, 3, 25))
    mem.track("SO-1", TrackKind.SHIPMENT, quantity=shipped, on=date(2026, 4, 10))
    mem.track("SO-1", TrackKind.DELIVERY, quantity=delivered, on=date(2026, 4, 12))


def customer_change(mem: Desk, content: str, by: Department = Department.CUSTOMER) -> str:
    user = SALES if by == Department.CUSTOMER else PROD
    out = mem(changes.request, "SO-1", by, "the customer cancels the rest", [content], user=user)
    change_no = out.orders[0].params["change_no"]
    mem(changes.review, change_no, "yes", "yes", "none", "none", "none", user=OM)
    mem.opinions(change_no)
    return change_no


# -- short close ---------------------------------------------------------------------------
def test_a_short_close_lowers_the_quantity_to_what_shipped_then_closes(mem: Desk) -> None:
    made_and_shipped(mem, shipped=60, delivered=60)
    assert mem.status("SO-1") == OrderStatus.INSPECTED  # 40 made and passed, not shipped
    change_no = customer_change(mem, "quantity=60")
    out = mem(changes.approve, change_no, "short close", mem.out_dir, user=MANAGER)
    assert out.orders[0].after == OrderStatus.DELIVERED  # everything of 60 is delivered
    (line,) = mem.lines("SO-1")
    assert (line.quantity, line.produced_qty, line.passed_qty, line.shipped_qty) == (
        60,
        100,
        100,
        60,
    )
    tasks = [t for t in mem.read().records("task_orders") if t.order_no == "SO-1"]
    assert max(tasks, key=lambda t: t.revision).quantity == 60  # production sees the new quantity
    mem.track("SO-1", TrackKind.ACCEPTANCE, on=date(2026, 4, 15))
    mem(closure.close, "SO-1", user=OM, report_no="QR-SO-1")
    assert mem.status("SO-1") == OrderStatus.CLOSED
    assert mem.verify() == []


def test_short_close_is_the_customers_and_not_below_what_shipped(mem: Desk) -> None:
    made_and_shipped(mem, shipped=60, delivered=40)
    # a department cannot drop the quantity below what was made
    change_no = customer_change(mem, "quantity=60", by=Department.PRODUCTION)
    keys = refusal(mem, changes.approve, change_no, None, mem.out_dir, user=MANAGER)
    assert keys == ["change.quantity_below_done"]
    # the customer cannot cancel what has already shipped
    change_no = customer_change(mem, "quantity=50")
    keys = refusal(mem, changes.approve, change_no, None, mem.out_dir, user=MANAGER)
    assert keys == ["change.quantity_below_done"]
    # down to what shipped: the order is shipped, 20 still to deliver
    change_no = customer_change(mem, "quantity=60")
    out = mem(changes.approve, change_no, None, mem.out_dir, user=MANAGER)
    assert out.orders[0].after == OrderStatus.SHIPPED


def test_before_any_shipment_the_floor_is_what_was_made(mem: Desk) -> None:
    mem.released("SO-1")
    mem.clock.now = LATER
    mem.track("SO-1", TrackKind.PRODUCTION, quantity=70, on=date(2026, 3, 20))
    change_no = customer_change(mem, "quantity=60")
    keys = refusal(mem, changes.approve, change_no, None, mem.out_dir, user=MANAGER)
    assert keys == ["change.quantity_below_done"]


# -- returns -------------------------------------------------------------------------------
def test_goods_rejected_on_delivery_are_reworked_and_delivered_again(mem: Desk) -> None:
    made_and_shipped(mem, shipped=100, delivered=80)
    assert mem.status("SO-1") == OrderStatus.SHIPPED
    out = mem.track(
        "SO-1", TrackKind.RETURN, quantity=20, cause="scratched", on=date(2026, 4, 12), user=SALES
    )
    assert out.orders[0].after == OrderStatus.IN_PRODUCTION
    (line,) = mem.lines("SO-1")
    assert (line.passed_qty, line.shipped_qty, line.delivered_qty) == (80, 80, 80)
    # rework: 15 pass again, 5 are scrapped and made anew
    mem.track("SO-1", TrackKind.INSPECTION, quantity=20, passed=15, cause="dents",
              on=date(2026, 4, 20))  # fmt: skip
    mem.track("SO-1", TrackKind.PRODUCTION, quantity=5, on=date(2026, 4, 22))
    mem.track("SO-1", TrackKind.INSPECTION, quantity=5, passed=5, on=date(2026, 4, 23))
    mem.track("SO-1", TrackKind.SHIPMENT, quantity=20, on=date(2026, 5, 2))
    out = mem.track("SO-1", TrackKind.DELIVERY, quantity=20, on=date(2026, 5, 4))
    assert out.orders[0].after == OrderStatus.DELIVERED
    (line,) = mem.lines("SO-1")
    assert (line.produced_qty, line.passed_qty, line.shipped_qty, line.delivered_qty) == (
        105,
        100,
        100,
        100,
    )
    mem.track("SO-1", TrackKind.ACCEPTANCE, on=date(2026, 5, 5))
    mem(closure.close, "SO-1", user=OM, report_no="QR-SO-1")
    assert mem.verify() == []
    # statistics: the line is decided when its last unit is delivered again (after 05-01: late);
    # the return is no inspection, the re-inspections are: (100 + 15 + 5) of (100 + 20 + 5)
    with mem.open() as store:
        stats = statistics.figures(store, date(2026, 3, 1), date(2026, 5, 31)).stats
    assert stats.on_time == Rate(0, 1)
    assert stats.quality == Rate(120, 125)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_return_is_of_goods_not_yet_delivered(mem: Desk, lang: str) -> None:
    made_and_shipped(mem, shipped=100, delivered=90)
    with pytest.raises(RuleError) as caught:
        mem.track("SO-1", TrackKind.RETURN, quantity=20, cause="wet", user=SALES)
    (problem,) = caught.value.problems
    assert (problem.key, problem.column) == ("track.return_over_undelivered", "quantity")
    assert (
        problem.message(lang)
        == {
            "en": "line 1: 20 returned, but only 100 − 90 are shipped and not delivered (only goods "
            "not yet delivered can be rejected on delivery)",
            "zh": "第 1 行退回 20，但已发货未交付的只有 100 − 90（只能退回在途未交付的货物）",
        }[lang]
    )
    keys = refusal(mem, lambda s, **k: _track_return(s, None, **k), user=SALES)
    assert keys == ["track.cause_required"]
    keys = refusal(mem, lambda s, **k: _track_return(s, "wet", **k), user=PROD)
    assert keys == ["role.wrong_department"]
    mem.track("SO-1", TrackKind.RETURN, quantity=10, cause="wet", user=QUAL)  # quality may


def _track_return(store, cause, **kwargs):  # type: ignore[no-untyped-def]
    from addin.services.tracking import track

    return track(store, "SO-1", TrackKind.RETURN, quantity=5, cause=cause, **kwargs)


def test_no_return_after_acceptance(mem: Desk) -> None:
    made_and_shipped(mem, shipped=100, delivered=100)
    mem.track("SO-1", TrackKind.ACCEPTANCE)
    keys = refusal(mem, lambda s, **k: _track_return(s, "late claim", **k), user=SALES)
    assert keys == ["rule.status_forbids"]  # an accepted order takes no return
    # nor does its record: a return typed after the acceptance is impossible on replay
    with mem.open() as store:
        snap = Snapshot(store)
        rows = snap.by_order("tracking")["SO-1"]
        lines = snap.lines["SO-1"]
    typed = TrackingEntry(order_no="SO-1", line_no=1, kind=TrackKind.RETURN, date=date(2026, 5, 1),
                          quantity=5, cause="late claim", row=999)  # fmt: skip
    _, problems = replay("SO-1", lines, [*rows, typed])
    assert [p.key for p in problems] == ["track.return_after_acceptance"]


# -- what the statistics count ----------------------------------------------------------------
def test_a_short_closed_line_counts_what_was_kept(mem: Desk) -> None:
    made_and_shipped(mem, shipped=60, delivered=60)
    change_no = customer_change(mem, "quantity=60")
    mem(changes.approve, change_no, None, mem.out_dir, user=MANAGER)
    (line,) = mem.lines("SO-1")
    with mem.open() as store:
        stats = statistics.figures(store, date(2026, 3, 1), date(2026, 5, 31)).stats
    # sales: the 60 kept, not the 100 ordered; on time: decided by its delivery of 04-12
    assert stats.sales == {"CNY": Decimal(60) * line.unit_price}
    assert stats.on_time == Rate(1, 1)
