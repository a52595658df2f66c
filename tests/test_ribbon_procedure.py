# ruff: noqa: F811 - the fixtures of test_ribbon are imported, then named as parameters
"""The ribbon's buttons of the procedure's later parts (master data, reminders), pressed through
xlwings' front end as ``tests/test_ribbon.py`` presses the others, on the same workbook."""

from __future__ import annotations

from lifecycle_fixtures import MANAGER
from test_ribbon import (  # noqa: F401 - fixtures
    Bench,
    as_user,
    bench,
    home,
    make_bench,
    stages,
)

from addin.i18n import t
from addin.services import master_data


def test_deactivate_the_selected_customer(bench: Bench, as_user) -> None:  # type: ignore[no-untyped-def]
    as_user(MANAGER)
    bench.sync()
    bench.select("customers", bench.row_of("customers", customer_code="C1"))
    alert = bench.press("btn_deactivate")
    assert alert.prompt == "    'C1' deactivated in sheet 'Customers'" and alert.mode == "info"
    bench.on_file(master_data.deactivate, "customers", "C1", user=MANAGER)
    bench.assert_same()
    alert = bench.press("btn_deactivate")  # again: refused, nothing written
    assert alert.mode == "critical" and "'C1' is deactivated already" in alert.prompt
    bench.assert_same()


def test_deactivate_refuses_a_staff_role_and_an_order_selection(bench: Bench) -> None:
    bench.sync()
    bench.select("products", bench.row_of("products", product_code="P1"))
    alert = bench.press("btn_deactivate")  # the ribbon's user is olga, staff
    assert (
        alert.mode == "critical" and "needs one of these roles: Manager, Director" in alert.prompt
    )
    bench.select("orders", bench.row_of("orders", order_no="SO-1"))
    alert = bench.press("btn_deactivate")
    sheets = "Customers, Products, Settings"
    assert alert.prompt.endswith(t("addin.ribbon.select_master", "en", sheets=sheets))
    bench.assert_same()


def test_master_check_in_chinese(make_bench) -> None:  # type: ignore[no-untyped-def]
    bench = make_bench("zh")
    bench.type("customers", bench.next_row("customers"), customer_code="C1", name="重复")
    bench.sync()
    alert = bench.press("btn_master_check")
    lines = alert.prompt.splitlines()
    assert lines[0].endswith("“C1”与第 2 行重复") and alert.mode == "critical"
    assert lines[1].startswith("    主数据有 1 处问题")
    assert alert.title == "OrderDesk · 校验主数据"
    bench.assert_same()
