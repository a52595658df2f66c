"""Add the columns (and the sheets) an older master workbook lacks, in a workbook loaded by
openpyxl.

The file store's counterpart of :mod:`workbook.upgrade_patch`, with the same result: each new
column at its table's right end, its header in the workbook's language styled like the header
beside it, the table's range and columns, width, number format and drop-down, an input column
of a protected table unlocked as ``init`` leaves it; the schema version raised.
"""

from __future__ import annotations

from copy import copy
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import TableColumn

from addin.core.protection import input_columns
from addin.core.schema import NAME_SCHEMA_VERSION, NUMBER_FORMATS, SCHEMA_VERSION, TABLES, Kind
from addin.core.schema_history import later_sheets, tables_before
from addin.i18n import Lang, t
from workbook.create import add_table_sheet
from workbook.sheet_protection import unlock_column
from workbook.store import StoreError
from workbook.upgrade_patch import VALIDATION_ROWS


def add_columns(ws: Any, lo: Any, key: str, columns: tuple[str, ...], lang: Lang) -> None:
    """Append ``columns`` to the ListObject ``lo`` of table ``key`` on ``ws``."""
    min_col, header_row, max_col, max_row = range_boundaries(lo.ref)
    table = TABLES[key]
    first_label = table.column(columns[0]).label(key, lang)
    bottom = max(max_row, ws.max_row)
    for col in range(max_col + 1, max_col + len(columns) + 1):
        for row in range(header_row, bottom + 1):
            if ws.cell(row=row, column=col).value not in (None, ""):
                raise StoreError(
                    "store.upgrade_blocked",
                    sheet=ws.title,
                    cell=f"{get_column_letter(col)}{row}",
                    column=first_label,
                )
        for name in ws.tables:
            other = ws.tables[name]
            if other is lo:
                continue
            lo_col, lo_row, hi_col, hi_row = range_boundaries(other.ref)
            if lo_col <= col <= hi_col and lo_row <= bottom and hi_row >= header_row:
                raise StoreError(
                    "store.upgrade_blocked",
                    sheet=ws.title,
                    cell=f"{get_column_letter(col)}{max(lo_row, header_row)}",
                    column=first_label,
                )
    beside = ws.cell(row=header_row, column=max_col)
    next_id = 1 + max((c.id for c in lo.tableColumns), default=0)
    for offset, column_key in enumerate(columns, start=1):
        col = max_col + offset
        spec = table.column(column_key)
        label = spec.label(key, lang)
        cell = ws.cell(row=header_row, column=col, value=label)
        if beside.has_style:
            cell._style = copy(beside._style)
        letter = get_column_letter(col)
        if column_key in input_columns(key):  # typed on a protected sheet, as init leaves it
            unlock_column(ws, col, header_row + 1, bottom)
        ws.column_dimensions[letter].width = max(spec.width, len(label) * 2 + 2)
        if spec.kind in NUMBER_FORMATS:
            ws.column_dimensions[letter].number_format = NUMBER_FORMATS[spec.kind]
        formula = _list_formula(spec, lang)
        if formula is not None:
            dv = DataValidation(type="list", formula1=formula, allow_blank=True)
            dv.error = t("validation.error", lang)
            dv.errorTitle = t("validation.title", lang)
            dv.showErrorMessage = True
            dv.add(f"{letter}{header_row + 1}:{letter}{header_row + VALIDATION_ROWS}")
            ws.add_data_validation(dv)
        lo.tableColumns.append(TableColumn(id=next_id, name=label))
        next_id += 1
    ref = f"{get_column_letter(min_col)}{header_row}:{get_column_letter(max_col + len(columns))}{max_row}"
    lo.ref = ref
    if lo.autoFilter is not None:
        lo.autoFilter.ref = ref


def add_tables(wb: Any, tables: tuple[str, ...], found: dict[str, Any], lang: Lang) -> None:
    """Add the sheets holding ``tables`` as ``orderdesk init`` makes them, each after the sheet
    of the nearest table before it in a new workbook; ``found``: table name → (sheet, table).
    Refuses, before anything changes, a sheet title the workbook uses already."""
    sheets = later_sheets(tables)
    taken = {name.casefold() for name in wb.sheetnames}
    for sheet in sheets:
        title = t(f"sheet.{sheet}", lang)
        if title.casefold() in taken:
            name = next(TABLES[k].name for k in tables if TABLES[k].sheet == sheet)
            raise StoreError("store.upgrade_sheet_taken", sheet=title, table=name)
    for sheet in sheets:
        index = next(
            (
                wb.worksheets.index(found[TABLES[key].name][0]) + 1
                for key in tables_before(sheet)
                if TABLES[key].name in found
            ),
            None,
        )
        ws = add_table_sheet(wb, sheet, lang, index)
        for name in ws.tables:
            found[name] = (ws, ws.tables[name])


def set_version(wb: Any) -> None:
    wb.defined_names[NAME_SCHEMA_VERSION] = DefinedName(
        NAME_SCHEMA_VERSION, attr_text=str(SCHEMA_VERSION)
    )


def _list_formula(spec: Any, lang: Lang) -> str | None:
    if spec.kind == Kind.ENUM and spec.enum is not None:
        return '"' + ",".join(spec.enum.labels(lang)) + '"'
    if spec.kind == Kind.CUSTOMER:
        return "=OD_CustomerCodes"
    if spec.kind == Kind.PRODUCT:
        return "=OD_ProductCodes"
    return None
