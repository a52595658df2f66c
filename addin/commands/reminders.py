"""``orderdesk remind``: mail each department what waits for it."""

from __future__ import annotations

import argparse
from typing import Any

from addin.commands.common import EXIT_OK, EXIT_RULE, add_workbook, day, print_outcome


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "remind",
        parents=[common],
        help="mail each department what waits for it: review decisions due, overdue time "
        "nodes, changes to review, task orders not yet sent",
    )
    add_workbook(p)
    p.add_argument("--date", type=day, help="the day to remind as of (default: today)")
    p.add_argument("--via", choices=("smtp", "eml"), help="transport (default: settings)")
    p.add_argument("--dry-run", action="store_true", help="say what would be sent; send nothing")
    p.set_defaults(handler=_remind)


def _remind(args: argparse.Namespace, out: Any) -> int:
    from addin.services.reminders import remind
    from workbook.open import open_workbook, working_dir

    with open_workbook(args.workbook, write=not args.dry_run) as store:
        out.use_workbook_lang(store.lang)
        outcome = remind(
            store,
            working_dir(args.workbook),
            args.date,
            args.via,
            args.dry_run,
            args.user,
        )
    complete = outcome.data.get("complete", True)
    if out.json:
        out.data({"ok": complete, **outcome.to_json(out.lang)})
    else:
        print_outcome(out, outcome)
    return EXIT_OK if complete else EXIT_RULE
