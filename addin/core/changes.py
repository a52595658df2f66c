"""Order changes (DOMAIN §7): ``FIELD=VALUE`` assignments, their checks, and applying them.

An assignment names an order field or a line field (``FIELD@LINE=VALUE``; the line may be left
out when the order has one line), by column key or by its header in either language. The change
request keeps its assignments in its content cell, one per line, so a request typed into the
changes sheet in the same form is understood too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from addin.core.enums import YesNo
from addin.core.models import Order, OrderLine, Product, TrackingEntry
from addin.core.parse import CellError, convert
from addin.core.problems import Problem
from addin.core.schema import TABLES
from addin.core.tracking import replay
from addin.i18n import LANGS, t

ORDER_FIELDS = (
    "contact",
    "contact_info",
    "sales_rep",
    "quality_req",
    "packaging_req",
    "transport_req",
)
LINE_FIELDS = (
    "product_code",
    "product_name",
    "spec",
    "quantity",
    "unit_price",
    "delivery_date",
    "delivery_place",
)
# Line fields a line cannot do without (the preliminary check requires them).
REQUIRED_LINE_FIELDS = frozenset(LINE_FIELDS) - {"product_name"}
# Fields printed on the production task order: changing one of a released order revises it.
TASK_ORDER_FIELDS = frozenset(
    {
        "product_code",
        "product_name",
        "spec",
        "quantity",
        "delivery_date",
        "delivery_place",
        "quality_req",
        "packaging_req",
        "transport_req",
    }
)
LINE_MARK = "@"


@dataclass(frozen=True)
class FieldChange:
    table: str  # "orders" or "lines"
    field: str
    value: Any
    line_no: int | None = None

    def label(self, lang: str) -> str:
        """The field as people read it ("第 1 行交货期"), in messages and the ledger."""
        name = TABLES[self.table].column(self.field).label(self.table, lang)
        if self.line_no is None:
            return name
        return t("change.field_of_line", lang, field=name, line=self.line_no)

    def syntax(self, lang: str) -> str:
        """The field as it is typed in an assignment (``FIELD@LINE``)."""
        name = TABLES[self.table].column(self.field).label(self.table, lang)
        return f"{name}{LINE_MARK}{self.line_no}" if self.line_no is not None else name

    def token(self, lang: str) -> str:
        return f"{self.syntax(lang)}={text_value(self.value)}"


def text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _lookup() -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for table, fields in (("orders", ORDER_FIELDS), ("lines", LINE_FIELDS)):
        for key in fields:
            names[key.casefold()] = (table, key)
            for lang in LANGS:
                names[TABLES[table].column(key).label(table, lang).strip().casefold()] = (
                    table,
                    key,
                )
    return names


def allowed_fields(lang: str) -> str:
    return t("list.sep", lang).join(
        TABLES[table].column(key).label(table, lang)
        for table, fields in (("orders", ORDER_FIELDS), ("lines", LINE_FIELDS))
        for key in fields
    )


def parse_assignments(
    texts: Iterable[str],
    order: Order,
    lines: Sequence[OrderLine],
    where: tuple[str, int | None, str] = ("changes", None, "content"),
) -> tuple[list[FieldChange], list[Problem]]:
    """Assignments → field changes, or a problem for each one that cannot be understood."""
    table_at, row_at, column_at = where
    lookup = _lookup()
    line_nos = {line.line_no for line in lines}
    changes: list[FieldChange] = []
    problems: list[Problem] = []

    def problem(key: str, **params: Any) -> None:
        problems.append(Problem(key, params, table_at, row_at, column_at, order.order_no))

    for raw in texts:
        text = raw.strip()
        if not text:
            continue
        name, sep, value_text = text.partition("=")
        if not sep or not name.strip():
            problem("change.bad_assignment", text=text)
            continue
        name, mark, line_text = _split(name.strip())
        found = lookup.get(name.strip().casefold())
        if found is None:
            problem("change.unknown_field", field=name.strip(), allowed=_Allowed())
            continue
        table, key = found
        line_no: int | None = None
        if table == "lines":
            if mark:
                if not line_text.strip().isdigit() or int(line_text) not in line_nos:
                    problem("change.unknown_line", line_no=line_text.strip(), text=text)
                    continue
                line_no = int(line_text)
            elif len(line_nos) == 1:
                line_no = next(iter(line_nos))
            else:
                problem("change.line_required", field=name.strip(), text=text)
                continue
        elif mark:
            problem("change.not_line_field", field=name.strip(), text=text)
            continue
        try:
            value = convert(TABLES[table], key, value_text)
        except CellError as exc:
            problems.append(
                Problem(exc.key, exc.params, table_at, row_at, column_at, order.order_no)
            )
            continue
        if value is None and table == "lines" and key in REQUIRED_LINE_FIELDS:
            problem("change.value_required", field=name.strip())
            continue
        if key == "quantity" and value is not None and value <= 0:
            problem("error.gt", value=value, limit=0)
            continue
        if key == "unit_price" and value is not None and value < 0:
            problem("error.min", value=value, limit=0)
            continue
        changes.append(FieldChange(table, key, value, line_no))
    seen: set[tuple[int | None, str]] = set()
    for change in changes:
        if (change.line_no, change.field) in seen:
            problem("change.twice", field=_FieldName(change))
        seen.add((change.line_no, change.field))
    return changes, problems


def _split(name: str) -> tuple[str, str, str]:
    head, mark, tail = name.rpartition(LINE_MARK)
    return (head, mark, tail) if mark else (name, "", "")


@dataclass(frozen=True)
class _Allowed:
    def label(self, lang: str) -> str:
        return allowed_fields(lang)


@dataclass(frozen=True)
class _FieldName:
    change: FieldChange

    def label(self, lang: str) -> str:
        return self.change.label(lang)


def content_text(changes: Iterable[FieldChange], lang: str) -> str:
    """The change request's content cell: one assignment per line."""
    return "\n".join(change.token(lang) for change in changes)


def content_words(changes: Iterable[FieldChange], lang: str) -> str:
    """The changes as people read them in messages and the ledger ("第 1 行数量改为 120")."""
    return t("list.sep", lang).join(
        t("change.assignment_words", lang, field=c.label(lang), value=text_value(c.value))
        for c in changes
    )


def content_assignments(content: str | None) -> list[str]:
    return [part for part in (content or "").replace(";", "\n").splitlines() if part.strip()]


def complete_products(
    changes: list[FieldChange], products: dict[str, Product]
) -> list[FieldChange]:
    """A new product code brings its catalogue name and spec unless those are changed too."""
    out = list(changes)
    given = {(c.line_no, c.field) for c in changes}
    for change in changes:
        if change.field != "product_code":
            continue
        product = products.get(str(change.value))
        if product is None:
            continue
        for field, value in (("product_name", product.name), ("spec", product.spec)):
            if (change.line_no, field) not in given and value:
                out.append(FieldChange("lines", field, value, change.line_no))
    return out


def catalogue_problems(
    changes: Iterable[FieldChange],
    products: dict[str, Product],
    order_no: str,
    where: tuple[str, int | None, str] = ("changes", None, "content"),
) -> list[Problem]:
    problems = []
    for change in changes:
        if change.field != "product_code":
            continue
        product = products.get(str(change.value))
        if product is None or product.active == YesNo.NO:
            key = "check.unknown_product" if product is None else "check.inactive_product"
            problems.append(
                Problem(key, {"line_no": change.line_no, "code": change.value}, *where, order_no)
            )
    return problems


def current_value(order: Order, lines: Sequence[OrderLine], change: FieldChange) -> Any:
    if change.table == "orders":
        return getattr(order, change.field)
    line = next(line for line in lines if line.line_no == change.line_no)
    return getattr(line, change.field)


def effective(
    order: Order, lines: Sequence[OrderLine], changes: Iterable[FieldChange]
) -> list[tuple[FieldChange, Any]]:
    """The changes that alter something, each with the value it replaces."""
    out = []
    for change in changes:
        old = current_value(order, lines, change)
        if text_value(old) != text_value(change.value):
            out.append((change, old))
    return out


def quantity_problems(
    changes: Iterable[FieldChange],
    order_no: str,
    lines: Sequence[OrderLine],
    entries: Sequence[TrackingEntry],
    where: tuple[str, int | None, str] = ("changes", None, "content"),
    by_customer: bool = False,
) -> list[Problem]:
    """A line's quantity cannot drop below what the tracking record has already done with it:
    every recorded fact must stay possible with the new quantity.

    A short close: after part of a line has shipped, the customer (``by_customer``) may cancel
    the rest, down to what was shipped; units made or passed beyond it are surplus (stock)."""
    new_quantity = {c.line_no: c.value for c in changes if c.field == "quantity"}
    if not new_quantity:
        return []
    facts, _ = replay(order_no, lines, entries)
    candidate = [
        line.model_copy(update={"quantity": new_quantity[line.line_no]})
        if line.line_no in new_quantity
        else line
        for line in lines
    ]
    _, impossible = replay(order_no, candidate, entries)
    problems = []
    for line_no, quantity in new_quantity.items():
        done = facts.lines.get(line_no)
        if done is None:
            continue
        floor = max(done.produced - done.rejected, done.passed, done.shipped, done.delivered)
        if by_customer and done.shipped > 0:
            floor = max(done.shipped, done.delivered)
        if quantity < floor or any(p.params.get("line_no") == line_no for p in impossible):
            problems.append(
                Problem(
                    "change.quantity_below_done",
                    {
                        "line_no": line_no,
                        "quantity": quantity,
                        "produced": done.produced,
                        "passed": done.passed,
                        "shipped": done.shipped,
                    },
                    *where,
                    order_no,
                )
            )
    return problems


def due_date(lines: Iterable[OrderLine]) -> date | None:
    dates = [line.delivery_date for line in lines if line.delivery_date]
    return min(dates) if dates else None


def delivery_date_problems(
    changes: Iterable[FieldChange],
    order_no: str,
    lines: Sequence[OrderLine],
    entries: Sequence[TrackingEntry],
    today: date,
    date_reason: str | None,
    where: tuple[str, int | None, str] = ("changes", None, "content"),
) -> list[Problem]:
    """A delivered line's delivery date stays as it was (it is what on-time delivery was
    measured against); a new delivery date before ``today`` needs its reason stated in the
    request's own field (``date_reason``), not left to the general reason."""
    moved = [c for c in changes if c.field == "delivery_date" and c.line_no is not None]
    if not moved:
        return []
    facts, _ = replay(order_no, lines, entries)
    problems = []
    table, row, _column = where
    for change in moved:
        line = facts.lines.get(change.line_no)  # type: ignore[arg-type]
        if line is not None and line.ordered and line.delivered >= line.ordered:
            problems.append(
                Problem(
                    "change.date_of_delivered_line",
                    {
                        "line_no": change.line_no,
                        "delivered": line.reached("delivered", line.ordered) or "-",
                    },
                    *where,
                    order_no,
                )
            )
        elif change.value is not None and change.value < today and not (date_reason or "").strip():
            problems.append(
                Problem(
                    "change.past_date_reason_required",
                    {"line_no": change.line_no, "date": change.value, "today": today},
                    table,
                    row,
                    "date_reason",
                    order_no,
                )
            )
    return problems
