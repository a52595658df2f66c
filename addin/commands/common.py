"""Shared plumbing of the command modules: open the workbook, run a service, print its outcome."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from addin.services.context import Outcome
from workbook.open import open_workbook
from workbook.store import Store

EXIT_OK, EXIT_RULE = 0, 1


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
    lang = out.lang
    if out.json:
        out.data({"ok": True, **outcome.to_json(lang)})
        return
    from addin.i18n import t

    for item in outcome.orders:
        before = item.before.label(lang) if item.before else "—"
        after = item.after.label(lang) if item.after else "—"
        line = f"{item.order_no}: {before} → {after}"
        if item.message:
            line += f"  {t(item.message, lang, **item.params)}"
        out.line(line)
        for problem in item.problems:
            out.line(f"    - {problem.format(lang)}")
    for problem in outcome.problems:
        out.line(f"  - {problem.format(lang)}")
    for path in outcome.files:
        out.line(f"  → {path}")
    if outcome.report is not None:
        for line in outcome.report(lang):
            out.line(f"    {line}")
    elif not outcome.orders and not outcome.problems:
        out.line(t("cli.nothing", lang))
