"""The dashboard's layout: titles and headers bold, money and dates formatted, columns fitted."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from workbook.analysis_layout import MAX_WIDTH, MIN_WIDTH, layout

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
