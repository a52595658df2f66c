"""The order form: a CSV or xlsx file, one row per order line, order fields on each row.

Headers are the master workbook's column headers in either language (see README). Rows whose
order number is blank continue the order above when they carry no customer, and start a new,
numbered order when they do. Values are converted as the workbook's own cells are; a value that
cannot be read refuses the whole form with its row and column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from addin.core.models import Order, OrderLine
from addin.core.numbering import next_order_no
from addin.core.parse import parse_row
from addin.core.problems import Problem, RuleError
from addin.core.schema import TABLES
from addin.core.text_encoding import UnclearEncoding, decode_text
from workbook.headers import header_lookup
from workbook.store import StoreError

ORDER_FIELDS = (
    "order_no", "received_date", "channel", "received_by", "customer_code", "customer_name",
    "contact", "contact_info", "sales_rep", "currency", "quality_req", "packaging_req",
    "transport_req", "remarks", "customer_po",
)  # fmt: skip
LINE_FIELDS = (
    "line_no", "product_code", "product_name", "spec", "quantity", "unit_price", "delivery_date",
    "delivery_place",
)  # fmt: skip


@dataclass
class FormOrder:
    order: Order
    lines: list[OrderLine] = field(default_factory=list)
    source: str = ""
    given: frozenset[str] = frozenset()  # the order fields the form itself gives

    def typed(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The order as the form states it (for :func:`addin.core.forms.form_digest`)."""
        order = {key: getattr(self.order, key) for key in self.given}
        lines = [{key: getattr(line, key) for key in LINE_FIELDS} for line in self.lines]
        return order, lines


def _lookup() -> dict[str, tuple[str, str]]:
    """Header text → (table, key) for every form column."""
    out: dict[str, tuple[str, str]] = {}
    for table, keys in (("lines", LINE_FIELDS), ("orders", ORDER_FIELDS)):
        for text, key in header_lookup(TABLES[table]).items():
            if key in keys:
                out[text] = (table, key)
    return out


# What a form may hold, so that a small file cannot make the reading take all the memory (a
# sheet declaring a cell at XFD1048576 would otherwise be padded to a billion values).
MAX_ROWS = 100_000  # rows, the header included
MAX_COLUMNS = 1_000
MAX_BYTES = 100_000_000
MAX_FIELD = 131_072  # characters of one CSV field (the csv module's own default limit)


def _rows(path: Path) -> list[list[Any]]:
    if not path.exists():
        raise StoreError("receive.form_not_found", path=str(path))
    if not path.is_file():
        raise StoreError("receive.not_a_file", path=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise StoreError("receive.too_large", file=path.name, limit=MAX_BYTES)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        # openpyxl only for xlsx forms: the ribbon's check button never reads one.
        from openpyxl.utils.exceptions import InvalidFileException

        from workbook.xstring import load_workbook, read_value

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
            try:  # read-only mode parses the sheet here: a damaged part fails here
                sheet = wb.worksheets[0]
                sheet.reset_dimensions()  # the rows as they are, not as the sheet declares them
                rows = _bounded(sheet.iter_rows(values_only=True), path)
                return [[read_value(v) for v in r] for r in rows]
            finally:
                wb.close()
        # SyntaxError: a damaged XML part inside an intact zip (ElementTree's and lxml's errors)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError) as exc:  # fmt: skip
            raise StoreError("receive.form_not_xlsx", path=str(path), detail=str(exc)) from exc
    try:
        text = decode_text(path.read_bytes())
    except UnclearEncoding as exc:
        raise StoreError("receive.unclear_encoding", path=str(path)) from exc
    reader = csv.reader(io.StringIO(text))
    try:
        return _bounded(reader, path)
    except csv.Error as exc:  # the field limit: the reader is not strict otherwise
        row = reader.line_num
        raise StoreError(
            "receive.field_too_long", file=path.name, row=row, limit=MAX_FIELD
        ) from exc


def _bounded(rows: Iterable[Sequence[Any]], path: Path) -> list[list[Any]]:
    """The rows of a form, refused beyond :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns
    holding anything (blank rows and cells past the bounds are no content)."""
    out: list[list[Any]] = []
    for number, row in enumerate(rows, start=1):
        extra = row[MAX_COLUMNS:]  # counted, not looped over: a row may be 16,384 wide
        if extra and extra.count(None) + extra.count("") != len(extra):
            raise StoreError("receive.too_many_columns", file=path.name, limit=MAX_COLUMNS)
        if number > MAX_ROWS:
            if any(v is not None and v != "" for v in row[:MAX_COLUMNS]):
                raise StoreError("receive.too_many_rows", file=path.name, limit=MAX_ROWS)
            continue
        out.append(list(row[:MAX_COLUMNS]))
    return out


def read_order_form(
    path: Path, currency: str, today: date, taken: Container[str] = ()
) -> list[FormOrder]:
    """The form's orders; numbers given to unnumbered orders skip those ``taken`` already."""
    path = Path(path)
    rows = _rows(path)
    if not rows:
        raise RuleError(Problem("receive.empty", {"file": path.name}, source=path.name))
    lookup = _lookup()
    columns: dict[int, tuple[str, str]] = {}
    for index, text in enumerate(rows[0]):
        if text is not None and str(text).strip().casefold() in lookup:
            columns[index] = lookup[str(text).strip().casefold()]
    missing = [k for k in ("product_code", "quantity") if ("lines", k) not in columns.values()]
    if missing:
        label = TABLES["lines"].column(missing[0]).label("lines", "zh")
        raise RuleError(Problem("receive.missing_column", {"column": label}, source=path.name))

    problems: list[Problem] = []
    orders: list[FormOrder] = []
    numbered = 0
    first_row: dict[str, int] = {}  # order number → the form row that started it
    for number, values in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        fields: dict[str, dict[str, Any]] = {"orders": {}, "lines": {}}
        for index, (table, key) in columns.items():
            if index < len(values):
                fields[table][key] = values[index]
        head = {k: v for k, v in fields["orders"].items() if v not in (None, "")}
        order_no = str(head.get("order_no") or "").strip()
        if (
            not order_no
            and orders
            and not head.get("customer_name")
            and not head.get("customer_code")
        ) or (orders and order_no and order_no == orders[-1].order.order_no):
            current = orders[-1]
        else:
            if not order_no:
                order_no, numbered = next_order_no(today, taken, first_row, after=numbered)
            elif order_no in first_row:  # the same number again further down: refused
                problems.append(
                    Problem(
                        "error.duplicate_order",
                        {"order_no": order_no, "other": first_row[order_no]},
                        "orders",
                        number,
                        "order_no",
                        order_no,
                        source=path.name,
                    )
                )
                continue
            first_row[order_no] = number
            given = frozenset(head)
            head["order_no"] = order_no
            head.setdefault("received_date", today)
            head.setdefault("currency", currency)
            order, found = parse_row("orders", number, head)
            problems.extend(_located(found, path))
            if order is None:
                continue
            current = FormOrder(order, source=path.name, given=given)  # type: ignore[arg-type]
            orders.append(current)
        line_values = dict(fields["lines"], order_no=current.order.order_no)
        if line_values.get("line_no") in (None, ""):
            line_values["line_no"] = len(current.lines) + 1
        line, found = parse_row(
            "lines", number, line_values, {"currency": current.order.currency_code}
        )
        problems.extend(_located(found, path))
        if line is not None:
            current.lines.append(line)  # type: ignore[arg-type]
    # Type errors refuse the form; blanks are left for the preliminary check to report.
    blocking = [p for p in problems if p.key != "error.required"]
    if blocking:
        raise RuleError(blocking)
    return orders


def _located(problems: list[Problem], path: Path) -> list[Problem]:
    return [
        Problem(p.key, p.params, p.table, p.row, p.column, p.order_no, source=path.name)
        for p in problems
    ]
