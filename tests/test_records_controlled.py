"""Issue 11 item 3: every action records the controlled fields of the rows it wrote in its
ledger row (covered by the chain's hash); ``verify`` reports a controlled field edited by hand
with its sheet, row, field, recorded and found values, and a duplicated order row."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from foundation_fixtures import edit, set_cell, sheet
from lifecycle_fixtures import (
    OM,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
)

from addin.cli import main
from addin.core import controlled, ledger
from addin.core.schema import TABLES
from addin.services import closure


def closed(desk: Desk, order_no: str = "SO-1") -> Any:
    desk.released(order_no)
    desk.complete(order_no)
    desk(closure.close, order_no, user=OM, report_no=f"QR-{order_no}")
    assert desk.verify() == []
    return desk.lines(order_no)[0]


def test_the_ledger_keeps_the_controlled_fields_written() -> None:
    fields = {"seq": 1, "time": datetime(2026, 3, 2, 9), "user": "u", "action": "a"}
    old = ledger.row_hash(ledger.GENESIS, fields)
    assert ledger.row_hash(ledger.GENESIS, dict(fields, digest="")) == old  # old rows verify
    assert ledger.row_hash(ledger.GENESIS, dict(fields, digest='{"lines":{}}')) != old


def test_the_receipt_and_each_action_record_their_rows(desk: Desk) -> None:
    line = closed(desk)
    entries = desk.read().ledger
    last = controlled.recorded(entries)
    assert last["lines"]["SO-1|1"]["quantity"] == "100"
    assert last["lines"]["SO-1|1"]["delivered_qty"] == "100"
    assert last["orders"]["SO-1"]["customer_code"] == "C1"
    first = json.loads(next(e.digest for e in entries if e.order_no == "SO-1" and e.digest))
    assert first["lines"]["SO-1|1"]["unit_price"] == "1"  # as received
    assert line.quantity == 100


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "differs from what the ledger last recorded: recorded 100, found 120"),
        ("zh", "与台账最后记录的值不符：记录为 100，现为 120"),
    ],
)
def test_a_closed_orders_quantity_edited_by_hand_is_found(
    desk: Desk, capsys: pytest.CaptureFixture[str], lang: str, text: str
) -> None:
    line = closed(desk)
    set_cell(desk.path, "lines", line.row, "quantity", 120)
    set_cell(desk.path, "lines", line.row, "unit_price", 2)
    (quantity, price) = desk.verify()
    assert (quantity.key, quantity.table, quantity.row, quantity.column) == (
        "verify.controlled_edit",
        "lines",
        line.row,
        "quantity",
    )
    assert text in quantity.format(lang)
    assert (price.column, price.params) == ("unit_price", {"recorded": "1", "found": "2"})
    code = main(["verify", str(desk.path), "--json", "--lang", lang])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    found = [p for p in out["problems"] if p["code"] == "verify.controlled_edit"]
    assert [(p["table"], p["row"], p["column"]) for p in found] == [
        ("lines", line.row, "quantity"),
        ("lines", line.row, "unit_price"),
    ]
    assert found[0]["field"] == ("Quantity" if lang == "en" else "数量")


def test_the_digest_cannot_be_edited_either(desk: Desk) -> None:
    closed(desk)

    def forge(wb: Any) -> None:
        ws = sheet(wb, "ledger")
        column = TABLES["ledger"].column_keys.index("digest") + 1
        for row in range(2, ws.max_row + 1):
            cell = ws.cell(row=row, column=column)
            if cell.value and '"quantity":"100"' in str(cell.value):
                cell.value = str(cell.value).replace('"quantity":"100"', '"quantity":"120"')

    edit(desk.path, forge)
    assert "verify.edited" in [p.key for p in desk.verify()]


def test_a_duplicated_order_row_is_found(desk: Desk) -> None:
    closed(desk)

    def copy(wb: Any) -> None:
        ws = sheet(wb, "orders")
        last = max(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value)
        first = next(
            r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "SO-1"
        )
        for column in range(1, len(TABLES["orders"].columns) + 1):
            ws.cell(row=last + 1, column=column).value = ws.cell(row=first, column=column).value
        table = ws.tables[TABLES["orders"].name]
        start, _, end = table.ref.partition(":")
        table.ref = f"{start}:{''.join(c for c in end if c.isalpha())}{last + 1}"

    edit(desk.path, copy)
    problems = desk.verify()
    assert [(p.key, p.table, p.order_no) for p in problems] == [
        ("error.duplicate_order", "orders", "SO-1")
    ]


def test_a_digest_longer_than_a_cell_is_split_between_rows() -> None:
    digest = {
        "lines": {f"SO-{n}|1": {"quantity": str(n), "product_code": "P" * 50} for n in range(2000)}
    }
    parts = controlled.split(digest)
    assert len(parts) > 1 and all(len(p) <= controlled.CELL_LIMIT for p in parts)
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(json.loads(part)["lines"])
    assert merged == digest["lines"]
