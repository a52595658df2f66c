"""Execution and tracking (DOMAIN §5–§6): facts, impossible quantities, status, tracking view."""

from __future__ import annotations

from datetime import date

import pytest
from lifecycle_fixtures import (
    OM,
    PROD,
    PURCH,
    QUAL,
    SALES,
    TECH,
    Desk,
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)

from addin.core.enums import OrderStatus, TrackKind
from addin.core.models import OrderLine, TrackingEntry
from addin.core.tracking import OrderFacts, check_entry, replay, status_from_facts
from addin.i18n import t
from addin.services import tracking
from workbook.store import ChangeSet

K = TrackKind
TODAY = date(2026, 3, 2)


def entry(kind: TrackKind, **kw: object) -> TrackingEntry:
    return TrackingEntry(order_no="X", kind=kind, date=TODAY, **kw)  # type: ignore[arg-type]


def facts_of(*entries: TrackingEntry, quantity: int = 100) -> OrderFacts:
    lines = [OrderLine(order_no="X", line_no=1, quantity=quantity)]
    facts, problems = replay("X", lines, entries)
    assert problems == []
    return facts


@pytest.mark.parametrize(
    ("history", "new", "key"),
    [
        ([], entry(K.PRODUCTION, quantity=101), "track.over_ordered"),
        ([], entry(K.PRODUCTION), "track.quantity_required"),
        ([], entry(K.INSPECTION, quantity=1, passed_qty=1), "track.inspected_over_produced"),
        (
            [entry(K.PRODUCTION, quantity=10)],
            entry(K.INSPECTION, quantity=10, passed_qty=11, rejected_qty=0),
            "track.inspection_sum",
        ),
        (
            [entry(K.PRODUCTION, quantity=10)],
            entry(K.INSPECTION, quantity=10, passed_qty=8, rejected_qty=2),
            "track.cause_required",
        ),
        (
            [entry(K.PRODUCTION, quantity=10), entry(K.INSPECTION, quantity=5, passed_qty=5)],
            entry(K.SHIPMENT, quantity=6),
            "track.shipped_over_passed",
        ),
        (
            [
                entry(K.PRODUCTION, quantity=10),
                entry(K.INSPECTION, quantity=10, passed_qty=10),
                entry(K.SHIPMENT, quantity=4),
            ],
            entry(K.DELIVERY, quantity=5),
            "track.delivered_over_shipped",
        ),
        ([], entry(K.ACCEPTANCE), "track.accept_before_delivery"),
        ([], entry(K.DELAY, cause="x", measures="y"), "track.expected_required"),
        ([], entry(K.DELAY, measures="y", expected_date=TODAY), "track.cause_required"),
        ([], entry(K.DELAY, cause="x", expected_date=TODAY), "track.measures_required"),
        ([], entry(K.RECOVERY), "track.no_open_delay"),
        ([], entry(K.MATERIAL, cause="late supplier"), "track.expected_required"),
        ([], entry(K.MATERIAL), "track.quantity_required"),
        ([], entry(K.PRODUCTION, quantity=1, line_no=2), "track.unknown_line"),
    ],
)
def test_impossible_facts_are_refused(
    history: list[TrackingEntry], new: TrackingEntry, key: str
) -> None:
    facts = facts_of(*history)
    assert key in [p.key for p in check_entry(facts, new)]


def test_passed_cannot_exceed_the_order_even_over_several_inspections() -> None:
    facts = facts_of(
        entry(K.PRODUCTION, quantity=100),
        entry(K.INSPECTION, quantity=100, passed_qty=90, rejected_qty=10, cause="burrs"),
        entry(K.PRODUCTION, quantity=10),  # replacements for the rejects
    )
    assert facts.lines[1].produced == 110
    problems = check_entry(facts, entry(K.INSPECTION, quantity=20, passed_qty=20))
    assert {p.key for p in problems} == {"track.passed_over_ordered"}
    assert check_entry(facts, entry(K.INSPECTION, quantity=10, passed_qty=10)) == []
    assert check_entry(facts, entry(K.PRODUCTION, quantity=1)) != []  # 111 > 100 + 10


def test_status_follows_the_facts() -> None:
    steps = [
        (entry(K.PRODUCTION, quantity=60), OrderStatus.IN_PRODUCTION),
        (entry(K.PRODUCTION, quantity=40), OrderStatus.IN_PRODUCTION),
        (entry(K.INSPECTION, quantity=100, passed_qty=100), OrderStatus.INSPECTED),
        (entry(K.SHIPMENT, quantity=50), OrderStatus.INSPECTED),
        (entry(K.SHIPMENT, quantity=50), OrderStatus.SHIPPED),
        (entry(K.DELIVERY, quantity=100), OrderStatus.DELIVERED),
        (entry(K.ACCEPTANCE), OrderStatus.ACCEPTED),
    ]
    seen: list[TrackingEntry] = []
    assert status_from_facts(facts_of()) == OrderStatus.RELEASED
    for new, status in steps:
        seen.append(new)
        assert status_from_facts(facts_of(*seen)) == status, new


def test_the_service_moves_the_status_and_fills_the_tracking_view(mem: Desk) -> None:
    mem.released("SO-1")
    mem.track("SO-1", K.MATERIAL, quantity=500, remarks="steel bar")
    outcome = mem.track("SO-1", K.PRODUCTION, quantity=60)
    assert (outcome.orders[0].before, outcome.orders[0].after) == (
        OrderStatus.RELEASED,
        OrderStatus.IN_PRODUCTION,
    )
    mem.track("SO-1", K.PRODUCTION, quantity=40)
    mem.track("SO-1", K.INSPECTION, quantity=100, passed=90, cause="burrs")
    snap = mem.read()
    order, (line,) = snap.orders["SO-1"], snap.lines["SO-1"]
    assert order.progress == 1.0
    assert order.inspection == t(
        "tracking.inspection_partial", "en", inspected=100, passed=90, ordered=100, rejected=10
    )
    assert (line.produced_qty, line.passed_qty) == (100, 90)
    (inspection,) = [r for r in snap.records("tracking") if r.kind == K.INSPECTION]
    assert (inspection.quantity, inspection.passed_qty, inspection.rejected_qty) == (100, 90, 10)
    assert inspection.recorded_by == QUAL
    # rework: the ten rejected are inspected again and pass
    assert mem.track("SO-1", K.INSPECTION, quantity=10, passed=10).orders[0].after == (
        OrderStatus.INSPECTED
    )
    mem.track("SO-1", K.SHIPMENT, quantity=100, carrier="SF", on=date(2026, 3, 2))
    order = mem.read().orders["SO-1"]
    assert order.status == OrderStatus.SHIPPED
    assert order.shipped_at == date(2026, 3, 2)
    assert mem.verify() == []


def test_partial_shipment_and_delivery_while_in_production(mem: Desk) -> None:
    mem.released("SO-2")
    mem.track("SO-2", K.PRODUCTION, line_no=1, quantity=50)
    mem.track("SO-2", K.INSPECTION, line_no=1, quantity=50, passed=50)
    assert mem.track("SO-2", K.SHIPMENT, line_no=1, quantity=50).orders[0].after == (
        OrderStatus.IN_PRODUCTION
    )
    mem.track("SO-2", K.DELIVERY, line_no=1, quantity=50)
    # the order is shipped only when every line is
    mem.track("SO-2", K.PRODUCTION, line_no=2, quantity=20)
    assert mem.track("SO-2", K.INSPECTION, line_no=2, quantity=20, passed=20).orders[0].after == (
        OrderStatus.INSPECTED
    )
    assert mem.track("SO-2", K.SHIPMENT, line_no=2, quantity=20).orders[0].after == (
        OrderStatus.SHIPPED
    )


def test_refusals_name_the_rule_and_write_nothing(mem: Desk) -> None:
    mem.released("SO-2")
    assert refusal(mem, tracking.track, "SO-2", K.PRODUCTION, quantity=5, user=PROD) == [
        "track.line_required"
    ]
    assert refusal(
        mem, tracking.track, "SO-2", K.PRODUCTION, line_no=1, quantity=51, user=PROD
    ) == ["track.over_ordered"]
    assert refusal(
        mem, tracking.track, "SO-2", K.PRODUCTION, line_no=1, quantity=-1, user=PROD
    ) == ["error.min"]
    assert refusal(
        mem,
        tracking.track,
        "SO-2",
        K.PRODUCTION,
        line_no=1,
        quantity=1,
        on=date(2026, 3, 3),
        user=PROD,
    ) == ["track.future_date"]
    # shipment before anything passed: the table refuses it from 'released'
    assert refusal(mem, tracking.track, "SO-2", K.SHIPMENT, line_no=1, quantity=1, user=SALES) == [
        "rule.status_forbids"
    ]


@pytest.mark.parametrize(
    ("kind", "allowed", "refused"),
    [
        (K.PRODUCTION, [PROD, OM], [QUAL, SALES, PURCH, TECH]),
        (K.INSPECTION, [QUAL, OM], [PROD, SALES, PURCH, TECH]),
        (K.MATERIAL, [PURCH, OM], [PROD, QUAL, SALES, TECH]),
        (K.DELAY, [PROD, TECH, QUAL, PURCH, SALES, OM], []),
    ],
)
def test_who_records_what(
    mem: Desk, kind: TrackKind, allowed: list[str], refused: list[str]
) -> None:
    mem.released("SO-1")
    mem.track("SO-1", K.PRODUCTION, quantity=10)
    kwargs: dict[str, object] = {
        K.PRODUCTION: {"quantity": 1},
        K.INSPECTION: {"quantity": 1, "passed": 1},
        K.MATERIAL: {"quantity": 1},
        K.DELAY: {"cause": "c", "measures": "m", "expected": date(2026, 3, 9)},
    }[kind]
    for user in refused:
        keys = refusal(mem, tracking.track, "SO-1", kind, user=user, **kwargs)
        assert keys == ["role.wrong_department"], user
    for user in allowed:
        mem(tracking.track, "SO-1", kind, user=user, **kwargs)


def test_sales_ships_delivers_and_confirms_acceptance(mem: Desk) -> None:
    mem.released("SO-4")
    mem.complete("SO-4", accept=False)
    assert refusal(mem, tracking.track, "SO-4", K.ACCEPTANCE, user=PROD) == [
        "role.wrong_department"
    ]
    outcome = mem(tracking.track, "SO-4", K.ACCEPTANCE, remarks="signed", user=SALES)
    assert outcome.orders[0].after == OrderStatus.ACCEPTED
    assert refusal(mem, tracking.track, "SO-4", K.ACCEPTANCE, user=SALES) == ["rule.status_forbids"]


def test_a_delay_and_its_recovery(mem: Desk) -> None:
    mem.released("SO-1")
    mem.track("SO-1", K.DELAY, cause="spindle", measures="repair", expected=date(2026, 3, 9))
    mem.track("SO-1", K.RECOVERY, remarks="repaired")
    assert refusal(mem, tracking.track, "SO-1", K.RECOVERY, user=PROD) == ["track.no_open_delay"]
    assert mem.status("SO-1") == OrderStatus.RELEASED


def test_rows_typed_into_the_tracking_sheet_count_and_are_checked(mem: Desk) -> None:
    mem.released("SO-1")
    typed = ChangeSet()
    typed.append(
        "tracking",
        {"order_no": "SO-1", "line_no": 1, "kind": "生产", "date": TODAY, "quantity": 30},
    )
    mem.type_rows(typed)
    mem.track("SO-1", K.PRODUCTION, quantity=20)
    assert mem.read().lines["SO-1"][0].produced_qty == 50  # the typed 30 counted
    impossible = ChangeSet()
    impossible.append(
        "tracking",
        {"order_no": "SO-1", "line_no": 1, "kind": "Shipment", "date": TODAY, "quantity": 5},
    )
    mem.type_rows(impossible)
    keys = refusal(mem, tracking.track, "SO-1", K.PRODUCTION, quantity=1, user=PROD)
    assert keys == ["track.sheet_problems", "track.shipped_over_passed"]
