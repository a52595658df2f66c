"""The figures of :mod:`addin.core.statistics`, aggregated from the facts
(:mod:`addin.core.stats_facts`), and :func:`compute`, which gives them. It loads pandas, so the
callers import it where they compute; the result types stay in :mod:`addin.core.statistics`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from addin.core import rates, stats_facts
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
from addin.core.statistics import (
    AGE_BUCKETS,
    DIMENSIONS,
    STAGES,
    TREND_MONTHS,
    AgeBucket,
    CauseCount,
    Measures,
    MixRow,
    OrderFlag,
    Period,
    Rate,
    StageTime,
    Statistics,
    StatsInput,
    trend_bounds,
)
from addin.core.stats_facts import Facts


# -- computing ---------------------------------------------------------------------------------
def compute_frames(
    inp: StatsInput,
    date_from: date | None = None,
    date_to: date | None = None,
    as_of: date | None = None,
    default_currency: str = DEFAULT_CURRENCY,
) -> Statistics:
    """The §9 figures for ``date_from``..``date_to`` (inclusive; either may be open)."""
    return figures(inp, Period(date_from, date_to), as_of or date.today(), default_currency)


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
    """:func:`compute_frames` of the records."""
    inp = StatsInput.from_records(orders, lines, tracking, complaints, ledger, products)
    return compute_frames(inp, date_from, date_to, as_of, default_currency)


def figures(inp: StatsInput, period: Period, as_of: date, default_currency: str) -> Statistics:
    facts = stats_facts.build(inp, default_currency)
    measured = _Measurer(facts, period.date_from, period.date_to)
    stats = Statistics(period, as_of, measured.by("all").get("") or Measures(""))
    stats.orders_cancelled = int(measured.orders["cancelled"].sum())
    stats.complaints_received = int(_in(facts.complaints["date"], period).sum())
    stats.mix_groups, stats.mix_products = _mix(measured.sales)
    stats.stages = _stages(facts.stages[_in(facts.stages["date"], period)])
    stats.delay_causes = _causes(facts.delays[_in(facts.delays["date"], period)], None)
    inspections = measured.inspections
    stats.rejection_causes = _causes(inspections[inspections["rejected"] > 0], "rejected")
    for dimension in DIMENSIONS:
        found = measured.by(dimension)
        if dimension == "month":
            rows = [found.get(m) or Measures(m, m) for m in _months(found, period)]
        else:
            rows = sorted(found.values(), key=lambda m: (-m.orders, m.key))
        setattr(stats, f"by_{dimension}", rows)
    stats.trend = _trend(facts, period.date_to or as_of)
    stats.overdue, stats.at_risk = stats_facts.flags(inp, facts, as_of)
    stats.backlog = _backlog(facts.orders, stats.overdue, as_of)
    return stats


# -- helpers ---------------------------------------------------------------------------------
def _in(column: pd.Series, period: Period) -> pd.Series:
    return _between(column, period.date_from, period.date_to)


def _between(column: pd.Series, first: date | None, last: date | None) -> pd.Series:
    mask = column.notna()
    if first is not None:
        mask &= column >= pd.Timestamp(first)
    if last is not None:
        mask &= column <= pd.Timestamp(last)
    return mask


def _money(minor: int, currency: str) -> Decimal:
    return Decimal(int(minor)).scaleb(-currency_decimals(currency))


def _month_key(key: int) -> str:
    return f"{key // 12:04d}-{key % 12 + 1:02d}"


class _Measurer:
    """The facts of one period, grouped by any dimension (``all`` for the totals)."""

    def __init__(self, facts: Facts, first: date | None, last: date | None) -> None:
        self.labels = facts.labels
        lines, orders, keys = facts.lines, facts.orders, ["customer", "rep"]

        def within(df: pd.DataFrame, day: str, columns: list[str]) -> pd.DataFrame:
            return df.loc[_between(df[day], first, last), [day, *columns]]

        self.orders = within(orders, "received", [*keys, "cancelled"])
        self.lines = within(lines, "received", ["opos", "product"])
        sold = lines["sale"] & lines["amount"].notna()
        self.sales = within(
            lines[sold],
            "received",
            [*keys, "product", "group", "product_name", "currency", "quantity", "amount"],
        )
        self.decided = within(lines, "decided", [*keys, "product", "on_time", "on_time_agreed"])
        self.inspections = within(
            facts.inspections,
            "date",
            [*keys, "product", "opos", "inspected", "passed", "rejected", "cause"],
        )
        self.delivered = within(orders, "delivered", [*keys, "complained"])
        self.delivered_lines = within(lines, "delivered", ["opos", "product", "complained"])

    def by(self, dimension: str) -> dict[str, Measures]:
        out: dict[str, Measures] = {}
        labels = self.labels.get(dimension, {})

        def group(key: object) -> Measures:
            text = _month_key(int(key)) if dimension == "month" else str(key)  # type: ignore[call-overload]
            if text not in out:
                out[text] = Measures(text, labels.get(text, text))
            return out[text]

        # per product: an order counts once for each product on it
        orders = self.orders
        if dimension == "product":
            orders = self.lines.drop_duplicates(["product", "opos"])
        for key, count in _sums(orders, dimension, "received", []):
            group(key).orders = int(count)
        sales = self.sales
        summed = _by(sales, dimension, "received", ["currency"])["amount"].sum()
        for (key, currency), minor in summed.items():
            group("" if dimension == "all" else key).amount[currency] = _money(minor, currency)
        for key, on_time, agreed, size in _sums(
            self.decided, dimension, "decided", ["on_time", "on_time_agreed"]
        ):
            group(key).on_time = Rate(int(on_time), int(size))
            group(key).on_time_agreed = Rate(int(agreed), int(size))
        inspections = self.inspections
        for key, passed, inspected, _ in _sums(
            inspections, dimension, "date", ["passed", "inspected"]
        ):
            group(key).quality = Rate(int(passed), int(inspected))
        delivered = self.delivered
        if dimension == "product":
            delivered = self.delivered_lines.drop_duplicates(["product", "opos"])
        for key, complained, size in _sums(delivered, dimension, "delivered", ["complained"]):
            group(key).complaints = Rate(int(complained), int(size))
        return out


def _by(df: pd.DataFrame, dimension: str, day: str, also: list[str]) -> Any:
    """``df`` grouped by the dimension's key (and ``also``)."""
    if dimension == "all":
        key: Any = np.zeros(len(df), dtype=np.int8)
    elif dimension == "month":
        key = df[day].dt.year * 12 + df[day].dt.month - 1
    else:
        key = df[dimension]
    return df.groupby([key, *[df[c] for c in also]], observed=True, sort=False)


def _sums(df: pd.DataFrame, dimension: str, day: str, columns: list[str]) -> list[tuple[Any, ...]]:
    """(key, the sum of each column, the number of rows) per key; the key "" for ``all``."""
    if dimension == "all":
        if df.empty:
            return []
        return [("", *(df[c].sum() for c in columns), len(df))]
    grouped = _by(df, dimension, day, [])
    summed = grouped[columns].sum() if columns else pd.DataFrame(index=grouped.size().index)
    summed["size"] = grouped.size()
    return list(summed.itertuples())


def _months(found: dict[str, Measures], period: Period) -> list[str]:
    """Every month from the first to the last (the period's bounds when it has them)."""
    keys = sorted(found)
    first = period.date_from.strftime("%Y-%m") if period.date_from else (keys or [None])[0]
    last = period.date_to.strftime("%Y-%m") if period.date_to else (keys or [None])[-1]
    if first is None or last is None or first > last:
        return keys
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def _trend(facts: Facts, end: date) -> list[Measures]:
    """The twelve calendar months ending with ``end``'s, each with its figures."""
    months = [
        str(p) for p in pd.period_range(end=end.strftime("%Y-%m"), periods=TREND_MONTHS, freq="M")
    ]
    first, last = trend_bounds(end)
    found = _Measurer(facts, first, last).by("month")
    return [found.get(m) or Measures(m, m) for m in months]


def _mix(sales: pd.DataFrame) -> tuple[list[MixRow], list[MixRow]]:
    totals = sales.groupby("currency")["amount"].sum()
    groups: list[MixRow] = []
    products: list[MixRow] = []
    for by, target in (
        (["currency", "group"], groups),
        (["currency", "group", "product"], products),
    ):
        summed = sales.groupby(by).agg(
            quantity=("quantity", "sum"),
            amount=("amount", "sum"),
            name=("product_name", "first"),
        )
        for key, quantity, minor, name in summed.itertuples():
            currency, group = str(key[0]), str(key[1])
            code = str(key[2]) if len(by) == 3 else None
            target.append(
                MixRow(
                    currency,
                    group,
                    code,
                    name if code is not None and isinstance(name, str) else None,
                    int(quantity),
                    _money(minor, currency),
                    rates.ratio(int(minor), int(totals[currency])),
                )
            )
        target.sort(key=lambda r: (r.currency, -r.amount, r.group, r.product_code or ""))
    return groups, products


def _stages(stages: pd.DataFrame) -> list[StageTime]:
    out: list[StageTime] = []
    for stage in STAGES:
        days = stages.loc[stages["stage"] == stage.value, "days"].astype(float)
        if days.empty:
            out.append(StageTime(stage, 0, None, None, None, None))
            continue
        out.append(
            StageTime(
                stage,
                len(days),
                round(float(days.mean()), 1),
                round(float(days.median()), 1),
                int(days.max()),
                round(float(days.quantile(0.9)), 1),
            )
        )
    return out


def _causes(df: pd.DataFrame, quantity: str | None) -> list[CauseCount]:
    if df.empty:
        return []
    agg: dict[str, tuple[str, str]] = {
        "entries": ("opos", "size"),
        "orders": ("opos", "nunique"),
    }
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


def _backlog(orders: pd.DataFrame, overdue: list[OrderFlag], as_of: date) -> list[AgeBucket]:
    """The open orders received by ``as_of``, by age in days."""
    received = orders["received"]
    open_orders = orders[orders["open"] & received.notna() & (received <= pd.Timestamp(as_of))]
    age = (pd.Timestamp(as_of) - open_orders["received"]).dt.days.to_numpy()
    late = open_orders["order_no"].isin({f.order_no for f in overdue}).to_numpy()
    # bucket i holds ages up to its last day: searchsorted on the last days
    last_days = [last for _, _, last in AGE_BUCKETS if last is not None]
    bucket = np.searchsorted(np.asarray(last_days), age, side="left")
    counts = np.bincount(bucket, minlength=len(AGE_BUCKETS))
    late_counts = np.bincount(bucket, weights=late.astype(float), minlength=len(AGE_BUCKETS))
    return [
        AgeBucket(key, first, last, int(counts[i]), int(late_counts[i]))
        for i, (key, first, last) in enumerate(AGE_BUCKETS)
    ]
