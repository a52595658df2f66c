"""``orderdesk archive``: move closed orders older than the settings' period to the yearly
archive workbooks beside the master (file mode; server mode keeps the years in its database)."""

from __future__ import annotations

import argparse
import re
from datetime import datetime, time
from pathlib import Path
from typing import Any

from addin.commands.common import EXIT_OK, add_workbook, day, print_outcome


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "archive",
        parents=[common],
        help="move closed orders older than the settings' period to yearly archives",
    )
    add_workbook(p)
    p.add_argument("--date", type=day, help="as of this day (default: today)")
    p.add_argument("--dry-run", action="store_true", help="count what would move; write nothing")
    p.set_defaults(handler=_archive)


def _archive(args: argparse.Namespace, out: Any) -> int:
    from addin.core.problems import Problem, RuleError
    from addin.services.archive import archive

    if re.match(r"[A-Za-z][\w+.-]+:/", str(args.workbook)):  # a server's URL (Path ate a /)
        raise RuleError(Problem("archive.server", {}))
    now = datetime.combine(args.date, time(12)) if args.date else None
    outcome = archive(
        Path(args.workbook), args.user, now, dry_run=args.dry_run, opened=out.use_workbook_lang
    )
    print_outcome(out, outcome)
    return EXIT_OK


def add_with_archives(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--with-archives",
        action="store_true",
        help="include the yearly archives the master records",
    )


def combined(store: Any, args: argparse.Namespace) -> Any:
    """The master, or the master with its archives when ``--with-archives`` is given."""
    from addin.services.archive import WithArchives

    return WithArchives(store) if getattr(args, "with_archives", False) else store
