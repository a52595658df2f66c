"""Clean refusals where a traceback (or the machine's memory) went before (issue 12 item 12):
bounded reads of order forms, dates the statistics can compute with, missing folders, and an
unexpected error logged to the log file with an exit code of its own."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from foundation_fixtures import LANGS, cli, read, seeded_workbook
from openpyxl import Workbook

from addin.i18n import t
from addin.services import order_form

REPO = Path(__file__).resolve().parents[1]


def small_form(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["订单号", "客户名称", "产品代码", "规格型号", "数量"])
    ws.append(["SO-1", "甲", "P1", "M8", 10])
    wb.save(path)
    return path


def edit_sheet(path: Path, change) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = change(parts[name].decode()).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            z.writestr(part, data)
    path.write_bytes(buffer.getvalue())


def declare_whole_sheet(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)


def far_cell(column: str):
    def damage(xml: str) -> str:
        cell = f'<c r="{column}1048576" t="inlineStr"><is><t>x</t></is></c>'
        return xml.replace("</sheetData>", f'<row r="1048576">{cell}</row></sheetData>')

    return damage


def wide_rows(xml: str) -> str:
    rows = "".join(
        f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(3, 20003)
    )
    return xml.replace("</sheetData>", rows + "</sheetData>")


LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
from addin.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _limited_cli(*args: object) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", LIMITED, *map(str, args)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("damage", "key"),
    [
        (declare_whole_sheet, None),  # the dimension lies: the rows are read as they are
        (lambda xml: far_cell("XFD")(declare_whole_sheet(xml)), "receive.too_many_columns"),
        (far_cell("XFD"), "receive.too_many_columns"),
        (lambda xml: far_cell("B")(declare_whole_sheet(xml)), "receive.too_many_rows"),
        (far_cell("B"), "receive.too_many_rows"),
        (wide_rows, "receive.too_many_columns"),
    ],
)
def test_a_small_xlsx_declaring_a_huge_sheet_is_read_within_bounds(
    tmp_path: Path, damage, key: str | None
) -> None:
    path = seeded_workbook(tmp_path)
    form = small_form(tmp_path / "form.xlsx")
    edit_sheet(form, damage)
    assert form.stat().st_size < 200_000
    done = _limited_cli("receive", path, form, "--lang", "en")
    if key is None:
        assert done.returncode == 0, done.stderr
        assert [r.values["order_no"] for r in read(path, "orders")] == ["SO-1"]
        return
    assert done.returncode == 2, done.stderr[-2000:]
    limit = order_form.MAX_ROWS if key == "receive.too_many_rows" else order_form.MAX_COLUMNS
    assert done.stderr.strip() == t(key, "en", file="form.xlsx", limit=limit)
    assert read(path, "orders") == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_csv_field_over_the_limit_is_refused(tmp_path: Path, lang: str) -> None:
    path = seeded_workbook(tmp_path)
    form = tmp_path / "form.csv"
    form.write_text("订单号,产品代码,数量,备注\nSO-1,P1,1,ok\nSO-2,P1,1," + "x" * 131_073 + "\n")
    result = cli("receive", path, form, "--lang", lang)
    assert result.code == 2
    assert result.err.strip() == t(
        "receive.field_too_long", lang, file="form.csv", row=3, limit=131_072
    )
    assert read(path, "orders") == []


@pytest.mark.parametrize("lang", LANGS)
def test_receive_of_a_folder_is_refused(tmp_path: Path, lang: str) -> None:
    path = seeded_workbook(tmp_path)
    folder = tmp_path / "forms.csv"
    folder.mkdir()
    result = cli("receive", path, folder, "--lang", lang)
    assert result.code == 2
    assert result.err.strip() == t("receive.not_a_file", lang, path=str(folder))


@pytest.mark.parametrize("lang", LANGS)
def test_init_into_a_missing_folder_is_refused(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "nowhere" / "master.xlsx"
    result = cli("init", target, "--lang", lang)
    assert result.code == 2
    assert result.err.strip() == t("store.no_folder", lang, path=str(target.parent))
    assert not target.parent.exists()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "args",
    [
        ["stats", "--from", "0001-01-01"],
        ["stats", "--to", "9999-12-31"],
        ["dashboard", "--to", "9999-12-31"],
        ["dashboard", "--from", "0001-01-01"],
        ["report", "--from", "9999-12-01"],
        ["report", "--period", "9999-12"],
        ["report", "--period", "0001-01"],
        ["report", "--date", "9999-12-31"],
        ["overdue", "--date", "9999-12-31"],
    ],
)
def test_dates_beyond_what_the_figures_can_count_are_refused(
    tmp_path: Path, args: list[str], lang: str
) -> None:
    path = seeded_workbook(tmp_path)
    before = path.read_bytes()
    result = cli(args[0], path, *args[1:], "--lang", lang)
    assert result.code == 2, result.err
    assert result.err.strip() == t(
        "cli.date_range", lang, value=args[-1], first="1900-01-01", last="9998-12-31"
    )
    assert path.read_bytes() == before


def test_the_edges_of_the_range_are_counted(tmp_path: Path) -> None:
    path = seeded_workbook(tmp_path)
    assert cli("stats", path, "--from", "1900-01-01", "--to", "9998-12-31").code == 0
    assert cli("report", path, "--period", "9998-12", "--out", tmp_path).code == 0
    assert cli("dashboard", path, "--from", "1900-01-01", "--to", "9998-12-31").code == 0


@pytest.mark.parametrize("lang", LANGS)
def test_an_unexpected_error_is_logged_with_its_own_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from addin import logfile

    path = seeded_workbook(tmp_path)
    log = tmp_path / "home" / ".orderdesk" / "orderdesk.log"
    monkeypatch.setattr(logfile, "log_file", lambda: log)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a defect of ours")

    monkeypatch.setattr("addin.services.receipt.check", broken)
    result = cli("check", path, "--lang", lang)
    assert result.code == 3
    assert result.err.strip() == t("cli.internal_error", lang, log=str(log))
    assert "Traceback" not in result.err and "ZeroDivisionError" not in result.err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: a defect of ours" in text
    assert "check" in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_form_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    path = seeded_workbook(tmp_path)
    form = tmp_path / "form.csv"
    form.write_text("订单号,产品代码,数量\nSO-1,P1,1\n")
    monkeypatch.setattr(order_form, "MAX_BYTES", form.stat().st_size - 1)
    result = cli("receive", path, form, "--lang", lang)
    assert result.code == 2
    limit = form.stat().st_size - 1
    assert result.err.strip() == t("receive.too_large", lang, file="form.csv", limit=limit)
