"""Time nodes (DOMAIN §1): working days, stage limits, late and at-risk delivery."""

from __future__ import annotations

from datetime import date, datetime

from lifecycle_fixtures import (
    DUE,
    PROD,
    SALES,
    Desk,
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
)

from addin.core.enums import Department, OrderStatus, TrackKind
from addin.core.models import ChangeRequest, Order, OrderLine, Product
from addin.core.timenodes import (
    add_working_days,
    overdue,
    parse_holidays,
    working_days_between,
)
from addin.core.tracking import OrderFacts
from addin.services import changes, timenodes
from workbook.store import ChangeSet

NONE: frozenset[date] = frozenset()
FRI, MON, TUE = date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)


def test_working_days_skip_weekends_and_holidays() -> None:
    assert add_working_days(FRI, 1, NONE) == MON
    assert add_working_days(FRI, 0, NONE) == FRI
    assert add_working_days(FRI, 1, frozenset({MON})) == TUE
    assert working_days_between(FRI, TUE, NONE) == 2
    assert working_days_between(FRI, TUE, frozenset({MON})) == 1
    assert working_days_between(TUE, FRI, NONE) == 0


def test_holidays_from_the_settings() -> None:
    days, bad = parse_holidays("2026-10-01, 2026/10/02；2026-10-03 soon")
    assert days == {date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)}
    assert bad == ["soon"]


def _order(no: str, status: OrderStatus, **kw: object) -> Order:
    return Order(order_no=no, status=status, received_date=date(2026, 3, 2), **kw)  # type: ignore[arg-type]


def test_a_stage_is_late_after_its_limit_in_working_days() -> None:
    orders = [_order("A", OrderStatus.RECEIVED), _order("B", OrderStatus.NEEDS_INFO)]
    found = overdue(orders, {}, {}, {}, {}, {}, {"check": 1}, NONE, FRI)
    assert [(x.order_no, x.stage, x.deadline, x.days_late) for x in found] == [
        ("A", "check", date(2026, 3, 3), 3),
        ("B", "check", date(2026, 3, 3), 3),
    ]
    assert overdue(orders, {}, {}, {}, {}, {}, {"check": 1}, NONE, date(2026, 3, 3)) == []
    # a stage without a limit in the settings is not timed
    assert overdue(orders, {}, {}, {}, {}, {}, {}, NONE, FRI) == []


def test_a_pending_change_request_has_its_own_limit() -> None:
    order = _order("A", OrderStatus.RELEASED)
    change = ChangeRequest(
        change_no="CH-1",
        order_no="A",
        requested_by=Department.SALES,
        requested_at=datetime(2026, 3, 2, 10),
        reason="r",
        content="c",
    )
    found = overdue([order], {}, {}, {"A": [change]}, {}, {}, {"change_review": 2}, NONE, FRI)
    # due Wednesday 4 March (two working days), late on Thursday and Friday
    assert [(x.change_no, x.days_late, x.unit) for x in found] == [("CH-1", 2, "working_days")]


def test_late_and_at_risk_deliveries() -> None:
    line = OrderLine(order_no="A", line_no=1, quantity=10, delivery_date=date(2026, 3, 20))
    order = _order("A", OrderStatus.IN_PRODUCTION)
    facts = OrderFacts.of("A", [line])
    found = overdue([order], {"A": [line]}, {}, {}, {"A": facts}, {}, {}, NONE, date(2026, 3, 23))
    assert [(x.kind, x.days_late, x.unit) for x in found] == [("delivery_late", 3, "days")]
    # delivered in full: not late any more
    facts.lines[1].delivered = 10
    assert (
        overdue([order], {"A": [line]}, {}, {}, {"A": facts}, {}, {}, NONE, date(2026, 3, 23)) == []
    )
    # not released, and the lead time reaches past the delivery date
    waiting = _order("B", OrderStatus.CHECKED)
    line_b = line.model_copy(update={"order_no": "B", "product_code": "P"})
    product = Product(product_code="P", name="p", lead_time_days=21)
    found = overdue(
        [waiting], {"B": [line_b]}, {}, {}, {}, {"P": product}, {}, NONE, date(2026, 3, 2)
    )
    assert [(x.kind, x.days_late) for x in found] == [("delivery_risk", 3)]


def test_a_rejected_order_is_not_late_on_delivery() -> None:
    """It waits for a change or its cancellation (the stage limits still apply to it)."""
    line = OrderLine(order_no="A", line_no=1, quantity=10, delivery_date=date(2026, 3, 20))
    facts = {"A": OrderFacts.of("A", [line])}
    for status, kinds in ((OrderStatus.REJECTED, []), (OrderStatus.NEGOTIATING, ["delivery_late"])):
        order = _order("A", status)
        found = overdue([order], {"A": [line]}, {}, {}, facts, {}, {}, NONE, date(2026, 3, 23))
        assert [x.kind for x in found] == kinds


def test_the_service_lists_overdue_reviews_and_risky_delays(mem: Desk) -> None:
    mem.released("SO-1")
    mem.track("SO-1", TrackKind.DELAY, user=PROD, cause="spindle", measures="repair",
              expected=date(2026, 5, 10))  # fmt: skip
    with mem.open() as store:
        outcome = timenodes.overdue(store, today=date(2026, 3, 6))
    items = outcome.data["items"]
    by_order = {(i["order_no"], i["kind"]) for i in items}
    # the other orders were checked on Monday 2 March: review due Thursday, one day late
    late_reviews = [i for i in items if i["stage"] == "review"]
    assert {i["order_no"] for i in late_reviews} == {f"SO-{n}" for n in range(2, 9)}
    assert {i["days_late"] for i in late_reviews} == {1}
    assert ("SO-1", "delivery_risk") in by_order
    risk = next(i for i in items if i["order_no"] == "SO-1")
    assert risk["days_late"] == (date(2026, 5, 10) - DUE).days
    assert "spindle" in risk["reason"]
    assert outcome.problems == []


def test_holidays_in_the_settings_move_the_deadline(mem: Desk) -> None:
    row = next(r for r in mem.rows("settings") if r.values["key"] == "holidays")
    setting = ChangeSet()
    setting.update("settings", row.row, "value", "2026-03-05, someday")
    mem.type_rows(setting)
    with mem.open() as store:
        outcome = timenodes.overdue(store, today=date(2026, 3, 6))
    assert [i for i in outcome.data["items"] if i["stage"] == "review"] == []
    assert [p.key for p in outcome.problems] == ["overdue.bad_holiday"]


def test_an_unanswered_change_request_is_listed(mem: Desk) -> None:
    mem(changes.request, "SO-1", Department.SALES, "r", ["contact=Bob"], user=SALES)
    with mem.open() as store:
        items = timenodes.overdue(store, today=date(2026, 3, 9)).data["items"]
    assert any(i["change_no"] == "CH-SO-1-01" and i["days_late"] == 3 for i in items)
