"""The meeting report (DOMAIN §6 regular tracking meeting, §9 statistics): ``orderdesk report``.

Gathers the agenda of the regular tracking meeting from the master workbook — the period's
figures, delay and rejection causes, the overdue and at-risk orders (the time nodes' rule, as
``orderdesk overdue`` lists them), the open change requests and the orders released, shipped
or closed in the period — and writes it as a standalone workbook, with a PDF copy through
LibreOffice on request. Read-only on the master workbook: it writes nothing there, not even a
ledger row.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from addin.core.agenda import (
    MeetingReport,
    ReportPeriod,
    milestones,
    open_changes,
    split_late,
)
from addin.core.day_range import FIRST_DAY, LAST_DAY, within
from addin.core.problems import Problem, RuleError
from addin.i18n import normalize_lang, t
from addin.services.context import Outcome, default_user
from addin.services.snapshot import Snapshot
from addin.services.statistics import figures_of
from addin.services.timenodes import late_orders
from workbook.store import Store, StoreError

if TYPE_CHECKING:
    from addin.core.statistics import Rate

# Tables whose unreadable rows are left out of the report: reported with the outcome.
READ_TABLES = ("orders", "lines", "tracking", "complaints", "ledger", "changes")


def choose_period(
    month: str | None, date_from: date | None, date_to: date | None, today: date
) -> ReportPeriod:
    """The report's period: ``month`` (``YYYY-MM``), or ``date_from``..``date_to``, or the
    month of ``today``. Refuses a month that is not one and a range that ends before it starts."""
    if month is not None:
        try:
            period = ReportPeriod.month(month)
        except ValueError:
            raise RuleError(Problem("report.bad_month", {"value": month})) from None
        if not (within(period.start) and within(period.end)):
            raise StoreError(
                "cli.date_range",
                value=month,
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            )
        return period
    if date_from is not None or date_to is not None:
        start = date_from or ReportPeriod.month_of(date_to or today).start
        end = date_to or ReportPeriod.month_of(start).end
        if start > end:
            raise RuleError(Problem("report.bad_period", {"start": start, "end": end}))
        return ReportPeriod(start, end)
    return ReportPeriod.month_of(today)


def gather(store: Store, period: ReportPeriod, today: date) -> tuple[MeetingReport, list[Problem]]:
    """The agenda for ``period``, the overdue and open items as of ``today``, and the problems
    met reading the workbook (rows left out, holidays that are not dates)."""
    snap = Snapshot(store)
    stats = figures_of(snap, period.start, period.end, today).stats
    found, problems = late_orders(snap, today)
    overdue, at_risk = split_late(found, snap.orders)
    unreadable = [p for table in READ_TABLES for p in snap.problems_of(table)]
    report = MeetingReport(
        period=period,
        as_of=today,
        company=snap.settings.get("company"),
        currency=snap.settings.currency,
        stats=stats,
        overdue=overdue,
        at_risk=at_risk,
        changes=open_changes(snap.records("changes"), snap.orders, today),
        milestones=milestones(snap.ledger, snap.orders, period),
        rows_left_out=len(unreadable),
    )
    return report, [*unreadable, *problems]


def write_report(
    store: Store,
    workbook: Path,
    period: ReportPeriod,
    *,
    out_dir: Path | None = None,
    pdf: bool = False,
    lang: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> Outcome:
    """Write the meeting report for ``period`` beside ``workbook`` (or in ``out_dir``), and its
    PDF copy when ``pdf``. A PDF that cannot be made (no LibreOffice, a failed conversion) is a
    problem of the outcome, with ``data["pdf"]`` None; the workbook is written all the same."""
    from workbook.pdf import PdfError, to_pdf
    from workbook.report_file import render_report

    lang = normalize_lang(lang or store.lang)
    now = (now or datetime.now()).replace(microsecond=0)
    today = today or now.date()
    report, problems = gather(store, period, today)
    folder = out_dir or workbook.resolve().parent
    path = render_report(report, folder, lang, now, user or default_user())
    outcome = Outcome("report", problems=problems)
    outcome.files.append(path)
    pdf_path: Path | None = None
    if pdf:
        try:
            pdf_path = to_pdf(path, folder)
        except PdfError as exc:
            outcome.problems.append(Problem("report.pdf_missing", {"reason": exc.message(lang)}))
        else:
            outcome.files.append(pdf_path)
    outcome.data = {
        "workbook": str(path),
        "pdf": str(pdf_path) if pdf_path else None,
        "pdf_requested": pdf,
        **report.to_json(lang),
    }
    summary = summary_text(report, lang)
    outcome.report = lambda reader: [summary_text(report, reader)]
    outcome.data["summary"] = summary
    return outcome


def percent_text(rate: Rate, lang: str) -> str:
    """A rate as ``92.5% (37/40)``, or the "no data" text when there was nothing to measure."""
    if rate.value is None:
        return t("report.no_data", lang)
    return f"{rate.value * 100:.1f}% ({rate.numerator}/{rate.denominator})"


def summary_text(report: MeetingReport, lang: str) -> str:
    """The one-line summary the command line prints."""
    stats = report.stats
    return t(
        "report.summary",
        lang,
        period=report.period.label,
        orders=stats.orders,
        on_time=percent_text(stats.on_time, lang),
        quality=percent_text(stats.quality, lang),
        overdue=len(report.overdue),
        at_risk=len(report.at_risk),
        changes=len(report.changes),
    )
