"""Statistics and analysis of the order procedure (DOMAIN.md §9), computed with pandas.

Pure: records in, a :class:`Statistics` out. pandas is imported inside :func:`compute`, so the
result types can be imported anywhere; only the statistics service calls :func:`compute`.

Each figure falls in the period by its own date (DOMAIN.md, "Definitions"):

- orders and sales amount: the order's received date. Every order received counts as an order;
  the sales amount and the product mix count confirmed orders only (review passed and every
  status after it, not cancelled): an order still being checked or reviewed may change or never
  become a sale. Lines without quantity or price have no amount; amounts are kept per currency,
  never added across currencies;
- on-time delivery: order lines that were shipped and completely delivered, by the date the
  delivery was completed; on time when that date is on or before the line's delivery date (the
  promise as it stands after agreed changes). A line not yet delivered is not decided yet (as
  in :func:`addin.core.rates.on_time_rate`) and shows among the overdue orders instead;
- quality pass rate: inspection rows (every inspection of produced units is a final product
  inspection, see :mod:`addin.core.tracking`) by their date;
- complaint rate: orders whose last line was completely delivered in the period; the numerator
  counts those of them with at least one complaint (of any date), so the rate stays within 0..1;
- stage and cycle times: calendar days from the received date to the first ledger row that put
  the order in review passed / released / shipped / closed, counted when that row is in the period;
- delay and rejection causes: delay rows and inspection rows with rejects, by their date.

Tracking rows are replayed with the lifecycle's own rules (:mod:`addin.core.tracking`): a row
those rules refuse is left out here as it is everywhere else. Overdue and at-risk orders are the
state as of ``as_of``, whatever the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from addin.core import rates
from addin.core.enums import OrderStatus, TrackKind
from addin.core.models import (
    DEFAULT_CURRENCY,
    Complaint,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    TrackingEntry,
    currency_decimals,
)
from addin.core.tracking import OrderFacts, apply_entry, check_entry, inspection_counts

if TYPE_CHECKING:
    import pandas as pd

S = OrderStatus
# Confirmed orders: what the sales amount and the product mix count.
SALES = frozenset(
    {S.REVIEW_PASSED, S.RELEASED, S.IN_PRODUCTION, S.INSPECTED, S.SHIPPED, S.DELIVERED}
    | {S.ACCEPTED, S.CLOSED}
)
# Orders that can no longer be overdue or at risk.
FINISHED = frozenset({S.DELIVERED, S.ACCEPTED, S.CLOSED, S.CANCELLED, S.REJECTED})
# Stages measured from receipt (DOMAIN.md "Cycle time"); CLOSED is the whole cycle.
STAGES: tuple[OrderStatus, ...] = (S.REVIEW_PASSED, S.RELEASED, S.SHIPPED, S.CLOSED)
DIMENSIONS = ("customer", "rep", "month")


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
    """The regular figures of one group (all orders, a customer, a sales rep, a month)."""

    key: str
    label: str = ""
    orders: int = 0
    amount: dict[str, Decimal] = field(default_factory=dict)  # currency → sales amount
    on_time: Rate = Rate()  # on-time lines ÷ delivered shipped lines
    quality: Rate = Rate()  # passed ÷ inspected quantity
    complaints: Rate = Rate()  # complained orders ÷ delivered orders

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "orders": self.orders,
            "amount": {cur: float(value) for cur, value in sorted(self.amount.items())},
            "on_time": self.on_time.to_json(),
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

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage.value,
            "orders": self.orders,
            "mean_days": self.mean_days,
            "median_days": self.median_days,
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
    """An overdue order (``due``: its earliest unmet delivery date) or one at risk (``due``:
    the expected recovery date of its oldest open delay or shortage)."""

    order_no: str
    customer: str
    status: OrderStatus | None
    due: date | None
    days: int | None  # days overdue as of the statistics' date
    cause: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "order_no": self.order_no,
            "customer": self.customer,
            "status": self.status.value if self.status else None,
            "due": self.due.isoformat() if self.due else None,
            "days": self.days,
            "cause": self.cause,
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
    by_month: list[Measures] = field(default_factory=list)
    overdue: list[OrderFlag] = field(default_factory=list)
    at_risk: list[OrderFlag] = field(default_factory=list)

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
            "by_month": [m.to_json() for m in self.by_month],
            "overdue": [f.to_json() for f in self.overdue],
            "at_risk": [f.to_json() for f in self.at_risk],
        }


# -- facts: one row per order, line, inspection, delay, stage ---------------------------------
@dataclass
class _Facts:
    orders: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    inspections: list[dict[str, Any]] = field(default_factory=list)
    delays: list[dict[str, Any]] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    complaints: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    overdue: list[OrderFlag] = field(default_factory=list)
    at_risk: list[OrderFlag] = field(default_factory=list)


def _reached(ledger: Iterable[LedgerEntry]) -> dict[str, dict[OrderStatus, datetime]]:
    """For each order, when the ledger first moved it into each status."""
    reached: dict[str, dict[OrderStatus, datetime]] = defaultdict(dict)
    for entry in sorted(ledger, key=lambda e: e.seq):
        if not entry.order_no:
            continue
        after = OrderStatus.parse_or_none(entry.status_after)
        if after is not None and after != OrderStatus.parse_or_none(entry.status_before):
            reached[entry.order_no].setdefault(after, entry.time)
    return reached


def _first_seen(ledger: Iterable[LedgerEntry]) -> dict[str, date]:
    seen: dict[str, date] = {}
    for entry in ledger:
        if entry.order_no:
            day = entry.time.date()
            seen[entry.order_no] = min(seen.get(entry.order_no, day), day)
    return seen


def _accepted_entries(
    order_no: str, lines: list[OrderLine], entries: list[TrackingEntry]
) -> tuple[OrderFacts, list[TrackingEntry]]:
    """Replay an order's tracking rows as the lifecycle does, keeping the rows it accepts."""
    facts = OrderFacts.of(order_no, lines)
    kept: list[TrackingEntry] = []
    for entry in sorted(entries, key=lambda e: e.row or 0):
        if check_entry(facts, entry):
            continue
        apply_entry(facts, entry)
        if entry.line_no is None and len(facts.lines) == 1 and entry.kind != TrackKind.ACCEPTANCE:
            entry = entry.model_copy(update={"line_no": next(iter(facts.lines))})
        kept.append(entry)
    return facts, kept


def _completed(entries: list[TrackingEntry], ordered: int | None) -> date | None:
    """The day a line's quantity was reached by ``entries`` (in sheet order), if it was."""
    total, latest = 0, None
    for entry in entries:
        total += entry.quantity or 0
        latest = entry.date if latest is None else max(latest, entry.date)
        if ordered is None or total >= ordered:
            return latest
    return None


def _minor(line: OrderLine, currency: str) -> int | None:
    if line.quantity is None or line.unit_price is None:
        return None
    scaled = line.unit_price * line.quantity * (Decimal(10) ** currency_decimals(currency))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(minor: int, currency: str) -> Decimal:
    return Decimal(int(minor)).scaleb(-currency_decimals(currency))


def _build(
    orders: Iterable[Order],
    lines: Iterable[OrderLine],
    tracking: Iterable[TrackingEntry],
    complaints: Iterable[Complaint],
    ledger: Iterable[LedgerEntry],
    products: Iterable[Product],
    default_currency: str,
    as_of: date,
) -> _Facts:
    ledger = list(ledger)
    catalogue = {p.product_code: p for p in products}
    by_no: dict[str, Order] = {}
    for order in orders:
        by_no.setdefault(order.order_no, order)
    lines_of: dict[str, dict[int, OrderLine]] = defaultdict(dict)
    for line in lines:
        if line.order_no in by_no:
            lines_of[line.order_no].setdefault(line.line_no, line)
    tracked: dict[str, list[TrackingEntry]] = defaultdict(list)
    for entry in tracking:
        tracked[entry.order_no].append(entry)
    complained: dict[str, int] = defaultdict(int)
    facts = _Facts()
    for complaint in complaints:
        order_no = (complaint.order_no or "").strip()
        complained[order_no] += 1
        order = by_no.get(order_no)
        customer = _customer_key(order) if order else (complaint.customer_code or "")
        facts.complaints.append(
            {"order_no": order_no, "customer": customer, "date": complaint.date}
        )
    reached = _reached(ledger)
    first_seen = _first_seen(ledger)

    for order_no, order in by_no.items():
        customer, rep = _customer_key(order), (order.sales_rep or "").strip()
        facts.labels["customer"].setdefault(customer, (order.customer_name or customer).strip())
        facts.labels["rep"].setdefault(rep, rep)
        currency = (order.currency or default_currency or DEFAULT_CURRENCY).strip().upper()
        received = order.received_date or first_seen.get(order_no)
        order_lines = sorted(lines_of.get(order_no, {}).values(), key=lambda ln: ln.line_no)
        state, kept = _accepted_entries(order_no, order_lines, tracked.get(order_no, []))
        common = {"order_no": order_no, "customer": customer, "rep": rep}

        delivered_on: list[date | None] = []
        unmet: list[date] = []
        for line in order_lines:
            own = [e for e in kept if e.line_no == line.line_no]
            shipped = any(e.kind == TrackKind.SHIPMENT for e in own)
            delivered = _completed([e for e in own if e.kind == TrackKind.DELIVERY], line.quantity)
            delivered_on.append(delivered)
            if delivered is None and line.delivery_date and line.delivery_date < as_of:
                unmet.append(line.delivery_date)
            product = catalogue.get(line.product_code or "")
            facts.lines.append(
                common
                | {
                    "received": received,
                    "sale": order.status in SALES,
                    "currency": currency,
                    "group": ((product.product_group if product else None) or "").strip(),
                    "product_code": (line.product_code or "").strip(),
                    "product_name": (product.name if product else None) or line.product_name,
                    "quantity": line.quantity,
                    "amount": _minor(line, currency),
                    "promised": line.delivery_date,
                    # decided: shipped, completely delivered, and there was a promise to keep
                    "decided": delivered if shipped and line.delivery_date else None,
                    "on_time": bool(
                        shipped
                        and delivered
                        and line.delivery_date
                        and delivered <= line.delivery_date
                    ),
                }
            )
        order_delivered = (
            max(d for d in delivered_on if d is not None)
            if delivered_on and all(delivered_on)
            else None
        )
        facts.orders.append(
            common
            | {
                "received": received,
                "cancelled": order.status == S.CANCELLED,
                "delivered": order_delivered,
                "complained": complained.get(order_no, 0) > 0,
            }
        )
        for entry in kept:
            if entry.kind == TrackKind.INSPECTION:
                inspected, passed, rejected = inspection_counts(entry)
                facts.inspections.append(
                    common
                    | {
                        "date": entry.date,
                        "inspected": inspected or 0,
                        "passed": passed or 0,
                        "rejected": rejected or 0,
                        "cause": (entry.cause or "").strip(),
                    }
                )
            elif entry.kind == TrackKind.DELAY:
                facts.delays.append(
                    common | {"date": entry.date, "cause": (entry.cause or "").strip()}
                )
        start = received
        for stage in STAGES:
            when = reached.get(order_no, {}).get(stage)
            if when is not None and start is not None:
                facts.stages.append(
                    {"stage": stage.value, "date": when.date(), "days": (when.date() - start).days}
                )
        if order.status in FINISHED or order_delivered is not None:
            continue
        label = facts.labels["customer"][customer]
        if unmet:
            due = min(unmet)
            facts.overdue.append(
                OrderFlag(order_no, label, order.status, due, rates.days_between(due, as_of))
            )
        opened = [*state.open_delays, *state.open_shortages]
        if opened:
            first = min(opened, key=lambda e: (e.expected_date or date.max, e.row or 0))
            facts.at_risk.append(
                OrderFlag(
                    order_no,
                    label,
                    order.status,
                    first.expected_date,
                    None,
                    (first.cause or "").strip(),
                )
            )
    return facts


def _customer_key(order: Order) -> str:
    return (order.customer_code or order.customer_name or "").strip()


# -- aggregation ----------------------------------------------------------------------------
def _frame(
    pd: Any, rows: list[dict[str, Any]], columns: tuple[str, ...], dates: tuple[str, ...] = ()
) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    for column in dates:
        df[column] = pd.to_datetime(df[column].astype(object), errors="coerce")
    return df


def _in(pd: Any, column: pd.Series, period: Period) -> pd.Series:
    mask = column.notna()
    if period.date_from is not None:
        mask &= column >= pd.Timestamp(period.date_from)
    if period.date_to is not None:
        mask &= column <= pd.Timestamp(period.date_to)
    return mask


def _keys(pd: Any, df: pd.DataFrame, dimension: str, date_column: str) -> pd.Series:
    if dimension == "all":
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    if dimension == "month":
        return df[date_column].dt.strftime("%Y-%m").astype(object)
    return df[dimension].astype(object)


class _Frames:
    def __init__(self, pd: Any, facts: _Facts) -> None:
        base = ("order_no", "customer", "rep")
        self.orders = _frame(
            pd,
            facts.orders,
            (*base, "received", "cancelled", "delivered", "complained"),
            ("received", "delivered"),
        )
        self.lines = _frame(
            pd,
            facts.lines,
            (
                *base,
                "received",
                "sale",
                "currency",
                "group",
                "product_code",
                "product_name",
                "quantity",
                "amount",
                "promised",
                "decided",
                "on_time",
            ),
            ("received", "promised", "decided"),
        )
        for column in ("quantity", "amount"):
            self.lines[column] = self.lines[column].astype("Int64")
        self.inspections = _frame(
            pd,
            facts.inspections,
            (*base, "date", "inspected", "passed", "rejected", "cause"),
            ("date",),
        )
        self.delays = _frame(pd, facts.delays, (*base, "date", "cause"), ("date",))
        self.stages = _frame(pd, facts.stages, ("stage", "date", "days"), ("date",))
        self.complaints = _frame(pd, facts.complaints, ("order_no", "customer", "date"), ("date",))


def _measures(
    pd: Any, fr: _Frames, period: Period, dimension: str, labels: dict[str, str]
) -> dict[str, Measures]:
    out: dict[str, Measures] = {}

    def group(key: Any) -> Measures:
        key = str(key)
        if key not in out:
            out[key] = Measures(key, labels.get(key, key))
        return out[key]

    orders = fr.orders[_in(pd, fr.orders["received"], period)]
    for key, count in orders.groupby(_keys(pd, orders, dimension, "received")).size().items():
        group(key).orders = int(count)

    sales = fr.lines[
        _in(pd, fr.lines["received"], period) & fr.lines["sale"] & fr.lines["amount"].notna()
    ]
    keys = _keys(pd, sales, dimension, "received")
    for (key, currency), minor in sales.groupby([keys, sales["currency"]])["amount"].sum().items():
        group(key).amount[currency] = _money(minor, currency)

    decided = fr.lines[_in(pd, fr.lines["decided"], period)]
    keys = _keys(pd, decided, dimension, "decided")
    for key, row in decided.groupby(keys)["on_time"].agg(["sum", "size"]).iterrows():
        group(key).on_time = Rate(int(row["sum"]), int(row["size"]))

    inspections = fr.inspections[_in(pd, fr.inspections["date"], period)]
    keys = _keys(pd, inspections, dimension, "date")
    for key, row in inspections.groupby(keys)[["passed", "inspected"]].sum().iterrows():
        group(key).quality = Rate(int(row["passed"]), int(row["inspected"]))

    delivered = fr.orders[_in(pd, fr.orders["delivered"], period)]
    keys = _keys(pd, delivered, dimension, "delivered")
    for key, row in delivered.groupby(keys)["complained"].agg(["sum", "size"]).iterrows():
        group(key).complaints = Rate(int(row["sum"]), int(row["size"]))
    return out


def _months(pd: Any, found: Iterable[str], period: Period) -> list[str]:
    """Every month from the first to the last (the period's bounds when it has them)."""
    found = sorted(found)
    first = period.date_from.strftime("%Y-%m") if period.date_from else (found or [None])[0]
    last = period.date_to.strftime("%Y-%m") if period.date_to else (found or [None])[-1]
    if first is None or last is None or first > last:
        return found
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def _mix(pd: Any, fr: _Frames, period: Period) -> tuple[list[MixRow], list[MixRow]]:
    sales = fr.lines[_in(pd, fr.lines["received"], period) & fr.lines["sale"]]
    totals = sales.groupby("currency")["amount"].sum()
    groups: list[MixRow] = []
    products: list[MixRow] = []
    for by, target in (
        (["currency", "group"], groups),
        (["currency", "group", "product_code"], products),
    ):
        summed = sales.groupby(by).agg(
            quantity=("quantity", "sum"),
            amount=("amount", "sum"),
            name=("product_name", "first"),
        )
        for key, row in summed.iterrows():
            currency, group = key[0], key[1]
            minor = int(row["amount"])
            code = key[2] if len(by) == 3 else None
            name = row["name"] if code is not None and isinstance(row["name"], str) else None
            target.append(
                MixRow(
                    currency,
                    group,
                    code,
                    name,
                    int(row["quantity"]),
                    _money(minor, currency),
                    rates.ratio(minor, int(totals[currency])),
                )
            )
        target.sort(key=lambda r: (r.currency, -r.amount, r.group, r.product_code or ""))
    return groups, products


def _stages(pd: Any, fr: _Frames, period: Period) -> list[StageTime]:
    stages = fr.stages[_in(pd, fr.stages["date"], period)]
    out: list[StageTime] = []
    for stage in STAGES:
        days = stages.loc[stages["stage"] == stage.value, "days"].astype(float)
        if days.empty:
            out.append(StageTime(stage, 0, None, None, None))
            continue
        out.append(
            StageTime(
                stage,
                len(days),
                round(float(days.mean()), 1),
                round(float(days.median()), 1),
                int(days.max()),
            )
        )
    return out


def _causes(pd: Any, df: pd.DataFrame, quantity: str | None) -> list[CauseCount]:
    if df.empty:
        return []
    agg: dict[str, Any] = {"entries": ("order_no", "size"), "orders": ("order_no", "nunique")}
    if quantity:
        agg["quantity"] = (quantity, "sum")
    summed = df.groupby("cause").agg(**agg)
    out = [
        CauseCount(
            str(cause),
            int(row["entries"]),
            int(row["orders"]),
            int(row["quantity"]) if quantity else 0,
        )
        for cause, row in summed.iterrows()
    ]
    return sorted(out, key=lambda c: (-c.entries, -c.quantity, c.cause))


def compute(
    orders: Iterable[Order],
    lines: Iterable[OrderLine],
    tracking: Iterable[TrackingEntry],
    complaints: Iterable[Complaint],
    ledger: Iterable[LedgerEntry],
    products: Iterable[Product] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    as_of: date | None = None,
    default_currency: str = DEFAULT_CURRENCY,
) -> Statistics:
    """The §9 figures for ``date_from``..``date_to`` (inclusive; either may be open)."""
    import pandas as pd

    period = Period(date_from, date_to)
    as_of = as_of or date.today()
    facts = _build(orders, lines, tracking, complaints, ledger, products, default_currency, as_of)
    fr = _Frames(pd, facts)
    totals = _measures(pd, fr, period, "all", {}).get("") or Measures("")
    stats = Statistics(period, as_of, totals)
    received = fr.orders[_in(pd, fr.orders["received"], period)]
    stats.orders_cancelled = int(received["cancelled"].sum())
    stats.complaints_received = int(_in(pd, fr.complaints["date"], period).sum())
    stats.mix_groups, stats.mix_products = _mix(pd, fr, period)
    stats.stages = _stages(pd, fr, period)
    stats.delay_causes = _causes(pd, fr.delays[_in(pd, fr.delays["date"], period)], None)
    rejected = fr.inspections[
        _in(pd, fr.inspections["date"], period) & (fr.inspections["rejected"] > 0)
    ]
    stats.rejection_causes = _causes(pd, rejected, "rejected")
    for dimension in DIMENSIONS:
        found = _measures(pd, fr, period, dimension, facts.labels.get(dimension, {}))
        if dimension == "month":
            rows = [found.get(m) or Measures(m, m) for m in _months(pd, found, period)]
        else:
            rows = sorted(found.values(), key=lambda m: (-m.orders, m.key))
        setattr(stats, f"by_{dimension}", rows)
    stats.overdue = sorted(facts.overdue, key=lambda f: (-(f.days or 0), f.order_no))
    stats.at_risk = sorted(facts.at_risk, key=lambda f: (f.due or date.max, f.order_no))
    return stats
