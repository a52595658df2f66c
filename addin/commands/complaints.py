"""``orderdesk complaint``: record a customer complaint against an order, number the complaints
typed into the sheet (``--pending``), or close one (``--close``)."""

from __future__ import annotations

import argparse
from typing import Any

from addin.commands.common import add_workbook, day, run
from addin.commands.lifecycle import _enum
from addin.core.enums import ComplaintSeverity

# the options that describe one new complaint (not allowed with --pending or --close)
_NEW = ("description", "severity", "customer")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "complaint",
        parents=[common],
        help="record a customer complaint (the complaint rate's source), number the typed "
        "ones (--pending) or close one (--close)",
    )
    add_workbook(p)
    p.add_argument("order_no", nargs="?", metavar="ORDER_NO", help="the order complained about")
    p.add_argument(
        "--pending",
        action="store_true",
        help="number the complaints typed into the complaints sheet (rows without a complaint "
        "number), of every order or of ORDER_NO",
    )
    p.add_argument("--close", metavar="COMPLAINT_NO", help="close this open complaint")
    p.add_argument(
        "--date",
        type=day,
        help="when the customer complained (required for a new complaint); with --close: the "
        "day it was closed (default: today)",
    )
    p.add_argument("--description", help="what the customer complains about")
    p.add_argument(
        "--severity", type=_enum(ComplaintSeverity), help="minor, major or critical (optional)"
    )
    p.add_argument("--customer", help="the customer code, checked against the order's")
    p.set_defaults(handler=_complaint, usage_error=p.error)


def _complaint(args: argparse.Namespace, out: Any) -> int:
    from addin.services import complaints

    given = [k for k in _NEW if getattr(args, k) is not None]
    if args.pending and args.close:
        args.usage_error("--pending and --close do not go together")
    if args.pending:
        extra = [*given, *(["date"] if args.date is not None else [])]
        if extra:
            args.usage_error(f"--pending takes the complaints from the sheet, not --{extra[0]}")
        return run(
            args, out, lambda store: complaints.record_pending(store, args.order_no, args.user)
        )
    if args.close:
        if given or args.order_no is not None:
            args.usage_error("--close takes a complaint number and --date only")
        return run(
            args,
            out,
            lambda store: complaints.close_complaint(store, args.close, args.date, args.user),
        )
    if args.order_no is None or args.date is None or args.description is None:
        args.usage_error("ORDER_NO, --date and --description are required (or --pending, --close)")
    return run(
        args,
        out,
        lambda store: complaints.record_complaint(
            store,
            args.order_no,
            args.date,
            args.description,
            args.severity,
            args.user,
            customer_code=args.customer,
        ),
    )
