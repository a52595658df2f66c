"""Cell values ⇄ column values: what a typed column holds, and the cells it cannot hold.

A value is stored as the workbook would hold it (:func:`workbook.cell_values.cell_value`), so a
row read back parses exactly as the cell would: an enum as its canonical value (the database is
language-neutral), money as a Decimal, dates as dates. A cell that does not convert to its
column's kind (an order form's "abc" quantity) goes to the row's ``raw`` cells unchanged, and
the typed column stays empty: nothing is coerced or dropped.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from addin.core.enums import LabelledEnum
from addin.core.parse import CellError, convert
from addin.core.schema import Kind, Table
from addin.i18n import Lang
from workbook.cell_values import cell_value

# The characters str.strip() strips (those isspace() accepts). A text cell is stored as typed
# and parsing strips it: a query comparing a cell as parsing reads it trims these.
STRIPPED = "".join(
    map(
        chr,
        (
            *range(0x09, 0x0E),
            *range(0x1C, 0x21),
            0x85,
            0xA0,
            0x1680,
            *range(0x2000, 0x200B),
            0x2028,
            0x2029,
            0x202F,
            0x205F,
            0x3000,
        ),
    )
)


def encode(table: Table, key: str, value: Any, lang: Lang) -> tuple[Any, Any]:
    """(the typed column's value, the raw cell to keep or None)."""
    column = table.column(key)
    if isinstance(value, Decimal) and column.kind == Kind.MONEY:
        return value, None  # exact: the workbook's float would keep 15 digits only
    value = cell_value(value, lang)
    if value is None:
        return None, None
    if column.kind in (Kind.TEXT, Kind.CUSTOMER, Kind.PRODUCT) and isinstance(value, str):
        return value, None  # as typed, spaces and all
    try:
        converted = convert(table, key, value)
    except CellError:
        return None, to_json(value)
    if converted is None:  # blank text in a typed column: kept as typed
        return None, to_json(value)
    if isinstance(converted, LabelledEnum):
        return converted.value, None
    return converted, None


def decode(table: Table, row: dict[str, Any], raw: dict[str, Any] | None) -> dict[str, Any]:
    """A row's cell values: its typed columns, with the raw cells over them."""
    values = {key: row[key] for key in table.column_keys}
    for key, cell in (raw or {}).items():
        if key in values:
            values[key] = from_json(cell)
    return values


def to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    return value


def enum_value(table: Table, key: str, value: Any) -> Any:
    """A typed enum column's value as the workbook shows it (the member: its label is written)."""
    column = table.column(key)
    if column.kind == Kind.ENUM and isinstance(value, str) and column.enum is not None:
        return column.enum.parse(value)
    return value
