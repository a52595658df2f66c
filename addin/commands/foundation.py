"""Commands of the foundation: init, receive, check, verify, show, demo."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from addin.commands.common import EXIT_OK, EXIT_RULE, add_workbook, print_outcome, run
from addin.i18n import t


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="create a new master workbook")
    add_workbook(p)
    p.add_argument(
        "--force", action="store_true", help="overwrite an existing file (a backup is kept)"
    )
    p.set_defaults(handler=_init)

    p = sub.add_parser(
        "receive", parents=[common], help="take orders from a CSV or xlsx order form"
    )
    add_workbook(p)
    p.add_argument("form", type=Path, metavar="FILE")
    p.set_defaults(handler=_receive)

    p = sub.add_parser("check", parents=[common], help="preliminary check (DOMAIN §2)")
    add_workbook(p)
    p.add_argument("order_nos", nargs="*", metavar="ORDER_NO")
    p.set_defaults(handler=_check)

    p = sub.add_parser(
        "verify", parents=[common], help="verify the ledger's hash chain and statuses"
    )
    add_workbook(p)
    p.set_defaults(handler=_verify)

    p = sub.add_parser(
        "show", parents=[common], help="one order with its lines, status and history"
    )
    add_workbook(p)
    p.add_argument("order_no", metavar="ORDER_NO")
    p.set_defaults(handler=_show)

    p = sub.add_parser(
        "demo", parents=[common], help="build a demo master workbook and run the procedure"
    )
    p.add_argument(
        "--out", type=Path, default=Path("demo-output"), help="folder for the demo's files"
    )
    p.set_defaults(handler=_demo)


def _init(args: argparse.Namespace, out: Any) -> int:
    from workbook.create import create_master_workbook
    from workbook.open import is_database

    if is_database(args.workbook):  # `init URL` is `db init URL`
        from addin.commands.db import init_database

        return init_database(str(args.workbook), args.lang, out)
    lang = args.lang or "zh"
    out.use_workbook_lang(lang)
    path = create_master_workbook(args.workbook, lang, force=args.force)
    out.line(t("init.done", out.lang, path=str(path)))
    out.data({"ok": True, "workbook": str(path), "lang": lang})
    return EXIT_OK


def _receive(args: argparse.Namespace, out: Any) -> int:
    from addin.services.receipt import receive

    return run(args, out, lambda store: receive(store, args.form, args.user))


def _check(args: argparse.Namespace, out: Any) -> int:
    from addin.services.receipt import check

    return run(
        args,
        out,
        lambda store: check(store, args.order_nos or None, args.user, progress=out.progress),
    )


def _verify(args: argparse.Namespace, out: Any) -> int:
    from addin.services.inquiry import verify
    from workbook.open import open_workbook

    with open_workbook(args.workbook) as store:
        out.use_workbook_lang(store.lang)
        outcome = verify(store)
    ok = not outcome.problems
    if out.json:
        out.data({"ok": ok, **outcome.to_json(out.lang)})
    else:
        print_outcome(out, outcome) if not ok else None
        key = "verify.ok" if ok else "verify.found"
        out.line(t(key, out.lang, count=len(outcome.problems), **outcome.data))
    return EXIT_OK if ok else EXIT_RULE


def _show(args: argparse.Namespace, out: Any) -> int:
    from addin.commands.show_text import render_order
    from addin.services.inquiry import show
    from workbook.open import open_workbook

    with open_workbook(args.workbook) as store:
        out.use_workbook_lang(store.lang)
        data = show(store, args.order_no)
    if out.json:
        problems = data.pop("problems")
        out.data({"ok": True, **data, "problems": [p.to_json(out.lang) for p in problems]})
    else:
        out.line(render_order(data, out.lang))
    return EXIT_OK


def _demo(args: argparse.Namespace, out: Any) -> int:
    from addin.demo.run import run_demo

    lang = args.lang or "zh"
    out.use_workbook_lang(lang)
    summary = run_demo(args.out, lang=lang, progress=out.progress)
    if out.json:
        out.data({"ok": True, **summary.to_json()})
    else:
        out.line(summary.text(out.lang))
    return EXIT_OK
