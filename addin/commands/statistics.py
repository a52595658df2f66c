"""``orderdesk stats`` (the §9 figures, read-only) and ``orderdesk dashboard`` (refresh the
dashboard and analysis sheets)."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from addin.commands.archive import add_with_archives, combined
from addin.commands.common import EXIT_OK, add_workbook, day
from addin.core.enums import LabelledEnum
from addin.i18n import t, time_text
from workbook.cell_values import display_width

# --by: which breakdown the text output shows (the JSON holds them all).
BREAKDOWNS = ("month", "customer", "product", "rep")


def _period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", type=day, metavar="DATE", help="first day")
    p.add_argument("--to", dest="date_to", type=day, metavar="DATE", help="last day")
    add_with_archives(p)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "stats",
        parents=[common],
        help="statistics and analysis (DOMAIN §9), read-only; the whole history by default",
    )
    add_workbook(p)
    _period(p)
    p.add_argument(
        "--by",
        choices=BREAKDOWNS,
        default="month",
        help="the breakdown to print (default: month; --json gives every breakdown)",
    )
    p.set_defaults(handler=_stats)
    p = sub.add_parser(
        "dashboard",
        parents=[common],
        help="refresh the dashboard (tiles, charts) and analysis sheets; "
        "the last twelve months by default",
    )
    add_workbook(p)
    _period(p)
    p.set_defaults(handler=_dashboard)


def _stats(args: argparse.Namespace, out: Any) -> int:
    from addin.services.statistics import analysis_grid, figures
    from workbook.open import open_workbook

    with open_workbook(args.workbook) as store:
        out.use_workbook_lang(store.lang)
        stats, problems, currency = figures(combined(store, args), args.date_from, args.date_to)
    if out.json:
        out.data({"ok": True, "figures": stats.to_json(), "problems": _problems(problems, out)})
        return EXIT_OK
    grid = analysis_grid(stats, out.lang, datetime.now(), args.user or "", currency)
    for line in text_lines(
        _without_other_breakdowns(grid[:2] + grid[5:], args.by, out.lang), out.lang
    ):
        out.line(line)
    for problem in problems:
        out.line(f"  - {problem.format(out.lang)}")
    return EXIT_OK


def _dashboard(args: argparse.Namespace, out: Any) -> int:
    from addin.services.statistics import refresh, summary_text
    from workbook.open import open_workbook

    with open_workbook(args.workbook, write=True) as store:
        out.use_workbook_lang(store.lang)
        outcome, stats = refresh(combined(store, args), args.date_from, args.date_to, args.user)
        sheets = {key: t(f"sheet.{key}", store.lang) for key in ("dashboard", "analysis")}
    if out.json:
        out.data({"ok": True, **outcome.to_json(out.lang)})
        return EXIT_OK
    out.line(summary_text(stats, out.lang))
    for problem in outcome.problems:
        out.line(f"  - {problem.format(out.lang)}")
    out.line(t("dashboard.written", out.lang, **sheets))
    return EXIT_OK


def _problems(problems: list[Any], out: Any) -> list[str]:
    return [p.format(out.lang) for p in problems]


def _without_other_breakdowns(grid: list[list[Any]], by: str, lang: str) -> list[list[Any]]:
    """The grid less the breakdown sections other than ``by``'s (each runs to a blank row)."""
    others = {
        t(f"stats.section.by_{key}", lang)
        if key != "product"
        else t(f"analysis.section.by_{key}", lang)
        for key in BREAKDOWNS
        if key != by
    }
    out: list[list[Any]] = []
    skipping = False
    for row in grid:
        if len(row) == 1 and row[0] in others:
            skipping = True
            out.pop()  # the blank row before it
            continue
        if skipping and not row:
            skipping = False
        if not skipping:
            out.append(row)
    return out


def _text(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return value.label(lang)
    if isinstance(value, datetime):
        return time_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def text_lines(grid: list[list[Any]], lang: str) -> list[str]:
    """The grid as lines of text, each table's columns aligned (wide characters count twice)."""
    rows = [[_text(v, lang) for v in row] for row in grid]
    widths: dict[int, list[int]] = {}  # first row of a table → its column widths
    start = None
    for r, row in enumerate([*rows, []]):
        if len(row) > 1 and start is None:
            start = r
        elif len(row) <= 1 and start is not None:
            table = rows[start:r]
            widths[start] = [
                max(display_width(cells[c]) for cells in table if c < len(cells))
                for c in range(max(map(len, table)))
            ]
            start = None
    lines, current = [], None
    for r, row in enumerate(rows):
        current = widths.get(r, current if len(row) > 1 else None)
        if current is None:
            lines.append(" ".join(row).rstrip())
            continue
        cells = [cell + " " * (current[c] - display_width(cell)) for c, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines
