"""Issue 11 item 4: the customer's PO / contract number; an order with the same customer and PO
is flagged at the check, and an identical order form is not received twice."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
from lifecycle_fixtures import OM, RECEIVED, master_changes

from addin.cli import main
from addin.core.problems import RuleError
from addin.services import receipt
from workbook.create import create_master_workbook
from workbook.file_store import FileStore

HEADER_EN = ["Customer code", "Customer name", "Customer PO / contract no.", "Product code",
             "Quantity", "Unit price", "Delivery date", "Received"]  # fmt: skip
HEADER_ZH = ["客户代码", "客户名称", "客户订单号/合同号", "产品代码", "数量", "单价", "交货期",
             "接收日期"]  # fmt: skip


def form(path: Path, po: str, qty: int = 100, header: list[str] = HEADER_EN) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerow(["C1", "Acme Machines", po, "P1", qty, "1.00", "2026-05-01",
                         RECEIVED.isoformat()])  # fmt: skip
        writer.writerow(["", "", "", "P2", 10, "12.00", "2026-05-01", ""])
    return path


@pytest.fixture
def master(tmp_path: Path) -> Path:
    path = tmp_path / "master.xlsx"
    create_master_workbook(path, "en")
    with FileStore.open(path, write=True) as store:
        store.commit(master_changes())
    return path


def receive(master: Path, form_path: Path, now: datetime) -> list[str]:
    with FileStore.open(master, write=True) as store:
        outcome = receipt.receive(store, form_path, user=OM, now=now)
    return [o.order_no for o in outcome.orders]


def test_the_po_is_read_from_the_form_in_either_language(master: Path, tmp_path: Path) -> None:
    receive(master, form(tmp_path / "a.csv", "PO-7"), datetime(2026, 3, 2, 9))
    receive(master, form(tmp_path / "b.csv", "合同-8", header=HEADER_ZH), datetime(2026, 3, 2, 10))
    with FileStore.open(master) as store:
        rows = store.read("orders")
    assert [r.values["customer_po"] for r in rows] == ["PO-7", "合同-8"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "the order form again.csv is the same as the one olga received on 2026-03-02 09:00 "
         "as orders SO20260302-001: not received again"),
        ("zh", "订单表 again.csv 与 2026-03-02 09:00 由 olga 接收过的订单表相同，当时生成订单 "
         "SO20260302-001；不再重复接收"),
    ],
)  # fmt: skip
def test_an_identical_form_is_refused(master: Path, tmp_path: Path, lang: str, text: str) -> None:
    first = receive(master, form(tmp_path / "first.csv", "PO-7"), datetime(2026, 3, 2, 9))
    assert first == ["SO20260302-001"]
    again = form(tmp_path / "again.csv", " PO-7 ")  # spaces around a value do not count
    before = master.read_bytes()
    with pytest.raises(RuleError) as caught:
        receive(master, again, datetime(2026, 3, 3, 9))
    (problem,) = caught.value.problems
    assert problem.key == "receive.same_form"
    assert problem.format(lang).endswith(text)
    assert master.read_bytes() == before


def test_the_same_po_with_other_lines_is_received_and_flagged_at_check(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    receive(master, form(tmp_path / "first.csv", "PO-7"), datetime(2026, 3, 2, 9))
    second = receive(
        master, form(tmp_path / "second.csv", "PO-7", qty=200), datetime(2026, 3, 2, 10)
    )
    receive(master, form(tmp_path / "third.csv", "PO-8", qty=300), datetime(2026, 3, 2, 11))
    code = main(["check", str(master), *second, "--json", "--lang", "en", "--user", OM])
    (order,) = json.loads(capsys.readouterr().out)["orders"]
    assert code == 0
    flagged = [p for p in order["problems"] if p["code"] == "check.same_po"]
    assert [p["column"] for p in flagged] == ["customer_po"]
    assert flagged[0]["message"] == (
        "the customer's order(s) SO20260302-001 (2026-03-02) carry the same PO / contract number "
        "PO-7: the same order twice?"
    )
    with FileStore.open(master) as store:
        outcome = receipt.check(store, ["SO20260302-003"], user=OM)
    assert "check.same_po" not in [p.key for p in outcome.orders[0].problems]


def test_the_command_line_refuses_the_same_form_in_chinese(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = form(tmp_path / "f.csv", "PO-7")
    assert main(["receive", str(master), str(path), "--user", OM]) == 0
    capsys.readouterr()
    assert main(["receive", str(master), str(path), "--user", OM, "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "与" in err and "接收过的订单表相同" in err and "不再重复接收" in err
