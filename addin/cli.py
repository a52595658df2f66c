"""``orderdesk``: every action of the procedure from a command line, on any OS.

Conventions kept by every command: ``orderdesk VERB WORKBOOK ...``, where WORKBOOK may be a
database URL (or left out for ``--db URL`` / ``ORDERDESK_DB``); ``--json`` prints a
machine-readable result; ``--lang zh|en``; ``--user NAME`` (default: the OS user). Exit status
0 done, 1 refused by a rule or by a concurrent change (nothing written), 2 bad usage or
unreadable input, 3 an unexpected error (a defect: its traceback goes to the log file, one line
names it).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from addin.commands.common import WORKBOOK_COMMANDS, add_db_option, database_argv, database_env
from addin.commands.usage import UsageParser, chosen_lang, localize, speaking
from addin.core.problems import RuleError
from addin.i18n import Lang, normalize_lang, t
from workbook.store import StoreError

EXIT_OK, EXIT_RULE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# Command modules, each with ``register(subparsers, common)``.
COMMAND_MODULES = (
    "addin.commands.foundation",
    "addin.commands.lifecycle",
    "addin.commands.taskorders",
    "addin.commands.statistics",
    "addin.commands.complaints",
    "addin.commands.report",
    "addin.commands.addin_file",
    "addin.commands.master_data",
    "addin.commands.reminders",
    "addin.commands.db",
    "addin.commands.archive",
    "addin.commands.upgrade",
)


class Printer:
    """Where a command's output goes: text in the chosen language, or JSON."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.json = bool(getattr(args, "json", False))
        self.explicit_lang = getattr(args, "lang", None)
        self.lang = normalize_lang(self.explicit_lang)

    def use_workbook_lang(self, lang: str) -> None:
        if self.explicit_lang is None:
            self.lang = normalize_lang(lang)

    def line(self, text: str = "") -> None:
        if not self.json:
            print(text)

    def data(self, payload: Any) -> None:
        if self.json:
            print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))

    def progress(self, items: Iterable[Any], total: int | None = None) -> Iterable[Any]:
        """A progress bar on a terminal, nothing otherwise."""
        if self.json or not sys.stderr.isatty():
            return items
        from tqdm import tqdm

        return tqdm(items, total=total, file=sys.stderr, leave=False)


def build_parser(lang: Lang = "zh") -> argparse.ArgumentParser:
    """The parser, its explanations in ``lang`` (build it inside :func:`speaking`, so that
    argparse's own texts are in ``lang`` too)."""
    import importlib

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print a machine-readable result")
    common.add_argument("--lang", choices=("zh", "en"), help="language of messages")
    common.add_argument("--user", help="who acts (default: the OS user)")
    add_db_option(common)
    parser = UsageParser(prog="orderdesk", description=t("usage.description", lang))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub, common)
    localize(parser, lang)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `orderdesk show ... | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = chosen_lang(arguments)  # before the parser is built: argparse's texts are built in
    with speaking(lang):
        parser = build_parser(lang)
        try:
            arguments = database_argv(arguments, parser.prog, _nested, database_env())
        except ValueError:
            parser.error(t("server.db_and_workbook", lang))
        args = parser.parse_args(arguments)
    out = Printer(args)
    handler: Callable[[argparse.Namespace, Printer], int] = args.handler
    try:
        _check_days(args)
        return handler(args, out)
    except RuleError as exc:
        if out.json:
            out.data({"ok": False, "refused": [p.to_json(out.lang) for p in exc.problems]})
        else:
            print(t("cli.refused", out.lang), file=sys.stderr)
            for problem in exc.problems:
                print(f"  - {problem.format(out.lang)}", file=sys.stderr)
        return EXIT_RULE
    except StoreError as exc:
        message = t(exc.key, out.lang, **exc.params)
        if out.json:
            out.data({"ok": False, "error": exc.key, "message": message})
        else:
            print(message, file=sys.stderr)
        # A concurrent change refused the action (nothing written): not a usage error.
        return EXIT_RULE if getattr(exc, "retryable", False) else EXIT_USAGE
    except Exception:
        from addin.logfile import log_exception

        log = log_exception("orderdesk %s failed", " ".join(sys.argv[1:] if argv is None else argv))
        message = t("cli.internal_error", out.lang, log=str(log))
        if out.json:
            out.data({"ok": False, "error": "internal", "message": message})
        else:
            print(message, file=sys.stderr)
        return EXIT_INTERNAL


def _check_days(args: argparse.Namespace) -> None:
    """Refuse a date option the figures cannot count with (see :mod:`addin.core.day_range`)."""
    from datetime import date

    from addin.core.day_range import FIRST_DAY, LAST_DAY, within

    for value in vars(args).values():
        if isinstance(value, date) and not within(value):
            raise StoreError(
                "cli.date_range",
                value=value.isoformat(),
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            )


def _nested(word: str) -> bool:
    """Whether a command has steps (``review record``, ``change file``, ...)."""
    return any(prog.split()[1:2] == [word] and len(prog.split()) > 2 for prog in WORKBOOK_COMMANDS)


if __name__ == "__main__":
    sys.exit(main())
