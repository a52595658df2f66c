# ruff: noqa: F811 - the fixtures of test_ribbon are imported, then named as parameters
"""The ribbon's buttons of the procedure's later parts (master data, reminders), pressed through
xlwings' front end as ``tests/test_ribbon.py`` presses the others, on the same workbook."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

from lifecycle_fixtures import MANAGER, OM
from test_ribbon import (  # noqa: F401 - fixtures
    Bench,
    as_user,
    bench,
    home,
    make_bench,
    stages,
)

from addin.i18n import t
from addin.services import master_data, reminders


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


def test_reminders_are_mailed_in_the_workbooks_language(make_bench) -> None:  # type: ignore[no-untyped-def]
    bench = make_bench("zh")
    bench.sync()
    alert = bench.press("btn_remind")
    lines = alert.prompt.splitlines()
    assert alert.title == "OrderDesk · 待办提醒" and alert.mode == "info"
    assert lines[0] == "    订单管理：" + lines[0].split("：", 1)[1]
    assert "order_mgmt@example.com" in lines[0]
    outbox = bench.excel_dir / "outbox"
    written = sorted(p.name for p in outbox.glob("*.eml"))
    assert "reminder-2026-03-20-order_mgmt.eml" in written
    message = BytesParser(policy=policy.default).parsebytes(
        (outbox / "reminder-2026-03-20-order_mgmt.eml").read_bytes()
    )
    # full-width bars: a space between two encoded words of a header is lost on decoding
    assert message["Subject"] == "【待办提醒】示例制造有限公司｜订单管理｜13 项｜2026-03-20"
    body = message.get_content()
    assert (
        "未发送的生产任务单" in body and "生产任务单 TO-SO-4-1 第 1 版（订单 SO-4）尚未发送" in body
    )
    assert "变更 CH-SO-8-01（订单 SO-8）待评审" in body
    bench.on_file(reminders.remind, bench.file_dir, user=OM)
    assert sorted(p.name for p in (bench.file_dir / "outbox").glob("*.eml")) == written
    bench.assert_same()


def test_send_on_the_changes_sheet_sends_the_notice(bench: Bench) -> None:
    bench.sync()
    row = bench.row_of("changes", order_no="SO-7")
    bench.select("changes", row)
    alert = bench.press("btn_send_task")
    # SO-7's change is requested, not approved: the notice's rule answers, nothing is written
    assert alert.mode == "critical"
    assert "only an approved change has a notice" in alert.prompt
    assert alert.prompt.startswith("CH-SO-7-01: ")
    bench.assert_same()
