"""Issue 11 item 6: a price in another currency is checked against the floor at the settings'
dated exchange rate; an order in a currency without a rate is held at the check."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lifecycle_fixtures import OM, RECEIVED, master_changes

from addin.cli import main
from addin.core.currencies import ExchangeRates
from addin.core.enums import Department, OrderStatus
from addin.core.problems import RuleError
from addin.services import changes, receipt
from addin.services.snapshot import Snapshot
from workbook.create import create_master_workbook
from workbook.file_store import FileStore

RATES = "USD 7.00 2026-01-01; USD 7.50 2026-03-01; EUR 7.80 2026-04-01"


def test_the_rate_in_force_on_a_day() -> None:
    rates, problems = ExchangeRates.parse("CNY", RATES + "; GBP seven 2026-01-01")
    assert [p.params["entry"] for p in problems] == ["GBP seven 2026-01-01"]
    assert rates.on("usd", date(2026, 2, 28)).value == Decimal("7.00")  # type: ignore[union-attr]
    assert rates.on("USD", date(2026, 3, 1)).value == Decimal("7.50")  # type: ignore[union-attr]
    assert rates.on("EUR", date(2026, 3, 31)) is None
    assert rates.known("CNY") and not rates.known("JPY")


def master(tmp_path: Path, rates: str = RATES) -> Path:
    path = tmp_path / "master.xlsx"
    create_master_workbook(path, "en")
    with FileStore.open(path, write=True) as store:
        changes = master_changes()
        row = Snapshot(store).settings_rows["exchange_rates"]
        changes.update("settings", row, "value", rates)
        store.commit(changes)
    form = tmp_path / "form.csv"
    with form.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["order_no", "received_date", "channel", "received_by", "customer_code",
             "customer_name", "contact", "contact_info", "sales_rep", "currency", "line_no",
             "product_code", "product_name", "spec", "quantity", "unit_price", "delivery_date",
             "delivery_place"]
        )  # fmt: skip
        for order_no, currency, price in (
            ("U-LOW", "USD", "0.10"),  # 0.75 CNY < floor 0.80
            ("U-OK", "USD", "0.20"),  # 1.50 CNY; 0.20 would fail a CNY floor read as is
            ("J-1", "JPY", "100"),
            ("E-1", "EUR", "1.00"),  # EUR's first rate starts after the received date
            ("C-1", "CNY", "0.90"),
        ):
            writer.writerow(
                [order_no, RECEIVED.isoformat(), "email", OM, "C1", "Acme Machines", "Ann",
                 "ann@example.com", "sara", currency, 1, "P1", "Bolt", "M8x40", 100, price,
                 "2026-05-01", "Shanghai"]
            )  # fmt: skip
    with FileStore.open(path, write=True) as store:
        receipt.receive(store, form, user=OM)
    return path


def test_floors_and_currencies_at_the_check(tmp_path: Path) -> None:
    path = master(tmp_path)
    with FileStore.open(path, write=True) as store:
        outcome = receipt.check(store, user=OM)
    found = {o.order_no: (o.after, [p.key for p in o.problems]) for o in outcome.orders}
    assert found["U-LOW"] == (OrderStatus.NEEDS_INFO, ["check.price_floor_converted"])
    assert found["U-OK"][0] == OrderStatus.CHECKED
    assert found["J-1"] == (OrderStatus.NEEDS_INFO, ["check.unknown_currency"])
    assert found["E-1"] == (OrderStatus.NEEDS_INFO, ["check.no_rate"])
    assert found["C-1"][0] == OrderStatus.CHECKED
    (low,) = next(o for o in outcome.orders if o.order_no == "U-LOW").problems
    assert (
        "price 0.1 USD is 0.75 CNY at the rate 7.50 in force since 2026-03-01, below the "
        "floor 0.80 CNY"
    ) in low.format("en")
    assert "单价 0.1 USD 按 2026-03-01 起的汇率 7.50 折合 0.75 CNY，低于最低价 0.80 CNY" in (
        low.format("zh")
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "the currency JPY has no exchange rate in the settings (known: CNY, EUR, USD)"),
        ("zh", "币种 JPY 未在设置中登记汇率（已知币种：CNY, EUR, USD）"),
    ],
)
def test_the_command_line_names_the_unknown_currency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, text: str
) -> None:
    path = master(tmp_path)
    assert main(["check", str(path), "J-1", "--lang", lang, "--json", "--user", OM]) == 0
    (order,) = json.loads(capsys.readouterr().out)["orders"]
    assert order["status_after"] == "needs_info"
    (problem,) = order["problems"]
    assert (problem["code"], problem["column"]) == ("check.unknown_currency", "currency")
    assert problem["message"] == text


def test_an_unreadable_rate_refuses_the_check(tmp_path: Path) -> None:
    path = master(tmp_path, "USD 7,10 2026-01-01")
    before = path.read_bytes()
    with FileStore.open(path, write=True) as store, pytest.raises(RuleError) as caught:
        receipt.check(store, user=OM)
    (problem,) = caught.value.problems
    assert (problem.key, problem.table, problem.column) == (
        "currency.bad_rate",
        "settings",
        "value",
    )
    assert "USD 7,10 2026-01-01" in problem.format("en") and "无法读取汇率" in problem.format("zh")
    assert path.read_bytes() == before


def test_a_change_requests_notes_convert_the_price_too(tmp_path: Path) -> None:
    path = master(tmp_path)
    with FileStore.open(path, write=True) as store:
        receipt.check(store, user=OM)
    notes = {}
    for price in ("0.15", "0.10"):  # 1.13 CNY: above the floor; 0.75 CNY: below it
        with FileStore.open(path, write=True) as store:
            outcome = changes.request(
                store, "U-OK", Department.CUSTOMER, "price", [f"unit_price={price}"], user=OM
            )
        notes[price] = [p.key for p in outcome.orders[0].problems]
        with FileStore.open(path, write=True) as store:
            changes.reject(store, outcome.data["change_no"], "no", user="max")
    assert notes == {"0.15": [], "0.10": ["check.price_floor_converted"]}
