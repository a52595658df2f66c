"""Commands for task orders reaching the departments: ``send`` and ``taskorder pdf``."""

from __future__ import annotations

import argparse
from typing import Any

from addin.commands.common import EXIT_OK, EXIT_RULE, add_workbook, print_outcome
from addin.i18n import t


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "send",
        parents=[common],
        help="e-mail a task order, or an approved change's notice, to the departments",
    )
    add_workbook(p)
    p.add_argument("task_no", metavar="TASK_NO|CHANGE_NO")
    p.add_argument(
        "--via", choices=("smtp", "eml", "outlook"), help="transport (default: settings)"
    )
    p.add_argument("--dry-run", action="store_true", help="say what would be sent; send nothing")
    p.set_defaults(handler=_send)

    p = sub.add_parser("taskorder", parents=[common], help="task-order files")
    verbs = p.add_subparsers(dest="taskorder_command", required=True, metavar="ACTION")
    pdf = verbs.add_parser("pdf", parents=[common], help="a PDF copy of a task order (LibreOffice)")
    add_workbook(pdf)
    pdf.add_argument("task_no", metavar="TASK_NO")
    pdf.set_defaults(handler=_pdf)


def _send(args: argparse.Namespace, out: Any) -> int:
    from addin.services.sending import is_change_no, send, send_notice
    from workbook.open import open_workbook, working_dir

    with open_workbook(args.workbook, write=not args.dry_run) as store:
        out.use_workbook_lang(store.lang)
        sender = send_notice if is_change_no(store, args.task_no) else send
        outcome = sender(
            store, args.task_no, working_dir(args.workbook), args.via, args.dry_run, args.user
        )
    data = outcome.data
    if args.dry_run:
        out.line(
            t(
                "send.dry_run",
                out.lang,
                task_no=data["task_no"],
                recipients=", ".join(data["recipients"]),
                files=", ".join(data["attachments"]),
            )
        )
        out.data({"ok": True, **outcome.to_json(out.lang)})
        return EXIT_OK
    complete = data.get("complete", True)
    if out.json:
        out.data({"ok": complete, **outcome.to_json(out.lang)})
    else:
        print_outcome(out, outcome)
    return EXIT_OK if complete else EXIT_RULE


def _pdf(args: argparse.Namespace, out: Any) -> int:
    from addin.services.sending import make_pdf
    from workbook.open import open_workbook, working_dir

    with open_workbook(args.workbook) as store:
        out.use_workbook_lang(store.lang)
        outcome = make_pdf(store, args.task_no, working_dir(args.workbook))
    out.line(t("send.pdf_done", out.lang, path=outcome.data["pdf"]))
    out.data({"ok": True, **outcome.to_json(out.lang)})
    return EXIT_OK
