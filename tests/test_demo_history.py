"""The demo's history: a year of orders through the lifecycle, written in one commit."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from addin.core.enums import OrderStatus, TrackKind
from addin.demo.history import FORCED, MONTHS, _months, write_history
from addin.demo.run import seed_workbook
from addin.services.inquiry import verify
from addin.services.snapshot import Snapshot
from addin.services.timenodes import overdue
from workbook.open import open_workbook

TODAY = date(2026, 3, 4)  # early in a month: the history's last month ends near the demo's week


@pytest.fixture(scope="module")
def history_workbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("history") / "master.xlsx"
    seed_workbook(path, "en", TODAY)
    with open_workbook(path, write=True) as store:
        history = write_history(store, TODAY)
    return path, history.to_json()


def test_the_same_seed_and_day_give_the_same_history(
    history_workbook: tuple[Path, dict], tmp_path: Path
) -> None:
    path, first = history_workbook
    again = tmp_path / "again.xlsx"
    seed_workbook(again, "en", TODAY)
    with open_workbook(again, write=True) as store:
        assert write_history(store, TODAY).to_json() == first
    with open_workbook(path) as one, open_workbook(again) as two:
        for table in ("orders", "lines", "tracking", "complaints", "ledger"):
            assert [r.values for r in one.read(table)] == [r.values for r in two.read(table)]
    other = tmp_path / "other.xlsx"
    seed_workbook(other, "en", TODAY)
    with open_workbook(other, write=True) as store:
        assert write_history(store, TODAY, seed=1).to_json() != first


def test_every_month_has_orders_numbered_by_their_receipt(
    history_workbook: tuple[Path, dict],
) -> None:
    path, history = history_workbook
    with open_workbook(path) as store:
        snap = Snapshot(store)
        orders = list(snap.orders.values())
    months = {f"{m:%Y-%m}" for m in _months(TODAY)}
    assert len(months) == MONTHS
    for month in months:
        count = sum(1 for o in orders if f"{o.received_date:%Y-%m}" == month)
        assert 12 <= count <= 34, (month, count)
        assert history["orders_by_month"][month] == count
    for order in orders:
        assert order.order_no.startswith(f"SO{order.received_date:%Y%m%d}-")
        # before the demo's week: its orders (received two days before today) cannot clash
        assert order.received_date is not None
        assert order.received_date < TODAY - timedelta(days=3)
    assert len({o.order_no for o in orders}) == len(orders)


def test_verify_passes_and_every_status_is_its_last_ledger_row(
    history_workbook: tuple[Path, dict],
) -> None:
    path, history = history_workbook
    with open_workbook(path) as store:
        outcome = verify(store)
        snap = Snapshot(store)
        assert outcome.problems == []
        ledger = sorted(snap.ledger, key=lambda e: e.seq)
        last = {e.order_no: e.status_after for e in ledger if e.order_no}
        for order in snap.orders.values():
            assert OrderStatus.parse(last[order.order_no]) == order.status
        times = [e.time for e in ledger]
        assert times == sorted(times)  # the ledger is in time order
        assert history["ledger_rows"] == len(ledger)
        tracking = snap.records("tracking")
        assert tracking and all(e.recorded_by and e.recorded_at for e in tracking)
        assert snap.problems_of("tracking") == []


def test_mostly_closed_some_cancelled_and_open_at_every_stage_of_execution(
    history_workbook: tuple[Path, dict],
) -> None:
    path, _ = history_workbook
    with open_workbook(path) as store:
        snap = Snapshot(store)
        statuses = [o.status for o in snap.orders.values()]
        kinds = {e.kind for e in snap.records("tracking")}
        complaints = snap.records("complaints")
    closed = statuses.count(OrderStatus.CLOSED)
    assert closed > 0.8 * len(statuses)
    assert statuses.count(OrderStatus.CANCELLED) >= 2
    assert {OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED} <= set(statuses)
    assert not {OrderStatus.RECEIVED, OrderStatus.CHECKED, OrderStatus.IN_REVIEW} & set(statuses)
    # a return is shown by the demo's return path on this week's orders, not in the history
    assert set(TrackKind) - {TrackKind.RETURN} <= kinds
    assert complaints and all(c.complaint_no.startswith("CP") for c in complaints)


def test_some_orders_are_overdue_and_some_at_risk(history_workbook: tuple[Path, dict]) -> None:
    path, history = history_workbook
    with open_workbook(path) as store:
        items = overdue(store, today=TODAY, lang="en").data["items"]
    late = {i["order_no"] for i in items if i["kind"] == "delivery_late"}
    risk = {i["order_no"] for i in items if i["kind"] == "delivery_risk"}
    forced = history["forced"]
    assert {no for no, fate in forced.items() if fate.startswith("overdue")} <= late
    assert {no for no, fate in forced.items() if fate.startswith("at_risk")} <= risk
    assert len(forced) == len(FORCED)
    # no open history order is stuck before its release (the demo checks and reviews its own)
    assert not [i for i in items if i["kind"] == "stage"]
