"""Worksheet functions (xlwings UDFs) over the core's own rules.

The ribbon's Functions button imports them into the OrderDesk add-in (xlwings'
``ImportPythonUDFsToAddin`` way), whose xlwings VBA they call; every workbook can use them.
xlwings UDFs run in Excel on Windows only; on macOS the ribbon buttons work but these functions
do not. Each function is a pure function of its arguments.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import xlwings as xw

from addin.core import rates
from addin.core.checks import line_findings
from addin.core.models import OrderLine, Product
from addin.core.parse import parse_row
from addin.i18n import normalize_lang, t


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _catalogue(rows: list[list[Any]] | None) -> dict[str, Product]:
    """A catalogue range with its header row (the products table, in either language)."""
    from addin.core.schema import TABLES
    from workbook.headers import map_headers

    if not rows or len(rows) < 2:
        return {}
    positions, _ = map_headers(TABLES["products"], list(rows[0]))
    products: dict[str, Product] = {}
    for number, values in enumerate(rows[1:], start=2):
        raw = {k: values[i] for k, i in positions.items() if i < len(values)}
        record, _ = parse_row("products", number, raw)
        if isinstance(record, Product):
            products[record.product_code] = record
    return products


@xw.func
@xw.arg("catalogue", ndim=2)
def OD_CHECK_LINE(
    product_code: Any,
    spec: Any,
    quantity: Any,
    unit_price: Any,
    delivery_date: Any,
    received_date: Any,
    catalogue: list[list[Any]],
    lang: str = "zh",
) -> str:
    """=OD_CHECK_LINE(product, spec, qty, price, delivery, received, 产品目录[#全部], ["zh"|"en"])

    The preliminary check of one order line against the catalogue: "OK", or its findings.
    """
    lang = normalize_lang(lang)
    raw = {
        "order_no": "-",
        "line_no": 1,
        "product_code": product_code,
        "spec": spec,
        "quantity": quantity,
        "unit_price": unit_price,
        "delivery_date": delivery_date,
    }
    line, problems = parse_row("lines", 1, raw)
    messages = [p.message(lang) for p in problems]
    if isinstance(line, OrderLine):
        products = _catalogue(catalogue)
        for key, _column, params in line_findings(
            line, products.get(line.product_code or ""), _day(received_date)
        ):
            messages.append(t(key, lang, line_no=1, **params))
    return "; ".join(messages) if messages else "OK"


@xw.func
def OD_DAYS_TO_DELIVERY(delivery_date: Any, today: Any = None) -> int | None:
    """=OD_DAYS_TO_DELIVERY(delivery, [today]): days left (negative when late)."""
    due = _day(delivery_date)
    if due is None:
        return None
    return rates.days_between(_day(today) or date.today(), due)


@xw.func
@xw.arg("ordered", ndim=1)
@xw.arg("done", ndim=1)
def OD_PROGRESS(ordered: list[Any], done: list[Any]) -> float | None:
    """=OD_PROGRESS(quantities, produced): share of the ordered quantity produced."""
    return rates.progress(_numbers(ordered), _numbers(done))


@xw.func
@xw.arg("promised", ndim=1)
@xw.arg("delivered", ndim=1)
def OD_ONTIME_RATE(promised: list[Any], delivered: list[Any]) -> float | None:
    """=OD_ONTIME_RATE(promised dates, delivery dates): on-time delivery rate (交货期达成率).

    Rows without both dates are not decided yet and do not count."""
    promised, delivered = _cut(promised, delivered)
    counted, on_time = rates.on_time_rows(_dates(promised), _dates(delivered))
    return rates.rate_of(on_time, counted)


@xw.func
@xw.arg("inspected", ndim=1)
@xw.arg("passed", ndim=1)
def OD_PASS_RATE(inspected: list[Any], passed: list[Any]) -> float | None:
    """=OD_PASS_RATE(inspected, passed): quality pass rate (质量合格率)."""
    inspected, passed = _cut(inspected, passed)
    quantity, good = rates.quality_rows(_quantities(inspected), _quantities(passed))
    return rates.rate_of(good, quantity)


@xw.func
@xw.arg("delivered", ndim=1)
@xw.arg("complaints", ndim=1)
def OD_COMPLAINT_RATE(delivered: list[Any], complaints: list[Any]) -> float | None:
    """=OD_COMPLAINT_RATE(delivery dates, complaint counts): customer complaint rate (客户投诉率),
    one row per order: orders with at least one complaint ÷ orders delivered."""
    delivered, complaints = _cut(delivered, complaints)
    counted, complained = rates.complaint_rows(_dates(delivered), _quantities(complaints))
    return rates.rate_of(complained, counted)


def _numbers(values: list[Any]) -> list[float | None]:
    return [
        float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None for v in values
    ]


def _cut(*ranges: list[Any]) -> list[list[Any]]:
    """Ranges cut to the shortest (rows paired by position)."""
    size = min(len(values) for values in ranges)
    return [list(values[:size]) for values in ranges]


def _dates(values: list[Any]) -> Any:
    """A range of dates as a datetime Series (NaT: not a date)."""
    import pandas as pd

    return pd.Series(pd.to_datetime([_day(v) for v in values]), dtype="datetime64[s]")


def _quantities(values: list[Any]) -> Any:
    """A range of numbers as a float Series (NaN: not a number)."""
    import pandas as pd

    return pd.Series(_numbers(values), dtype="float64")
