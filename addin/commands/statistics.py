"""``orderdesk stats``: the §9 figures for a period, printed and written to the dashboard sheet."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from addin.commands.common import EXIT_OK, add_workbook
from addin.core.enums import LabelledEnum
from addin.i18n import t


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "stats",
        parents=[common],
        help="statistics and analysis (DOMAIN §9); refreshes the dashboard sheet",
    )
    add_workbook(p)
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="first day")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="last day")
    p.set_defaults(handler=_stats)


def _stats(args: argparse.Namespace, out: Any) -> int:
    from addin.services.statistics import dashboard_grid, refresh
    from workbook.open import open_workbook

    with open_workbook(args.workbook, write=True) as store:
        out.use_workbook_lang(store.lang)
        outcome, stats = refresh(store, args.date_from, args.date_to, args.user)
        sheet = t("sheet.dashboard", store.lang)
    if out.json:
        out.data({"ok": True, **outcome.to_json(out.lang)})
        return EXIT_OK
    grid = dashboard_grid(stats, out.lang, datetime.now().replace(microsecond=0), args.user or "")
    for row in grid[:2] + grid[5:]:  # the refresh time and user are the ledger's business
        out.line(text_row(row, out.lang))
    for problem in outcome.problems:
        out.line(f"  - {problem.format(out.lang)}")
    out.line(t("stats.written", out.lang, sheet=sheet))
    return EXIT_OK


def text_row(values: list[Any], lang: str) -> str:
    """One dashboard row as a line of text."""
    cells = []
    for value in values:
        if value is None:
            cells.append("")
        elif isinstance(value, LabelledEnum):
            cells.append(value.label(lang))
        elif isinstance(value, datetime):
            cells.append(value.isoformat(sep=" "))
        elif isinstance(value, date):
            cells.append(value.isoformat())
        else:
            cells.append(str(value))
    return "  ".join(cells).rstrip()
