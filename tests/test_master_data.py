"""Master data by command: a new site starts from an empty workbook; every add is read as the
sheet reads a typed row; who may do it is the settings' master_data_roles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    refusal,
)

from addin.cli import main
from addin.core.enums import OrderStatus, Role, YesNo
from addin.core.problems import RuleError
from addin.services import master_data, receipt
from workbook.file_store import FileStore
from workbook.store import ChangeSet


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    payload = json.loads(captured.out) if "--json" in argv and captured.out else captured.out
    return code, payload, captured.err


def test_a_new_site_starts_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = str(tmp_path / "new.xlsx")
    assert cli(capsys, "init", wb, "--lang", "en")[0] == 0
    # nobody may change master data yet: the first manager is added by whoever starts the site
    code, _, err = cli(capsys, "customer", "add", wb, "C1", "--name", "Acme", "--user", "ivy")
    assert code == 1 and "user 'ivy' is not on the staff roster" in err
    code, _, err = cli(capsys, "staff", "add", wb, "ivy", "--dept", "sales", "--user", "ivy")
    assert code == 1, "a staff role cannot start a site"
    code, out, _ = cli(
        capsys, "staff", "add", wb, "max", "--dept", "订单管理", "--role", "manager",
        "--email", "max@example.com", "--user", "ivy", "--json",
    )  # fmt: skip
    assert code == 0 and out["data"] == {"table": "staff", "key": "max"}
    # now only max (a manager) may go on
    code, _, err = cli(capsys, "staff", "add", wb, "ivy", "--dept", "sales", "--user", "ivy")
    assert code == 1 and "not on the staff roster" in err
    steps = [
        ("staff", "add", wb, "ivy", "--dept", "sales"),
        ("customer", "add", wb, "C1", "--name", "Acme", "--contact", "Ann",
         "--contact-info", "ann@example.com", "--credit-limit", "1,000,000"),
        ("product", "add", wb, "P1", "--name", "Bolt", "--spec", "M8x40", "--group", "fasteners",
         "--unit", "pcs", "--price-floor", "0.80", "--lot-size", "10", "--min-qty", "10",
         "--lead-time", "14"),
        ("capacity", "set", wb, "fasteners", "2026-12-09", "5000"),
        ("capacity", "set", wb, "fasteners", "2026-12-07", "6000"),
    ]  # fmt: skip
    for argv in steps:
        code, _, err = cli(capsys, *argv, "--user", "max")
        assert code == 0, err
    with FileStore.open(Path(wb)) as store:
        capacity = [r.values for r in store.read("capacity")]
        staff = {r.values["name"]: r.values for r in store.read("staff")}
        customer = store.read("customers")[0].values
        product = store.read("products")[0].values
    # the week of 2026-12-09 is kept as its Monday, and setting it again changes that row
    assert [(c["product_group"], c["week_start"].date(), c["capacity_qty"]) for c in capacity] == [
        ("fasteners", date(2026, 12, 7), 6000)
    ]
    assert staff["max"]["department"] == "Order management" and staff["max"]["role"] == "Manager"
    assert staff["ivy"]["role"] == "Staff" and staff["ivy"]["active"] == "Yes"
    assert customer["credit_limit"] == 1_000_000 and customer["active"] == "Yes"
    assert product["lot_size"] == 10 and product["active"] == "Yes"
    code, out, _ = cli(capsys, "verify", wb, "--json")
    assert code == 0 and out["data"]["entries"] == 6  # one ledger row per change


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_staff_role_may_not_change_master_data(desk: Desk, lang: str) -> None:
    with pytest.raises(RuleError) as caught:
        desk(master_data.add, "customers", {"customer_code": "C9", "name": "New"}, user=OM)
    (problem,) = caught.value.problems
    assert problem.key == "master.not_allowed" and problem.column == "role"
    expected = {
        "en": "'olga' is Staff; 'add customer' needs one of these roles: Manager, Director "
        "(setting master_data_roles)",
        "zh": "“olga”的角色为员工，“新增客户”需要以下角色：经理、总监（设置项 master_data_roles）",
    }
    assert problem.message(lang) == expected[lang]


def test_the_settings_name_the_roles(desk: Desk) -> None:
    rows = {r.values["key"]: r.row for r in desk.rows("settings")}
    changes = ChangeSet()
    changes.update("settings", rows["master_data_roles"], "value", "staff")
    desk.type_rows(changes)
    desk(master_data.add, "customers", {"customer_code": "C9", "name": "New"}, user=OM)
    assert refusal(desk, master_data.deactivate, "customers", "C9", user=MANAGER) == [
        "master.not_allowed"
    ]


def test_a_new_row_is_read_as_the_sheet_reads_it(desk: Desk) -> None:
    bad = {"product_code": "P9", "name": "Nut", "lot_size": "0", "lead_time_days": "soon"}
    with pytest.raises(RuleError) as caught:
        desk(master_data.add, "products", bad, user=MANAGER)
    found = {(p.key, p.column) for p in caught.value.problems}
    assert found == {("error.min", "lot_size"), ("error.not_int", "lead_time_days")}
    assert refusal(desk, master_data.add, "products", {"product_code": "P9"}, user=MANAGER) == [
        "error.required"
    ]
    assert refusal(
        desk, master_data.add, "staff", {"name": "zoe", "department": "nowhere"}, user=MANAGER
    ) == ["error.not_choice"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_taken_key_is_refused(desk: Desk, lang: str) -> None:
    with pytest.raises(RuleError) as caught:
        desk(master_data.add, "customers", {"customer_code": "C1", "name": "Again"}, user=MANAGER)
    (problem,) = caught.value.problems
    assert (problem.key, problem.row, problem.column) == ("master.exists", 2, "customer_code")
    assert (
        problem.format(lang)
        == {
            "en": "sheet 'Customers', row 2, column 'Customer code': 'C1' exists already",
            "zh": "工作表“客户”，第 2 行，“客户代码”列：“C1”已存在",
        }[lang]
    )
    # staff names compare without case, as the roster finds them
    assert refusal(
        desk, master_data.add, "staff", {"name": "MAX", "department": "sales"}, user=MANAGER
    ) == ["master.exists"]


def test_deactivating_a_customer_stops_new_orders_not_old_records(desk: Desk) -> None:
    out = desk(master_data.deactivate, "customers", "C1", user=MANAGER)
    assert out.lines("en") == ["    'C1' deactivated in sheet 'Customers'"]
    assert desk.read().customers["C1"].active == YesNo.NO
    # the order received for C1 and not yet checked: the check now finds the customer inactive
    changes = ChangeSet()
    changes.update("orders", desk.read().orders["SO-1"].row, "status", OrderStatus.RECEIVED)
    desk.type_rows(changes)
    outcome = desk(receipt.check, ["SO-1"], user=OM)
    assert "check.inactive_customer" in [p.key for p in outcome.orders[0].problems]
    assert refusal(desk, master_data.deactivate, "customers", "C1", user=MANAGER) == [
        "master.already_inactive"
    ]
    assert refusal(
        desk, master_data.add, "customers", {"customer_code": "C1", "name": "A"}, user=MANAGER
    ) == ["master.inactive_exists"]
    assert refusal(desk, master_data.deactivate, "products", "P99", user=MANAGER) == [
        "master.unknown"
    ]
    assert desk.verify() == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_deactivated_member_acts_no_more_and_the_last_editor_stays(desk: Desk, lang: str) -> None:
    desk(master_data.deactivate, "staff", "Sara", user=MANAGER)  # names compare without case
    assert refusal(desk, master_data.deactivate, "products", "P1", user=SALES) == [
        "role.not_in_roster"
    ]
    with pytest.raises(RuleError) as caught:
        desk(master_data.deactivate, "staff", MANAGER, user=MANAGER)
    (problem,) = caught.value.problems
    assert problem.key == "master.last_editor"
    assert (
        problem.message(lang)
        == {
            "en": "'max' is the only active member who may change master data; after this nobody "
            "could (add another one first)",
            "zh": "“max”是唯一可维护主数据的在职人员，停用后无人能再维护主数据（请先新增另一位）",
        }[lang]
    )
    desk(master_data.add, "staff", {"name": "dora", "department": "order_mgmt",
                                     "role": Role.DIRECTOR}, user=MANAGER)  # fmt: skip
    desk(master_data.deactivate, "staff", MANAGER, user="dora")
    assert refusal(desk, master_data.add, "customers", {"customer_code": "C9", "name": "N"},
                   user=MANAGER) == ["role.not_in_roster"]  # fmt: skip


def test_check_finds_typed_rows_the_commands_would_refuse(desk: Desk) -> None:
    with FileStore.open(desk.path) as store:
        assert master_data.check(store).problems == []
    changes = ChangeSet()
    changes.append("customers", {"customer_code": "C1", "name": "Acme again"})
    changes.append("capacity", {"product_group": "gears", "week_start": "next week",
                                "capacity_qty": 10})  # fmt: skip
    desk.type_rows(changes)
    with FileStore.open(desk.path) as store:
        outcome = master_data.check(store)
    found = [(p.key, p.table, p.row, p.column) for p in outcome.problems]
    assert found == [
        ("master.duplicate", "customers", 3, "customer_code"),
        ("error.not_date", "capacity", 2, "week_start"),
    ]
    assert outcome.lines("en")[-1] == (
        "    2 problem(s) in the master data (2 customers, 3 products, 0 capacity rows, 7 staff)"
    )
    assert outcome.lines("zh")[0].endswith("“C1”与第 2 行重复")
