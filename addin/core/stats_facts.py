"""The facts the statistics count (:mod:`addin.core.statistics`), from its input frames.

One frame per kind of fact, each column computed on whole columns: orders, order lines (with
their completed delivery and on-time decision), inspections, delays, stage times, complaints.
Orders are referred to by their position in the orders frame and texts (customers, reps,
products) by category codes, so joins and groupings work on integers. The overdue and at-risk
orders come from the open orders alone, replayed one by one with the lifecycle's own rules as
``orderdesk overdue`` does. Imported by :mod:`addin.core.stats_figures` (it loads pandas).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from addin.core import rates
from addin.core.enums import OrderStatus, TrackKind
from addin.core.models import (
    DEFAULT_CURRENCY,
    Order,
    OrderLine,
    Product,
    Record,
    TrackingEntry,
    currency_decimals,
)
from addin.core.statistics import (
    FINISHED,
    SALES,
    STAGES,
    TRACKING_COLUMNS,
    OrderFlag,
    StatsInput,
)
from addin.core.timenodes import NOT_YET_RELEASED, delivery_state
from addin.core.tracking import replay

R = TypeVar("R", bound=Record)
STATUSES = list(OrderStatus)
KINDS = list(TrackKind)
# The tracking rows the figures count; the others matter to the replay of open orders only.
COUNTED_KINDS = (TrackKind.INSPECTION, TrackKind.DELAY, TrackKind.SHIPMENT, TrackKind.DELIVERY)
# What the replay of an open order reads of a tracking row: all but when it was recorded.
TRACKING_FIELDS = tuple(c for c in TRACKING_COLUMNS if c != "recorded_at")


def _code(member: Enum) -> int:
    return (STATUSES if isinstance(member, OrderStatus) else KINDS).index(member)  # type: ignore[arg-type]


@dataclass
class Facts:
    # per order (index: its position): order_no, customer, rep, currency (categories), status
    # (code), received, sale, cancelled, open, delivered, complained
    orders: pd.DataFrame
    # per line: opos, line_no, customer, rep, currency, product, group (categories),
    # product_name, quantity, amount (minor units), promised, agreed, received, sale, decided,
    # on_time (by the promised date), on_time_agreed (by the agreed date),
    # and its order's delivered and complained
    lines: pd.DataFrame
    # per inspection: opos, customer, rep, product, date, inspected, passed, rejected, cause
    inspections: pd.DataFrame
    delays: pd.DataFrame  # opos, date, cause
    stages: pd.DataFrame  # stage (value), date, days
    complaints: pd.DataFrame  # date
    index: _Orders  # order numbers → positions
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # dimension → key → label


def build(inp: StatsInput, default_currency: str) -> Facts:
    orders = inp.orders.drop_duplicates("order_no", keep="first").reset_index(drop=True)
    index = _Orders(orders["order_no"])
    code, name = _texts(orders["customer_code"]), _texts(orders["customer_name"])
    customer = np.where(code != "", code, name)  # the code, else the name (as typed)
    stripped = np.array([c.strip() for c in customer], dtype=object)
    label = np.where(name != "", name, stripped)
    currency = np.array([c.strip() for c in _texts(orders["currency"])], dtype=object)
    currency = np.where(currency != "", currency, default_currency or DEFAULT_CURRENCY)
    status = _enum_codes(orders["status"], OrderStatus)
    received = orders["received_date"]
    if received.isna().any():  # then the day of the order's first ledger row
        received = received.fillna(_first_seen(inp.ledger, index))
    of = pd.DataFrame(
        {
            "order_no": orders["order_no"],
            "customer": _category(stripped),
            "rep": _stripped(orders["sales_rep"]),
            "currency": _category(np.array([c.strip().upper() for c in currency], dtype=object)),
            "status": status,
            "received": received,
            "sale": np.isin(status, [_code(s) for s in SALES]),
            "cancelled": status == _code(OrderStatus.CANCELLED),
            "open": ~np.isin(status, [_code(s) for s in FINISHED]),
        }
    )
    labels = {
        "customer": _labels(of["customer"], np.array([x.strip() for x in label], dtype=object)),
        "rep": {rep: rep for rep in of["rep"].cat.categories},
    }
    lf = _lines(inp, index, of)
    labels["product"] = _labels(lf["product"], lf["product_name"].fillna("").to_numpy())
    tracking = _tracking(inp, index, lf)
    lf, of = _deliveries(tracking, lf, of)
    complained = np.bincount(
        index.positions(inp.complaints["order_no"], strip=True) + 1, minlength=len(index) + 1
    )[1:]  # shifted by one: -1 (no such order) counts in the dropped first bin
    of["complained"] = rates.complaint_rows(of["delivered"], pd.Series(complained))[1]
    lf["complained"] = of["complained"].to_numpy()[lf["opos"].to_numpy()]
    return Facts(
        orders=of,
        lines=lf,
        inspections=_inspections(tracking, lf, of),
        delays=_delays(tracking),
        stages=_stages(inp.ledger, index, of),
        complaints=pd.DataFrame({"date": inp.complaints["date"]}),
        index=index,
        labels=labels,
    )


# -- columns ---------------------------------------------------------------------------------
def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1: blank) and the distinct values they stand for."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(np.int64), values.cat.categories.to_numpy(object)
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _in_order(keys: np.ndarray) -> np.ndarray:
    """The positions that put ``keys`` in (stable) order; usually they are already."""
    if len(keys) < 2 or bool(np.all(keys[1:] >= keys[:-1])):
        return np.arange(len(keys))
    return np.argsort(keys, kind="stable")


def _texts(values: pd.Series) -> np.ndarray:
    """The values as texts ("" for a blank), as typed."""
    codes, uniques = _codes(values)
    return np.append(np.array([str(u) for u in uniques], dtype=object), "")[codes]


def _category(texts: np.ndarray) -> pd.Categorical:
    codes, keys = pd.factorize(texts)
    return pd.Categorical.from_codes(codes, categories=pd.Index(keys, dtype=object))


def _stripped(values: pd.Series) -> pd.Categorical:
    """The values as texts without surrounding blanks ("" for a blank), as categories."""
    codes, uniques = _codes(values)
    texts = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
    new, keys = pd.factorize(texts)
    return pd.Categorical.from_codes(new[codes], categories=pd.Index(keys, dtype=object))


class _Orders:
    """Positions of order numbers in the orders frame (-1: no such order).

    The tables' order numbers are categories of one dtype when made by
    :meth:`StatsInput.from_records`: their positions are then looked up once, not per table.
    """

    def __init__(self, order_no: pd.Series) -> None:
        self.index = pd.Index(order_no)
        self._known: list[tuple[Any, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self.index)

    def positions(self, values: pd.Series, strip: bool = False) -> np.ndarray:
        codes, uniques = _codes(values)
        if strip:
            uniques = np.array([str(u).strip() for u in uniques], dtype=object)
            return np.append(self.index.get_indexer(uniques), -1)[codes]
        dtype = values.dtype
        found = next((lut for known, lut in self._known if known is dtype), None)
        if found is None:
            found = np.append(self.index.get_indexer(uniques), -1)
            if isinstance(dtype, pd.CategoricalDtype):
                self._known.append((dtype, found))
        return found[codes]


def _enum_codes(values: pd.Series, enum: type[OrderStatus] | type[TrackKind]) -> np.ndarray:
    """Positions in the enum of values, or labels in either language (-1: blank, unknown)."""
    codes, uniques = _codes(values)
    members = list(enum)
    parsed = [enum.parse_or_none(u) for u in uniques]
    return np.array([members.index(p) if p else -1 for p in parsed] + [-1])[codes]


def _labels(keys: pd.Series, labels: np.ndarray) -> dict[str, str]:
    """Each key's (categories) first label."""
    codes = keys.cat.codes.to_numpy()
    found, first = np.unique(codes, return_index=True)
    names = keys.cat.categories
    return {str(names[c]): labels[i] for c, i in zip(found, first, strict=True) if c >= 0}


def _first_seen(ledger: pd.DataFrame, index: _Orders) -> pd.Series:
    pos = index.positions(ledger["order_no"])
    days = ledger["time"].dt.normalize()[pos >= 0]
    return days.groupby(pos[pos >= 0]).min().reindex(range(len(index)))


def _amounts(lines: pd.DataFrame) -> pd.Series:
    """Quantity × unit price in minor units of the line's currency, rounded half up."""
    currency = lines["currency"].astype(object)
    decimals = currency.map({c: currency_decimals(c) for c in currency.unique()})
    scale = np.power(10.0, decimals.to_numpy(dtype="float64"))
    price = pd.to_numeric(lines["unit_price"], errors="coerce").to_numpy(dtype="float64")
    quantity = lines["quantity"].to_numpy(dtype="float64")
    scaled = price * scale
    minor = np.round(scaled)
    amount = minor * quantity
    # A price with more decimals than its currency has (never so in a checked sheet) is not
    # exact in floats: its amount in Decimal, from the price as written.
    places = decimals.to_numpy(dtype=np.int64)
    for i in np.flatnonzero((np.abs(scaled - minor) > 1e-6) & ~np.isnan(quantity)):
        exact = Decimal(repr(float(price[i]))) * int(quantity[i]) * Decimal(10) ** int(places[i])
        amount[i] = float(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return pd.Series(amount, index=lines.index).round().astype("Int64")


def _lines(inp: StatsInput, index: _Orders, orders: pd.DataFrame) -> pd.DataFrame:
    lines = inp.lines
    opos = index.positions(lines["order_no"])
    known = (opos >= 0) & lines["line_no"].notna().to_numpy()
    lines, opos = lines[known], opos[known]
    line_no = lines["line_no"].to_numpy(np.int64)
    key = pd.Series(opos * (line_no.max(initial=0) + 1) + line_no)
    first = ~key.duplicated().to_numpy()
    order = _in_order(key.to_numpy()[first])  # by order, then line number
    lines, opos, line_no = lines[first].iloc[order], opos[first][order], line_no[first][order]
    catalogue = inp.products.drop_duplicates("product_code", keep="last")
    names = dict(zip(catalogue["product_code"], _texts(catalogue["name"]), strict=True))
    groups = dict(zip(catalogue["product_code"], _texts(catalogue["product_group"]), strict=True))
    codes, uniques = _codes(lines["product_code"])
    known_name = np.array([names.get(u, "") for u in uniques] + [""], dtype=object)[codes]
    group_codes, group_names = pd.factorize(
        np.array([groups.get(u, "").strip() for u in uniques] + [""], dtype=object)
    )
    group = pd.Categorical.from_codes(group_codes[codes], categories=pd.Index(group_names))
    typed = lines["product_name"].astype(object).to_numpy()
    lf = pd.DataFrame(
        {
            "opos": opos,
            "line_no": line_no,
            "customer": orders["customer"].to_numpy()[opos],
            "rep": orders["rep"].to_numpy()[opos],
            "currency": orders["currency"].to_numpy()[opos],
            "received": orders["received"].to_numpy()[opos],
            "sale": orders["sale"].to_numpy()[opos],
            "product": _stripped(lines["product_code"]),
            "group": group,
            "product_name": np.where(known_name != "", known_name, typed),
            "quantity": lines["quantity"].to_numpy(),
            "unit_price": lines["unit_price"].to_numpy(),
            # promised when the order was confirmed (lines confirmed before the promised date
            # was kept: their delivery date), and the date agreed since, changes included
            "promised": lines["promised_date"].fillna(lines["delivery_date"]).to_numpy(),
            "agreed": lines["delivery_date"].to_numpy(),
        }
    )
    lf["product_name"] = lf["product_name"].where(lf["product_name"].notna(), None)
    lf["amount"] = _amounts(lf)
    return lf.drop(columns="unit_price")


def _tracking(inp: StatsInput, index: _Orders, lines: pd.DataFrame) -> pd.DataFrame:
    """The recorded tracking rows the figures count (inspections, delays, shipments,
    deliveries) of known orders, in sheet order, with their order's and their line's position
    (-1: no such line)."""
    trk = inp.tracking
    kind = _enum_codes(trk["kind"], TrackKind)
    opos = index.positions(trk["order_no"])
    counted = np.isin(kind, [_code(k) for k in COUNTED_KINDS])
    keep = np.flatnonzero(counted & (opos >= 0) & trk["recorded_at"].notna().to_numpy())
    # sheet order (a row without a number first, as the lifecycle's replay has it)
    keep = keep[_in_order(np.nan_to_num(trk["row"].to_numpy()[keep], nan=0.0))]
    opos = opos[keep]
    # a single-line order's rows without a line number are its line's
    count = np.bincount(lines["opos"], minlength=len(index))
    only = np.zeros(len(index))
    only[lines["opos"].to_numpy()] = lines["line_no"].to_numpy()
    line_no = trk["line_no"].to_numpy(dtype="float64")[keep]
    fill = np.isnan(line_no) & (count[opos] == 1)
    line_no[fill] = only[opos[fill]]
    longest = max(np.nanmax(line_no, initial=0), lines["line_no"].to_numpy().max(initial=0))
    stride = int(longest) + 1
    keys = pd.Index(lines["opos"].to_numpy() * stride + lines["line_no"].to_numpy())
    blank = np.isnan(line_no)
    wanted = opos * stride + np.where(blank, 0, line_no).astype(np.int64)
    return pd.DataFrame(
        {
            "opos": opos,
            "lpos": np.where(blank, -1, keys.get_indexer(wanted)),
            "kind": kind[keep],
            "date": trk["date"].to_numpy()[keep],
            "quantity": trk["quantity"].to_numpy()[keep],
            "passed": trk["passed_qty"].to_numpy()[keep],
            "rejected": trk["rejected_qty"].to_numpy()[keep],
            "cause": trk["cause"].iloc[keep].reset_index(drop=True),
        }
    )


def _deliveries(
    trk: pd.DataFrame, lines: pd.DataFrame, orders: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each line's completed delivery and on-time decision; each order's delivered date."""
    rows = trk[(trk["kind"] == _code(TrackKind.DELIVERY)) & (trk["lpos"] >= 0)]
    by_line = rows["lpos"]
    total = rows["quantity"].fillna(0).groupby(by_line).cumsum().to_numpy()
    latest = rows["date"].groupby(by_line).cummax().to_numpy()
    ordered = lines["quantity"].to_numpy()[by_line.to_numpy()]
    reached = np.isnan(ordered) | (total >= ordered)
    hit = by_line.to_numpy()[reached]
    first = ~pd.Series(hit).duplicated().to_numpy()
    completed = np.full(len(lines), np.datetime64("NaT"), dtype="datetime64[s]")
    completed[hit[first]] = latest[reached][first]
    shipped = np.zeros(len(lines), dtype=bool)
    shipments = trk.loc[(trk["kind"] == _code(TrackKind.SHIPMENT)) & (trk["lpos"] >= 0), "lpos"]
    shipped[shipments.to_numpy()] = True
    done = pd.Series(completed, index=lines.index)
    counted, on_time = rates.on_time_rows(lines["promised"], done.where(shipped))
    _, on_time_agreed = rates.on_time_rows(lines["agreed"], done.where(shipped))
    lines = lines.assign(
        decided=done.where(counted), on_time=on_time, on_time_agreed=on_time_agreed
    )
    # an order is delivered on the day its last line was completely delivered
    pos = lines["opos"].to_numpy()
    count = np.bincount(pos, minlength=len(orders))
    finished = np.bincount(pos, weights=done.notna().to_numpy(float), minlength=len(orders))
    last = done.groupby(pos).max().reindex(range(len(orders))).to_numpy()
    delivered = np.where((count > 0) & (finished == count), last, np.datetime64("NaT"))
    orders = orders.assign(delivered=pd.Series(delivered, dtype="datetime64[s]"))
    lines["delivered"] = orders["delivered"].to_numpy()[pos]
    return lines, orders


def _inspections(trk: pd.DataFrame, lines: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    rows = trk[trk["kind"] == _code(TrackKind.INSPECTION)]
    pos, lpos = rows["opos"].to_numpy(), rows["lpos"].to_numpy()
    # the tracking service completes the three counts of every row it records
    inspected, passed = rates.quality_rows(rows["quantity"], rows["passed"])
    product = lines["product"]
    categories = product.cat.categories
    if "" not in categories:
        categories = categories.append(pd.Index([""], dtype=object))
    # a row of no line of the order (lpos -1, the appended code): product ""
    codes = np.append(product.cat.codes.to_numpy(np.int64), categories.get_loc(""))[lpos]
    return pd.DataFrame(
        {
            "opos": pos,
            "customer": orders["customer"].to_numpy()[pos],
            "rep": orders["rep"].to_numpy()[pos],
            "product": pd.Categorical.from_codes(codes, categories=categories),
            "date": rows["date"].to_numpy(),
            "inspected": inspected.to_numpy(),
            "passed": passed.to_numpy(),
            "rejected": rows["rejected"].fillna(0).to_numpy(),
            "cause": _stripped(rows["cause"]),
        }
    )


def _delays(trk: pd.DataFrame) -> pd.DataFrame:
    rows = trk[trk["kind"] == _code(TrackKind.DELAY)]
    return pd.DataFrame(
        {
            "opos": rows["opos"].to_numpy(),
            "date": rows["date"].to_numpy(),
            "cause": _stripped(rows["cause"]),
        }
    )


def _stages(ledger: pd.DataFrame, index: _Orders, orders: pd.DataFrame) -> pd.DataFrame:
    """For each order and stage, the first ledger row (by sequence) that moved it there."""
    after = _enum_codes(ledger["status_after"], OrderStatus)
    before = _enum_codes(ledger["status_before"], OrderStatus)
    rows = np.flatnonzero(np.isin(after, [_code(s) for s in STAGES]) & (after != before))
    rows = rows[_in_order(ledger["seq"].to_numpy()[rows])]
    pos, after = index.positions(ledger["order_no"])[rows], after[rows]
    first = (pos >= 0) & ~pd.Series(pos * len(STATUSES) + after).duplicated().to_numpy()
    rows, pos, after = rows[first], pos[first], after[first]
    day = ledger["time"].to_numpy()[rows].astype("datetime64[D]")
    received = orders["received"].to_numpy()[pos]
    has = ~np.isnat(received)
    return pd.DataFrame(
        {
            "stage": np.array([s.value for s in STATUSES], dtype=object)[after[has]],
            "date": day[has].astype("datetime64[s]"),
            "days": (day[has] - received[has].astype("datetime64[D]")).astype(np.int64),
        }
    )


# -- overdue and at risk -----------------------------------------------------------------------
def flags(inp: StatsInput, facts: Facts, as_of: date) -> tuple[list[OrderFlag], list[OrderFlag]]:
    """The open orders late on delivery, and those at risk (see the statistics module)."""
    orders = facts.orders
    candidates = np.flatnonzero(orders["open"].to_numpy() & _may_be_flagged(inp, facts, as_of))
    if not len(candidates):
        return [], []
    index = facts.index
    chosen = np.zeros(len(orders) + 1, dtype=bool)  # the last: position -1, no order
    chosen[candidates] = True
    lines = inp.lines[chosen[index.positions(inp.lines["order_no"])]]
    lines = lines[lines["line_no"].notna()].drop_duplicates(["order_no", "line_no"])
    lines_of: dict[str, list[OrderLine]] = defaultdict(list)
    columns = ["order_no", "line_no", "product_code", "quantity", "delivery_date", "row"]
    for values in _records(lines[columns]):
        lines_of[values["order_no"]].append(_built(OrderLine, values))
    trk = inp.tracking
    wanted = chosen[index.positions(trk["order_no"])]
    trk = trk[wanted & trk["recorded_at"].notna().to_numpy()]
    entries_of: dict[str, list[TrackingEntry]] = defaultdict(list)
    kinds = {str(k): TrackKind.parse(k) for k in trk["kind"].dropna().unique()}
    for values in _records(trk[list(TRACKING_FIELDS)]):
        values["kind"] = kinds[values["kind"]]
        entries_of[values["order_no"]].append(_built(TrackingEntry, values))
    codes = {line.product_code for found in lines_of.values() for line in found}
    catalogue = inp.products[inp.products["product_code"].isin(codes)]
    products = {
        values["product_code"]: _built(Product, values)
        for values in _records(catalogue.drop_duplicates("product_code", keep="last"))
    }
    labels = facts.labels["customer"]
    overdue: list[OrderFlag] = []
    at_risk: list[OrderFlag] = []
    numbers = orders["order_no"].to_numpy()[candidates]
    customers = np.asarray(orders["customer"], dtype=object)[candidates]
    for no, customer, code in zip(
        numbers, customers, orders["status"].to_numpy()[candidates], strict=True
    ):
        status = STATUSES[code] if code >= 0 else None
        order = _built(Order, {"order_no": no, "status": status})
        order_lines = sorted(lines_of.get(no, []), key=lambda line: line.line_no)
        replayed, _ = replay(no, order_lines, entries_of.get(no, []))
        for late in delivery_state(order, order_lines, replayed, products, as_of):
            params = late.reason.params
            risky = late.kind == "delivery_risk"
            flag = OrderFlag(
                no,
                labels.get(customer, customer),
                status,
                (params.get("expected") or params.get("ready")) if risky else late.deadline,
                late.days_late,
                str(params.get("cause") or "").strip(),
                late.line_no,
                late.deadline,
                late.reason,
            )
            (at_risk if risky else overdue).append(flag)
    overdue.sort(key=lambda f: (-(f.days or 0), f.order_no))
    at_risk.sort(key=lambda f: (f.due or date.max, f.order_no))
    return overdue, at_risk


def _may_be_flagged(inp: StatsInput, facts: Facts, as_of: date) -> np.ndarray:
    """Per order, whether :func:`delivery_state` could find anything: a line's delivery date
    has passed, or a delay or shortage expected after the earliest delivery date, or a lead time
    reaching past it before release. Only to spare replaying the others: the rule is
    :func:`delivery_state`'s alone."""
    lines, today = facts.lines, np.datetime64(as_of, "s")
    n = len(facts.orders)
    pos = lines["opos"].to_numpy()
    agreed = lines["agreed"].to_numpy()
    earliest = pd.Series(agreed).groupby(pos).min().reindex(range(n)).to_numpy()
    passed = np.bincount(pos, weights=(agreed < today).astype(float), minlength=n) > 0
    trk = inp.tracking[inp.tracking["expected_date"].notna() & inp.tracking["recorded_at"].notna()]
    tpos = facts.index.positions(trk["order_no"])
    expected = trk["expected_date"].to_numpy()[tpos >= 0]
    latest = pd.Series(expected).groupby(tpos[tpos >= 0]).max().reindex(range(n)).to_numpy()
    waiting = np.isin(facts.orders["status"], [_code(s) for s in NOT_YET_RELEASED])
    lead = inp.products.drop_duplicates("product_code", keep="last")
    days = dict(zip(lead["product_code"], lead["lead_time_days"], strict=True))
    codes, uniques = _codes(inp.lines["product_code"])
    lead_days = np.append(np.array([days.get(u, np.nan) for u in uniques], float), np.nan)
    line_lead = pd.Series(lead_days[codes], index=inp.lines.index)
    lpos = facts.index.positions(inp.lines["order_no"])
    longest = line_lead[lpos >= 0].groupby(lpos[lpos >= 0]).max().reindex(range(n)).to_numpy()
    ready = today + np.nan_to_num(longest).astype("timedelta64[D]")
    return passed | (latest > earliest) | (waiting & ~np.isnan(longest) & (ready > earliest))


@cache
def _defaults(model: type[Record]) -> dict[str, Any]:
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
    }


def _built(model: type[R], values: dict[str, Any]) -> R:
    """A record of values known good (they were read and checked): built without validating,
    every field given so that none needs its default looked up."""
    return model.model_construct(**(_defaults(model) | values))


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as keyword arguments of a record: None for blanks, dates, ints (a few rows only)."""
    columns: dict[str, list[Any]] = {}
    for name in df.columns:
        values = df[name]
        if pd.api.types.is_datetime64_any_dtype(values):  # NaT becomes None
            columns[name] = values.to_numpy().astype("datetime64[D]").tolist()
        elif pd.api.types.is_float_dtype(values):
            columns[name] = [None if v != v else int(v) for v in values.to_numpy()]
        else:
            columns[name] = [None if pd.isna(v) else v for v in values.astype(object)]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]
