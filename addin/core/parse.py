"""Raw cell values → validated records, with every problem located at sheet, row and column.

Nothing here crashes on a bad cell and nothing is dropped silently: a row that cannot become a
record yields a :class:`Problem` for each bad cell. Orders and order lines keep their row with
the bad field emptied (the preliminary check then reports it), other tables drop the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from addin.core.cell_text import MAX_CELL_TEXT, excel_length, too_long
from addin.core.models import MODELS, Record
from addin.core.problems import Problem
from addin.core.schema import TABLES, Kind, Table

LENIENT_TABLES = frozenset({"orders", "lines"})
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%d.%m.%Y")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M")


class CellError(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def convert(table: Table, key: str, value: Any) -> Any:
    """Convert one raw cell value to what the model expects; raise CellError if impossible."""
    if value is None:
        return None
    if isinstance(value, str):
        # Control characters are kept: the stores write them as the .xlsx format escapes them.
        value = value.strip()
        if not value:
            return None
        if too_long(value):  # Excel would cut it: refused, never shortened
            raise CellError("error.too_long", length=excel_length(value), limit=MAX_CELL_TEXT)
    kind = table.column(key).kind
    if kind in (Kind.TEXT, Kind.CUSTOMER, Kind.PRODUCT):
        return _text(value)
    if kind == Kind.INT:
        return _int(value)
    if kind == Kind.MONEY:
        return _decimal(value)
    if kind == Kind.PERCENT:
        return _float(value)
    if kind == Kind.DATE:
        return _date(value)
    if kind == Kind.DATETIME:
        return _datetime(value)
    if kind == Kind.ENUM:
        enum = table.column(key).enum
        assert enum is not None
        try:
            return enum.parse(value)
        except ValueError:
            raise CellError("error.not_choice", value=value) from None
    raise AssertionError(kind)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError("error.not_int", value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d[\d,]*", value):
        return int(value.replace(",", ""))
    raise CellError("error.not_int", value=value)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError("error.not_number", value=value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; repr() would surface binary noise as precision.
        return Decimal(format(value, ".15g"))
    try:
        return Decimal(str(value).replace(",", "").replace("¥", "").replace("￥", ""))
    except InvalidOperation:
        raise CellError("error.not_number", value=value) from None


def _float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise CellError("error.not_number", value=value) from None


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(value, fmt).date()
            except ValueError:
                continue
    raise CellError("error.not_date", value=value)


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        for fmt in _DATETIME_FORMATS:
            try:
                return datetime.strptime(value, fmt)
            except ValueError:
                continue
        return datetime.combine(_date(value), datetime.min.time())
    raise CellError("error.not_date", value=value)


_PYDANTIC_KEYS = {
    "missing": "error.required",
    "greater_than_equal": "error.min",
    "greater_than": "error.gt",
    "int_parsing": "error.not_int",
    "int_from_float": "error.not_int",
    "decimal_parsing": "error.not_number",
    "date_parsing": "error.not_date",
    "datetime_parsing": "error.not_date",
    "enum": "error.not_choice",
}


def _problem_from_pydantic(err: Mapping[str, Any], table: str, row: int) -> Problem:
    column = str(err["loc"][0]) if err["loc"] else None
    ctx = err.get("ctx") or {}
    kind = err["type"]
    message = str(ctx.get("error", ""))
    if kind == "value_error" and message.startswith("precision:"):
        return Problem(
            "error.precision", {"places": int(message.split(":")[1])}, table, row, column
        )
    key = _PYDANTIC_KEYS.get(kind, "error.invalid")
    params: dict[str, Any] = {"value": err.get("input")}
    if "ge" in ctx:
        params["limit"] = ctx["ge"]
    if "gt" in ctx:
        params["limit"] = ctx["gt"]
    if key == "error.invalid":
        params["detail"] = err.get("msg", "")
    return Problem(key, params, table, row, column)


def parse_row(
    table_key: str, row: int, raw: Mapping[str, Any], context: dict[str, Any] | None = None
) -> tuple[Record | None, list[Problem]]:
    """One row → (record or None, problems). See the module doc for lenient tables."""
    table = TABLES[table_key]
    model = MODELS[table_key]
    problems: list[Problem] = []
    values: dict[str, Any] = {"row": row}
    bad: set[str] = set()
    for key in table.column_keys:
        try:
            value = convert(table, key, raw.get(key))
        except CellError as exc:
            problems.append(Problem(exc.key, exc.params, table_key, row, key))
            bad.add(key)
            continue
        if value is not None:  # a blank cell is left out: the model's default, or "required"
            values[key] = value
    for _ in range(2):
        try:
            record = model.model_validate(values, context=context)
        except ValidationError as exc:
            errors = [_problem_from_pydantic(e, table_key, row) for e in exc.errors()]
            problems.extend(p for p in errors if p.column not in bad)  # already reported
            required = {k for k, f in model.model_fields.items() if f.is_required()}
            failed = {p.column for p in errors}
            if table_key not in LENIENT_TABLES or failed & required:
                return None, _with_order(problems, raw)
            for column in failed:
                values.pop(column, None)
            continue
        return record, _with_order(problems, raw)
    return None, _with_order(problems, raw)


def _with_order(problems: list[Problem], raw: Mapping[str, Any]) -> list[Problem]:
    order_no = raw.get("order_no")
    if order_no is None:
        return problems
    order_no = _text(order_no).strip() if not isinstance(order_no, str) else order_no.strip()
    return [Problem(p.key, p.params, p.table, p.row, p.column, order_no or None) for p in problems]


def parse_table(
    table_key: str,
    rows: Iterable[Any],
    context_for: Any = None,
) -> tuple[list[Record], list[Problem]]:
    """Parse store rows; ``context_for(raw) -> dict`` gives per-row validation context."""
    records: list[Record] = []
    problems: list[Problem] = []
    for r in rows:
        context = context_for(r.values) if context_for else None
        record, found = parse_row(table_key, r.row, r.values, context)
        problems.extend(found)
        if record is not None:
            records.append(record)
    return records, problems
