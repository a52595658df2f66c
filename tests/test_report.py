"""The meeting report (``orderdesk report``) read back from its workbook and its PDF.

The workbook (the lifecycle fixtures' eight orders, received and checked on Monday 2 March
2026, promised for 1 May), as of Friday 20 March:

- SO-1 released, a spindle delay expected on 10 May: at risk (9 days beyond its date);
- SO-2 released, produced, inspected, shipped, delivered, accepted and closed in March;
- SO-3 a change request by sales (contact → Bob), still open: 18 days open, past its limit;
- SO-8 its line's delivery date typed back to 10 March: 10 days late;
- SO-3 … SO-8 still checked: each review past its three working days.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from foundation_fixtures import cli
from lifecycle_fixtures import OM, PROD, SALES, Desk, master_bytes_fixture  # noqa: F401
from openpyxl import load_workbook
from soffice import require_soffice

from addin.core.agenda import ReportPeriod
from addin.core.enums import Department, TrackKind
from addin.core.problems import RuleError
from addin.services import changes, closure
from addin.services.report import choose_period, write_report
from addin.services.timenodes import overdue
from workbook.file_store import FileStore
from workbook.store import ChangeSet

TODAY = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 8, 30)
MARCH = ReportPeriod.month("2026-03")


@pytest.fixture(scope="module")
def master(master_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    path = folder / "orders.xlsx"
    path.write_bytes(master_bytes)
    desk = Desk(path, folder / "task-orders")
    desk.released("SO-1")
    desk.track("SO-1", TrackKind.DELAY, user=PROD, cause="spindle", measures="repair",
               expected=date(2026, 5, 10))  # fmt: skip
    desk.released("SO-2")
    desk.complete("SO-2")
    desk(closure.close, "SO-2", user=OM, report_no="QR-2")
    desk(changes.request, "SO-3", Department.SALES, "customer asked", ["contact=Bob"], user=SALES)
    line = next(r for r in desk.rows("lines") if r.values["order_no"] == "SO-8")
    typed = ChangeSet()
    typed.update("lines", line.row, "delivery_date", date(2026, 3, 10))
    desk.type_rows(typed)
    return path


def report(master: Path, out: Path, lang: str, period: ReportPeriod = MARCH) -> Path:
    with FileStore.open(master) as store:
        outcome = write_report(
            store, master, period, out_dir=out, lang=lang, user="olga", now=NOW, today=TODAY
        )
    assert outcome.problems == []
    return Path(outcome.data["workbook"])


def rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def table(ws: Any, first_header: str) -> list[dict[str, Any]]:
    """The rows under the header row that starts with ``first_header``, as dicts, up to the
    first row whose first cell is blank."""
    grid = rows(ws)
    start = next(i for i, r in enumerate(grid) if r[0] == first_header)
    header = [h for h in grid[start] if h is not None]
    out = []
    for r in grid[start + 1 :]:
        if r[0] is None:
            break
        out.append(dict(zip(header, r[: len(header)], strict=True)))
    return out


def figures(ws: Any, first_header: str) -> dict[str, list[Any]]:
    """The figures table: label → [value, numerator, denominator]."""
    return {r["_"]: r["v"] for r in _figure_rows(ws, first_header)}


def _figure_rows(ws: Any, first_header: str) -> list[dict[str, Any]]:
    grid = rows(ws)
    start = next(i for i, r in enumerate(grid) if r[0] == first_header)
    out = []
    for r in grid[start + 1 :]:
        if r[0] is None:
            break
        out.append({"_": r[0], "v": r[1:4]})
    return out


def test_the_english_report_holds_the_agenda(master: Path, tmp_path: Path) -> None:
    path = report(master, tmp_path, "en")
    assert path == tmp_path / "meeting-report-2026-03.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Overdue", "At risk", "Open changes", "Progress"]

    summary = figures(wb["Summary"], "Figure")
    assert summary["Orders received"][0] == 8
    assert summary["On-time delivery rate"] == [1.0, 2, 2]  # SO-2's two lines
    assert summary["Quality pass rate"] == [1.0, 70, 70]
    assert summary["Complaint rate"] == [0.0, 0, 1]
    assert summary["Sales amount (CNY)"][0] == 390  # SO-1 100 × 1.00, SO-2 50 × 1.00 + 20 × 12
    assert summary["Orders at risk"][0] == 1
    assert summary["Open change requests"][0] == 1
    assert table(wb["Summary"], "Cause")[0] == {"Cause": "spindle", "Entries": 1, "Orders": 1}
    assert [r[0] for r in rows(wb["Summary"])].count("None in the period") == 1  # no rejections

    late = table(wb["Overdue"], "Order no.")
    by_order = {(r["Order no."], r["Kind"]) for r in late}
    assert ("SO-8", "late") in by_order
    assert {o for o, kind in by_order if kind == "overdue"} == {f"SO-{n}" for n in range(3, 9)}
    so8 = next(r for r in late if r["Order no."] == "SO-8" and r["Kind"] == "late")
    assert so8["Due"] == datetime(2026, 3, 10) and so8["Late by"] == "10 day(s)"
    assert so8["Customer"] == "Acme Machines" and so8["Status"] == "Checked"
    assert any("CH-SO-3-01" in r["Reason"] for r in late)

    risk = table(wb["At risk"], "Order no.")
    assert [(r["Order no."], r["Beyond by"]) for r in risk] == [("SO-1", "9 day(s)")]
    assert "spindle" in risk[0]["Reason"]

    (change,) = table(wb["Open changes"], "Change no.")
    assert change["Change no."] == "CH-SO-3-01" and change["Order no."] == "SO-3"
    assert "Bob" in change["What changes"] and change["Reason"] == "customer asked"
    assert change["Requested by"] == "Sales sara" and change["Days open"] == 18
    assert change["Status"] == "Requested"

    progress = [(r["Milestone"], r["Order no."]) for r in table(wb["Progress"], "Milestone")]
    assert progress == [
        ("Released", "SO-1"),
        ("Released", "SO-2"),
        ("Shipped", "SO-2"),
        ("Closed", "SO-2"),
    ]


def test_overdue_and_at_risk_follow_the_time_nodes(master: Path, tmp_path: Path) -> None:
    """One rule: the report lists what ``orderdesk overdue`` lists, no more, no less."""
    wb = load_workbook(report(master, tmp_path, "en"))
    listed = [(r["Order no."], r["Reason"]) for r in table(wb["Overdue"], "Order no.")]
    listed += [(r["Order no."], r["Reason"]) for r in table(wb["At risk"], "Order no.")]
    with FileStore.open(master) as store:
        items = overdue(store, today=TODAY, lang="en").data["items"]
    assert sorted(listed) == sorted((i["order_no"], i["reason"]) for i in items)


def test_the_chinese_report(master: Path, tmp_path: Path) -> None:
    path = report(master, tmp_path, "zh")
    assert path.name == "例会报告-2026-03.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["概览", "超时与逾期", "交期风险", "未结变更", "本期进展"]
    ws = wb["概览"]
    assert rows(ws)[0][0] == "订单跟踪例会报告 · 2026-03"
    assert figures(ws, "指标")["交货期达成率"] == [1.0, 2, 2]
    assert ws.oddHeader.right.text == "2026-03"
    assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
    assert table(wb["未结变更"], "变更编号")[0]["申请部门/人"] == "销售 sara"


def test_every_sheet_prints_on_a4_landscape_with_titles(master: Path, tmp_path: Path) -> None:
    wb = load_workbook(report(master, tmp_path, "en"))
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows and ws.freeze_panes
        assert ws.oddHeader.left.text == "Order tracking meeting report"


def test_an_empty_period_says_no_data(master: Path, tmp_path: Path) -> None:
    wb = load_workbook(report(master, tmp_path, "en", ReportPeriod.month("2025-01")))
    summary = figures(wb["Summary"], "Figure")
    assert summary["Orders received"][0] == 0
    for rate in ("On-time delivery rate", "Quality pass rate", "Complaint rate"):
        assert summary[rate] == ["no data", 0, 0]
    assert table(wb["Progress"], "Milestone") == [
        {"Milestone": "None in the period", "Date": None, "Order no.": None, "Customer": None}
    ]
    assert table(wb["Overdue"], "Order no.")  # the open items are as of the report date


def test_the_period() -> None:
    assert choose_period("2026-02", None, None, TODAY) == ReportPeriod(
        date(2026, 2, 1), date(2026, 2, 28)
    )
    assert choose_period(None, None, None, TODAY) == MARCH
    ranged = choose_period(None, date(2026, 3, 3), date(2026, 3, 9), TODAY)
    assert ranged.label == "2026-03-03~2026-03-09"
    for bad in ("2026-13", "March", "2026-3-1"):
        with pytest.raises(RuleError):
            choose_period(bad, None, None, TODAY)
    with pytest.raises(RuleError):
        choose_period(None, date(2026, 3, 9), date(2026, 3, 3), TODAY)


def test_the_command_leaves_the_master_workbook_as_it_was(master: Path, tmp_path: Path) -> None:
    before, beside = master.read_bytes(), sorted(master.parent.iterdir())
    done = cli("report", master, "--period", "2026-03", "--date", "2026-03-20",
               "--out", tmp_path, "--json", "--user", "olga")  # fmt: skip
    assert done.code == 0, done.err
    assert master.read_bytes() == before
    data = done.json["data"]
    assert Path(data["workbook"]) == tmp_path / "meeting-report-2026-03.xlsx"
    assert data["pdf"] is None and len(data["at_risk"]) == 1 and len(data["open_changes"]) == 1
    assert sorted(master.parent.iterdir()) == beside  # no backup, no temporary file left


def test_the_command_prints_where_and_a_summary_in_the_chosen_language(
    master: Path, tmp_path: Path
) -> None:
    done = cli("report", master, "--period", "2026-03", "--date", "2026-03-20",
               "--out", tmp_path, "--lang", "zh")  # fmt: skip
    assert done.code == 0, done.err
    assert str(tmp_path / "例会报告-2026-03.xlsx") in done.out
    assert "2026-03：订单 8 个，交货期达成率 100.0% (2/2)" in done.out
    refused = cli("report", master, "--period", "2026-3x", "--out", tmp_path)
    assert refused.code == 1 and "2026-3x" in refused.err


def test_without_libreoffice_the_workbook_is_still_written(
    master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workbook.pdf.find_soffice", lambda: None)
    done = cli("report", master, "--period", "2026-03", "--out", tmp_path, "--pdf", "--lang", "en")
    assert done.code == 1
    assert (tmp_path / "meeting-report-2026-03.xlsx").is_file()
    assert not list(tmp_path.glob("*.pdf"))
    assert "not its PDF" in done.out and "LibreOffice" in done.out


def test_the_pdf(master: Path, tmp_path: Path) -> None:
    require_soffice()
    done = cli("report", master, "--period", "2026-03", "--date", "2026-03-20",
               "--out", tmp_path, "--pdf", "--lang", "en", "--json")  # fmt: skip
    assert done.code == 0, done.out + done.err
    pdf = Path(done.json["data"]["pdf"])
    assert pdf == tmp_path / "meeting-report-2026-03.pdf"
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages == 5  # one per sheet: each list fits its page
    boxes = re.findall(rb"/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(842, 595)}  # landscape
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Order tracking meeting report · 2026-03" in text
    assert "CH-SO-3-01" in text and "spindle" in text
