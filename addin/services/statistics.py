"""Statistics and analysis (DOMAIN §9): compute the figures; refresh the dashboard sheet (tiles
and charts) and the analysis sheet (every figure in full).

pandas is loaded only when a refresh runs (:func:`figures_of` imports
``addin.core.stats_figures`` inside it), so importing this module stays cheap for the ribbon.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from addin.core.problems import Problem, RuleError
from addin.core.statistics import REPORTED_TABLES
from addin.i18n import t
from addin.services.context import Action, Outcome
from addin.services.dashboard import dashboard_values, period_text
from addin.services.period_view import period_snapshot
from addin.services.snapshot import Snapshot
from workbook.dashboard_blocks import cell_blocks
from workbook.store import Store

if TYPE_CHECKING:
    from addin.core.statistics import Measures, Rate, Statistics

DASH = "—"
# Sections added with the dashboard: their titles live with the dashboard's messages.
SECTION_KEYS = {
    "backlog": "analysis.section.backlog",
    "by_product": "analysis.section.by_product",
}


class Figures(NamedTuple):
    stats: Statistics
    problems: list[Problem]  # rows left out of the figures because they cannot be read
    currency: str  # the workbook's currency


def figures(
    store: Store,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> Figures:
    """The §9 figures for the period (either end may be open), read-only; from the period's
    rows only where the store can select them (:mod:`addin.services.period_view`)."""
    as_of = (now or datetime.now()).date()
    return figures_of(period_snapshot(store, date_from, date_to, as_of), date_from, date_to, as_of)


def figures_of(
    snap: Snapshot, date_from: date | None, date_to: date | None, as_of: date
) -> Figures:
    """:func:`figures` from a snapshot already read (an action's, a report's)."""
    from addin.core.stats_figures import compute

    if date_from and date_to and date_from > date_to:
        raise RuleError(Problem("stats.bad_period", {"start": date_from, "end": date_to}))
    stats = compute(
        orders=snap.orders.values(),
        lines=[line for lines in snap.lines.values() for line in lines],
        tracking=snap.records("tracking"),
        complaints=snap.records("complaints"),
        ledger=snap.ledger,
        products=snap.products.values(),
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        default_currency=snap.settings.currency,
    )
    problems = [p for table in REPORTED_TABLES for p in snap.problems_of(table)]
    return Figures(stats, problems, snap.settings.currency)


def last_twelve_months(today: date) -> tuple[date, date]:
    """The dashboard's period when none is given: the month of ``today`` and the 11 before,
    the same months its trend charts show."""
    month = today.year * 12 + today.month - 1 - 11
    return date(month // 12, month % 12 + 1, 1), today


def refresh_dashboard(
    store: Store,
    date_from: date | None = None,
    date_to: date | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Compute the §9 figures for the period (the last twelve months when none is given),
    write them to the dashboard and analysis sheets (in the workbook's language) and log one
    ledger row. ``outcome.data`` holds the figures."""
    return refresh(store, date_from, date_to, user, now)[0]


def refresh(
    store: Store,
    date_from: date | None = None,
    date_to: date | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> tuple[Outcome, Statistics]:
    """:func:`refresh_dashboard`, also handing back the figures as computed."""
    action = Action(store, "stats", user, now)
    if date_from is None and date_to is None:
        date_from, date_to = last_twelve_months(action.now.date())
    as_of = action.now.date()
    snap = period_snapshot(action.store, date_from, date_to, as_of, action.snap)
    stats, problems, currency = figures_of(snap, date_from, date_to, as_of)
    lang = action.lang
    action.changes.analysis = analysis_grid(stats, lang, action.now, action.user, currency)
    action.changes.dashboard = cell_blocks(
        dashboard_values(stats, lang, action.now, action.user, currency)
    )
    action.log(None, summary_text(stats, lang))
    action.outcome.data = stats.to_json()
    action.outcome.problems = problems
    return action.commit(), stats


def summary_text(stats: Statistics, lang: str) -> str:
    """The headline figures in one line: the ledger's details, the ribbon's and the demo's."""
    return t(
        "stats.logged",
        lang,
        period=period_text(stats, lang),
        orders=stats.orders,
        on_time=percent_text(stats.on_time),
        quality=percent_text(stats.quality),
        complaints=percent_text(stats.complaint_rate),
    )


# -- the analysis sheet: every figure in full ----------------------------------------------------------------------
def percent(value: float | None) -> float | str:
    """A rate as percentage points with one decimal (the sheet needs no number format), or —."""
    return DASH if value is None else round(value * 100, 1)


def percent_text(rate: Rate) -> str:
    return DASH if rate.value is None else f"{rate.value * 100:.1f}%"


def _or_dash(value: Any) -> Any:
    return DASH if value is None else value


def _name(text: str, lang: str) -> str:
    return text or t("stats.unassigned", lang)


def analysis_grid(
    stats: Statistics,
    lang: str,
    now: datetime,
    user: str,
    default_currency: str = "CNY",
) -> list[list[Any]]:
    """The analysis sheet's cells, row by row: a title, then one block per analysis, each a
    section title, a header row and its rows (or "None"), separated by a blank row."""
    currencies = stats.currencies or [default_currency]
    h = lambda key, **params: t(f"stats.col.{key}", lang, **params)  # noqa: E731
    grid: list[list[Any]] = [
        [t("dashboard.title", lang)],
        [t("stats.period", lang), period_text(stats, lang)],
        [t("stats.as_of", lang), stats.as_of],
        [t("stats.refreshed", lang), now],
        [t("stats.user", lang), user],
    ]

    def section(title: str, header: list[str], rows: list[list[Any]]) -> None:
        grid.append([])
        grid.append([t(SECTION_KEYS.get(title, f"stats.section.{title}"), lang)])
        grid.append(header)
        grid.extend(rows or [[t("stats.none", lang)]])

    def figure(label: str, value: Any, num: Any = None, den: Any = None, basis: str = "") -> list:
        return [label, value, num, den, t(f"stats.basis.{basis}", lang) if basis else None]

    def fig(key: str, value: Any, basis: bool = True) -> list[Any]:
        return figure(t(f"stats.fig.{key}", lang), value, basis=key if basis else "")

    def rate_row(key: str, rate: Rate) -> list[Any]:
        label = t(f"stats.fig.{key}", lang)
        return figure(label, percent(rate.value), rate.numerator, rate.denominator, key)

    sales = [
        figure(
            t("stats.fig.sales", lang, currency=cur),
            stats.sales.get(cur, Decimal(0)),
            basis="sales",
        )
        for cur in currencies
    ]
    section(
        "key",
        [h("figure"), h("value"), h("numerator"), h("denominator"), h("basis")],
        [
            fig("orders", stats.orders),
            fig("cancelled", stats.orders_cancelled, basis=False),
            *sales,
            rate_row("on_time", stats.on_time),
            rate_row("on_time_agreed", stats.on_time_agreed),
            rate_row("quality", stats.quality),
            rate_row("complaint_rate", stats.complaint_rate),
            fig("complaints", stats.complaints_received),
            fig("overdue", len(stats.overdue)),
            fig("at_risk", len(stats.at_risk)),
        ],
    )
    section(
        "stages",
        [h("stage"), h("orders"), h("mean"), h("median"), t("analysis.col.p90", lang), h("max")],
        [
            [
                t(f"stats.stage.{s.stage.value}", lang),
                s.orders,
                _or_dash(s.mean_days),
                _or_dash(s.median_days),
                _or_dash(s.p90_days),
                _or_dash(s.max_days),
            ]
            for s in stats.stages
        ],
    )
    section(
        "backlog",
        [t(f"analysis.col.{key}", lang) for key in ("age", "open", "overdue")],
        [[b.key.replace("-", "–"), b.orders, b.overdue] for b in stats.backlog],
    )
    section(
        "mix_groups",
        [h("currency"), h("group"), h("quantity"), h("amount"), h("share")],
        [
            [r.currency, _name(r.group, lang), r.quantity, r.amount, percent(r.share)]
            for r in stats.mix_groups
        ],
    )
    section(
        "mix_products",
        [
            h("currency"),
            h("group"),
            h("product_code"),
            h("product_name"),
            h("quantity"),
            h("amount"),
            h("share"),
        ],
        [
            [
                r.currency,
                _name(r.group, lang),
                _name(r.product_code or "", lang),
                r.product_name,
                r.quantity,
                r.amount,
                percent(r.share),
            ]
            for r in stats.mix_products
        ],
    )
    section(
        "delays",
        [h("cause"), h("entries"), h("orders")],
        [[_name(c.cause, lang), c.entries, c.orders] for c in stats.delay_causes],
    )
    section(
        "rejections",
        [h("cause"), h("entries"), h("orders"), h("rejected")],
        [[_name(c.cause, lang), c.entries, c.orders, c.quantity] for c in stats.rejection_causes],
    )
    measure_header = [
        h("orders"),
        *[h("amount_in", currency=cur) for cur in currencies],
        t("stats.fig.on_time", lang),
        t("stats.fig.quality", lang),
        t("stats.fig.complaint_rate", lang),
    ]

    def measure_row(m: Measures, label: str) -> list[Any]:
        return [
            label,
            m.orders,
            *[m.amount.get(cur, Decimal(0)) for cur in currencies],
            percent(m.on_time.value),
            percent(m.quality.value),
            percent(m.complaints.value),
        ]

    def label(m: Measures, dimension: str) -> str:
        if dimension == "product" and m.key and m.label not in ("", m.key):
            return f"{m.key} {m.label}"  # names repeat across codes (sizes, grades)
        return _name(m.label or m.key, lang)

    for dimension in ("customer", "rep", "product", "month"):
        rows: list[Measures] = getattr(stats, f"by_{dimension}")
        section(
            f"by_{dimension}",
            [
                t("analysis.col.product", lang) if dimension == "product" else h(dimension),
                *measure_header,
            ],
            [measure_row(m, label(m, dimension)) for m in rows],
        )
    section(
        "overdue",
        [h("order_no"), h("customer"), h("status"), h("due"), h("days_overdue")],
        [[f.order_no, _name(f.customer, lang), f.status, f.due, f.days] for f in stats.overdue],
    )
    section(
        "at_risk",
        [h("order_no"), h("customer"), h("status"), h("expected"), h("cause")],
        [
            [f.order_no, _name(f.customer, lang), f.status, f.due, f.reason_text(lang) or f.cause]
            for f in stats.at_risk
        ],
    )
    return grid
