"""Issue 11 item 1: a fact may not be dated before the order was received, before the facts its
units come from, nor in the future; refused with the fact and the conflicting date named."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from lifecycle_fixtures import (
    PROD,
    QUAL,
    RECEIVED,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)

from addin.cli import main
from addin.core.enums import TrackKind
from addin.core.models import OrderLine, TrackingEntry
from addin.core.problems import RuleError
from addin.core.tracking import check_entry, replay
from addin.services import complaints, tracking

K = TrackKind
D1, D2, D3 = RECEIVED, RECEIVED + timedelta(days=1), RECEIVED + timedelta(days=2)


def entry(kind: TrackKind, on: date, **kw: object) -> TrackingEntry:
    return TrackingEntry(order_no="X", kind=kind, date=on, **kw)  # type: ignore[arg-type]


def keys(history: list[TrackingEntry], new: TrackingEntry) -> list[str]:
    lines = [OrderLine(order_no="X", line_no=1, quantity=10)]
    facts, problems = replay("X", lines, history, received=D1)
    assert problems == []
    return [p.key for p in check_entry(facts, new)]


PRODUCED = entry(K.PRODUCTION, D2, quantity=10)
PASSED = entry(K.INSPECTION, D2, quantity=10, passed_qty=10)
SHIPPED = entry(K.SHIPMENT, D3, quantity=10)
DELIVERED = entry(K.DELIVERY, D3, quantity=10)


@pytest.mark.parametrize(
    ("history", "new", "key"),
    [
        ([], entry(K.PRODUCTION, D1 - timedelta(days=1), quantity=1), "track.before_received"),
        ([], entry(K.MATERIAL, D1 - timedelta(days=1), quantity=1), "track.before_received"),
        ([PRODUCED], entry(K.INSPECTION, D1, quantity=5, passed_qty=5), "track.before_source"),
        ([PRODUCED, PASSED], entry(K.SHIPMENT, D1, quantity=5), "track.before_source"),
        ([PRODUCED, PASSED, SHIPPED], entry(K.DELIVERY, D2, quantity=5), "track.before_source"),
        (
            [PRODUCED, PASSED, SHIPPED, DELIVERED],
            entry(K.ACCEPTANCE, D2),
            "track.before_source",
        ),
    ],
)
def test_a_fact_dated_before_what_it_follows_is_refused(
    history: list[TrackingEntry], new: TrackingEntry, key: str
) -> None:
    assert keys(history, new) == [key]


def test_the_units_a_fact_takes_count_by_date() -> None:
    """Five units produced on D1 and five on D3: a shipment of 6 on D2 takes a unit made on D3."""
    history = [
        entry(K.PRODUCTION, D1, quantity=5),
        entry(K.INSPECTION, D1, quantity=5, passed_qty=5),
        entry(K.PRODUCTION, D3, quantity=5),
        entry(K.INSPECTION, D3, quantity=5, passed_qty=5),
    ]
    assert keys(history, entry(K.SHIPMENT, D2, quantity=5)) == []
    assert keys(history, entry(K.SHIPMENT, D2, quantity=6)) == ["track.before_source"]
    assert keys(history, entry(K.SHIPMENT, D3, quantity=10)) == []


def test_rows_recorded_already_are_not_held_to_the_dates() -> None:
    lines = [OrderLine(order_no="X", line_no=1, quantity=10)]
    early = entry(K.PRODUCTION, D1 - timedelta(days=3), quantity=10)
    _, problems = replay("X", lines, [early], received=D1)
    assert problems == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "the Shipment dated 2026-03-02 is before the Inspection it follows, dated 2026-03-03",
        ),
        ("zh", "“发货”记录的日期 2026-03-02 早于其所依据的“检验”记录的日期 2026-03-03"),
    ],
)
def test_the_service_refuses_and_names_fact_and_date(mem: Desk, lang: str, expected: str) -> None:
    mem.released("SO-1")
    mem.track("SO-1", K.PRODUCTION, quantity=100, on=D1)
    mem.track(
        "SO-1", K.INSPECTION, quantity=100, passed=100, on=D2, now=mem.clock.now + timedelta(days=2)
    )
    with pytest.raises(RuleError) as caught:
        mem(tracking.track, "SO-1", K.SHIPMENT, quantity=100, on=D1, user=SALES,
            now=mem.clock.now + timedelta(days=2))  # fmt: skip
    (problem,) = caught.value.problems
    assert (problem.table, problem.column) == ("tracking", "date")
    assert expected in problem.format(lang)


def test_a_fact_before_receipt_and_in_the_future(mem: Desk) -> None:
    mem.released("SO-1")
    before = D1 - timedelta(days=1)
    assert refusal(mem, tracking.track, "SO-1", K.PRODUCTION, quantity=1, on=before, user=PROD) == [
        "track.before_received"
    ]
    with pytest.raises(RuleError) as caught:
        mem(tracking.track, "SO-1", K.PRODUCTION, quantity=1, on=D3, user=PROD)
    (problem,) = caught.value.problems
    assert problem.format("en").endswith(
        "the Production dated 2026-03-04 is after today, 2026-03-02"
    )
    assert "“生产”记录的日期 2026-03-04 晚于今天 2026-03-02" in problem.format("zh")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_command_line_refuses_a_delivery_before_its_shipment(
    desk: Desk, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    desk.released("SO-1")
    wb = str(desk.path)
    for step in (
        ("--kind", "production", "--qty", "100", "--date", "2026-03-02", "--user", PROD),
        ("--kind", "inspection", "--qty", "100", "--passed", "100", "--date", "2026-03-02",
         "--user", QUAL),
        ("--kind", "shipment", "--qty", "100", "--date", "2026-03-05", "--user", SALES),
    ):  # fmt: skip
        assert main(["track", wb, "SO-1", *step]) == 0, capsys.readouterr()
    capsys.readouterr()
    code = main(
        ["track", wb, "SO-1", "--kind", "delivery", "--qty", "100", "--date", "2026-03-04",
         "--user", SALES, "--lang", lang, "--json"]
    )  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    (problem,) = out["refused"]
    assert (problem["code"], problem["column"]) == ("track.before_source", "date")
    assert "2026-03-04" in problem["message"] and "2026-03-05" in problem["message"]
    assert ("Shipment" if lang == "en" else "发货") in problem["message"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "the complaint's date 2026-03-04 is before order SO-1 first shipped, on 2026-03-05"),
        ("zh", "投诉日期 2026-03-04 早于订单 SO-1 的首次发货日期 2026-03-05"),
    ],
)
def test_a_complaint_before_the_first_shipment_is_refused(
    mem: Desk, lang: str, expected: str
) -> None:
    mem.released("SO-1")
    later = datetime(2026, 3, 5, 9, 0)
    for kind, kw in (
        (K.PRODUCTION, {"quantity": 100}),
        (K.INSPECTION, {"quantity": 100, "passed": 100}),
        (K.SHIPMENT, {"quantity": 100}),
    ):
        mem.track("SO-1", kind, on=D3 + timedelta(days=1) if kind == K.SHIPMENT else D2,
                  now=later, **kw)  # fmt: skip
    args = ("SO-1", D3, "scratches")
    with pytest.raises(RuleError) as caught:
        mem(complaints.record_complaint, *args, user=SALES, now=later)
    (problem,) = caught.value.problems
    assert (problem.key, problem.table, problem.column) == (
        "complaint.before_shipment",
        "complaints",
        "date",
    )
    assert expected in problem.format(lang)
    mem(complaints.record_complaint, "SO-1", D3 + timedelta(days=1), "scratches", user=SALES,
        now=later)  # fmt: skip
