"""The dashboard sheet's values: KPI tiles and the tables its charts are drawn from (DOMAIN §9).

The statistics give every cause and product group; the dashboard's tables have a fixed number
of rows (:mod:`workbook.dashboard_blocks`), so the largest are shown one by one and the rest
summed as "other". Rates go in as fractions (the cells are formatted as percentages); a rate
with nothing to measure is a blank in a table (a gap in its line) and "no data" on its tile.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from addin.i18n import t
from workbook.dashboard_blocks import TOP_N

if TYPE_CHECKING:
    from addin.core.statistics import CauseCount, MixRow, Rate, Statistics


def period_text(stats: Statistics, lang: str) -> str:
    """The period of the figures in words: the dashboard's heading, the analysis sheet's."""
    start, end = stats.period.date_from, stats.period.date_to
    if start is None and end is None:
        return t("stats.period_all", lang)
    return t(
        "stats.period_range",
        lang,
        start=start.isoformat() if start else "…",
        end=end.isoformat() if end else "…",
    )


def dashboard_values(
    stats: Statistics, lang: str, now: datetime, user: str, currency: str
) -> dict[str, list[list[Any]]]:
    """The values of every block of the dashboard sheet, by block name."""
    no_data = t("dashboard.no_data", lang)
    heading = t("dashboard.heading", lang, period=period_text(stats, lang), as_of=stats.as_of)
    refreshed = t("dashboard.refreshed", lang, time=f"{now:%Y-%m-%d %H:%M}", user=user)
    values: dict[str, list[list[Any]]] = {"heading": [[heading, *[None] * 5, refreshed]]}

    def tile(key: str, value: Any, detail: str) -> None:
        values[f"tile.{key}"] = [[value]]
        values[f"tile.{key}.detail"] = [[detail]]

    def rate_tile(key: str, rate: Rate) -> None:
        if rate.value is None:
            tile(key, no_data, "")
            return
        detail = t(
            f"dashboard.detail.{key}",
            lang,
            numerator=f"{rate.numerator:,}",
            denominator=f"{rate.denominator:,}",
        )
        tile(key, rate.value, detail)

    tile(
        "orders", stats.orders, t("dashboard.detail.orders", lang, cancelled=stats.orders_cancelled)
    )
    others = [
        f"{cur} {amount:,.2f}" for cur, amount in sorted(stats.sales.items()) if cur != currency
    ]
    sales_detail = t("dashboard.detail.sales", lang, currency=currency)
    if others:
        sales_detail += "; " + t("dashboard.detail.sales_more", lang, others=", ".join(others))
    tile("sales", stats.sales.get(currency, Decimal(0)), sales_detail)
    rate_tile("on_time", stats.on_time)
    if stats.on_time.value is not None:  # beside it, the same lines by the agreed date
        values["tile.on_time.detail"][0][0] += t(
            "dashboard.detail.on_time_agreed",
            lang,
            rate=f"{(stats.on_time_agreed.value or 0) * 100:.1f}%",
            numerator=f"{stats.on_time_agreed.numerator:,}",
        )
    rate_tile("quality", stats.quality)
    rate_tile("complaints", stats.complaint_rate)
    tile(
        "overdue",
        len(stats.overdue),
        t("dashboard.detail.overdue", lang, at_risk=len(stats.at_risk)),
    )

    values["trend"] = [
        [
            m.key,
            m.orders,
            m.amount.get(currency, Decimal(0)),
            m.on_time.value,
            m.quality.value,
            m.complaints.value,
        ]
        for m in stats.trend
    ]
    values["delays"] = _pareto(stats.delay_causes, lang)
    values["rejections"] = [
        [name, quantity, entries]
        for name, quantity, entries in _top(
            stats.rejection_causes, lang, lambda c: (c.quantity, c.entries)
        )
    ]
    values["mix"] = _mix([r for r in stats.mix_groups if r.currency == currency], lang)
    values["backlog"] = [
        [bucket.key.replace("-", "–"), bucket.orders, bucket.overdue] for bucket in stats.backlog
    ]
    return values


def _cause(cause: CauseCount, lang: str) -> str:
    return cause.cause or t("stats.unassigned", lang)


def _top(causes: list[CauseCount], lang: str, measure: Any) -> list[tuple[Any, ...]]:
    """The ``TOP_N`` largest causes by ``measure`` (a tuple of figures), then the rest summed."""
    ranked = sorted(causes, key=lambda c: (tuple(-x for x in measure(c)), c.cause))
    rows: list[tuple[Any, ...]] = [(_cause(c, lang), *measure(c)) for c in ranked[:TOP_N]]
    rest = ranked[TOP_N:]
    if rest:
        summed = [sum(figures) for figures in zip(*(measure(c) for c in rest), strict=True)]
        rows.append((t("dashboard.other", lang), *summed))
    return rows


def _pareto(causes: list[CauseCount], lang: str) -> list[list[Any]]:
    """Delay causes largest first, with the cumulative share of all delay entries."""
    rows = _top(causes, lang, lambda c: (c.entries, c.orders))
    total = sum(c.entries for c in causes)
    out, running = [], 0
    for name, entries, orders in rows:
        running += entries
        out.append([name, entries, orders, running / total if total else None])
    return out


def _mix(groups: list[MixRow], lang: str) -> list[list[Any]]:
    ranked = sorted(groups, key=lambda r: (-r.amount, r.group))
    rows = [[r.group or t("stats.unassigned", lang), r.amount, r.share] for r in ranked[:TOP_N]]
    rest = ranked[TOP_N:]
    if rest:
        shares = [r.share for r in rest if r.share is not None]
        rows.append(
            [
                t("dashboard.other", lang),
                sum((r.amount for r in rest), Decimal(0)),
                sum(shares) if shares else None,
            ]
        )
    return rows
