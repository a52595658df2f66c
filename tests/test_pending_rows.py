"""Facts and change requests typed into their sheets, applied under the same rules as the command
line's: ``tracking.record_pending``, ``changes.file_pending`` and their ``--pending`` flags.

A typed row that is applied must leave the workbook exactly as the command line's action
leaves it; a typed row that breaks a rule is refused at its own cells, and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from foundation_fixtures import cli
from lifecycle_fixtures import (
    OM,
    PROD,
    QUAL,
    SALES,
    Desk,
    master_bytes_fixture,  # noqa: F401 - fixture
    refusal,
)
from openpyxl import load_workbook

from addin.core.enums import Department, OrderStatus, TrackKind
from addin.core.problems import RuleError
from addin.services import changes, tracking
from workbook.store import ChangeSet

NOW = datetime(2026, 3, 5, 9, 0)  # after the fixtures' actions


def desk_at(folder: Path, data: bytes) -> Desk:
    folder.mkdir()
    path = folder / "orders.xlsx"
    path.write_bytes(data)
    return Desk(path, folder / "task-orders")


@pytest.fixture
def pair(master_bytes: bytes, tmp_path: Path) -> tuple[Desk, Desk]:
    """Two copies of one master workbook: one types rows, the other uses the command line's
    actions. Their clocks run alike, call by call."""
    return desk_at(tmp_path / "typed", master_bytes), desk_at(tmp_path / "direct", master_bytes)


def cells(desk: Desk) -> dict[str, Any]:
    wb = load_workbook(desk.path)
    values = {
        (ws.title, c.coordinate): (type(c.value).__name__, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }
    return {"values": values, "tables": {lo.name: lo.ref for ws in wb for lo in ws.tables.values()}}


def typed(table: str, *rows: dict[str, Any]) -> ChangeSet:
    changes = ChangeSet()
    for values in rows:
        changes.append(table, values)
    return changes


def row_after(desk: Desk, table: str) -> int:
    return desk.rows(table)[-1].row + 1


# -- tracking --------------------------------------------------------------------------------------
def test_typed_facts_end_as_track_writes_them(pair: tuple[Desk, Desk]) -> None:
    by_sheet, by_command = pair
    for desk in pair:
        desk.released("SO-2")
    by_sheet.type_rows(
        typed(
            "tracking",
            {"order_no": "SO-2", "line_no": 1, "kind": "生产", "quantity": 50},
            {
                "order_no": "SO-2",
                "line_no": 1,
                "kind": "Inspection",
                "quantity": 20,
                "passed_qty": 18,
                "cause": "scratches",
            },
        )
    )
    outcome = by_sheet(tracking.record_pending, user=OM, now=NOW)
    assert [o.after for o in outcome.orders] == [OrderStatus.IN_PRODUCTION] * 2
    by_command.track("SO-2", TrackKind.PRODUCTION, user=OM, line_no=1, quantity=50, now=NOW)
    by_command.track(
        "SO-2", TrackKind.INSPECTION, user=OM, line_no=1, quantity=20, passed=18,
        cause="scratches", now=NOW,
    )  # fmt: skip
    assert cells(by_sheet) == cells(by_command)
    assert by_sheet.verify() == []


def test_a_blank_date_and_a_single_line_are_filled_in(pair: tuple[Desk, Desk]) -> None:
    desk = pair[0]
    desk.released("SO-1")
    desk.type_rows(typed("tracking", {"order_no": "SO-1", "kind": "Production", "quantity": 10}))
    row = desk.rows("tracking")[-1]
    outcome = desk(tracking.record_pending, "SO-1", user=PROD)
    now = desk.clock.now
    values = desk.rows("tracking")[-1].values
    assert values["date"].date() == now.date() and values["line_no"] == 1
    assert (values["recorded_by"], values["recorded_at"]) == (PROD, now)
    assert outcome.orders[0].order_no == "SO-1" and row.row == desk.rows("tracking")[-1].row
    assert desk.read().lines["SO-1"][0].produced_qty == 10


def test_typed_facts_are_checked_against_the_rows_above_them(pair: tuple[Desk, Desk]) -> None:
    desk = pair[0]
    desk.released("SO-1")
    desk.type_rows(
        typed(
            "tracking",
            {"order_no": "SO-1", "kind": "Production", "quantity": 30},
            {"order_no": "SO-1", "kind": "Inspection", "quantity": 40, "passed_qty": 40},
        )
    )
    second = desk.rows("tracking")[-1].row
    with pytest.raises(RuleError) as caught:
        desk(tracking.record_pending, user=OM)
    problems = caught.value.problems
    located = [(p.key, p.table, p.row, p.column) for p in problems]
    assert ("track.inspected_over_produced", "tracking", second, "quantity") in located


@pytest.mark.parametrize(
    ("values", "key", "column"),
    [
        ({"kind": "Production", "quantity": -5}, "error.min", "quantity"),
        ({"kind": "Production", "quantity": 5, "date": date(2027, 1, 1)}, "track.future_date",
         "date"),
        ({"kind": "Teleport", "quantity": 5}, "error.not_choice", "kind"),
        ({"kind": "Production", "quantity": 500}, "track.over_ordered", "quantity"),
        ({"kind": "Production", "quantity": 5, "order_no": "SO-99"}, "rule.unknown_order",
         "order_no"),
        ({"kind": "Production", "quantity": 5, "order_no": None}, "error.required", "order_no"),
    ],
)  # fmt: skip
def test_a_typed_fact_is_refused_at_its_cells(
    pair: tuple[Desk, Desk], values: dict[str, Any], key: str, column: str
) -> None:
    desk = pair[0]
    desk.released("SO-1")
    desk.type_rows(typed("tracking", {"order_no": "SO-1", **values}))
    row = desk.rows("tracking")[-1].row
    before = desk.state()
    with pytest.raises(RuleError) as caught:
        desk(tracking.record_pending, user=OM)
    assert desk.state() == before
    found = [(p.key, p.row, p.column) for p in caught.value.problems]
    assert (key, row, column) in found


def test_roles_and_statuses_apply_to_typed_facts(pair: tuple[Desk, Desk]) -> None:
    desk = pair[0]
    desk.released("SO-1")
    desk.type_rows(typed("tracking", {"order_no": "SO-1", "kind": "Production", "quantity": 5}))
    assert refusal(desk, tracking.record_pending, user=QUAL) == ["role.wrong_department"]
    desk.type_rows(typed("tracking", {"order_no": "SO-3", "kind": "Production", "quantity": 5}))
    assert refusal(desk, tracking.record_pending, "SO-3", user=OM) == ["rule.status_forbids"]


def test_one_order_at_a_time_leaves_the_others_waiting(pair: tuple[Desk, Desk]) -> None:
    desk = pair[0]
    desk.released("SO-1")
    desk.released("SO-4")
    desk.type_rows(
        typed(
            "tracking",
            {"order_no": "SO-1", "kind": "Production", "quantity": 10},
            {"order_no": "SO-4", "kind": "Production", "quantity": 10},
            {"order_no": "SO-99", "kind": "Production", "quantity": 10},
        )
    )
    with desk.open() as store:
        orders, orphans = tracking.pending_orders(store)
    assert orders == ["SO-1", "SO-4"]
    assert [(p.key, p.column) for p in orphans] == [("rule.unknown_order", "order_no")]
    # every order at once refuses while a row names no order; one order at a time does not
    assert refusal(desk, tracking.record_pending, user=OM) == ["rule.unknown_order"]
    desk(tracking.record_pending, "SO-1", user=OM)
    with desk.open() as store:
        assert tracking.pending_orders(store)[0] == ["SO-4"]


def test_nothing_typed_writes_nothing(pair: tuple[Desk, Desk]) -> None:
    desk = pair[0]
    before = desk.state()
    outcome = desk(tracking.record_pending, user=OM)
    assert (outcome.orders, desk.state()) == ([], before)


# -- change requests --------------------------------------------------------------------------------
def test_a_typed_change_request_ends_as_request_writes_it(pair: tuple[Desk, Desk]) -> None:
    by_sheet, by_command = pair
    by_sheet.type_rows(
        typed(
            "changes",
            {
                "order_no": "SO-2",
                "requested_by": "客户",
                "reason": " later please ",
                "content": "Delivery date@2=2026-07-01\nPackaging requirements=crates",
                "impact": "a week",
            },
        )
    )
    outcome = by_sheet(changes.file_pending, user=SALES, now=NOW)
    assert outcome.data["change_nos"] == ["CH-SO-2-01"]
    by_command(
        changes.request, "SO-2", Department.CUSTOMER, "later please",
        ["Delivery date@2=2026-07-01", "Packaging requirements=crates"], impact="a week",
        user=SALES, now=NOW,
    )  # fmt: skip
    assert cells(by_sheet) == cells(by_command)


def test_several_typed_requests_are_numbered_in_turn(pair: tuple[Desk, Desk]) -> None:
    desk = pair[0]
    desk.type_rows(
        typed(
            "changes",
            {"order_no": "SO-1", "requested_by": "Sales", "reason": "a", "content": "quantity=120"},
            {"order_no": "SO-1", "requested_by": "Sales", "reason": "b", "content": "spec=M8x45"},
        )
    )
    outcome = desk(changes.file_pending, "SO-1", user=SALES)
    assert outcome.data["change_nos"] == ["CH-SO-1-01", "CH-SO-1-02"]


@pytest.mark.parametrize(
    ("values", "key", "column"),
    [
        ({"reason": None}, "change.text_required", "reason"),
        ({"content": "colour=blue"}, "change.unknown_field", "content"),
        ({"content": "quantity=100"}, "change.no_difference", "content"),
        ({"requested_by": "Marketing"}, "error.not_choice", "requested_by"),
        ({"requested_by": None}, "error.required", "requested_by"),
        ({"order_no": "SO-99"}, "rule.unknown_order", "order_no"),
    ],
)
def test_a_typed_change_request_is_refused_at_its_cells(
    pair: tuple[Desk, Desk], values: dict[str, Any], key: str, column: str
) -> None:
    desk = pair[0]
    request = {
        "order_no": "SO-1",
        "requested_by": "Customer",
        "reason": "r",
        "content": "quantity=120",
    }
    desk.type_rows(typed("changes", {**request, **values}))
    row = desk.rows("changes")[-1].row
    before = desk.state()
    with pytest.raises(RuleError) as caught:
        desk(changes.file_pending, user=SALES)
    assert desk.state() == before
    found = [(p.key, p.row, p.column) for p in caught.value.problems]
    assert found == [(key, row, column)]


# -- the command line --------------------------------------------------------------------------------
def test_pending_flags_on_the_command_line(pair: tuple[Desk, Desk]) -> None:
    desk = pair[0]
    desk.released("SO-1")
    desk.type_rows(typed("tracking", {"order_no": "SO-1", "kind": "Production", "quantity": 10}))
    desk.type_rows(
        typed(
            "changes",
            {
                "order_no": "SO-2",
                "requested_by": "Customer",
                "reason": "r",
                "content": "Packaging requirements=crates",
            },
        )
    )
    result = cli("track", desk.path, "--pending", "--user", PROD, "--lang", "en")
    assert result.code == 0, result.err
    assert result.out.startswith("SO-1: Released → In production  recorded:")
    result = cli("change", "file", desk.path, "--user", SALES, "--json")
    assert result.code == 0 and result.json["data"]["change_nos"] == ["CH-SO-2-01"]
    result = cli("track", desk.path, "SO-1", "--pending", "--user", PROD, "--lang", "en")
    assert (result.code, result.out.strip()) == (0, "nothing to do")


@pytest.mark.parametrize(
    "argv",
    [
        ["track", "--pending", "--kind", "production"],
        ["track", "SO-1"],
        ["track", "--kind", "production"],
        ["change", "file", "SO-1", "quantity=1"],
    ],
)
def test_pending_flag_usage(pair: tuple[Desk, Desk], argv: list[str]) -> None:
    verb = argv[:2] if argv[0] == "change" else argv[:1]
    result = cli(*verb, pair[0].path, *argv[len(verb) :])
    assert result.code == 2
