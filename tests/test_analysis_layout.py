"""The dashboard's layout: titles and headers bold, money and dates formatted, columns fitted."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.i18n import t
from workbook.analysis_layout import MAX_WIDTH, MIN_WIDTH, layout
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet

GRID = [
    ["订单统计"],
    ["期间", "2026-11-01 — 2026-11-30"],
    [],
    ["按客户"],
    ["客户", "订单数", "金额"],
    ["上海华东机械有限公司", 3, Decimal("1200.50")],
    ["x", 1, Decimal("7")],
    [],
    ["逾期订单"],
    ["订单号", "交货期", "刷新时间"],
    ["SO-1", date(2026, 11, 20), datetime(2026, 11, 28, 9, 30)],
]


def test_titles_sections_and_headers_are_bold() -> None:
    plan = layout(GRID)
    assert plan.bold == {1: 14, 4: 12, 5: 11, 9: 12, 10: 11}


def test_number_formats_follow_the_values() -> None:
    plan = layout(GRID)
    assert plan.formats[(6, 3)] == "#,##0.00"
    assert plan.formats[(7, 3)] == "#,##0.00"
    assert plan.formats[(11, 2)] == "yyyy-mm-dd"
    assert plan.formats[(11, 3)] == "yyyy-mm-dd hh:mm"
    assert (6, 2) not in plan.formats


def test_widths_fit_wide_characters_within_bounds() -> None:
    plan = layout(GRID)
    # 10 CJK characters take 20 columns, plus margin; the title row does not widen column A.
    assert plan.widths[1] == 22
    assert plan.widths[3] == 18  # "2026-11-28 09:30" + margin
    assert all(MIN_WIDTH <= w <= MAX_WIDTH for w in plan.widths.values())
    assert layout([["t"], ["x" * 100]]).widths[1] == MAX_WIDTH


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_analysis_sheet_prints_one_page_wide(tmp_path: Path, lang: str) -> None:
    """Its columns are never split across printed pages (issue 11 item 12), after a refresh by
    either file store too."""
    path = create_master_workbook(tmp_path / "master.xlsx", lang)  # type: ignore[arg-type]
    grid = [["title"], [], ["section"], ["a", "b", "c", "d", "e", "f", "g", "h"], [1] * 8]
    for store_type in (PatchFileStore, FileStore):
        with store_type.open(path, write=True) as store:
            store.commit(ChangeSet(analysis=grid))
        ws = load_workbook(path)[t("sheet.analysis", lang)]
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.page_setup.orientation == "landscape"
