"""Shared plumbing of the command modules: open the workbook (or database), run a service,
print its outcome."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from addin.commands.usage import usage_error
from addin.services.context import Outcome
from workbook.open import is_database, open_store, working_dir
from workbook.store import Store

EXIT_OK, EXIT_RULE = 0, 1
DB_ENV = "ORDERDESK_DB"
# The commands taking WORKBOOK (their parsers by prog), so --db / ORDERDESK_DB can stand for it.
WORKBOOK_COMMANDS: dict[str, argparse.ArgumentParser] = {}
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


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


def target(text: str) -> Path | str:
    """A WORKBOOK argument: a database URL as given, else a path."""
    return text if is_database(text) else Path(text)


def add_workbook(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "workbook",
        type=target,
        metavar="WORKBOOK",
        help="the master workbook (.xlsx), or a database URL (postgresql://…, sqlite:///…); "
        f"--db URL or {DB_ENV} stand for it",
    )
    WORKBOOK_COMMANDS[parser.prog] = parser


def add_db_option(common: argparse.ArgumentParser) -> None:
    common.add_argument(
        "--db",
        metavar="URL",
        help=f"work on this database instead of a workbook (default: {DB_ENV} when set)",
    )


def database_argv(
    argv: Sequence[str], prog: str, nested: Callable[[str], bool], env: dict[str, str]
) -> list[str]:
    """``argv`` with the database of ``--db URL`` (or ``ORDERDESK_DB``) put where the command
    takes WORKBOOK, right after the command's words.

    The database stands for WORKBOOK when fewer positional arguments are given than the command
    requires, or when the first one does not name a workbook (.xlsx, a URL). ``--db`` with a
    workbook named too is an error (ValueError); the environment's database then gives way."""
    args = list(argv)
    url = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--db" and i + 1 < len(args):
            url = args[i + 1]
            del args[i : i + 2]
            break
        if arg.startswith("--db="):
            url = arg.split("=", 1)[1]
            del args[i]
            break
    words = [i for i, arg in enumerate(args) if not arg.startswith("-")]
    if not words:
        return args
    command = [args[words[0]]]
    if nested(command[0]) and len(words) > 1:
        command.append(args[words[1]])
    parser = WORKBOOK_COMMANDS.get(f"{prog} {' '.join(command)}")
    if parser is None or (url is None and not env.get(DB_ENV)):
        return args
    at = words[len(command) - 1] + 1
    given = _positionals(parser, args[at:])
    required = sum(1 for a in parser._actions if not a.option_strings and a.nargs in (None, 1))
    names_workbook = bool(given) and _names_workbook(given[0])
    if url is not None and len(given) >= required and names_workbook:
        raise ValueError(given[0])
    if url is None:
        if len(given) >= required and names_workbook:
            return args
        url = env[DB_ENV]
    return [*args[:at], url, *args[at:]]


def _positionals(parser: argparse.ArgumentParser, args: list[str]) -> list[str]:
    """The positional arguments among ``args`` (an option's value is not one)."""
    takes_value = {
        option: action.nargs != 0 for action in parser._actions for option in action.option_strings
    }
    found: list[str] = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--":
            return found + args[i + 1 :]
        elif arg.startswith("-") and len(arg) > 1 and not _is_number(arg):
            skip = "=" not in arg and takes_value.get(arg, False)
        else:
            found.append(arg)
    return found


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _names_workbook(text: str) -> bool:
    return is_database(text) or text.lower().endswith(WORKBOOK_SUFFIXES)


def database_env() -> dict[str, str]:
    return dict(os.environ)


def run(
    args: argparse.Namespace,
    out: Any,
    service: Callable[[Store], Outcome],
    write: bool = True,
) -> int:
    """Open the store (a workbook held for writing when ``write``), run ``service``, print the
    outcome. On a database the action runs again on a fresh read when the database asks (the
    order changed meanwhile, a serialization failure, a deadlock): see ``workbook.sql.retry``."""

    def attempt() -> Outcome:
        with open_store(args.workbook, write=write) as store:
            out.use_workbook_lang(store.lang)
            resolve = getattr(store, "resolve_user", None)
            if resolve is not None and hasattr(args, "user"):
                args.user = resolve(args.user)  # server mode: who acts is who logged in
            return service(store)

    if is_database(args.workbook):
        from workbook.sql.retry import retrying

        outcome = retrying(attempt)
    else:
        outcome = attempt()
    print_outcome(out, outcome)
    return EXIT_OK


def workbook_dir(args: argparse.Namespace) -> Path:
    """Where an action's files are put relative to: the workbook's folder, or in server mode
    the current directory."""
    return working_dir(args.workbook)


def print_outcome(out: Any, outcome: Outcome) -> None:
    if out.json:
        out.data({"ok": True, **outcome.to_json(out.lang)})
        return
    for line in outcome.lines(out.lang):
        out.line(line)
