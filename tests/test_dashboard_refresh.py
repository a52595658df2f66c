"""Refreshing the statistics (DOMAIN §9): the dashboard's tiles and chart tables, the analysis
sheet, the ledger row, and the commands, on the hand-computed dataset of test_statistics.

March 2026 in that dataset: 4 orders received (C cancelled), sales CNY 700.00 and USD 91.50,
on time 2 of 4 delivered lines, 160 of 175 pieces passed, 2 of 3 delivered orders complained
about; D overdue, D at risk; delays "machine breakdown" and "material shortage" once each;
rejections 10 "crack" and 5 "burr"; open as of 04-10: F 8 days old, D 21 days old (overdue).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from addin.cli import main
from addin.core.enums import OrderStatus as S
from addin.core.statistics import CauseCount, MixRow, Statistics
from addin.core.stats_figures import compute
from addin.i18n import t
from addin.services.dashboard import _mix, _pareto, dashboard_values
from addin.services.statistics import analysis_grid, last_twelve_months, refresh_dashboard
from tests.test_statistics import AS_OF, MARCH, build_workbook, figures
from workbook import dashboard_blocks as D
from workbook.file_store import FileStore


@pytest.fixture(scope="module")
def march(tmp_path_factory: pytest.TempPathFactory) -> Statistics:
    return figures(build_workbook(tmp_path_factory.mktemp("dash") / "master.xlsx"), *MARCH)


def _section(grid: list[list[Any]], title: str) -> list[list[Any]]:
    """The rows of one section (header row included) up to the next blank row."""
    start = grid.index([title]) + 1
    end = next((i for i in range(start, len(grid)) if not grid[i]), len(grid))
    return grid[start:end]


def _cell(ws: Any, key: str, row: int = 0, col: int = 0) -> Any:
    block = D.blocks()[key]
    return ws.cell(row=block.top + row, column=block.left + col).value


# -- the values of the dashboard's blocks ----------------------------------------------------
def test_tiles_hold_the_period_figures(march: Statistics) -> None:
    values = dashboard_values(march, "en", AS_OF, "tester", "CNY")
    assert values["heading"][0][0] == "Period: 2026-03-01 to 2026-03-31    As of: 2026-04-10"
    assert values["heading"][0][6] == "Refreshed 2026-04-10 12:00 by tester"
    tiles = {k[5:]: v[0][0] for k, v in values.items() if k.startswith("tile.")}
    assert tiles == {
        "orders": 4,
        "orders.detail": "1 cancelled",
        "sales": Decimal("700.00"),
        "sales.detail": "CNY, confirmed orders; also USD 91.50",
        "on_time": 0.5,
        "on_time.detail": "2 of 4 lines (against the agreed date: 50.0%, 2 lines)",
        "quality": 160 / 175,
        "quality.detail": "160 of 175 pcs",
        "complaints": 2 / 3,
        "complaints.detail": "2 of 3 orders",
        "overdue": 1,
        "overdue.detail": "1 at risk",
    }


def test_tables_for_the_charts(march: Statistics) -> None:
    values = dashboard_values(march, "en", AS_OF, "tester", "CNY")
    trend = values["trend"]
    assert [row[0] for row in trend] == [f"2025-{m:02d}" for m in range(4, 13)] + [
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    # February: E (CNY 20.00), its 10 pieces passed, nothing delivered yet; March as the tiles
    assert trend[-2] == ["2026-02", 1, Decimal("20.00"), None, 1.0, None]
    assert trend[-1] == ["2026-03", 4, Decimal("700.00"), 0.5, 160 / 175, 2 / 3]
    assert trend[0] == ["2025-04", 0, Decimal(0), None, None, None]
    # one entry each: cumulative 1/2, 2/2; names in alphabetical order on a tie
    assert values["delays"] == [
        ["machine breakdown", 1, 1, 0.5],
        ["material shortage", 1, 1, 1.0],
    ]
    assert values["rejections"] == [["crack", 10, 1], ["burr", 5, 1]]
    # CNY sales only (the workbook's currency): Fasteners 400, Drive 300 of 700
    assert values["mix"] == [
        ["Fasteners", Decimal("400.00"), 4 / 7],
        ["Drive", Decimal("300.00"), 3 / 7],
    ]
    assert values["backlog"] == [
        ["0–7", 0, 0],
        ["8–14", 1, 0],
        ["15–30", 1, 1],
        ["31–60", 0, 0],
        ["61+", 0, 0],
    ]
    D.cell_blocks(values)  # every block fits its place


def test_no_data_says_so_on_the_tiles_and_leaves_gaps_in_the_trend() -> None:
    stats = compute([], [], [], [], [], date_from=date(2026, 1, 1), as_of=date(2026, 1, 31))
    values = dashboard_values(stats, "zh", AS_OF, "tester", "CNY")
    assert values["tile.on_time"] == [[t("dashboard.no_data", "zh")]]
    assert values["tile.on_time.detail"] == [[""]]
    assert values["tile.orders"] == [[0]] and values["tile.sales"] == [[Decimal(0)]]
    assert len(values["trend"]) == 12 and values["trend"][-1] == ["2026-01", 0, 0, None, None, None]
    assert values["delays"] == values["rejections"] == values["mix"] == []


def test_pareto_keeps_the_top_causes_and_sums_the_rest() -> None:
    causes = [CauseCount(f"c{i}", entries=10 - i, orders=1) for i in range(7)]
    causes.append(CauseCount("", entries=1, orders=1))
    rows = _pareto(causes, "en")
    # 10+9+8+7+6 shown, then c5 (5) + c6 (4) + no cause (1) = 10 as Other; total 50
    assert [r[:3] for r in rows] == [
        ["c0", 10, 1],
        ["c1", 9, 1],
        ["c2", 8, 1],
        ["c3", 7, 1],
        ["c4", 6, 1],
        ["Other", 10, 3],
    ]
    assert [r[3] for r in rows] == [0.2, 0.38, 0.54, 0.68, 0.8, 1.0]
    assert len(rows) == D.TOP_N + 1


def test_product_mix_keeps_the_top_groups_and_sums_the_rest() -> None:
    groups = [
        MixRow("CNY", f"g{i}", None, None, 1, Decimal(100 - 10 * i), (100 - 10 * i) / 450)
        for i in range(6)
    ]
    groups.append(MixRow("CNY", "", None, None, 1, Decimal(0), 0.0))
    rows = _mix(groups, "zh")
    assert [r[:2] for r in rows] == [
        ["g0", Decimal(100)],
        ["g1", Decimal(90)],
        ["g2", Decimal(80)],
        ["g3", Decimal(70)],
        ["g4", Decimal(60)],
        [t("dashboard.other", "zh"), Decimal(50)],  # g5 50 + the group not given 0
    ]
    assert rows[-1][2] == pytest.approx(50 / 450)


# -- the analysis sheet: every figure in full -----------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_analysis_grid_in_both_languages(march: Statistics, lang: str) -> None:
    grid = analysis_grid(march, lang, AS_OF, "tester")
    assert grid[0] == [t("dashboard.title", lang)]
    assert grid[1] == [
        t("stats.period", lang),
        t("stats.period_range", lang, start="2026-03-01", end="2026-03-31"),
    ]
    key = {row[0]: row[1:] for row in _section(grid, t("stats.section.key", lang))[1:]}
    assert key[t("stats.fig.orders", lang)][0] == 4
    assert key[t("stats.fig.sales", lang, currency="CNY")][0] == Decimal("700.00")
    assert key[t("stats.fig.on_time", lang)][:3] == [50.0, 2, 4]
    assert key[t("stats.fig.quality", lang)][:3] == [91.4, 160, 175]
    assert key[t("stats.fig.complaint_rate", lang)][:3] == [66.7, 2, 3]
    stages = _section(grid, t("stats.section.stages", lang))
    assert stages[0][4] == t("analysis.col.p90", lang)
    customers = _section(grid, t("stats.section.by_customer", lang))
    assert customers[0] == [
        t("stats.col.customer", lang),
        t("stats.col.orders", lang),
        t("stats.col.amount_in", lang, currency="CNY"),
        t("stats.col.amount_in", lang, currency="USD"),
        t("stats.fig.on_time", lang),
        t("stats.fig.quality", lang),
        t("stats.fig.complaint_rate", lang),
    ]
    assert customers[3] == ["Gamma", 1, Decimal(0), Decimal("91.50"), "—", "—", "—"]
    reps = _section(grid, t("stats.section.by_rep", lang))
    assert reps[2][0] == t("stats.unassigned", lang)  # D without a sales rep
    products = _section(grid, t("analysis.section.by_product", lang))
    assert products[0][0] == t("analysis.col.product", lang)
    assert products[1][:2] == ["P1 Bolt", 2]  # in A and C: the most orders in March
    backlog = _section(grid, t("analysis.section.backlog", lang))
    assert backlog[1:] == [
        ["0–7", 0, 0],
        ["8–14", 1, 0],
        ["15–30", 1, 1],
        ["31–60", 0, 0],
        ["61+", 0, 0],
    ]
    overdue = _section(grid, t("stats.section.overdue", lang))
    assert overdue[1][:4] == ["D", "Gamma", S.IN_PRODUCTION, date(2026, 3, 28)]


def test_analysis_shows_none_for_empty_sections_and_dash_for_rates() -> None:
    stats = compute([], [], [], [], [], as_of=date(2026, 1, 1))
    grid = analysis_grid(stats, "en", AS_OF, "tester", default_currency="EUR")
    assert _section(grid, "Product mix by product group")[1] == ["None"]
    key = {row[0]: row[1:] for row in _section(grid, "Key figures")[1:]}
    assert key["Sales amount (EUR)"][0] == Decimal(0)
    assert key["On-time delivery rate (%)"][:3] == ["—", 0, 0]


# -- refreshing the workbook ---------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refresh_writes_both_sheets_and_one_ledger_row(tmp_path: Path, lang: str) -> None:
    path = build_workbook(tmp_path / "master.xlsx", lang)
    with FileStore.open(path) as store:
        ledger_before = len(store.read("ledger"))
        orders_before = [r.values for r in store.read("orders")]
    with FileStore.open(path, write=True) as store:
        outcome = refresh_dashboard(store, *MARCH, user="tester", now=AS_OF)
    assert outcome.data["orders"] == 4
    assert outcome.data["on_time"] == {"numerator": 2, "denominator": 4, "rate": 0.5}
    # the unreadable tracking row is reported, not silently dropped
    assert [(p.table, p.column) for p in outcome.problems] == [("tracking", "kind")]
    json.dumps(outcome.to_json(lang))

    wb = load_workbook(path)
    ws = wb[t("sheet.dashboard", lang)]
    assert _cell(ws, "tile.orders") == 4
    assert _cell(ws, "tile.on_time") == 0.5
    assert _cell(ws, "trend", 11, 0) == "2026-03" and _cell(ws, "trend", 11, 2) == 700
    assert _cell(ws, "backlog", 2, 2) == 1  # D: 15–30 days old and overdue
    assert len(ws._charts) == 6

    analysis = wb[t("sheet.analysis", lang)]
    assert analysis["A1"].value == t("dashboard.title", lang) and analysis["A1"].font.bold
    rows = {analysis.cell(row=r, column=1).value: r for r in range(1, analysis.max_row + 1)}
    on_time = rows[t("stats.fig.on_time", lang)]
    assert [analysis.cell(row=on_time, column=c).value for c in (2, 3, 4)] == [50, 2, 4]
    assert t("analysis.section.backlog", lang) in rows
    assert t("analysis.section.by_product", lang) in rows

    with FileStore.open(path) as store:
        ledger = store.read("ledger")
        assert [r.values for r in store.read("orders")] == orders_before
    assert len(ledger) == ledger_before + 1
    row = ledger[-1].values
    assert row["action"] == t("action.stats", lang)
    assert row["order_no"] is None and row["status_before"] is None and row["status_after"] is None
    assert "50.0%" in row["details"]


def test_the_dashboard_period_is_the_last_twelve_months_by_default(tmp_path: Path) -> None:
    assert last_twelve_months(date(2026, 4, 10)) == (date(2025, 5, 1), date(2026, 4, 10))
    assert last_twelve_months(date(2026, 12, 31)) == (date(2026, 1, 1), date(2026, 12, 31))
    path = build_workbook(tmp_path / "master.xlsx", "en", bad_rows=False)
    with FileStore.open(path, write=True) as store:
        outcome = refresh_dashboard(store, user="tester", now=AS_OF)
    assert outcome.data["period"] == {"from": "2025-05-01", "to": "2026-04-10"}
    assert outcome.data["orders"] == 6  # every order of the dataset, A to F


def test_refresh_replaces_the_previous_analysis(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "master.xlsx", "en", bad_rows=False)
    with FileStore.open(path, write=True) as store:
        refresh_dashboard(store, *MARCH, user="tester", now=AS_OF)
    with FileStore.open(path, write=True) as store:
        outcome = refresh_dashboard(store, date(2025, 1, 1), date(2025, 1, 31), "tester", AS_OF)
    assert outcome.problems == []
    wb = load_workbook(path)
    values = [c for row in wb["Analysis"].iter_rows(values_only=True) for c in row if c]
    assert "Bolt" not in values  # nothing left from the first, longer analysis
    assert "2025-01" in values
    ws = wb["Dashboard"]
    assert _cell(ws, "tile.orders") == 0
    assert _cell(ws, "rejections") is None  # the earlier causes are cleared


def test_refresh_refuses_a_reversed_period(tmp_path: Path) -> None:
    from addin.core.problems import RuleError

    path = build_workbook(tmp_path / "master.xlsx", "en", bad_rows=False)
    before = path.read_bytes()
    with FileStore.open(path, write=True) as store, pytest.raises(RuleError) as info:
        refresh_dashboard(store, date(2026, 4, 1), date(2026, 3, 1))
    assert info.value.problems[0].key == "stats.bad_period"
    assert path.read_bytes() == before


def test_live_excel_store_writes_the_same_sheets(tmp_path: Path, open_book: Any) -> None:
    """The ribbon's store (xlwings, here over openpyxl) gets the same cells as the file store."""
    from workbook.xlwings_store import XlwingsStore

    file_path = build_workbook(tmp_path / "file.xlsx", "zh")
    live_path = tmp_path / "live.xlsx"
    shutil.copy(file_path, live_path)
    with FileStore.open(file_path, write=True) as store:
        refresh_dashboard(store, *MARCH, user="tester", now=AS_OF)
    book = open_book(live_path)
    refresh_dashboard(XlwingsStore(book), *MARCH, user="tester", now=AS_OF)
    book.save()

    def cells(path: Path, sheet: str) -> list[tuple[Any, ...]]:
        ws = load_workbook(path)[t(f"sheet.{sheet}", "zh")]
        return [tuple(v for v in row if v is not None) for row in ws.iter_rows(values_only=True)]

    for sheet in ("analysis", "dashboard"):
        expected = cells(file_path, sheet)
        assert len(expected) > 30
        assert cells(live_path, sheet) == expected


# -- the commands --------------------------------------------------------------------------
def test_cli_stats_is_read_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = build_workbook(tmp_path / "master.xlsx", "zh", bad_rows=False)
    before = path.read_bytes()
    assert main(["stats", str(path), "--from", "2026-03-01", "--to", "2026-03-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True
    assert data["figures"]["complaints"] == {"numerator": 2, "denominator": 3, "rate": 2 / 3}
    assert main(["stats", str(path), "--lang", "en", "--by", "customer"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"On-time delivery rate \(%\) +50\.0 +2 +4 ", text)
    # a table's columns line up
    key = text.split("Key figures\n")[1].split("\n\n")[0].splitlines()
    on_time = next(line for line in key if line.startswith("On-time"))
    assert key[0].index("Basis") == key[1].index("by received") == on_time.index("shipped lines")
    assert "By customer" in text and "Trend by month" not in text and "By product" not in text
    assert main(["stats", str(path), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Trend by month" in text and "By customer" not in text
    assert path.read_bytes() == before
    with pytest.raises(SystemExit):
        main(["stats", str(path), "--from", "March"])


def test_cli_dashboard_refreshes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = build_workbook(tmp_path / "master.xlsx", "en", bad_rows=False)
    assert main(["dashboard", str(path), "--from", "2026-03-01", "--to", "2026-03-31"]) == 0
    text = capsys.readouterr().out
    assert "4 orders, on-time delivery 50.0%" in text
    assert "Sheets 'Dashboard' and 'Analysis' refreshed." in text
    assert _cell(load_workbook(path)["Dashboard"], "tile.orders") == 4
    assert main(["dashboard", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_importing_the_service_does_not_load_pandas() -> None:
    code = (
        "import sys, addin.services.statistics, addin.commands.statistics; "
        "print('pandas' in sys.modules, 'openpyxl' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False False"
