"""The statistics of a period on a SQL store read only the rows that can matter to the period
(``SqlStore.read_period``, one query per table) and give exactly the figures of a whole read:
on a database with six years of orders (received before the period and finished in it, open
for years, cancelled, complained about, their delivery dates changed, customers and products
named differently over time) and unreadable rows outside the period, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from contract.sql_fixtures import db_url_fixture, master_db_fixture, sql_store  # noqa: F401
from lifecycle_fixtures import OM, master_bytes_fixture, memory_store  # noqa: F401

from addin.core.enums import OrderStatus, TrackKind
from addin.services import statistics
from addin.services.snapshot import Snapshot
from workbook.sql.store import SqlStore
from workbook.store import ChangeSet, Row

S = OrderStatus
AS_OF = date(2026, 12, 3)
NOW = datetime.combine(AS_OF, time(17))
FIRST_DAY = date(2021, 1, 4)
# (customer code, name as typed on that order): one code named two ways, one without a code
CUSTOMERS = [
    ("C1", "Acme Machines"),
    ("C1", "Acme Machines Ltd"),
    ("C2", "Beta"),
    (None, "Walk-in"),
]
# (code, name as typed, price): X9 is in no catalogue and typed under two names
PRODUCTS = [("P1", "Bolt", "1.00"), ("P2", "Bearing", "12.00"), ("X9", "Widget", "3.50")]
PERIODS = [
    (date(2025, 12, 4), AS_OF),  # the last year
    (date(2024, 3, 1), date(2024, 6, 30)),  # months long past
    (date(2025, 1, 1), None),  # open at the end
]
STEPS = [
    (TrackKind.PRODUCTION, S.IN_PRODUCTION),
    (TrackKind.INSPECTION, S.INSPECTED),
    (TrackKind.SHIPMENT, S.SHIPPED),
    (TrackKind.DELIVERY, S.DELIVERED),
]


class History:
    """Orders over six years with their lines, tracking facts, complaints and ledger rows."""

    def __init__(self, count: int, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.changes = ChangeSet()
        for n in range(1, count + 1):
            self.order(f"H-{n:04d}", n)

    def ledger(self, at: datetime, no: str, action: str, before: Any, after: Any) -> None:
        self.changes.append(
            "ledger",
            {"time": at, "user": OM, "order_no": no, "action": action,
             "status_before": before.label("en") if before else None,
             "status_after": after.label("en") if after else None, "details": ""},
        )  # fmt: skip

    def track(self, no: str, line: int | None, kind: TrackKind, day: date, **more: Any) -> None:
        self.changes.append(
            "tracking",
            {"order_no": no, "line_no": line, "kind": kind, "date": day, "recorded_by": OM,
             "recorded_at": datetime.combine(day, time(15)), **more},
        )  # fmt: skip

    def fixed(self) -> None:
        """An order received years before the last year and finished in it (complained of);
        one at risk (a delay expected after its delivery date); one cancelled in the year."""
        add = self.changes.append
        line = {"line_no": 1, "product_code": "P1", "quantity": 10, "unit_price": "1.00"}
        add("lines", {"order_no": "H-LONG", **line, "delivery_date": date(2023, 6, 15)})
        for kind, day, _after in [
            (TrackKind.PRODUCTION, date(2023, 6, 1), S.IN_PRODUCTION),
            (TrackKind.INSPECTION, date(2023, 7, 1), S.INSPECTED),
            (TrackKind.SHIPMENT, date(2026, 1, 20), S.SHIPPED),
            (TrackKind.DELIVERY, date(2026, 2, 10), S.DELIVERED),
        ]:
            passed = {"passed_qty": 10, "rejected_qty": 0} if kind == TrackKind.INSPECTION else {}
            self.track("H-LONG", 1, kind, day, quantity=10, **passed)
        self.ledger(datetime(2026, 2, 12, 10), "H-LONG", "close", S.ACCEPTED, S.CLOSED)
        add(
            "complaints", {"complaint_no": "K-LONG", "order_no": "H-LONG", "date": date(2026, 3, 1)}
        )
        add("orders", {"order_no": "H-LONG", "received_date": date(2023, 5, 2),
                       "customer_code": "C2", "customer_name": "Beta",
                       "status": S.CLOSED})  # fmt: skip
        received = AS_OF - timedelta(days=10)
        add("lines", {"order_no": "H-RISK", **line, "delivery_date": AS_OF + timedelta(days=35)})
        self.track("H-RISK", 1, TrackKind.DELAY, AS_OF - timedelta(days=2), cause="material",
                   measures="expedite", expected_date=AS_OF + timedelta(days=90))  # fmt: skip
        add("orders", {"order_no": "H-RISK", "received_date": received, "customer_code": "C2",
                       "customer_name": "Beta", "status": S.RELEASED})  # fmt: skip
        # a customer and an uncatalogued product named on their first order (long closed)
        # otherwise than on a later one: the figures name them as the first order does
        for no, received, name, typed, status in [
            ("H-FIRST", date(2021, 2, 1), "Gamma Works", "Gizmo", S.CLOSED),
            ("H-LATER", date(2026, 5, 4), "Gamma", "Gizmo II", S.CHECKED),
        ]:
            add("lines", {"order_no": no, **line, "product_code": "X8", "product_name": typed,
                          "delivery_date": received + timedelta(days=30)})  # fmt: skip
            add("orders", {"order_no": no, "received_date": received, "customer_code": "C3",
                           "customer_name": name, "status": status})  # fmt: skip
        # closed long ago, with unreadable rows (see build_history)
        add("lines", {"order_no": "H-OLD", **line, "delivery_date": date(2021, 4, 1)})
        add("orders", {"order_no": "H-OLD", "received_date": date(2021, 3, 1),
                       "customer_code": "C2", "customer_name": "Beta",
                       "status": S.CLOSED})  # fmt: skip
        add("lines", {"order_no": "H-CANCEL", **line, "delivery_date": date(2026, 6, 1)})
        self.ledger(datetime(2026, 4, 10, 9), "H-CANCEL", "cancel", S.CHECKED, S.CANCELLED)
        add("orders", {"order_no": "H-CANCEL", "received_date": date(2026, 4, 1),
                       "customer_code": "C1", "customer_name": "Acme Machines",
                       "status": S.CANCELLED})  # fmt: skip

    def order(self, no: str, n: int) -> None:
        rng = self.rng
        received = FIRST_DAY + timedelta(days=rng.randrange((AS_OF - FIRST_DAY).days))
        # some take years (received before a period, finished in it)
        pace = rng.choice([2, 3, 5, 20, 90, 200])
        stage = rng.randrange(len(STEPS) + 6)  # 0: released only ... 4: delivered, 5+: closed
        cancelled = rng.random() < 0.12
        code, name = rng.choice(CUSTOMERS)
        at = datetime.combine(received, time(9))
        lines = rng.randint(1, 2)
        due = received + timedelta(days=rng.choice([10, 20, 45, 120]))
        status = S.RELEASED
        self.ledger(at, no, "receive", None, S.RECEIVED)
        self.ledger(at + timedelta(hours=1), no, "conclude", S.RECEIVED, S.REVIEW_PASSED)
        self.ledger(at + timedelta(hours=2), no, "release", S.REVIEW_PASSED, S.RELEASED)
        for line in range(1, lines + 1):
            product, typed, price = PRODUCTS[(n + line) % len(PRODUCTS)]
            moved = rng.random() < 0.3  # a change agreed a later delivery date
            self.changes.append(
                "lines",
                {"order_no": no, "line_no": line, "product_code": product,
                 "product_name": f"{typed} {n % 3}" if product == "X9" else typed,
                 "quantity": 10, "unit_price": price, "promised_date": due,
                 "delivery_date": due + timedelta(days=30) if moved else due},
            )  # fmt: skip
        day = received
        for kind, after in STEPS[: min(stage, len(STEPS))]:
            for line in range(1, lines + 1):
                day += timedelta(days=rng.randint(1, pace))
                if day >= AS_OF:
                    break
                extra: dict[str, Any] = {"quantity": 10}
                if kind == TrackKind.INSPECTION:
                    rejected = rng.choice([0, 0, 1, 3])
                    extra = {"quantity": 10, "passed_qty": 10 - rejected,
                             "rejected_qty": rejected,
                             "cause": rng.choice(["burr", "size"]) if rejected else None,
                             }  # fmt: skip
                if kind == TrackKind.DELIVERY and rng.random() < 0.3:  # in two parts
                    self.track(no, line, kind, day, quantity=4)
                    day += timedelta(days=rng.randint(1, pace))
                    extra = {"quantity": 6}
                self.track(no, line, kind, day, **extra)
                if rng.random() < 0.15:
                    self.track(no, line, TrackKind.DELAY, day, cause="material",
                               measures="expedite",
                               expected_date=day + timedelta(days=rng.randint(5, 400)))  # fmt: skip
            else:
                self.ledger(datetime.combine(day, time(16)), no, "track", status, after)
                status = after
                continue
            break
        if status == S.DELIVERED and stage > len(STEPS) and day + timedelta(days=3) < AS_OF:
            day += timedelta(days=3)
            self.ledger(datetime.combine(day, time(10)), no, "close", status, S.CLOSED)
            status = S.CLOSED
        if cancelled and status != S.CLOSED:
            status = S.CANCELLED
            self.ledger(datetime.combine(day, time(18)), no, "cancel", S.RELEASED, status)
        if status in (S.DELIVERED, S.CLOSED) and rng.random() < 0.3:
            when = min(AS_OF, day + timedelta(days=rng.randint(-20, 300)))
            self.changes.append(
                "complaints", {"complaint_no": f"K-{n}", "order_no": no, "date": when}
            )
        self.changes.append(
            "orders",
            {"order_no": no, "received_date": received, "customer_code": code,
             "customer_name": name, "sales_rep": rng.choice(["sara", "sam"]),
             "currency": "CNY", "status": status},
        )  # fmt: skip


def build_history(store: SqlStore, count: int) -> None:
    """``count`` orders of six years, a complaint naming no order, and unreadable rows of
    orders long finished (a tracking date and a complaint date that are not dates)."""
    history = History(count)
    changes = history.changes
    history.fixed()
    changes.append("complaints", {"complaint_no": "K-0", "date": date(2026, 5, 5)})
    changes.append("complaints", {"complaint_no": "K-bad", "order_no": "H-OLD", "date": "soon"})
    changes.append(
        "tracking",
        {"order_no": "H-OLD", "line_no": 1, "kind": TrackKind.PRODUCTION, "date": "later"},
    )
    store.commit(changes)


class Counted(SqlStore):
    """A SqlStore that counts the rows each read gives."""

    given: dict[str, int]

    def read(self, table: str) -> list[Row]:
        return self._count("read", table, super().read(table))

    def read_period(self, table: str, first: date, last: date | None) -> list[Row] | None:
        return self._count("period", table, super().read_period(table, first, last))

    def _count(self, how: str, table: str, rows: Any) -> Any:
        if not hasattr(self, "given"):
            self.given = {}
        if rows is not None:
            self.given[f"{how} {table}"] = len(rows)
        return rows


@pytest.fixture(name="history_db")
def history_db_fixture(master_db: str) -> str:
    build_history(sql_store(master_db), 160)
    return master_db


@pytest.mark.parametrize(("date_from", "date_to"), PERIODS)
def test_period_figures_equal_the_whole_read(
    history_db: str, date_from: date, date_to: date | None
) -> None:
    store = sql_store(history_db, Counted)
    narrowed = statistics.figures(store, date_from, date_to, now=NOW)
    assert any(key.startswith("period ") for key in store.given)  # the narrowing was used
    whole = statistics.figures_of(Snapshot(sql_store(history_db)), date_from, date_to, AS_OF)
    assert narrowed.stats == whole.stats
    assert narrowed.stats.to_json() == whole.stats.to_json()
    # the unreadable rows (orders long finished) are reported as a whole read reports them
    assert narrowed.problems == whole.problems
    assert {(p.table, p.column) for p in whole.problems} >= {
        ("tracking", "date"),
        ("complaints", "date"),
    }
    # the database holds what the figures are to show: every kind of fact in the period
    stats = whole.stats
    assert stats.orders and stats.orders_cancelled and stats.complaints_received
    assert stats.on_time.denominator and stats.quality.denominator
    assert stats.complaint_rate.denominator and stats.rejection_causes and stats.delay_causes
    assert all(s.orders for s in stats.stages)
    assert stats.overdue and stats.at_risk and any(b.orders for b in stats.backlog)
    assert {m.label for m in stats.by_customer} >= {"Acme Machines", "Beta", "Walk-in"}
    if date_to is not None and date_to > date(2026, 5, 4):  # H-LATER's customer and product
        assert "Gamma Works" in {m.label for m in stats.by_customer}
        assert ("X8", "Gizmo") in {(m.key, m.label) for m in stats.by_product}
    if date_to is None:  # changed delivery dates: the two on-time rates differ
        assert stats.on_time.numerator != stats.on_time_agreed.numerator


def test_the_period_reads_fewer_rows(history_db: str) -> None:
    """The last year's figures read the rows of fewer orders than the six years hold, in
    one query per table (the tables of orders' rows), the settings and catalogue whole."""
    store = sql_store(history_db, Counted)
    statistics.figures(store, *PERIODS[0], now=NOW)
    narrowed = dict(store.given)
    whole = {table: len(store.read(table)) for table in ("orders", "lines", "tracking", "ledger")}
    for table, total in whole.items():
        assert 0 < narrowed[f"period {table}"] < total * 0.7, table
    assert "read orders" not in narrowed and "read ledger" not in narrowed
    assert "read products" in narrowed  # the catalogue: whole


def test_the_dashboard_refresh_counts_the_period_rows(history_db: str) -> None:
    """The dashboard's refresh (an action) computes the same figures from the period's rows."""
    store = sql_store(history_db, Counted)
    outcome, stats = statistics.refresh(store, *PERIODS[0], user=OM, now=NOW)
    assert "period ledger" in store.given and "read ledger" not in store.given
    whole = statistics.figures_of(Snapshot(sql_store(history_db)), *PERIODS[0], AS_OF)
    assert stats == whole.stats and outcome.problems == whole.problems


def test_a_store_without_read_period_is_read_whole(history_db: str, master_bytes: bytes) -> None:
    """The workbooks (no ``read_period``) are read whole; a period without a start too."""
    from addin.services.period_view import PeriodView, period_snapshot

    on_file = memory_store(master_bytes)
    assert period_snapshot(on_file, *PERIODS[0], AS_OF).store is on_file
    store = sql_store(history_db)
    assert isinstance(period_snapshot(store, *PERIODS[0], AS_OF).store, PeriodView)
    assert period_snapshot(store, None, AS_OF, AS_OF).store is store


class View:
    """A connected workbook's tables as the ribbon's store reads them (rows typed, unsent)."""

    def __init__(self, rows: dict[str, list[Row]]) -> None:
        self.rows = rows

    def read(self, table: str) -> list[Row]:
        return self.rows.get(table, [])


def test_a_connected_workbook_reads_the_period_unless_rows_are_typed(history_db: str) -> None:
    """The ribbon's store over the database narrows as the database does; while the view has a
    typed, unsent row of an order's table, every table is read whole."""
    from addin.server_click import ServerStore
    from workbook.sql.sync import SyncState

    whole = statistics.figures_of(Snapshot(sql_store(history_db)), *PERIODS[0], AS_OF)
    sql = sql_store(history_db, Counted)
    store = ServerStore(sql, View({}), SyncState(history_db))  # type: ignore[arg-type]
    found = statistics.figures(store, *PERIODS[0], now=NOW)  # type: ignore[arg-type]
    assert "period ledger" in sql.given and "read ledger" not in sql.given
    assert found.stats == whole.stats and found.problems == whole.problems
    typed = Row(7, {"order_no": "H-OLD", "line_no": 1, "kind": "production"})
    sql = sql_store(history_db, Counted)
    view = View({"tracking": [typed]})
    store = ServerStore(sql, view, SyncState(history_db))  # type: ignore[arg-type]
    found = statistics.figures(store, *PERIODS[0], now=NOW)  # type: ignore[arg-type]
    assert "read ledger" in sql.given and not any(k.startswith("period") for k in sql.given)
    assert found.stats == whole.stats
