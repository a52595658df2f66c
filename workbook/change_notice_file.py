"""The change notice (订单变更通知, DOMAIN §7) as a one-page A4 .xlsx, one file per change.

The approval service gathers the notice as a dict; this draws it: who asked for the change and
why, its impact, what changed (was → now), the change review, the approval, the revised task
orders, and a sign-off box per department. Excel and LibreOffice do not grow wrapped or merged
cells to fit, so every row is given the height its longest text needs (nothing is clipped);
the page is fitted to one A4 sheet. openpyxl is imported only when a file is drawn.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from addin.i18n import normalize_lang, t
from workbook.cell_values import display_width
from workbook.headers import is_formula_like
from workbook.safe_save import save_workbook
from workbook.task_order_file import safe_filename
from workbook.xstring import escape

# label | value (merged B:D) — or, in the change table, field | line | was | now
_WIDTHS = {"A": 20, "B": 10, "C": 34, "D": 34}
_VALUE = _WIDTHS["B"] + _WIDTHS["C"] + _WIDTHS["D"]
_LINE_PT = 15.5
_MAX_ROW_PT = 409.0


def notice_filename(notice: dict[str, Any]) -> str:
    lang = normalize_lang(notice.get("lang"))
    stem = t("notice.file_stem", lang, change_no=notice["change_no"], order_no=notice["order_no"])
    return safe_filename(stem, ".xlsx")


def lines_needed(text: str, width: int) -> int:
    """Lines ``text`` takes wrapped in a cell ``width`` characters wide (a little generously)."""
    usable = max(1, int(width * 1.05) - 2)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def row_height(cells: list[tuple[str, int]], min_lines: int = 1) -> float:
    """Points a row needs to show each (text, width) wrapped."""
    lines = max([min_lines, *(lines_needed(text, width) for text, width in cells)])
    return min(_MAX_ROW_PT, lines * _LINE_PT + 6)


def render_change_notice(notice: dict[str, Any], out_dir: Path | str) -> Path:
    """Write the notice in ``out_dir`` (whole or not at all) and return its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    lang = normalize_lang(notice.get("lang"))
    wb = Workbook()
    ws = wb.active
    ws.title = t("notice.sheet", lang)
    ws.sheet_view.showGridLines = False
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    face = "Microsoft YaHei" if lang == "zh" else "Arial"
    font, bold = Font(name=face, size=11), Font(name=face, size=11, bold=True)
    grey = PatternFill("solid", fgColor="F2F2F2")
    section_fill = PatternFill("solid", fgColor="D9E1F2")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top", horizontal="left")
    center = Alignment(wrap_text=True, vertical="center", horizontal="center")
    row = 0

    def cell(col: str, value: Any, label: bool = False) -> None:
        target = ws[f"{col}{row}"]
        target.value = _plain(value)
        if isinstance(target.value, str) and is_formula_like(target.value):
            target.data_type = "s"  # text, never a formula
        target.font = bold if label else font
        target.alignment = wrap
        target.border = box
        if label:
            target.fill = grey

    def merge(first: str, last: str) -> None:
        ws.merge_cells(f"{first}{row}:{last}{row}")
        for col in "ABCD"["ABCD".index(first) : "ABCD".index(last) + 1]:
            ws[f"{col}{row}"].border = box

    def field(label: str, value: Any, min_lines: int = 1) -> None:
        nonlocal row
        row += 1
        text = str(_plain(value) if value not in (None, "") else t("taskorder.none", lang))
        ws.row_dimensions[row].height = row_height(
            [(label, _WIDTHS["A"]), (text, _VALUE)], min_lines
        )
        cell("A", label, label=True)
        cell("B", text)
        merge("B", "D")

    def section(key: str) -> None:
        nonlocal row
        row += 1
        ws.row_dimensions[row].height = 22
        cell("A", t(key, lang), label=True)
        ws[f"A{row}"].fill = section_fill
        merge("A", "D")

    def header(*labels: str) -> None:
        nonlocal row
        row += 1
        ws.row_dimensions[row].height = row_height(
            [(text, _WIDTHS[col]) for col, text in zip("ABCD", labels, strict=False)]
        )
        for col, text in zip("ABCD", labels, strict=False):
            cell(col, text, label=True)
            ws[f"{col}{row}"].alignment = center

    row += 1
    ws.row_dimensions[row].height = 24
    ws[f"A{row}"] = notice.get("company") or ""
    ws[f"A{row}"].font = Font(name=face, size=13, bold=True)
    ws[f"A{row}"].alignment = center
    ws.merge_cells(f"A{row}:D{row}")
    row += 1
    ws.row_dimensions[row].height = 34
    ws[f"A{row}"] = t("notice.title", lang)
    ws[f"A{row}"].font = Font(name=face, size=18, bold=True)
    ws[f"A{row}"].alignment = center
    ws.merge_cells(f"A{row}:D{row}")

    section("notice.section.request")
    field(t("notice.field.change_no", lang), notice["change_no"])
    field(t("notice.field.order_no", lang), notice["order_no"])
    field(t("notice.field.customer", lang), notice.get("customer_name"))
    field(t("notice.field.version", lang), notice.get("version"))
    requested_by = notice.get("requested_by")
    department = requested_by.label(lang) if hasattr(requested_by, "label") else requested_by
    field(
        t("notice.field.requester", lang),
        t(
            "notice.requester_value",
            lang,
            department=department or "",
            requester=notice.get("requester") or "",
            at=_plain(notice.get("requested_at")) or "",
        ),
    )
    field(t("notice.field.reason", lang), notice.get("reason"), 2)
    field(t("notice.field.impact", lang), notice.get("impact"), 2)

    section("notice.section.changes")
    header(*(t(f"notice.col.{k}", lang) for k in ("field", "line_no", "old", "new")))
    for item in notice.get("changes", []):
        values = [item["field"], item.get("line_no") or "", item["old"], item["new"]]
        row += 1
        ws.row_dimensions[row].height = row_height(
            [(str(v), _WIDTHS[c]) for c, v in zip("ABCD", values, strict=True)]
        )
        for col, value in zip("ABCD", values, strict=True):
            cell(col, value, label=col == "A")

    section("notice.section.review")
    for key, value in (notice.get("review") or {}).items():
        field(t(f"notice.review.{key}", lang), value)
    if notice.get("task_orders"):
        field(t("notice.field.task_orders", lang), t("list.sep", lang).join(notice["task_orders"]))
    field(
        t("notice.field.approved", lang),
        t(
            "notice.approved_value",
            lang,
            by=notice.get("approved_by") or "",
            at=_plain(notice.get("approved_at")) or "",
        ),
    )
    if notice.get("comment"):
        field(t("notice.field.comment", lang), notice["comment"])

    # A box per department the notice goes to and per department that gave an opinion: its
    # opinion from the change review beside the place to sign for receipt.
    section("notice.section.signoff")
    header(
        t("notice.col.department", lang),
        t("notice.col.opinion", lang),
        "",
        t("notice.col.received", lang),
    )
    merge("B", "C")
    opinions: dict[Any, str] = notice.get("opinions") or {}
    departments = list(notice.get("distribution", []))
    departments += [d for d in opinions if d not in departments]
    for dept in departments:
        row += 1
        name = dept.label(lang) if hasattr(dept, "label") else str(dept)
        opinion = opinions.get(dept) or ""
        ws.row_dimensions[row].height = max(
            34.0, row_height([(name, _WIDTHS["A"]), (opinion, _WIDTHS["B"] + _WIDTHS["C"])])
        )
        cell("A", name, label=True)
        cell("B", opinion or None)
        for col in "CD":
            cell(col, None)
        merge("B", "C")

    ws.print_area = f"A1:D{row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.print_options.horizontalCentered = True
    wb.properties.title = f"{t('notice.title', lang)} {notice['change_no']}"
    wb.properties.creator = "OrderDesk"

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return save_workbook(wb, folder / notice_filename(notice))


def _plain(value: Any) -> Any:
    """Datetimes to the minute, as text; text as the .xlsx format holds it (escaped)."""
    if hasattr(value, "strftime") and hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M")
    return escape(value) if isinstance(value, str) else value
