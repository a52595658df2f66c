"""``orderdesk init``: a new, empty master workbook with every sheet as a formatted Excel table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook as WorkbookT
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as ListObject
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.enums import Department, OrderStatus
from addin.core.protection import PROTECTED_SHEETS
from addin.core.schema import (
    NAME_LANG,
    NAME_SCHEMA_VERSION,
    NUMBER_FORMATS,
    SCHEMA_VERSION,
    SHEETS,
    TABLES,
    Kind,
    Table,
)
from addin.core.settings import DEFAULT_SETTINGS, DEFAULT_TIME_LIMITS
from addin.i18n import Lang, t
from workbook import dashboard_sheet
from workbook.analysis_layout import print_one_page_wide
from workbook.safe_save import held, save_workbook
from workbook.sheet_protection import protect, unlock_inputs
from workbook.store import StoreError

HEADER_FONT = Font(bold=True, color="FFFFFF")
# The table style colours the header in Excel; an explicit fill makes it show in every program.
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
LATE_FILL = PatternFill("solid", fgColor="F8CBAD")
VALIDATION_ROWS = 20000  # drop-downs cover this many rows below each header
_CODE_LISTS = {
    Kind.CUSTOMER: ("customers", "customer_code"),
    Kind.PRODUCT: ("products", "product_code"),
}


def create_master_workbook(path: Path, lang: Lang = "zh", force: bool = False) -> Path:
    """Write a new master workbook at ``path``; refuse to overwrite unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise StoreError("store.exists", path=str(path))
    if not path.parent.is_dir():
        raise StoreError("store.no_folder", path=str(path.parent))
    if not path.exists():
        return save_workbook(build_master_workbook(lang), path)
    # Replacing a workbook: only one nobody has open (Excel, LibreOffice, another orderdesk).
    with held(path, write=True) as real:
        return save_workbook(build_master_workbook(lang), real, backup=True)


def build_master_workbook(lang: Lang) -> WorkbookT:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        ws = wb.create_sheet(t(f"sheet.{sheet}", lang))
        ws.sheet_properties.tabColor = "1F4E78"
        if sheet == "dashboard":
            dashboard_sheet.build(wb, ws, lang)
        elif sheet == "analysis":
            start_analysis(ws, lang)
        else:
            fill_table_sheet(ws, sheet, lang)
    _add_code_lists(wb, lang)
    _add_late_marks(wb, lang)
    _fill_settings(wb, lang)
    wb.defined_names[NAME_SCHEMA_VERSION] = DefinedName(
        NAME_SCHEMA_VERSION, attr_text=str(SCHEMA_VERSION)
    )
    wb.defined_names[NAME_LANG] = DefinedName(NAME_LANG, attr_text=f'"{lang}"')
    wb.properties.title = t("workbook.title", lang)
    wb.properties.creator = "OrderDesk"
    wb.active = 0
    return wb


def add_table_sheet(wb: WorkbookT, sheet: str, lang: Lang, index: int | None = None) -> Worksheet:
    """A new sheet holding ``sheet``'s tables as ``orderdesk init`` makes it (an upgrade adds a
    sheet an older workbook lacks this way): at ``index`` (default: the end)."""
    ws = wb.create_sheet(t(f"sheet.{sheet}", lang), index)
    ws.sheet_properties.tabColor = "1F4E78"
    fill_table_sheet(ws, sheet, lang)
    return ws


def fill_table_sheet(ws: Worksheet, sheet: str, lang: Lang) -> None:
    """A table sheet's tables (header, ListObject, widths, formats, drop-downs) and its print
    layout."""
    for table in TABLES.values():
        if table.sheet == sheet:
            _add_table(ws, table, lang)
            _add_validations(ws, table, lang)
            if sheet in PROTECTED_SHEETS:
                columns = {k: table.first_column + i for i, k in enumerate(table.column_keys)}
                unlock_inputs(ws, table, columns, last_row=2)
    if sheet in PROTECTED_SHEETS:
        protect(ws)
    ws.freeze_panes = "A2"
    # Printed, a sheet runs across as many pages as it needs downwards, one page wide.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def start_analysis(ws: Worksheet, lang: Lang) -> None:
    """The analysis sheet before its first refresh: a title and how to fill it."""
    ws.sheet_properties.tabColor = "548235"
    ws["A1"] = t("dashboard.title", lang)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = t("dashboard.empty", lang)
    ws.column_dimensions["A"].width = 28
    print_one_page_wide(ws)


def _add_table(ws, table: Table, lang: Lang) -> None:
    first = table.first_column
    for offset, col in enumerate(table.columns):
        cell = ws.cell(row=1, column=first + offset, value=col.label(table.key, lang))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        letter = get_column_letter(first + offset)
        ws.column_dimensions[letter].width = max(col.width, len(cell.value) * 2 + 2)
        if col.kind in NUMBER_FORMATS:
            # Column style: what staff type below the table inherits the format too.
            ws.column_dimensions[letter].number_format = NUMBER_FORMATS[col.kind]
            ws.cell(row=2, column=first + offset).number_format = NUMBER_FORMATS[col.kind]
    last = get_column_letter(first + len(table.columns) - 1)
    # A table needs one body row; an empty one is where staff start typing.
    ref = f"{get_column_letter(first)}1:{last}2"
    lo = ListObject(displayName=table.name, ref=ref)
    lo.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(lo)
    ws.row_dimensions[1].height = 30


def column_range(table: Table, key: str, rows: int = VALIDATION_ROWS) -> str:
    index = table.first_column + table.column_keys.index(key)
    letter = get_column_letter(index)
    return f"{letter}2:{letter}{rows + 1}"


def _add_code_lists(wb: WorkbookT, lang: Lang) -> None:
    """Named ranges over the code columns, the source of the code drop-downs."""
    for name, (table_key, key) in (
        ("OD_CustomerCodes", _CODE_LISTS[Kind.CUSTOMER]),
        ("OD_ProductCodes", _CODE_LISTS[Kind.PRODUCT]),
    ):
        table = TABLES[table_key]
        letter = get_column_letter(table.first_column + table.column_keys.index(key))
        ref = f"{quote_sheetname(table.sheet_title(lang))}!${letter}$2:${letter}${VALIDATION_ROWS + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _add_validations(ws: Worksheet, table: Table, lang: Lang) -> None:
    for col in table.columns:
        if col.kind == Kind.ENUM and col.enum is not None:
            formula = '"' + ",".join(col.enum.labels(lang)) + '"'
        elif col.kind == Kind.CUSTOMER:
            formula = "=OD_CustomerCodes"
        elif col.kind == Kind.PRODUCT:
            formula = "=OD_ProductCodes"
        else:
            continue
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = t("validation.error", lang)
        dv.errorTitle = t("validation.title", lang)
        dv.showErrorMessage = True
        dv.add(column_range(table, col.key))
        ws.add_data_validation(dv)


def _add_late_marks(wb: WorkbookT, lang: Lang) -> None:
    """Open orders past their (earliest) delivery date show in red, on orders and lines."""
    orders = TABLES["orders"]
    ws = wb[orders.sheet_title(lang)]
    status = get_column_letter(orders.column_keys.index("status") + 1)
    due = get_column_letter(orders.column_keys.index("due_date") + 1)
    closed = [
        OrderStatus.CLOSED,
        OrderStatus.CANCELLED,
        OrderStatus.DELIVERED,
        OrderStatus.ACCEPTED,
    ]
    not_done = ",".join(f'${status}2<>"{s.label(lang)}"' for s in closed)
    formula = f'AND(${due}2<>"",${due}2<TODAY(),{not_done})'
    last = get_column_letter(len(orders.columns))
    ws.conditional_formatting.add(
        f"A2:{last}{VALIDATION_ROWS + 1}", FormulaRule(formula=[formula], fill=LATE_FILL)
    )
    lines = TABLES["lines"]
    ws = wb[lines.sheet_title(lang)]
    col = {k: get_column_letter(i + 1) for i, k in enumerate(lines.column_keys)}
    formula = (
        f'AND(${col["delivery_date"]}2<>"",${col["delivery_date"]}2<TODAY(),'
        f"N(${col['delivered_qty']}2)<N(${col['quantity']}2))"
    )
    last = get_column_letter(len(lines.columns))
    ws.conditional_formatting.add(
        f"A2:{last}{VALIDATION_ROWS + 1}", FormulaRule(formula=[formula], fill=LATE_FILL)
    )


def _fill_settings(wb: WorkbookT, lang: Lang) -> None:
    def put(table: Table, rows: list[list[object]]) -> None:
        ws = wb[table.sheet_title(lang)]
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values):
                ws.cell(row=r, column=table.first_column + c, value=value)
        lo = ws.tables[table.name]
        first, last = lo.ref.split(":")
        last_letter = "".join(ch for ch in last if ch.isalpha())
        lo.ref = f"{first}:{last_letter}{max(2, len(rows) + 1)}"

    put(
        TABLES["settings"],
        [[key, value, t(f"setting.{key}", lang)] for key, value in DEFAULT_SETTINGS],
    )
    put(TABLES["time_limits"], [[stage, days] for stage, days in DEFAULT_TIME_LIMITS])
    put(
        TABLES["dept_mail"],
        [[d.label(lang), ""] for d in Department if d not in (Department.CUSTOMER,)],
    )
