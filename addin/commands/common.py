"""Shared plumbing of the command modules: open the workbook, run a service, print its outcome."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from addin.commands.usage import usage_error
from addin.services.context import Outcome
from workbook.open import open_workbook
from workbook.store import Store

EXIT_OK, EXIT_RULE = 0, 1


def day(text: str) -> date:
    """A date argument, read as the workbook reads a date cell."""
    from addin.core.parse import CellError, convert
    from addin.core.schema import TABLES

    try:
        value = convert(TABLES["tracking"], "date", text)
    except CellError:
        value = None
    if value is None:
        raise usage_error("usage.bad_date", text=text)
    return value


def add_workbook(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "workbook", type=Path, metavar="WORKBOOK", help="the master workbook (.xlsx)"
    )


def run(
    args: argparse.Namespace,
    out: Any,
    service: Callable[[Store], Outcome],
    write: bool = True,
) -> int:
    """Open the workbook (held for writing when ``write``), run ``service``, print the outcome."""
    with open_workbook(args.workbook, write=write) as store:
        out.use_workbook_lang(store.lang)
        outcome = service(store)
    print_outcome(out, outcome)
    return EXIT_OK


def print_outcome(out: Any, outcome: Outcome) -> None:
    if out.json:
        out.data({"ok": True, **outcome.to_json(out.lang)})
        return
    for line in outcome.lines(out.lang):
        out.line(line)
