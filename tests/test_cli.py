"""The ``orderdesk`` command line: exit codes, --json, --lang, --user, and nothing written on refusal."""

from __future__ import annotations

import getpass
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from foundation_fixtures import (
    LANGS,
    cli,
    column_index,
    copy_of,
    demo_summary,
    demo_workbook,
    edit,
    file_state,
    has_cjk,
    opened,
    order_rows,
    read,
    rewrite_ledger,
    row_of,
    seeded_workbook,
    set_cell,
    sheet,
    where,
    write_order_form,
)
from openpyxl import Workbook

from addin.core.enums import OrderStatus
from addin.core.schema import SHEETS
from addin.demo.run import FLAWS
from addin.i18n import t
from workbook.dashboard_blocks import blocks
from workbook.safe_save import backup_path

__all__ = ["demo_summary", "demo_workbook"]  # fixtures, used by name

REPO = Path(__file__).resolve().parents[1]
FINDING_FIELDS = {"code", "order_no", "sheet", "table", "row", "column", "field", "message"}


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return seeded_workbook(tmp_path)


@pytest.fixture
def form(tmp_path: Path) -> Path:
    rows = order_rows("SO1", lines=2) + order_rows("SO2", lines=1, seed=2)
    rows[2]["unit_price"] = 0.01  # below every floor: SO2 needs information
    return write_order_form(tmp_path / "form.csv", rows)


# -- init -----------------------------------------------------------------------------------------
def test_init_creates_then_refuses_to_overwrite_then_forces_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "master.xlsx"
    result = cli("init", path)
    assert result.code == 0
    assert result.out.strip() == t("init.done", "zh", path=str(path))
    assert opened(path).sheetnames == [t(f"sheet.{s}", "zh") for s in SHEETS]

    before = file_state(path)
    result = cli("init", path, "--lang", "en", "--json")
    assert result.code == 2
    assert result.json == {
        "ok": False,
        "error": "store.exists",
        "message": t("store.exists", "en", path=str(path)),
    }
    assert file_state(path) == before

    result = cli("init", path, "--force", "--lang", "en", "--json")
    assert result.code == 0
    assert result.json == {"ok": True, "workbook": str(path), "lang": "en"}
    assert backup_path(path).read_bytes() == before[0]
    assert opened(path).sheetnames == [t(f"sheet.{s}", "en") for s in SHEETS]


# -- receive and check ----------------------------------------------------------------------------
def test_receive_json_and_a_refused_second_receipt(workbook: Path, form: Path) -> None:
    result = cli("receive", workbook, form, "--json", "--user", "孙丽")
    assert result.code == 0, result.err
    payload = result.json
    assert payload["ok"] is True and payload["action"] == "receive"
    assert [
        (o["order_no"], o["status_before"], o["status_after"], o["problems"])
        for o in payload["orders"]
    ] == [("SO1", None, "received", []), ("SO2", None, "received", [])]
    assert payload["data"] == {"form": str(form), "form_digest": payload["data"]["form_digest"]}
    assert {r.values["user"] for r in read(workbook, "ledger")} == {"孙丽"}

    before = file_state(workbook)
    result = cli("receive", workbook, form, "--json", "--lang", "en")
    assert result.code == 1
    refused = result.json
    assert refused["ok"] is False
    # the same form again (its orders are in the workbook: see test_receive_check for that)
    assert [p["code"] for p in refused["refused"]] == ["receive.same_form"]
    assert "as orders SO1, SO2: not received again" in refused["refused"][0]["message"]
    assert file_state(workbook) == before


@pytest.mark.parametrize("lang", LANGS)
def test_check_json_names_each_finding_with_its_place(
    workbook: Path, form: Path, lang: str
) -> None:
    assert cli("receive", workbook, form).code == 0
    result = cli("check", workbook, "--json", "--lang", lang, "--user", "周敏")
    assert result.code == 0, result.err
    payload = result.json
    assert payload["ok"] is True and payload["action"] == "check"
    by_no = {o["order_no"]: o for o in payload["orders"]}
    assert by_no["SO1"]["status_after"] == "checked"
    assert (by_no["SO2"]["status_before"], by_no["SO2"]["status_after"]) == (
        "received",
        "needs_info",
    )
    finding = next(p for p in by_no["SO2"]["problems"] if p["code"] == "check.price_floor")
    assert set(finding) == FINDING_FIELDS
    assert finding["sheet"] == t("sheet.lines", lang)
    assert (finding["table"], finding["row"], finding["column"]) == ("lines", 4, "unit_price")
    assert finding["field"] == t("col.lines.unit_price", lang)
    product = row_of(workbook, "lines", order_no="SO2").values["product_code"]
    floor = row_of(workbook, "products", product_code=product).values["price_floor"]
    assert finding["message"] == t(
        "check.price_floor", lang, line_no=1, price="0.01", floor=_money(floor)
    )
    entries = [r.values for r in read(workbook, "ledger")]
    assert [e["user"] for e in entries[-2:]] == ["周敏", "周敏"]


def _money(value: Any) -> str:
    """A price cell as the message shows it (read as the parser reads money)."""
    return str(Decimal(format(value, ".15g")))


def test_text_output_follows_the_workbook_unless_lang_is_given(workbook: Path, form: Path) -> None:
    assert cli("receive", workbook, form).code == 0
    copy = copy_of(workbook, workbook.parent, "copy.xlsx")
    for path, lang, args in ((copy, "zh", []), (workbook, "en", ["--lang", "en"])):
        result = cli("check", path, *args)
        assert result.code == 0, result.err
        lines = result.out.splitlines()
        received, checked = OrderStatus.RECEIVED.label(lang), OrderStatus.CHECKED.label(lang)
        colon = t("punct.colon", lang)
        assert f"SO1{colon}{received} → {checked}" in lines
        assert f"SO2{colon}{received} → {OrderStatus.NEEDS_INFO.label(lang)}" in lines
        floor = next(line for line in lines if t("col.lines.unit_price", lang) in line)
        assert floor.startswith(f"    - {where(lang, 'lines', 4, 'unit_price')}{colon}")


def test_the_user_defaults_to_the_login_name(workbook: Path, form: Path) -> None:
    assert cli("receive", workbook, form).code == 0
    expected = getpass.getuser()
    assert {r.values["user"] for r in read(workbook, "ledger")} == {expected}


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_check_writes_nothing(workbook: Path, form: Path, lang: str) -> None:
    assert cli("receive", workbook, form).code == 0
    assert cli("check", workbook).code == 0
    before = file_state(workbook)
    result = cli("check", workbook, "SO1", "SO404", "--lang", lang)
    assert result.code == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == t("cli.refused", lang)
    assert t("rule.unknown_order", lang, order_no="SO404") in result.err
    assert file_state(workbook) == before
    result = cli("check", workbook, "SO1", "--json", "--lang", lang)
    assert result.code == 1
    (problem,) = result.json["refused"]
    assert problem["code"] == "rule.status_forbids"
    assert problem["message"] == t(
        "rule.status_forbids",
        lang,
        order_no="SO1",
        status=OrderStatus.CHECKED.label(lang),
        action=t("action.check", lang),
    )
    assert file_state(workbook) == before


# -- verify and show on the demo's workbook -----------------------------------------------------
def test_verify_passes_on_the_demo(demo_workbook: Path) -> None:
    entries, orders = len(read(demo_workbook, "ledger")), len(read(demo_workbook, "orders"))
    result = cli("verify", demo_workbook)
    assert result.code == 0
    assert result.out.strip() == t("verify.ok", "zh", entries=entries, orders=orders)
    result = cli("verify", demo_workbook, "--lang", "en", "--json")
    assert result.code == 0
    payload = result.json
    assert payload["ok"] is True and payload["problems"] == []
    # the demo archives its older orders: their archives were checked when written, unchanged
    assert payload["data"] == {"entries": entries, "orders": orders, "archives_read": 0}


def _change_status(path: Path) -> None:
    """Type another status into the second order's status cell."""
    shown = read(path, "orders")[1].values["status"]
    other = (
        OrderStatus.CLOSED if shown == OrderStatus.CANCELLED.label("zh") else OrderStatus.CANCELLED
    )
    set_cell(path, "orders", 3, "status", other.label("zh"))


def _copy_order_row(path: Path) -> None:
    """Copy the first order's row below the table, with a status its ledger never gave it."""
    first = read(path, "orders")[0]
    shown = first.values["status"]
    other = (
        OrderStatus.CANCELLED if shown != OrderStatus.CANCELLED.label("zh") else OrderStatus.CLOSED
    )

    def apply(wb: Any) -> None:
        ws = sheet(wb, "orders")
        columns = column_index(ws, "orders")
        below = first.row + len(read(path, "orders"))
        for key, col in columns.items():
            ws.cell(row=below, column=col).value = first.values[key]
        ws.cell(row=below, column=columns["status"]).value = other.label("zh")

    edit(path, apply)


def _swap(rows: list[list[Any]]) -> list[list[Any]]:
    return [rows[0], rows[2], rows[1], *rows[3:]]


TAMPERING = {
    "details_edited": (lambda p: set_cell(p, "ledger", 5, "details", "改过"), "verify.edited"),
    "row_deleted": (lambda p: rewrite_ledger(p, lambda rows: rows[:9] + rows[10:]), "verify.gap"),
    "rows_swapped": (lambda p: rewrite_ledger(p, _swap), "verify.reordered"),
    "last_row_deleted": (lambda p: rewrite_ledger(p, lambda rows: rows[:-1]), "verify.truncated"),
    "status_changed": (_change_status, "verify.status_mismatch"),
    "order_row_copied": (_copy_order_row, "verify.status_mismatch"),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_verify_fails_on_a_ledger_edited_by_hand(
    demo_workbook: Path, tmp_path: Path, how: str
) -> None:
    path = copy_of(demo_workbook, tmp_path)
    tamper, code = TAMPERING[how]
    tamper(path)
    result = cli("verify", path)
    assert result.code == 1
    assert result.out.splitlines()[-1].startswith(t("verify.found", "zh", count=0)[:2])
    result = cli("verify", path, "--json", "--lang", "en")
    assert result.code == 1
    payload = result.json
    assert payload["ok"] is False
    assert code in [p["code"] for p in payload["problems"]]
    assert all(set(p) == FINDING_FIELDS for p in payload["problems"])
    for problem in payload["problems"]:  # English, apart from the statuses quoted from cells
        if problem["code"] != "verify.status_mismatch":
            assert not has_cjk(problem["message"]), problem


def test_show_an_order(demo_workbook: Path) -> None:
    order_no = read(demo_workbook, "orders")[0].values["order_no"]
    result = cli("show", demo_workbook, order_no, "--json")
    assert result.code == 0
    payload = result.json
    assert payload["ok"] is True
    assert payload["order"]["order_no"] == order_no
    assert payload["row"] == 2
    assert payload["lines"] and all(line["order_no"] == order_no for line in payload["lines"])
    assert [e["order_no"] for e in payload["ledger"]] == [order_no] * len(payload["ledger"])
    assert len(payload["ledger"]) >= 2
    text = cli("show", demo_workbook, order_no, "--lang", "en")
    assert text.code == 0
    assert f"== {order_no} ==" in text.out
    assert f"{t('col.orders.status', 'en')}: " in text.out
    assert f"-- {t('show.history', 'en')} --" in text.out
    missing = cli("show", demo_workbook, "SO404", "--lang", "en")
    assert missing.code == 1
    assert t("rule.unknown_order", "en", order_no="SO404") in missing.err


# -- bad usage and unreadable input: exit 2 ------------------------------------------------------
def _bad_files(tmp_path: Path) -> dict[str, Path]:
    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("just text", encoding="utf-8")
    truncated = tmp_path / "cut.xlsx"
    good = seeded_workbook(tmp_path, name="good.xlsx").read_bytes()
    truncated.write_bytes(good[: len(good) // 2])
    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    return {
        "store.not_found": tmp_path / "missing.xlsx",
        "store.not_xlsx": not_xlsx,
        "store.not_xlsx ": truncated,
        "store.not_master": other,
    }


@pytest.mark.parametrize("command", ["verify", "check", "show", "receive"])
def test_unreadable_workbooks_exit_2(tmp_path: Path, form: Path, command: str) -> None:
    for key, path in _bad_files(tmp_path).items():
        extra = {"show": ["SO1"], "receive": [form]}.get(command, [])
        before = file_state(path) if path.exists() else None
        result = cli(command, path, *extra, "--json", "--lang", "en")
        assert result.code == 2, (command, key, result.err)
        assert result.json["ok"] is False
        assert result.json["error"] == key.strip()
        assert result.json["message"].startswith(
            t(key.strip(), "en", path=path, table="OD_Orders")[:12]
        )
        if before is not None:
            assert file_state(path) == before


def test_an_unreadable_form_exits_2(workbook: Path, tmp_path: Path) -> None:
    before = file_state(workbook)
    result = cli("receive", workbook, tmp_path / "nowhere.csv")
    assert result.code == 2
    assert result.err.strip() == t("receive.form_not_found", "zh", path=tmp_path / "nowhere.csv")
    bad = tmp_path / "form.xlsx"
    bad.write_bytes(b"not a zip")
    assert cli("receive", workbook, bad).code == 2
    assert file_state(workbook) == before


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["verify"],
        ["receive", "master.xlsx"],
        ["check", "master.xlsx", "--lang", "fr"],
        ["init", "master.xlsx", "--colour"],
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, args: list[str]) -> None:
    result = cli(*args)
    assert result.code == 2
    # in the language of the locale (issue 11 item 12): both speak of "orderdesk" usage
    assert re.search(r"(usage: |用法：)orderdesk", result.err)
    assert not (tmp_path / "master.xlsx").exists()


def test_refused_while_open_in_excel(workbook: Path, form: Path) -> None:
    owner = workbook.with_name(f"~${workbook.name}")
    owner.write_bytes(b"owner")
    before = file_state(workbook)
    for args in (["receive", workbook, form], ["check", workbook]):
        result = cli(*args, "--lang", "en")
        assert result.code == 2
        assert result.err.strip() == t("store.open_in_excel", "en", path=workbook, owner=owner.name)
    assert file_state(workbook) == before
    assert cli("verify", workbook).code == 0  # reading is fine


HOLD = """
import sys
from workbook.file_store import FileStore
with FileStore.open(sys.argv[1], write=True):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_refused_while_another_orderdesk_holds_the_workbook(workbook: Path, form: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(workbook)],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = file_state(workbook)
        result = cli("receive", workbook, form, "--json")
        assert result.code == 2
        assert result.json["error"] == "store.locked"
        assert result.json["message"] == t("store.locked", "zh", path=workbook)
        assert file_state(workbook) == before
    finally:
        holder.communicate("\n", timeout=30)
    assert cli("receive", workbook, form).code == 0


# -- the installed command, as a real process ------------------------------------------------------
def _orderdesk(*args: object) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("orderdesk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "addin.cli"]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        check=False,
    )


def test_the_demo_command(demo_workbook: Path, demo_summary: dict[str, Any]) -> None:
    assert demo_summary["ok"] is True
    assert Path(demo_summary["workbook"]) == demo_workbook
    assert Path(demo_summary["order_form"]).exists()
    assert set(demo_summary["flawed_orders"].values()) == set(FLAWS)
    orders = read(demo_workbook, "orders")
    assert sum(demo_summary["statuses"].values()) == len(orders)
    flawed = {r.values["order_no"] for r in orders} & set(demo_summary["flawed_orders"])
    assert flawed == set(demo_summary["flawed_orders"])


def test_the_installed_command_exits_0_1_2(demo_workbook: Path, tmp_path: Path) -> None:
    path = copy_of(demo_workbook, tmp_path)
    done = _orderdesk("verify", path)
    assert done.returncode == 0, done.stderr
    set_cell(path, "ledger", 3, "user", "someone else")
    failed = _orderdesk("verify", path, "--lang", "en")
    assert failed.returncode == 1
    seq = next(r.values["seq"] for r in read(path, "ledger") if r.row == 3)
    assert t("verify.edited", "en", seq=seq) in failed.stdout
    missing = _orderdesk("verify", tmp_path / "missing.xlsx")
    assert missing.returncode == 2
    assert missing.stderr.strip() == t("store.not_found", "zh", path=tmp_path / "missing.xlsx")


def test_the_english_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("addin.demo.run._lifecycle", lambda: None)  # see build_demo
    result = cli("demo", "--out", tmp_path, "--lang", "en")
    assert result.code == 0, result.err
    assert result.out.startswith(t("demo.title", "en"))
    workbook = tmp_path / "OrderDesk-demo.xlsx"
    assert opened(workbook).sheetnames == [t(f"sheet.{s}", "en") for s in SHEETS]
    # this week's orders were checked (the year of history before them is finished or open)
    week = date.today() - timedelta(days=7)
    rows = read(workbook, "orders")
    received = {r.row: r.values["received_date"] for r in rows}
    days = {n: v.date() if isinstance(v, datetime) else v for n, v in received.items()}
    statuses = {r.values["status"] for r in rows if days[r.row] >= week}
    assert statuses == {OrderStatus.CHECKED.label("en"), OrderStatus.NEEDS_INFO.label("en")}
    assert len(rows) > 200
    # and the dashboard was refreshed with them
    dashboard = opened(workbook)[t("sheet.dashboard", "en")]
    tile = blocks()["tile.orders"]
    assert dashboard.cell(row=tile.top, column=tile.left).value > 200
    verified = cli("verify", workbook)
    assert verified.code == 0
    assert verified.out.strip().startswith(t("verify.ok", "en", entries=0, orders=0)[:14])
