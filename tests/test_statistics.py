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
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from addin.cli import main
from addin.core.enums import OrderStatus, TrackKind, YesNo
from addin.core.ledger import Chain
from addin.core.statistics import Rate, Statistics, compute
from addin.i18n import t
from addin.services.snapshot import Snapshot
from addin.services.statistics import dashboard_grid, refresh_dashboard
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.store import ChangeSet

S = OrderStatus
K = TrackKind
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
AS_OF = datetime(2026, 4, 10, 12, 0)

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
PRODUCTS = [("P1", "Bolt", "Fasteners"), ("P2", "Nut", "Fasteners"), ("P3", "Shaft", "Drive")]


def _track(
    order_no: str,
    line_no: int | None,
    kind: TrackKind,
    day: tuple[int, int],
    qty: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "order_no": order_no,
        "line_no": line_no,
        "kind": kind,
        "date": date(2026, *day),
        "quantity": qty,
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
    # refused by the lifecycle's rules (delivered before shipped, inspected before produced):
    # counted, they would take D off the overdue list and change the pass rate
    _track("D", 1, K.DELIVERY, (3, 27), 3),
    _track("D", 2, K.INSPECTION, (3, 27), 2, passed_qty=2),
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
    for code, name, group in PRODUCTS:
        changes.append(
            "products",
            {"product_code": code, "name": name, "product_group": group, "active": YesNo.YES},
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


def figures(path: Path, date_from: date | None = None, date_to: date | None = None) -> Statistics:
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
            as_of=AS_OF.date(),
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
    got = {s.stage: (s.orders, s.mean_days, s.median_days, s.max_days) for s in march.stages}
    assert got == {
        S.REVIEW_PASSED: (3, 2.7, 3.0, 3),  # A 3, B 2, D 3 days (E passed in February)
        S.RELEASED: (3, 3.3, 3.0, 4),  # A 3, B 3, D 4
        S.SHIPPED: (3, 8.7, 9.0, 9),  # A 8, B 9, E 9
        S.CLOSED: (2, 19.5, 19.5, 23),  # A 23, E 16
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
    assert [(f.order_no, f.due, f.days) for f in march.overdue] == [("D", date(2026, 3, 28), 13)]
    assert [(f.order_no, f.due, f.cause) for f in march.at_risk] == [
        ("D", date(2026, 4, 5), "machine breakdown")
    ]


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


def test_no_records_at_all() -> None:
    stats = compute([], [], [], [], [], as_of=date(2026, 1, 1))
    assert stats.orders == 0 and stats.on_time.value is None and stats.by_month == []
    json.dumps(stats.to_json())  # JSON-able even when empty


# -- the dashboard sheet ----------------------------------------------------------------------
def _section(grid: list[list[Any]], title: str) -> list[list[Any]]:
    """The rows of one section (header row included) up to the next blank row."""
    start = grid.index([title]) + 1
    end = next((i for i in range(start, len(grid)) if not grid[i]), len(grid))
    return grid[start:end]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_grid_in_both_languages(march: Statistics, lang: str) -> None:
    grid = dashboard_grid(march, lang, AS_OF, "tester")
    assert grid[0] == [t("dashboard.title", lang)]
    assert grid[1] == [
        t("stats.period", lang),
        t("stats.period_range", lang, start="2026-03-01", end="2026-03-31"),
    ]
    key = {row[0]: row[1:] for row in _section(grid, t("stats.section.key", lang))[1:]}
    assert key[t("stats.fig.orders", lang)][0] == 4
    assert key[t("stats.fig.sales", lang, currency="CNY")][0] == Decimal("700.00")
    assert key[t("stats.fig.on_time", lang)][:3] == [50.0, 2, 4]
    assert key[t("stats.fig.quality", lang)][:3] == [91.4, 160, 175]
    assert key[t("stats.fig.complaint_rate", lang)][:3] == [66.7, 2, 3]
    customers = _section(grid, t("stats.section.by_customer", lang))
    assert customers[0] == [
        t("stats.col.customer", lang),
        t("stats.col.orders", lang),
        t("stats.col.amount_in", lang, currency="CNY"),
        t("stats.col.amount_in", lang, currency="USD"),
        t("stats.fig.on_time", lang),
        t("stats.fig.quality", lang),
        t("stats.fig.complaint_rate", lang),
    ]
    assert customers[3] == ["Gamma", 1, Decimal(0), Decimal("91.50"), "—", "—", "—"]
    reps = _section(grid, t("stats.section.by_rep", lang))
    assert reps[2][0] == t("stats.unassigned", lang)  # D without a sales rep
    overdue = _section(grid, t("stats.section.overdue", lang))
    assert overdue[1] == ["D", "Gamma", S.IN_PRODUCTION, date(2026, 3, 28), 13]


def test_dashboard_shows_none_for_empty_sections_and_dash_for_rates() -> None:
    stats = compute([], [], [], [], [], as_of=date(2026, 1, 1))
    grid = dashboard_grid(stats, "en", AS_OF, "tester", default_currency="EUR")
    assert _section(grid, "Product mix by product group")[1] == ["None"]
    key = {row[0]: row[1:] for row in _section(grid, "Key figures")[1:]}
    assert key["Sales amount (EUR)"][0] == Decimal(0)
    assert key["On-time delivery rate (%)"][:3] == ["—", 0, 0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refresh_writes_dashboard_and_one_ledger_row(tmp_path: Path, lang: str) -> None:
    path = build_workbook(tmp_path / "master.xlsx", lang)
    with FileStore.open(path) as store:
        ledger_before = len(store.read("ledger"))
        orders_before = [r.values for r in store.read("orders")]
    with FileStore.open(path, write=True) as store:
        outcome = refresh_dashboard(store, *MARCH, user="tester", now=AS_OF)
    assert outcome.data["orders"] == 4
    assert outcome.data["on_time"] == {"numerator": 2, "denominator": 4, "rate": 0.5}
    assert outcome.data["sales"] == {"CNY": 700.0, "USD": 91.5}
    # status labels in the ledger are read in the workbook's language
    assert outcome.data["stages"][3] == {
        "stage": "closed",
        "orders": 2,
        "mean_days": 19.5,
        "median_days": 19.5,
        "max_days": 23,
    }
    json.dumps(outcome.to_json(lang))
    # the unreadable tracking row is reported, not silently dropped
    assert [(p.table, p.column) for p in outcome.problems] == [("tracking", "kind")]

    wb = load_workbook(path)
    ws = wb[t("sheet.dashboard", lang)]
    assert ws["A1"].value == t("dashboard.title", lang)
    assert ws["A1"].font.bold
    cells = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    on_time_row = cells[t("stats.fig.on_time", lang)]
    assert [ws.cell(row=on_time_row, column=c).value for c in (2, 3, 4)] == [50, 2, 4]
    sales_row = cells[t("stats.fig.sales", lang, currency="USD")]
    assert ws.cell(row=sales_row, column=2).value == 91.5
    assert t("stats.section.by_month", lang) in cells and "2026-03" in cells

    with FileStore.open(path) as store:
        ledger = store.read("ledger")
        assert [r.values for r in store.read("orders")] == orders_before
    assert len(ledger) == ledger_before + 1
    row = ledger[-1].values
    assert row["action"] == t("action.stats", lang)
    assert row["order_no"] is None and row["status_before"] is None and row["status_after"] is None
    assert "50.0%" in row["details"]


def test_refresh_replaces_the_previous_dashboard(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "master.xlsx", "en", bad_rows=False)
    with FileStore.open(path, write=True) as store:
        refresh_dashboard(store, user="tester", now=AS_OF)
    with FileStore.open(path, write=True) as store:
        outcome = refresh_dashboard(store, date(2025, 1, 1), date(2025, 1, 31), "tester", AS_OF)
    assert outcome.problems == []
    ws = load_workbook(path)["Dashboard"]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Bolt" not in values  # nothing left from the first, longer dashboard
    assert "2025-01" in values


def test_refresh_refuses_a_reversed_period(tmp_path: Path) -> None:
    from addin.core.problems import RuleError

    path = build_workbook(tmp_path / "master.xlsx", "en", bad_rows=False)
    with FileStore.open(path, write=True) as store, pytest.raises(RuleError) as info:
        refresh_dashboard(store, date(2026, 4, 1), date(2026, 3, 1))
    assert info.value.problems[0].key == "stats.bad_period"


def test_cli_stats_json_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = build_workbook(tmp_path / "master.xlsx", "zh", bad_rows=False)
    assert main(["stats", str(path), "--from", "2026-03-01", "--to", "2026-03-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True
    assert data["data"]["complaints"] == {"numerator": 2, "denominator": 3, "rate": 2 / 3}
    assert main(["stats", str(path), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "On-time delivery rate (%)  50.0  2  4" in text
    assert "Dashboard written to sheet '统计'." in text
    with pytest.raises(SystemExit):
        main(["stats", str(path), "--from", "March"])


def test_importing_the_service_does_not_load_pandas() -> None:
    import subprocess
    import sys

    code = (
        "import sys, addin.services.statistics, addin.commands.statistics; "
        "print('pandas' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_live_excel_store_writes_the_same_dashboard(tmp_path: Path, open_book: Any) -> None:
    """The ribbon's store (xlwings, here over openpyxl) gets the same cells as the file store."""
    import shutil

    from workbook.xlwings_store import XlwingsStore

    file_path = build_workbook(tmp_path / "file.xlsx", "zh")
    live_path = tmp_path / "live.xlsx"
    shutil.copy(file_path, live_path)
    with FileStore.open(file_path, write=True) as store:
        refresh_dashboard(store, *MARCH, user="tester", now=AS_OF)
    book = open_book(live_path)
    refresh_dashboard(XlwingsStore(book), *MARCH, user="tester", now=AS_OF)
    book.save()

    def cells(path: Path) -> list[tuple[Any, ...]]:
        ws = load_workbook(path)[t("sheet.dashboard", "zh")]
        return [tuple(v for v in row if v is not None) for row in ws.iter_rows(values_only=True)]

    expected = cells(file_path)
    assert len(expected) > 60
    assert cells(live_path) == expected
