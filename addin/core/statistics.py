"""Statistics and analysis of the order procedure (DOMAIN.md §9), computed with pandas.

Pure: records in, a :class:`Statistics` out. This module holds the input and result types; the
records become columnar frames (:meth:`StatsInput.from_records`) and every figure is computed on
whole columns by :func:`addin.core.stats_figures.compute` (with :mod:`addin.core.stats_facts`),
which import these types, never the other way round. pandas is imported only when figures are
computed, so the result types can be imported anywhere.

Each figure falls in the period by its own date (DOMAIN.md, "Definitions"):

- orders and sales amount: the order's received date (or, when it has none, the day of its first
  ledger row). Every order received counts as an order, cancelled ones too (they are also
  counted apart); the sales amount and the product mix count confirmed orders only (review
  passed and every status after it, not cancelled): an order still being checked or reviewed
  may change or never become a sale. Lines without quantity or price have no amount; amounts
  are kept per currency, never added across currencies;
- on-time delivery: order lines that were shipped and completely delivered, by the date the
  delivery was completed (the latest delivery date up to the row, in sheet order, at which the
  delivered quantity reaches the ordered quantity); on time when that date is on or before the
  line's delivery date (the promise as it stands after agreed changes). A line not yet
  completely delivered is not decided yet and shows among the overdue orders instead;
- quality pass rate: inspection rows (every inspection of produced units is a final product
  inspection, see :mod:`addin.core.tracking`) by their date;
- complaint rate: orders whose last line was completely delivered in the period; the numerator
  counts those of them with at least one complaint (of any date), so the rate stays within 0..1;
  the row rules of these three rates are :mod:`addin.core.rates`', shared with the worksheet
  functions;
- stage and cycle times: calendar days from the received date to the first ledger row that put
  the order in review passed / released / shipped / closed (its status after differs from its
  status before), counted when that row is in the period; mean, median, 90th percentile, max;
- delay and rejection causes: delay rows and inspection rows with rejects, by their date;
- by product: orders received with a line of the product, the amount and on-time delivery of its
  lines, the inspections of its lines, and the delivered orders containing it.

Tracking rows: a row counts when the tracking service recorded it, that is when its "recorded
at" is set. ``orderdesk track`` and the applying of typed rows (:mod:`addin.services.tracking`)
set it only on a row the lifecycle's rules accepted, after completing its inspection counts; a
row typed into the sheet and not yet applied (or refused) has it blank and is left out here.
A single-line order's rows without a line number belong to its line.

Overdue and at-risk orders are the state as of ``as_of``, whatever the period, by the rule of
``orderdesk overdue`` (:func:`addin.core.timenodes.delivery_state`) applied to the open orders
(not delivered, accepted, closed, cancelled or rejected), whose tracking rows are replayed with
:func:`addin.core.tracking.replay`. ``backlog`` ages those open orders; ``trend`` gives the twelve
calendar months that end with the period's last month (``date_to``, else ``as_of``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from addin.core import rates
from addin.core.enums import OrderStatus
from addin.core.models import (
    Complaint,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    TrackingEntry,
)
from addin.core.phrases import Phrase
from addin.core.timenodes import DONE_DELIVERING

if TYPE_CHECKING:
    import pandas as pd

S = OrderStatus
# Confirmed orders: what the sales amount and the product mix count.
SALES = frozenset(
    {S.REVIEW_PASSED, S.RELEASED, S.IN_PRODUCTION, S.INSPECTED, S.SHIPPED, S.DELIVERED}
    | {S.ACCEPTED, S.CLOSED}
)
# Orders that can no longer be overdue or at risk (the overdue listing's rule); the others are
# the backlog.
FINISHED = DONE_DELIVERING
# Stages measured from receipt (DOMAIN.md "Cycle time"); CLOSED is the whole cycle.
STAGES: tuple[OrderStatus, ...] = (S.REVIEW_PASSED, S.RELEASED, S.SHIPPED, S.CLOSED)
DIMENSIONS = ("customer", "rep", "product", "month")
# Backlog age buckets: (key, first day, last day or None for no limit).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7),
    ("8-14", 8, 14),
    ("15-30", 15, 30),
    ("31-60", 31, 60),
    ("61+", 61, None),
)
TREND_MONTHS = 12
# Tables whose unreadable rows are left out of the figures and reported with them.
REPORTED_TABLES = ("tracking", "complaints", "ledger")

# The input columns (schema keys) each table's frame holds.
ORDER_COLUMNS = (
    "order_no",
    "received_date",
    "customer_code",
    "customer_name",
    "sales_rep",
    "currency",
    "status",
)
LINE_COLUMNS = (
    "order_no",
    "line_no",
    "product_code",
    "product_name",
    "quantity",
    "unit_price",
    "delivery_date",
    "promised_date",
    "row",
)
TRACKING_COLUMNS = (
    "order_no",
    "line_no",
    "kind",
    "date",
    "quantity",
    "passed_qty",
    "rejected_qty",
    "cause",
    "measures",
    "expected_date",
    "remarks",
    "recorded_at",
    "row",
)
COMPLAINT_COLUMNS = ("complaint_no", "order_no", "date", "customer_code")
LEDGER_COLUMNS = ("seq", "time", "order_no", "status_before", "status_after")
PRODUCT_COLUMNS = ("product_code", "name", "product_group", "lead_time_days")
# Texts that repeat (keys, names, causes): categories, so the figures join and group integers.
REPEATED_COLUMNS = frozenset(
    {"order_no", "customer_code", "customer_name", "sales_rep", "currency", "product_code"}
    | {"product_name", "cause"}
)
DATE_COLUMNS = frozenset(
    {"received_date", "delivery_date", "promised_date", "date", "expected_date"}
    | {"recorded_at", "time"}
)
NUMBER_COLUMNS = frozenset(
    {"line_no", "quantity", "passed_qty", "rejected_qty", "lead_time_days", "row", "seq"}
)
CODE_COLUMNS = frozenset({"status", "kind", "status_before", "status_after"})


# -- the days the figures read ----------------------------------------------------------------
def trend_bounds(end: date) -> tuple[date, date]:
    """The first and last day of the ``TREND_MONTHS`` calendar months ending with ``end``'s."""
    month = end.year * 12 + end.month - 1 - (TREND_MONTHS - 1)
    first = date(month // 12, month % 12 + 1, 1)
    last = end.replace(day=28) + timedelta(days=4)
    return first, last - timedelta(days=last.day)


def read_span(
    date_from: date | None, date_to: date | None, as_of: date
) -> tuple[date | None, date | None]:
    """The days whose facts any figure of the period counts: the period and the trend's months
    (None: open). An order matters to the figures when it has a date in this span (received, a
    tracking fact, a complaint, a ledger row) or is still open (overdue, at risk, backlog)."""
    first, last = trend_bounds(date_to or as_of)
    return (
        min(date_from, first) if date_from is not None else None,
        max(date_to, last) if date_to is not None else None,
    )


# -- result types ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    date_from: date | None = None
    date_to: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }


@dataclass(frozen=True)
class Rate:
    numerator: int = 0
    denominator: int = 0

    @property
    def value(self) -> float | None:
        """The rate, or None when the denominator is zero (nothing to measure)."""
        return rates.ratio(self.numerator, self.denominator)

    def to_json(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator, "rate": self.value}


@dataclass
class Measures:
    """The regular figures of one group (all orders, a customer, a sales rep, a product, a
    month)."""

    key: str
    label: str = ""
    orders: int = 0
    amount: dict[str, Decimal] = field(default_factory=dict)  # currency → sales amount
    on_time: Rate = Rate()  # lines delivered by the promised date ÷ delivered shipped lines
    quality: Rate = Rate()  # passed ÷ inspected quantity
    complaints: Rate = Rate()  # complained orders ÷ delivered orders
    # the same lines measured against the delivery date agreed later (changes included)
    on_time_agreed: Rate = Rate()

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "orders": self.orders,
            "amount": {cur: float(value) for cur, value in sorted(self.amount.items())},
            "on_time": self.on_time.to_json(),
            "on_time_agreed": self.on_time_agreed.to_json(),
            "quality": self.quality.to_json(),
            "complaints": self.complaints.to_json(),
        }


@dataclass(frozen=True)
class MixRow:
    """A product group (``product_code`` None) or a product within the sales of one currency."""

    currency: str
    group: str  # "" when the product is not in the catalogue or has no group
    product_code: str | None
    product_name: str | None
    quantity: int
    amount: Decimal
    share: float | None  # of the currency's sales amount

    def to_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "group": self.group,
            "product_code": self.product_code,
            "product_name": self.product_name,
            "quantity": self.quantity,
            "amount": float(self.amount),
            "share": self.share,
        }


@dataclass(frozen=True)
class StageTime:
    stage: OrderStatus
    orders: int
    mean_days: float | None
    median_days: float | None
    max_days: int | None
    p90_days: float | None = None  # 90th percentile, linear interpolation

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage.value,
            "orders": self.orders,
            "mean_days": self.mean_days,
            "median_days": self.median_days,
            "p90_days": self.p90_days,
            "max_days": self.max_days,
        }


@dataclass(frozen=True)
class CauseCount:
    cause: str  # "" when no cause was recorded
    entries: int
    orders: int
    quantity: int = 0  # rejected quantity (rejections only)

    def to_json(self) -> dict[str, Any]:
        return {
            "cause": self.cause,
            "entries": self.entries,
            "orders": self.orders,
            "quantity": self.quantity,
        }


@dataclass(frozen=True)
class OrderFlag:
    """An overdue order or one at risk, by :func:`addin.core.timenodes.delivery_state`.

    Overdue: ``due`` is the earliest delivery date of an open line that has passed, ``days``
    how long ago. At risk: ``due`` is the expected date of the open delay or shortage (its
    ``cause``), or the earliest ready date by the product's lead time, that lies furthest past
    the delivery date (``deadline``) of an open line; ``days`` how far past it.
    """

    order_no: str
    customer: str
    status: OrderStatus | None
    due: date | None
    days: int | None
    cause: str = ""
    line_no: int | None = None
    deadline: date | None = None  # the line's delivery date
    # why, as ``orderdesk overdue`` says it (overdue.delivery_late, overdue.risk_delay,
    # overdue.risk_material or overdue.risk_lead_time)
    reason: Phrase | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        return self.reason.key.removeprefix("overdue.") if self.reason else ""

    def reason_text(self, lang: str) -> str:
        return self.reason.label(lang) if self.reason else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "order_no": self.order_no,
            "customer": self.customer,
            "status": self.status.value if self.status else None,
            "due": self.due.isoformat() if self.due else None,
            "days": self.days,
            "cause": self.cause,
            "kind": self.kind,
            "line_no": self.line_no,
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }


@dataclass(frozen=True)
class AgeBucket:
    """Open orders received ``min_days``..``max_days`` days before ``as_of``."""

    key: str  # "0-7", "8-14", "15-30", "31-60", "61+"
    min_days: int
    max_days: int | None  # None: no upper limit
    orders: int = 0
    overdue: int = 0  # of them among the overdue orders

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "min_days": self.min_days,
            "max_days": self.max_days,
            "orders": self.orders,
            "overdue": self.overdue,
        }


@dataclass
class Statistics:
    period: Period
    as_of: date
    totals: Measures
    orders_cancelled: int = 0
    complaints_received: int = 0
    mix_groups: list[MixRow] = field(default_factory=list)
    mix_products: list[MixRow] = field(default_factory=list)
    stages: list[StageTime] = field(default_factory=list)
    delay_causes: list[CauseCount] = field(default_factory=list)
    rejection_causes: list[CauseCount] = field(default_factory=list)
    by_customer: list[Measures] = field(default_factory=list)
    by_rep: list[Measures] = field(default_factory=list)
    by_product: list[Measures] = field(default_factory=list)
    by_month: list[Measures] = field(default_factory=list)
    trend: list[Measures] = field(default_factory=list)  # 12 months, see the module doc
    overdue: list[OrderFlag] = field(default_factory=list)
    at_risk: list[OrderFlag] = field(default_factory=list)
    backlog: list[AgeBucket] = field(default_factory=list)

    @property
    def orders(self) -> int:
        return self.totals.orders

    @property
    def sales(self) -> dict[str, Decimal]:
        return self.totals.amount

    @property
    def on_time(self) -> Rate:
        return self.totals.on_time

    @property
    def on_time_agreed(self) -> Rate:
        return self.totals.on_time_agreed

    @property
    def quality(self) -> Rate:
        return self.totals.quality

    @property
    def complaint_rate(self) -> Rate:
        return self.totals.complaints

    @property
    def currencies(self) -> list[str]:
        return sorted(self.sales)

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.to_json(),
            "as_of": self.as_of.isoformat(),
            "orders": self.orders,
            "orders_cancelled": self.orders_cancelled,
            "sales": {cur: float(value) for cur, value in sorted(self.sales.items())},
            "on_time": self.on_time.to_json(),
            "on_time_agreed": self.on_time_agreed.to_json(),
            "quality": self.quality.to_json(),
            "complaints": self.complaint_rate.to_json(),
            "complaints_received": self.complaints_received,
            "mix_groups": [r.to_json() for r in self.mix_groups],
            "mix_products": [r.to_json() for r in self.mix_products],
            "stages": [s.to_json() for s in self.stages],
            "delay_causes": [c.to_json() for c in self.delay_causes],
            "rejection_causes": [c.to_json() for c in self.rejection_causes],
            "by_customer": [m.to_json() for m in self.by_customer],
            "by_rep": [m.to_json() for m in self.by_rep],
            "by_product": [m.to_json() for m in self.by_product],
            "by_month": [m.to_json() for m in self.by_month],
            "trend": [m.to_json() for m in self.trend],
            "overdue": [f.to_json() for f in self.overdue],
            "at_risk": [f.to_json() for f in self.at_risk],
            "backlog": [b.to_json() for b in self.backlog],
        }


# -- input ------------------------------------------------------------------------------------
@dataclass
class StatsInput:
    """The tables the figures are computed from, one DataFrame each, columns named by the schema
    keys (``*_COLUMNS``): dates as datetime64 (NaT: blank), numbers (unit prices too) as float64
    (NaN: blank), statuses and kinds as their values or labels, texts as strings. Any text
    column may be categorical instead (:meth:`from_records` makes the repeated ones so)."""

    orders: pd.DataFrame
    lines: pd.DataFrame
    tracking: pd.DataFrame
    complaints: pd.DataFrame
    ledger: pd.DataFrame
    products: pd.DataFrame

    @classmethod
    def from_records(
        cls,
        orders: Iterable[Order] = (),
        lines: Iterable[OrderLine] = (),
        tracking: Iterable[TrackingEntry] = (),
        complaints: Iterable[Complaint] = (),
        ledger: Iterable[LedgerEntry] = (),
        products: Iterable[Product] = (),
    ) -> StatsInput:
        """The frames of parsed records (one attribute tuple per record, no per-row dicts)."""
        import pandas as pd

        # Building millions of tuples triggers the cyclic garbage collector over and over
        # (it scans every live record each time); tuples of plain values make no cycles.
        with _gc_paused():
            orders_df = _frame(pd, orders, ORDER_COLUMNS)
            # every table's order numbers as categories of the orders' own
            numbers = pd.CategoricalDtype(pd.unique(orders_df["order_no"].dropna()))
            return cls(
                orders=orders_df,
                lines=_frame(pd, lines, LINE_COLUMNS, numbers),
                tracking=_frame(pd, tracking, TRACKING_COLUMNS, numbers),
                complaints=_frame(pd, complaints, COMPLAINT_COLUMNS),
                ledger=_frame(pd, ledger, LEDGER_COLUMNS, numbers),
                products=_frame(pd, products, PRODUCT_COLUMNS),
            )


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _frame(
    pd: Any, records: Iterable[Any], columns: tuple[str, ...], numbers: Any = None
) -> pd.DataFrame:
    rows = list(map(attrgetter(*columns), records))
    df = pd.DataFrame.from_records(rows, columns=list(columns), coerce_float=False)
    for column in columns:
        values = df[column]
        if column == "order_no" and numbers is not None:
            # the order's number as typed in the table; one of no order is blank here
            df[column] = values.astype(numbers)
        elif column in DATE_COLUMNS:
            df[column] = pd.to_datetime(values).astype("datetime64[s]")
        elif column in NUMBER_COLUMNS or column == "unit_price":
            df[column] = pd.to_numeric(values).astype("float64")
        elif column in CODE_COLUMNS or (column in REPEATED_COLUMNS and column != "order_no"):
            # enum members become their values; labels (ledger) stay as typed
            codes = values.astype("category")
            df[column] = codes.cat.rename_categories([str(c) for c in codes.cat.categories])
    return df
