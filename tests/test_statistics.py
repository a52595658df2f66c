"""Statistics and the dashboard (DOMAIN §9) on a small hand-computed dataset.

The dataset (period under test: March 2026, statistics as of 2026-04-10):

order  received  customer  rep  status         lines (product, qty × price, promised)
A      03-02     C1 Alpha  Wu   closed         P1 100 × 2.00 03-20; P3 10 × 30.00 03-20
B      03-10     C2 Beta   Li   delivered      P2 50 × 4.00 03-25
C      03-15     C1 Alpha  Wu   cancelled      P1 1000 × 1.00 03-30
D      03-20     C3 Gamma  —    in production  P9 3 × 10.50 03-28; P3 2 × 30.00 04-30 (USD)
E      02-20     C2 Beta   Li   closed         P1 10 × 2.00 03-05
F      04-02     C3 Gamma  Li   received       P2 5 × 4.00 05-30

Deliveries completed: A1 03-12 (on time), A2 03-22 (late), B1 03-25 (the promised day: on time), E1 03-06 (late).
Inspections: A 100 (95 passed, 5 burr) + 5 + 10 on 03-06..08, B 50 (40, 10 crack) + 10 on
03-16..18, E 10 on 02-27. Complaints: K1 on A 03-28, K2 on E 04-02, K3 (no order) 03-15.
Every tracking row was recorded by the tracking service but D's delivery and D2's inspection,
typed and refused. Catalogue: P2 takes 60 days to make. D has an open delay on D1 (expected
04-05). Open orders as of 04-10: D (21 days old) and F (8 days old).

The figures of single orders (one line, partial deliveries, delays and shortages) are built
in memory at the end of the figure tests.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from addin.core.enums import OrderStatus, TrackKind, YesNo
from addin.core.ledger import Chain
from addin.core.models import Complaint, LedgerEntry, Order, OrderLine, Product, TrackingEntry
from addin.core.statistics import Rate, Statistics, StatsInput
from addin.core.stats_figures import compute, compute_frames
from addin.services.snapshot import Snapshot
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.store import ChangeSet

S = OrderStatus
K = TrackKind
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
AS_OF = datetime(2026, 4, 10, 12, 0)
TODAY = AS_OF.date()

ORDERS = [
    # order_no, received, customer code, name, rep, currency, status
    ("A", date(2026, 3, 2), "C1", "Alpha", "Wu", "CNY", S.CLOSED),
    ("B", date(2026, 3, 10), "C2", "Beta", "Li", "CNY", S.DELIVERED),
    ("C", date(2026, 3, 15), "C1", "Alpha", "Wu", "CNY", S.CANCELLED),
    ("D", date(2026, 3, 20), "C3", "Gamma", None, "USD", S.IN_PRODUCTION),
    ("E", date(2026, 2, 20), "C2", "Beta", "Li", "CNY", S.CLOSED),
    ("F", date(2026, 4, 2), "C3", "Gamma", "Li", "CNY", S.RECEIVED),
]
LINES = [
    # order_no, line_no, product, name, qty, price, promised
    ("A", 1, "P1", "Bolt", 100, "2.00", date(2026, 3, 20)),
    ("A", 2, "P3", "gear shaft (as typed)", 10, "30.00", date(2026, 3, 20)),
    ("B", 1, "P2", "Nut", 50, "4.00", date(2026, 3, 25)),
    ("C", 1, "P1", "Bolt", 1000, "1.00", date(2026, 3, 30)),
    ("D", 1, "P9", "Widget", 3, "10.50", date(2026, 3, 28)),
    ("D", 2, "P3", "Shaft", 2, "30.00", date(2026, 4, 30)),
    ("E", 1, "P1", "Bolt", 10, "2.00", date(2026, 3, 5)),
    ("F", 1, "P2", "Nut", 5, "4.00", date(2026, 5, 30)),
]
# code, name, group, lead time in days
PRODUCTS = [
    ("P1", "Bolt", "Fasteners", None),
    ("P2", "Nut", "Fasteners", 60),
    ("P3", "Shaft", "Drive", None),
]


def _track(
    order_no: str,
    line_no: int | None,
    kind: TrackKind,
    day: tuple[int, int],
    qty: int | None = None,
    recorded: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """A tracking row; ``recorded``: applied by the tracking service (its "recorded at" set)."""
    return {
        "order_no": order_no,
        "line_no": line_no,
        "kind": kind,
        "date": date(2026, *day),
        "quantity": qty,
        "recorded_by": "tester" if recorded else None,
        "recorded_at": datetime(2026, *day, 17) if recorded else None,
        **extra,
    }


TRACKING = [
    _track("A", 1, K.PRODUCTION, (3, 5), 100),
    _track("A", 2, K.PRODUCTION, (3, 5), 10),
    _track("A", 1, K.INSPECTION, (3, 6), 100, passed_qty=95, rejected_qty=5, cause="burr"),
    _track("A", 1, K.PRODUCTION, (3, 7), 5),
    _track("A", 1, K.INSPECTION, (3, 8), 5, passed_qty=5),
    _track("A", 2, K.INSPECTION, (3, 8), 10, passed_qty=10),
    _track("A", 1, K.SHIPMENT, (3, 10), 100),
    _track("A", 2, K.SHIPMENT, (3, 10), 10),
    _track("A", 1, K.DELIVERY, (3, 12), 100),
    _track("A", 2, K.DELIVERY, (3, 22), 10),
    _track("A", None, K.ACCEPTANCE, (3, 23)),
    _track("B", 1, K.PRODUCTION, (3, 13), 50),
    _track("B", 1, K.DELAY, (3, 14), cause="material shortage", measures="expedite",
           expected_date=date(2026, 3, 15)),
    _track("B", 1, K.RECOVERY, (3, 15)),
    _track("B", 1, K.INSPECTION, (3, 16), 50, passed_qty=40, rejected_qty=10, cause="crack"),
    _track("B", 1, K.PRODUCTION, (3, 17), 10),
    _track("B", 1, K.INSPECTION, (3, 18), 10, passed_qty=10),
    _track("B", 1, K.SHIPMENT, (3, 19), 50),
    _track("B", 1, K.DELIVERY, (3, 25), 50),  # on the promised day: on time
    _track("D", 1, K.PRODUCTION, (3, 25), 3),
    # typed, and refused when applied (delivered before shipped, inspected before produced), so
    # never recorded: counted, they would take D off the overdue list and change the pass rate
    _track("D", 1, K.DELIVERY, (3, 27), 3, recorded=False),
    _track("D", 2, K.INSPECTION, (3, 27), 2, recorded=False, passed_qty=2),
    _track("D", 1, K.DELAY, (3, 26), cause="machine breakdown", measures="repair",
           expected_date=date(2026, 4, 5)),
    _track("E", None, K.PRODUCTION, (2, 25), 10),
    _track("E", None, K.INSPECTION, (2, 27), 10, passed_qty=10),
    _track("E", None, K.SHIPMENT, (3, 1), 10),
    _track("E", None, K.DELIVERY, (3, 6), 10),
    _track("E", None, K.ACCEPTANCE, (3, 7)),
]  # fmt: skip

COMPLAINTS = [
    ("K1", "A", date(2026, 3, 28), "C1"),
    ("K2", "E", date(2026, 4, 2), "C2"),
    ("K3", None, date(2026, 3, 15), "C3"),
]

# order_no → status reached on (month, day); the order's receipt is its first status.
STATUS_DAYS = {
    "A": [
        (S.RECEIVED, 3, 2),
        (S.CHECKED, 3, 2),
        (S.IN_REVIEW, 3, 3),
        (S.REVIEW_PASSED, 3, 5),
        (S.RELEASED, 3, 5),
        (S.IN_PRODUCTION, 3, 5),
        (S.INSPECTED, 3, 8),
        (S.SHIPPED, 3, 10),
        (S.DELIVERED, 3, 22),
        (S.ACCEPTED, 3, 23),
        (S.CLOSED, 3, 25),
    ],
    "B": [
        (S.RECEIVED, 3, 10),
        (S.REVIEW_PASSED, 3, 12),
        (S.RELEASED, 3, 13),
        (S.SHIPPED, 3, 19),
        (S.DELIVERED, 3, 25),
    ],
    "C": [(S.RECEIVED, 3, 15), (S.CANCELLED, 3, 16)],
    "D": [
        (S.RECEIVED, 3, 20),
        (S.REVIEW_PASSED, 3, 23),
        (S.RELEASED, 3, 24),
        (S.IN_PRODUCTION, 3, 25),
    ],
    "E": [
        (S.RECEIVED, 2, 20),
        (S.REVIEW_PASSED, 2, 22),
        (S.RELEASED, 2, 23),
        (S.SHIPPED, 3, 1),
        (S.DELIVERED, 3, 6),
        (S.ACCEPTED, 3, 7),
        (S.CLOSED, 3, 8),
    ],
    "F": [(S.RECEIVED, 4, 2)],
}


def _ledger_rows(lang: str) -> list[dict[str, Any]]:
    events = sorted(
        (datetime(2026, month, day, 9), order_no, status)
        for order_no, steps in STATUS_DAYS.items()
        for status, month, day in steps
    )
    chain, before, rows = Chain(), {}, []
    for when, order_no, status in events:
        prior = before.get(order_no)
        rows.append(
            chain.next_row(
                {
                    "time": when,
                    "user": "tester",
                    "order_no": order_no,
                    "action": "test",
                    "status_before": prior.label(lang) if prior else None,
                    "status_after": status.label(lang),
                    "details": "",
                }
            )
        )
        before[order_no] = status
    # a review round recorded without a status change: not a stage
    rows.append(
        chain.next_row(
            {
                "time": datetime(2026, 3, 4, 9),
                "user": "tester",
                "order_no": "A",
                "action": "test",
                "status_before": S.IN_REVIEW.label(lang),
                "status_after": S.IN_REVIEW.label(lang),
                "details": "",
            }
        )
    )
    return rows


def build_workbook(path: Path, lang: str = "en", bad_rows: bool = True) -> Path:
    create_master_workbook(path, lang, force=True)  # type: ignore[arg-type]
    changes = ChangeSet()
    for code, name, group, lead_time in PRODUCTS:
        changes.append(
            "products",
            {
                "product_code": code,
                "name": name,
                "product_group": group,
                "lead_time_days": lead_time,
                "active": YesNo.YES,
            },
        )
    for no, received, code, name, rep, currency, status in ORDERS:
        changes.append(
            "orders",
            {
                "order_no": no,
                "received_date": received,
                "customer_code": code,
                "customer_name": name,
                "sales_rep": rep,
                "currency": currency,
                "status": status,
            },
        )
    for no, line_no, product, name, qty, price, promised in LINES:
        changes.append(
            "lines",
            {
                "order_no": no,
                "line_no": line_no,
                "product_code": product,
                "product_name": name,
                "quantity": qty,
                "unit_price": Decimal(price),
                "delivery_date": promised,
            },
        )
    for entry in TRACKING:
        changes.append("tracking", entry)
    if bad_rows:  # an unreadable row: left out, and reported with the outcome
        changes.append("tracking", {"order_no": "B", "kind": "bogus", "date": date(2026, 3, 20)})
    for no, order_no, day, customer in COMPLAINTS:
        changes.append(
            "complaints",
            {"complaint_no": no, "order_no": order_no, "date": day, "customer_code": customer},
        )
    for row in _ledger_rows(lang):
        changes.append("ledger", row)
    with FileStore.open(path, write=True) as store:
        store.commit(changes)
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("stats") / "master.xlsx")


def figures(
    path: Path,
    date_from: date | None = None,
    date_to: date | None = None,
    as_of: date = TODAY,
) -> Statistics:
    with FileStore.open(path) as store:
        snap = Snapshot(store)
        return compute(
            snap.orders.values(),
            [line for lines in snap.lines.values() for line in lines],
            snap.records("tracking"),
            snap.records("complaints"),
            snap.ledger,
            snap.products.values(),
            date_from,
            date_to,
            as_of=as_of,
        )


@pytest.fixture(scope="module")
def march(workbook: Path) -> Statistics:
    return figures(workbook, *MARCH)


# -- the regular figures --------------------------------------------------------------------
def test_orders_and_sales_in_period(march: Statistics) -> None:
    assert march.orders == 4  # A, B, C, D (E in February, F in April)
    assert march.orders_cancelled == 1  # C
    # cancelled C leaves the sales; D is in dollars and is never added to yuan
    assert march.sales == {"CNY": Decimal("700.00"), "USD": Decimal("91.50")}


def test_on_time_rate_by_delivery_date(march: Statistics) -> None:
    # A1 03-12 ≤ 03-20, A2 03-22 > 03-20, B1 03-25 ≤ 03-25, E1 (received in Feb) 03-06 > 03-05
    assert march.on_time == Rate(2, 4)
    assert march.on_time.value == 0.5


def test_quality_pass_rate_of_inspections_in_period(march: Statistics) -> None:
    # A: 95+5+10 of 100+5+10, B: 40+10 of 50+10; E's February inspection is outside
    assert march.quality == Rate(160, 175)
    assert march.quality.value == pytest.approx(160 / 175)


def test_complaint_rate_over_orders_delivered(march: Statistics) -> None:
    # delivered in March: A (03-22), B (03-25), E (03-06); A and E have complaints (E's is in
    # April: a complaint about a March delivery still counts for March)
    assert march.complaint_rate == Rate(2, 3)
    assert march.complaints_received == 2  # K1, K3 (K2 is April)


def test_stage_and_cycle_times_from_ledger(march: Statistics) -> None:
    got = {
        s.stage: (s.orders, s.mean_days, s.median_days, s.p90_days, s.max_days)
        for s in march.stages
    }
    # p90 by linear interpolation: sorted days d, position 0.9 × (n - 1)
    assert got == {
        # A 3, B 2, D 3 days (E passed in February); p90: [2, 3, 3] at 1.8 → 3 + 0.8 × 0
        S.REVIEW_PASSED: (3, 2.7, 3.0, 3.0, 3),
        S.RELEASED: (3, 3.3, 3.0, 3.8, 4),  # A 3, B 3, D 4; p90: [3, 3, 4] at 1.8 → 3 + 0.8 × 1
        S.SHIPPED: (3, 8.7, 9.0, 9.0, 9),  # A 8, B 9, E 9; p90: [8, 9, 9] at 1.8 → 9
        S.CLOSED: (2, 19.5, 19.5, 22.3, 23),  # A 23, E 16; p90: [16, 23] at 0.9 → 16 + 0.9 × 7
    }


def test_product_mix_per_currency(march: Statistics) -> None:
    groups = [(r.currency, r.group, r.quantity, r.amount, r.share) for r in march.mix_groups]
    assert groups == [
        ("CNY", "Fasteners", 150, Decimal("400.00"), pytest.approx(400 / 700)),
        ("CNY", "Drive", 10, Decimal("300.00"), pytest.approx(300 / 700)),
        ("USD", "Drive", 2, Decimal("60.00"), pytest.approx(60 / 91.5)),
        ("USD", "", 3, Decimal("31.50"), pytest.approx(31.5 / 91.5)),  # P9: not in catalogue
    ]
    products = [
        (r.currency, r.product_code, r.product_name, r.quantity) for r in march.mix_products
    ]
    assert products == [
        ("CNY", "P3", "Shaft", 10),  # the catalogue's name before the one typed on the line
        ("CNY", "P1", "Bolt", 100),
        ("CNY", "P2", "Nut", 50),
        ("USD", "P3", "Shaft", 2),
        ("USD", "P9", "Widget", 3),
    ]
    assert march.mix_products[0].share == pytest.approx(300 / 700)


def test_where_delays_and_rejections_come_from(march: Statistics) -> None:
    delays = [(c.cause, c.entries, c.orders) for c in march.delay_causes]
    assert delays == [("machine breakdown", 1, 1), ("material shortage", 1, 1)]
    rejections = [(c.cause, c.entries, c.orders, c.quantity) for c in march.rejection_causes]
    assert rejections == [("crack", 1, 1, 10), ("burr", 1, 1, 5)]


def test_breakdown_by_customer_and_rep(march: Statistics) -> None:
    customers = {
        m.key: (m.label, m.orders, m.amount, m.on_time, m.quality, m.complaints)
        for m in march.by_customer
    }
    assert customers == {
        "C1": ("Alpha", 2, {"CNY": Decimal("500.00")}, Rate(1, 2), Rate(110, 115), Rate(1, 1)),
        "C2": ("Beta", 1, {"CNY": Decimal("200.00")}, Rate(1, 2), Rate(50, 60), Rate(1, 2)),
        "C3": ("Gamma", 1, {"USD": Decimal("91.50")}, Rate(), Rate(), Rate()),
    }
    assert [m.key for m in march.by_customer] == ["C1", "C2", "C3"]
    reps = {m.key: (m.orders, m.amount, m.on_time) for m in march.by_rep}
    assert reps == {
        "Wu": (2, {"CNY": Decimal("500.00")}, Rate(1, 2)),
        "Li": (1, {"CNY": Decimal("200.00")}, Rate(1, 2)),
        "": (1, {"USD": Decimal("91.50")}, Rate()),  # D has no sales rep
    }


def test_overdue_and_at_risk_as_of(march: Statistics) -> None:
    # The rule of orderdesk overdue (timenodes.delivery_state). Late: D1 was due 03-28 and is
    # not delivered (its delivery row was refused): 04-10 − 03-28 = 13 days. A late order is
    # late, not also at risk, so D's open delay (expected 04-05) does not list it again.
    assert [(f.order_no, f.due, f.days, f.line_no, f.kind) for f in march.overdue] == [
        ("D", date(2026, 3, 28), 13, 1, "delivery_late")
    ]
    # At risk: F is not released and P2 takes 60 days: ready 04-10 + 60 = 06-09, 10 days after
    # its line's delivery date 05-30.
    assert [(f.order_no, f.due, f.days, f.deadline, f.cause) for f in march.at_risk] == [
        ("F", date(2026, 6, 9), 10, date(2026, 5, 30), "")
    ]
    flag = march.at_risk[0]
    assert flag.kind == "risk_lead_time" and flag.customer == "Gamma"
    assert "60" in flag.reason_text("en") and "2026-06-09" in flag.reason_text("zh")


def test_at_risk_by_an_open_delay_before_the_date_passes(workbook: Path) -> None:
    # as of 03-27 D1 (due 03-28) is not late yet; D's open delay on D1 is expected 04-05:
    # at risk by 04-05 − 03-28 = 8 days. F: 03-27 + 60 days = 05-26, before its 05-30.
    early = figures(workbook, *MARCH, as_of=date(2026, 3, 27))
    assert early.overdue == []
    assert [(f.order_no, f.due, f.days, f.line_no, f.cause, f.kind) for f in early.at_risk] == [
        ("D", date(2026, 4, 5), 8, 1, "machine breakdown", "risk_delay")
    ]


def test_flags_are_those_of_orderdesk_overdue(workbook: Path) -> None:
    from addin.services.timenodes import late_orders

    stats = figures(workbook)
    with FileStore.open(workbook) as store:
        found, _ = late_orders(Snapshot(store), AS_OF.date())
    listed = {
        (x.order_no, x.kind, x.line_no, x.days_late)
        for x in found
        if x.kind in ("delivery_late", "delivery_risk")
    }
    flagged = {(f.order_no, "delivery_late", f.line_no, f.days) for f in stats.overdue} | {
        (f.order_no, "delivery_risk", f.line_no, f.days) for f in stats.at_risk
    }
    assert flagged == listed == {("D", "delivery_late", 1, 13), ("F", "delivery_risk", 1, 10)}


def test_trend_by_month_without_period(workbook: Path) -> None:
    stats = figures(workbook)
    months = {
        m.key: (m.orders, m.amount, m.on_time, m.quality, m.complaints) for m in stats.by_month
    }
    assert list(months) == ["2026-02", "2026-03", "2026-04"]
    assert months["2026-02"] == (1, {"CNY": Decimal("20.00")}, Rate(), Rate(10, 10), Rate())
    assert months["2026-03"] == (
        4,
        {"CNY": Decimal("700.00"), "USD": Decimal("91.50")},
        Rate(2, 4),
        Rate(160, 175),
        Rate(2, 3),
    )
    # F, only received, is an order but not yet a sale
    assert months["2026-04"] == (1, {}, Rate(), Rate(), Rate())
    # the whole history
    assert stats.orders == 6
    assert stats.sales == {"CNY": Decimal("720.00"), "USD": Decimal("91.50")}
    assert stats.quality == Rate(170, 185)
    assert stats.complaints_received == 3


def test_period_filter_bounds_are_inclusive(workbook: Path) -> None:
    one_day = figures(workbook, date(2026, 3, 12), date(2026, 3, 12))
    assert one_day.on_time == Rate(1, 1)  # A1 delivered exactly on 03-12
    assert one_day.orders == 0
    open_end = figures(workbook, date(2026, 3, 20), None)
    assert open_end.orders == 2  # D, F
    assert [m.key for m in open_end.by_month] == ["2026-03", "2026-04"]


def test_zero_denominators_give_none(workbook: Path) -> None:
    empty = figures(workbook, date(2025, 1, 1), date(2025, 1, 31))
    assert empty.orders == 0 and empty.sales == {}
    for rate in (empty.on_time, empty.quality, empty.complaint_rate):
        assert rate.denominator == 0 and rate.value is None
    assert [(s.orders, s.mean_days) for s in empty.stages] == [(0, None)] * 4
    assert empty.mix_groups == [] and empty.delay_causes == [] and empty.by_customer == []
    assert [m.key for m in empty.by_month] == ["2025-01"]
    assert empty.by_month[0].on_time.value is None
    assert empty.by_product == [] and empty.orders_cancelled == 0
    # the trend: the 12 months up to January 2025, every one empty
    assert [m.key for m in empty.trend] == [f"2024-{m:02d}" for m in range(2, 13)] + ["2025-01"]
    assert all(m.orders == 0 and m.quality.value is None for m in empty.trend)
    # the backlog is the state as of 04-10 whatever the period: D and F
    assert sum(b.orders for b in empty.backlog) == 2


def test_no_records_at_all() -> None:
    stats = compute([], [], [], [], [], as_of=date(2026, 1, 1))
    assert stats.orders == 0 and stats.on_time.value is None and stats.by_month == []
    assert stats.by_product == [] and stats.overdue == [] and stats.at_risk == []
    assert [(b.key, b.orders, b.overdue) for b in stats.backlog] == [
        ("0-7", 0, 0),
        ("8-14", 0, 0),
        ("15-30", 0, 0),
        ("31-60", 0, 0),
        ("61+", 0, 0),
    ]
    assert len(stats.trend) == 12 and stats.trend[-1].key == "2026-01"
    json.dumps(stats.to_json())  # JSON-able even when empty


def test_breakdown_by_product(march: Statistics) -> None:
    products = {
        m.key: (m.label, m.orders, m.amount, m.on_time, m.quality, m.complaints)
        for m in march.by_product
    }
    assert products == {
        # orders A, C (cancelled C counts as an order, not a sale); A1 100 × 2.00; A1 03-12 on
        # time, E1 03-06 late; A1's inspections 95 + 5 of 100 + 5; delivered A and E, both
        # complained about
        "P1": ("Bolt", 2, {"CNY": Decimal("200.00")}, Rate(1, 2), Rate(100, 105), Rate(2, 2)),
        # A and D; A2 10 × 30.00, D2 2 × 30.00 (dollars); A2 03-22 late; A2 10 of 10 (D2's
        # inspection was refused); delivered A, complained about
        "P3": (
            "Shaft",
            2,
            {"CNY": Decimal("300.00"), "USD": Decimal("60.00")},
            Rate(0, 1),
            Rate(10, 10),
            Rate(1, 1),
        ),
        # B: 50 × 4.00; B1 on the promised day; 40 + 10 of 50 + 10; delivered, no complaint
        "P2": ("Nut", 1, {"CNY": Decimal("200.00")}, Rate(1, 1), Rate(50, 60), Rate(0, 1)),
        # D1 3 × 10.50 (not in the catalogue: the name typed on the line); nothing decided
        "P9": ("Widget", 1, {"USD": Decimal("31.50")}, Rate(), Rate(), Rate()),
    }
    assert [m.key for m in march.by_product] == ["P1", "P3", "P2", "P9"]  # most orders first


def test_backlog_by_age_as_of(march: Statistics, workbook: Path) -> None:
    # as of 04-10: F received 04-02 is 8 days old, D received 03-20 is 21 days old and late
    assert [(b.key, b.orders, b.overdue) for b in march.backlog] == [
        ("0-7", 0, 0),
        ("8-14", 1, 0),
        ("15-30", 1, 1),
        ("31-60", 0, 0),
        ("61+", 0, 0),
    ]
    # as of 03-27: D is exactly 7 days old and not late yet; F is not received yet
    early = figures(workbook, *MARCH, as_of=date(2026, 3, 27))
    assert [(b.key, b.orders) for b in early.backlog][:2] == [("0-7", 1), ("8-14", 0)]
    assert sum(b.orders for b in early.backlog) == 1
    # as of 2026-05-20: F 48 days, D 61 days, both late (D1 03-28; F's 05-30 not yet: not late)
    later = figures(workbook, *MARCH, as_of=date(2026, 5, 20))
    assert [(b.key, b.orders, b.overdue) for b in later.backlog][3:] == [
        ("31-60", 1, 0),
        ("61+", 1, 1),
    ]


def test_trend_is_twelve_months_to_the_period_end(march: Statistics, workbook: Path) -> None:
    # March 2026 ends the trend, whatever the period's start: April 2025 to March 2026
    months = [m.key for m in march.trend]
    assert months[0] == "2025-04" and months[-1] == "2026-03" and len(months) == 12
    trend = {m.key: (m.orders, m.amount, m.on_time, m.quality, m.complaints) for m in march.trend}
    # February: E received (20.00), its inspection 10 of 10; E1 was delivered in March
    assert trend["2026-02"] == (1, {"CNY": Decimal("20.00")}, Rate(), Rate(10, 10), Rate())
    assert trend["2026-03"] == (
        4,
        {"CNY": Decimal("700.00"), "USD": Decimal("91.50")},
        Rate(2, 4),
        Rate(160, 175),
        Rate(2, 3),
    )
    assert all(m.orders == 0 and m.on_time.value is None for m in march.trend[:10])
    # no period end: the as-of month (April) ends it; F received in April
    whole = figures(workbook)
    assert [m.key for m in whole.trend][-1] == "2026-04" and whole.trend[-1].orders == 1
    one_day = figures(workbook, date(2026, 3, 12), date(2026, 3, 12))
    assert [m.key for m in one_day.trend] == months  # the period's start plays no part


def test_plain_frames_give_the_same_figures(workbook: Path) -> None:
    """from_records makes repeated texts categories; frames of plain texts work the same."""
    import pandas as pd

    with FileStore.open(workbook) as store:
        snap = Snapshot(store)
        inp = StatsInput.from_records(
            snap.orders.values(),
            [line for lines in snap.lines.values() for line in lines],
            snap.records("tracking"),
            snap.records("complaints"),
            snap.ledger,
            snap.products.values(),
        )
    assert isinstance(inp.tracking["order_no"].dtype, pd.CategoricalDtype)
    plain = StatsInput(
        **{
            name: frame.astype(
                {c: object for c, t in frame.dtypes.items() if isinstance(t, pd.CategoricalDtype)}
            )
            for name, frame in vars(inp).items()
        }
    )
    expected = compute_frames(inp, *MARCH, as_of=TODAY).to_json()
    assert compute_frames(plain, *MARCH, as_of=TODAY).to_json() == expected
    assert expected["orders"] == 4 and expected["overdue"][0]["order_no"] == "D"


# -- single orders, in memory -------------------------------------------------------------------
def _entry(line_no: int | None, kind: TrackKind, day: tuple[int, int], row: int, **kw: Any) -> Any:
    recorded = kw.pop("recorded", True)
    return TrackingEntry(
        order_no="X",
        line_no=line_no,
        kind=kind,
        date=date(2026, *day),
        row=row,
        recorded_at=datetime(2026, *day, 17) if recorded else None,
        **kw,
    )


def _one(
    tracking: list[TrackingEntry],
    status: OrderStatus = S.IN_PRODUCTION,
    lines: tuple[tuple[int, int, tuple[int, int]], ...] = ((1, 10, (3, 20)),),
    ledger: list[tuple[OrderStatus, tuple[int, int]]] = (),  # type: ignore[assignment]
    complaints: int = 0,
    as_of: date = TODAY,
) -> Statistics:
    """Order X of customer C9, received 03-02, lines (no, quantity × 2.00 of P1, promised)."""
    order = Order(order_no="X", received_date=date(2026, 3, 2), customer_code="C9", status=status)
    order_lines = [
        OrderLine(
            order_no="X",
            line_no=no,
            product_code="P1",
            quantity=qty,
            unit_price=Decimal("2.00"),
            delivery_date=date(2026, *promised),
        )
        for no, qty, promised in lines
    ]
    entries = [
        LedgerEntry(
            seq=n,
            time=datetime(2026, *day, 9),
            user="tester",
            order_no="X",
            action="test",
            status_after=after.value,
            hash="-",
        )
        for n, (after, day) in enumerate(ledger, start=1)
    ]
    filed = [
        Complaint(complaint_no=f"K{n}", order_no="X", date=date(2026, 3, 28))
        for n in range(complaints)
    ]
    products = [Product(product_code="P1", name="Bolt", product_group="Fasteners")]
    inp = StatsInput.from_records([order], order_lines, tracking, filed, entries, products)
    return compute_frames(inp, *MARCH, as_of=as_of)


def test_one_order_one_line_one_inspection() -> None:
    stats = _one(
        [
            _entry(1, K.PRODUCTION, (3, 5), 2, quantity=10),
            _entry(1, K.INSPECTION, (3, 6), 3, quantity=10, passed_qty=9, rejected_qty=1,
                   cause=" burr "),
            _entry(1, K.PRODUCTION, (3, 7), 4, quantity=1),
            _entry(1, K.INSPECTION, (3, 8), 5, quantity=1, passed_qty=1, rejected_qty=0),
            _entry(1, K.SHIPMENT, (3, 10), 6, quantity=10),
            _entry(1, K.DELIVERY, (3, 12), 7, quantity=10),
        ],
        status=S.CLOSED,
        ledger=[(S.RECEIVED, (3, 2)), (S.REVIEW_PASSED, (3, 4)), (S.CLOSED, (3, 20))],
        complaints=1,
    )  # fmt: skip
    assert stats.orders == 1 and stats.sales == {"CNY": Decimal("20.00")}  # 10 × 2.00
    assert stats.on_time == Rate(1, 1)  # 03-12 ≤ 03-20
    assert stats.quality == Rate(10, 11)  # 9 + 1 passed of 10 + 1 inspected
    assert stats.complaint_rate == Rate(1, 1)
    assert [(c.cause, c.entries, c.quantity) for c in stats.rejection_causes] == [("burr", 1, 1)]
    # one value: mean, median, p90 and max are that value (03-04 − 03-02, 03-20 − 03-02)
    got = {s.stage: (s.orders, s.mean_days, s.median_days, s.p90_days, s.max_days)
           for s in stats.stages}  # fmt: skip
    assert got[S.REVIEW_PASSED] == (1, 2.0, 2.0, 2.0, 2)
    assert got[S.CLOSED] == (1, 18.0, 18.0, 18.0, 18)
    assert got[S.RELEASED] == (0, None, None, None, None)
    assert [(m.key, m.orders, m.on_time) for m in stats.by_product] == [("P1", 1, Rate(1, 1))]
    assert [(m.key, m.label) for m in stats.by_customer] == [("C9", "C9")]  # no name: the code
    assert stats.backlog and all(b.orders == 0 for b in stats.backlog)  # closed: not open
    assert stats.overdue == [] and stats.at_risk == []


def test_a_partial_delivery_leaves_the_line_undecided() -> None:
    shipped = [
        _entry(1, K.PRODUCTION, (3, 5), 2, quantity=10),
        _entry(1, K.INSPECTION, (3, 6), 3, quantity=10, passed_qty=10, rejected_qty=0),
        _entry(1, K.SHIPMENT, (3, 10), 4, quantity=10),
        _entry(1, K.DELIVERY, (3, 18), 5, quantity=6),
    ]
    partial = _one(shipped, status=S.SHIPPED)
    assert partial.on_time == Rate(0, 0) and partial.on_time.value is None  # 6 of 10: undecided
    assert partial.complaint_rate == Rate(0, 0)  # the order is not delivered either
    # undelivered past its date: late 04-10 − 03-20 = 21 days
    assert [(f.order_no, f.due, f.days) for f in partial.overdue] == [("X", date(2026, 3, 20), 21)]
    # the rest, typed below but dated earlier: complete on the latest date so far, 03-18
    done = _one([*shipped, _entry(1, K.DELIVERY, (3, 15), 6, quantity=4)], status=S.DELIVERED)
    assert done.on_time == Rate(1, 1)  # 03-18 ≤ 03-20
    assert done.complaint_rate == Rate(0, 1)
    assert done.overdue == [] and sum(b.orders for b in done.backlog) == 0
    # the same row typed and not yet applied (recorded at blank) does not count
    typed = _one([*shipped, _entry(1, K.DELIVERY, (3, 15), 6, quantity=4, recorded=False)])
    assert typed.on_time == Rate(0, 0)


def test_a_single_line_orders_rows_without_line_number_are_its_line() -> None:
    stats = _one(
        [
            _entry(None, K.PRODUCTION, (3, 5), 2, quantity=10),
            _entry(None, K.INSPECTION, (3, 6), 3, quantity=10, passed_qty=10, rejected_qty=0),
            _entry(None, K.SHIPMENT, (3, 10), 4, quantity=10),
            _entry(None, K.DELIVERY, (3, 25), 5, quantity=10),
        ],
        status=S.DELIVERED,
    )
    assert stats.on_time == Rate(0, 1)  # delivered 03-25, promised 03-20
    assert [(m.key, m.quality) for m in stats.by_product] == [("P1", Rate(10, 10))]


def test_at_risk_by_delay_or_shortage_reaching_past_a_delivery_date() -> None:
    # line 1 due 04-20, line 2 due 04-15; as of 04-10 neither is late
    lines = ((1, 10, (4, 20)), (2, 5, (4, 15)))
    rows = [
        _entry(1, K.PRODUCTION, (3, 25), 2, quantity=10),
        # open, but expected before its line's date: no risk (04-12 ≤ 04-20)
        _entry(1, K.DELAY, (3, 26), 3, cause="power cut", measures="generator",
               expected_date=date(2026, 4, 12)),
        _entry(1, K.DELAY, (3, 28), 4, cause="mould repair", measures="outsource",
               expected_date=date(2026, 4, 25)),
        _entry(None, K.MATERIAL, (3, 29), 5, cause="steel late",
               expected_date=date(2026, 4, 18)),
    ]  # fmt: skip
    stats = _one(rows, lines=lines)
    # the furthest: the mould delay 04-25 − 04-20 = 5 days (the shortage: 04-18 − 04-15 = 3)
    assert [(f.due, f.days, f.cause, f.line_no, f.deadline, f.kind) for f in stats.at_risk] == [
        (date(2026, 4, 25), 5, "mould repair", 1, date(2026, 4, 20), "risk_delay")
    ]
    # two recoveries close both delays (oldest first): the shortage remains, on line 2
    recovered = [
        *rows,
        _entry(1, K.RECOVERY, (4, 1), 6),
        _entry(1, K.RECOVERY, (4, 2), 7),
    ]
    stats = _one(recovered, lines=lines)
    assert [(f.due, f.days, f.cause, f.line_no, f.kind) for f in stats.at_risk] == [
        (date(2026, 4, 18), 3, "steel late", 2, "risk_material")
    ]
    # a recovery typed but not applied changes nothing
    typed = _one([*rows, _entry(1, K.RECOVERY, (4, 1), 6, recorded=False)], lines=lines)
    assert [f.cause for f in typed.at_risk] == ["mould repair"]
    assert stats.overdue == [] and typed.overdue == []
