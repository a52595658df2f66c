"""The lifecycle's commands: conventions (--json, --lang, --user, exit 0/1/2), files, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    PROD,
    QUAL,
    SALES,
    USERS,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
)

from addin.cli import main
from addin.core.enums import REVIEW_DEPARTMENTS, Department, OrderStatus


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    try:
        payload = json.loads(captured.out) if "--json" in argv else captured.out
    except json.JSONDecodeError:
        payload = captured.out
    return code, payload, captured.err


def test_the_whole_life_of_an_order_from_the_command_line(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = str(desk.path)
    code, out, _ = cli(capsys, "review", "start", wb, "SO-1", "--user", OM, "--json")
    assert (code, out["orders"][0]["status_after"]) == (0, "in_review")
    for department in REVIEW_DEPARTMENTS:
        code, _, err = cli(
            capsys, "review", "record", wb, "SO-1", "--dept", department.label("zh"),
            "--decision", "通过", "--user", USERS[department],
        )  # fmt: skip
        assert code == 0, err
    code, out, _ = cli(capsys, "review", "conclude", wb, "SO-1", "--user", OM, "--lang", "en")
    assert code == 0 and "Review passed" in out
    code, out, _ = cli(capsys, "release", wb, "SO-1", "--user", OM, "--json")
    assert code == 0
    (task,) = out["data"]["task_orders"]
    assert task["file"].startswith("task-orders/")  # the settings' folder beside the workbook
    assert (desk.path.parent / task["file"]).is_file()
    steps = [
        ("--kind", "production", "--qty", "100", "--date", "2026-03-02", "--user", PROD),
        ("--kind", "inspection", "--qty", "100", "--passed", "100", "--date", "2026-03-02",
         "--user", QUAL),
        ("--kind", "shipment", "--qty", "100", "--carrier", "SF", "--date", "2026-03-02",
         "--user", SALES),
        ("--kind", "交付", "--qty", "100", "--user", SALES),
        ("--kind", "acceptance", "--remarks", "signed", "--user", SALES),
    ]  # fmt: skip
    for step in steps:
        code, _, err = cli(capsys, "track", wb, "SO-1", *step)
        assert code == 0, err
    for lang, text in (("zh", "缺少最终检验报告号"), ("en", "final inspection report number")):
        code, _, err = cli(capsys, "close", wb, "SO-1", "--user", OM, "--lang", lang)
        assert code == 1 and text in err  # closing needs the final inspection report (§8)
    code, out, _ = cli(capsys, "close", wb, "SO-1", "--report-no", "QR-77", "--user", OM, "--json")
    assert (code, out["orders"][0]["status_after"]) == (0, "closed")
    code, out, _ = cli(capsys, "show", wb, "SO-1", "--json")
    order = out["order"]
    assert order["final_report_no"] == "QR-77"
    assert (order["progress"], order["shipped_at"]) == (1.0, "2026-03-02")
    assert order["released_at"] and order["inspection"]
    code, out, _ = cli(capsys, "verify", wb)
    assert code == 0


def test_a_refusal_exits_1_names_the_rule_and_writes_nothing(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    before = desk.path.read_bytes()
    code, out, _ = cli(capsys, "release", str(desk.path), "SO-1", "--user", OM, "--json")
    assert code == 1
    assert out["ok"] is False
    assert [p["code"] for p in out["refused"]] == ["rule.status_forbids"]
    assert out["refused"][0]["sheet"] == "Orders"
    code, _, err = cli(capsys, "close", str(desk.path), "SO-1", "--user", OM, "--lang", "zh")
    assert code == 1
    assert "未全部生产" in err and "客户验收尚未记录" in err  # every unmet condition, in zh
    assert desk.path.read_bytes() == before
    assert not (desk.path.parent / "task-orders").exists()


def test_bad_usage_exits_2(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    wb = str(desk.path)
    for argv in (
        ["track", wb, "SO-1", "--kind", "teleport"],
        ["review", "record", wb, "SO-1", "--dept", "sales", "--decision", "maybe"],
        ["track", wb, "SO-1", "--kind", "delay", "--expected", "next week"],
        ["change", "request", wb, "SO-1", "--by", "sales"],
    ):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2, argv
    code, _, _ = cli(capsys, "overdue", str(desk.path.with_name("missing.xlsx")))
    assert code == 2


def test_change_commands_and_the_notice_file(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = str(desk.path)
    desk.released("SO-1")
    code, out, _ = cli(
        capsys, "change", "request", wb, "SO-1", "--by", "customer", "--reason", "more",
        "--impact", "one week", "quantity=120", "--user", SALES, "--json",
    )  # fmt: skip
    assert code == 0
    change_no = out["data"]["change_no"]
    code, _, err = cli(
        capsys, "change", "review", wb, change_no, "--necessity", "yes", "--feasibility", "yes",
        "--delivery", "none", "--cost", "none", "--quality", "none", "--user", OM,
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = cli(capsys, "change", "approve", wb, change_no, "--user", OM, "--json")
    assert (code, out["refused"][0]["code"]) == (1, "role.not_approver")
    for dept in ("production", "purchasing"):  # a quantity concerns these two
        code, _, err = cli(capsys, "change", "opinion", wb, change_no, "--dept", dept,
                           "--opinion", "agree", "--user", USERS[Department(dept)])  # fmt: skip
        assert code == 0, err
    code, out, _ = cli(capsys, "change", "approve", wb, change_no, "--user", MANAGER, "--json")
    assert code == 0
    files = [Path(f) for f in out["files"]]
    assert [f.parent.name for f in files] == ["task-orders", "task-orders"]
    assert all(f.is_file() for f in files)
    assert out["data"]["revisions"] == [{"task_no": "TO-SO-1-1", "revision": 2}]
    code, out, _ = cli(capsys, "change", "reject", wb, change_no, "--comment", "x", "--user",
                       MANAGER, "--json")  # fmt: skip
    assert (code, out["refused"][0]["code"]) == (1, "change.already_decided")


def test_cancel_and_overdue(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    wb = str(desk.path)
    code, out, _ = cli(capsys, "cancel", wb, "SO-4", "--reason", "duplicate", "--user", OM)
    assert code == 0 and "SO-4" in out
    assert desk.status("SO-4") == OrderStatus.CANCELLED
    code, out, _ = cli(capsys, "overdue", wb, "--date", "2026-03-06", "--json")
    assert code == 0
    listed = {i["order_no"] for i in out["data"]["items"]}
    assert "SO-4" not in listed and "SO-1" in listed
    code, out, _ = cli(capsys, "overdue", wb, "--date", "2026-03-06", "--lang", "zh")
    assert code == 0 and "评审超过时限" in out and "1 个工作日" in out
    code, out, _ = cli(capsys, "overdue", wb, "--date", "2026-03-03")
    assert code == 0 and out.strip() == "no order is overdue or at risk"
