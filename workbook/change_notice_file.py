"""The change notice (订单变更通知, DOMAIN §7) as a one-page A4 .xlsx, one file per change.

The approval service gathers the notice as a dict; this draws it. openpyxl is imported only
when a file is drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from addin.i18n import normalize_lang, t
from workbook.headers import is_formula_like
from workbook.safe_save import save_workbook
from workbook.task_order_file import safe_filename
from workbook.xstring import escape

_WIDTHS = {"A": 16, "B": 8, "C": 22, "D": 26, "E": 26}


def notice_filename(notice: dict[str, Any]) -> str:
    lang = normalize_lang(notice.get("lang"))
    stem = t("notice.file_stem", lang, change_no=notice["change_no"], order_no=notice["order_no"])
    return safe_filename(stem, ".xlsx")


def render_change_notice(notice: dict[str, Any], out_dir: Path | str) -> Path:
    """Write the notice in ``out_dir`` (whole or not at all) and return its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    lang = normalize_lang(notice.get("lang"))
    wb = Workbook()
    ws = wb.active
    ws.title = t("notice.sheet", lang)
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="F2F2F2")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    row = 1

    def put(cells: list[Any], label_first: bool = True, merge_to: str | None = None) -> None:
        nonlocal row
        for index, value in enumerate(cells):
            cell = ws.cell(row=row, column=index + 1, value=_plain(value))
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.data_type = "s"  # text, never a formula
            cell.alignment = wrap
            cell.border = box
            if label_first and index == 0:
                cell.font, cell.fill = bold, grey
        if merge_to:
            ws.merge_cells(f"B{row}:{merge_to}{row}")
        row += 1

    ws.cell(row=row, column=1, value=notice.get("company") or "").font = Font(bold=True, size=12)
    ws.merge_cells(f"A{row}:E{row}")
    row += 1
    title = ws.cell(row=row, column=1, value=t("notice.title", lang))
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A{row}:E{row}")
    row += 2
    for key, value in (
        ("change_no", notice["change_no"]),
        ("order_no", notice["order_no"]),
        ("customer", notice.get("customer_name")),
        ("version", notice.get("version")),
        ("reason", notice.get("reason")),
    ):
        put([t(f"notice.field.{key}", lang), value], merge_to="E")
    row += 1
    put(
        [t(f"notice.col.{k}", lang) for k in ("line_no", "field", "old", "new")],
        label_first=False,
    )
    for c in range(1, 5):
        ws.cell(row=row - 1, column=c).font = bold
        ws.cell(row=row - 1, column=c).fill = grey
    for item in notice.get("changes", []):
        put([item.get("line_no") or "", item["field"], item["old"], item["new"]], False)
    row += 1
    for key, value in (notice.get("review") or {}).items():
        put([t(f"notice.review.{key}", lang), value or ""], merge_to="E")
    if notice.get("task_orders"):
        put(
            [t("notice.field.task_orders", lang), t("list.sep", lang).join(notice["task_orders"])],
            merge_to="E",
        )
    put(
        [
            t("notice.field.approved", lang),
            t(
                "notice.approved_value",
                lang,
                by=notice.get("approved_by") or "",
                at=_plain(notice.get("approved_at")) or "",
            ),
        ],
        merge_to="E",
    )
    if notice.get("comment"):
        put([t("notice.field.comment", lang), notice["comment"]], merge_to="E")
    row += 1
    put([t("notice.col.department", lang), t("notice.col.received", lang)], False)
    for department in notice.get("distribution", []):
        label = department.label(lang) if hasattr(department, "label") else str(department)
        put([label, ""], merge_to="E")

    ws.print_area = f"A1:E{row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
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
