"""``orderdesk report``: the regular tracking meeting's report (DOMAIN §6) as a workbook and PDF."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from addin.commands.archive import add_with_archives, combined
from addin.commands.common import EXIT_OK, EXIT_RULE, add_workbook, day, print_outcome
from addin.i18n import t


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report",
        parents=[common],
        help="the tracking meeting's report: figures, overdue and at-risk orders, open changes",
    )
    add_workbook(p)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--period", metavar="YYYY-MM", help="the month (default: this month)")
    when.add_argument(
        "--from", dest="date_from", type=day, metavar="DATE", help="first day (instead of a month)"
    )
    p.add_argument("--to", dest="date_to", type=day, metavar="DATE", help="last day (with --from)")
    p.add_argument(
        "--date", type=day, metavar="DATE", help="overdue and open items as of (default: today)"
    )
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write (default: beside the workbook)"
    )
    p.add_argument("--pdf", action="store_true", help="also a PDF copy (needs LibreOffice)")
    add_with_archives(p)
    p.set_defaults(handler=_report)


def _report(args: argparse.Namespace, out: Any) -> int:
    from addin.services.report import choose_period, write_report
    from workbook.open import open_workbook, working_dir

    if args.period is not None and args.date_to is not None:
        from addin.cli import EXIT_USAGE

        message = t("usage.to_needs_from", out.lang)
        out.line(message)
        out.data({"ok": False, "error": "usage", "message": message})
        return EXIT_USAGE
    today = args.date or date.today()
    with open_workbook(args.workbook) as store:
        out.use_workbook_lang(store.lang)
        period = choose_period(args.period, args.date_from, args.date_to, today)
        outcome = write_report(
            combined(store, args),
            args.workbook,
            period,
            out_dir=args.out or working_dir(args.workbook),
            pdf=args.pdf,
            lang=out.lang,
            user=args.user,
            today=today,
        )
    complete = not args.pdf or outcome.data["pdf"] is not None
    if out.json:
        out.data({"ok": complete, **outcome.to_json(out.lang)})
    else:
        print_outcome(out, outcome)
    return EXIT_OK if complete else EXIT_RULE
