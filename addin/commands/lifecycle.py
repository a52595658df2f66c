"""Commands of the order lifecycle: review, release, track, change, close, cancel, overdue."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.commands.common import EXIT_OK, add_workbook, day, run
from addin.commands.usage import current_lang, usage_error
from addin.core.enums import Decision, Department, LabelledEnum, Opinion, TrackKind
from addin.i18n import t
from workbook.open import working_dir

if TYPE_CHECKING:
    from addin.services.context import Outcome


def _enum(cls: type[LabelledEnum]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return cls.parse(text)
        except ValueError:
            lang = current_lang()
            choices = t("list.sep", lang).join(m.label(lang) for m in cls)
            raise usage_error("usage.bad_choice", text=text, choices=choices) from None

    parse.__name__ = cls.__name__
    return parse


def _order(parser: argparse.ArgumentParser) -> None:
    add_workbook(parser)
    parser.add_argument("order_no", metavar="ORDER_NO")


def _out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder for the files (default: the settings' task_order_dir beside the workbook; "
        "with a database: in the current directory)",
    )


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    # review (§3)
    review = sub.add_parser("review", help="order review rounds (DOMAIN §3)")
    steps = review.add_subparsers(dest="step", required=True, metavar="STEP")
    p = steps.add_parser("start", parents=[common], help="open a review round on a checked order")
    _order(p)
    p.set_defaults(handler=_review_start)
    p = steps.add_parser("record", parents=[common], help="one department's decision")
    _order(p)
    p.add_argument("--dept", required=True, type=_enum(Department), help="the department")
    p.add_argument(
        "--decision", required=True, type=_enum(Decision), help="pass, conditional or reject"
    )
    p.add_argument("--comment", default="", help="why (required for conditional and reject)")
    p.set_defaults(handler=_review_record)
    p = steps.add_parser(
        "agree", parents=[common], help="sales records the agreement; the next round opens"
    )
    _order(p)
    p.add_argument("--comment", required=True, help="what was agreed with the customer")
    p.add_argument("terms", nargs="*", metavar="FIELD=VALUE", help="changed terms")
    p.set_defaults(handler=_review_agree)
    p = steps.add_parser("conclude", parents=[common], help="conclude the open round")
    _order(p)
    p.set_defaults(handler=_review_conclude)

    # release (§4)
    p = sub.add_parser("release", parents=[common], help="issue the production task orders")
    _order(p)
    _out(p)
    p.set_defaults(handler=_release)

    # execution and tracking (§5–§6)
    p = sub.add_parser("track", parents=[common], help="record a production, inspection, ... fact")
    add_workbook(p)
    p.add_argument("order_no", nargs="?", metavar="ORDER_NO")
    p.add_argument(
        "--pending",
        action="store_true",
        help="apply the facts typed into the tracking sheet (rows without 'recorded at'), "
        "of every order or of ORDER_NO",
    )
    p.add_argument(
        "--kind", type=_enum(TrackKind), help="what happened (required without --pending)"
    )
    p.add_argument("--line", type=int, help="order line (required when the order has several)")
    p.add_argument("--qty", type=int, help="quantity produced / inspected / shipped / ...")
    p.add_argument("--passed", type=int, help="inspection: quantity passed")
    p.add_argument("--rejected", type=int, help="inspection: quantity rejected")
    p.add_argument("--cause", help="cause of rejects, a shortage or a delay")
    p.add_argument("--measures", help="delay: measures taken")
    p.add_argument("--expected", type=day, help="expected resolution / recovery date")
    p.add_argument("--carrier", help="shipment: carrier")
    p.add_argument("--date", type=day, help="when it happened (default: today)")
    p.add_argument("--remarks", help="remarks (material: the item)")
    p.set_defaults(handler=_track, usage_error=p.error)

    # change (§7)
    change = sub.add_parser("change", help="order changes (DOMAIN §7)")
    steps = change.add_subparsers(dest="step", required=True, metavar="STEP")
    p = steps.add_parser("request", parents=[common], help="file a change request")
    _order(p)
    p.add_argument("--by", required=True, type=_enum(Department), help="requesting department")
    p.add_argument("--reason", required=True, help="why the change is needed")
    p.add_argument("--impact", help="impact on execution")
    p.add_argument("--date-reason", help="why a new delivery date lies in the past (required then)")
    p.add_argument("assignments", nargs="+", metavar="FIELD=VALUE", help="FIELD[@LINE]=VALUE")
    p.set_defaults(handler=_change_request)
    # A step of its own: an optional ORDER_NO before request's FIELD=VALUE list would swallow
    # the first of them (argparse matches positionals greedily).
    p = steps.add_parser(
        "file",
        parents=[common],
        help="file the requests typed into the changes sheet (rows without a change number)",
    )
    add_workbook(p)
    p.add_argument("order_no", nargs="?", metavar="ORDER_NO", help="only this order's requests")
    p.set_defaults(handler=_change_file)
    p = steps.add_parser("review", parents=[common], help="review a change request")
    add_workbook(p)
    p.add_argument("change_no", metavar="CHANGE_NO")
    p.add_argument("--necessity", required=True)
    p.add_argument("--feasibility", required=True)
    p.add_argument("--delivery", required=True, help="impact on the delivery date")
    p.add_argument("--cost", required=True, help="impact on cost")
    p.add_argument("--quality", required=True, help="impact on quality")
    p.set_defaults(handler=_change_review)
    p = steps.add_parser(
        "opinion", parents=[common], help="a concerned department's opinion of a change"
    )
    add_workbook(p)
    p.add_argument("change_no", metavar="CHANGE_NO")
    p.add_argument("--dept", required=True, type=_enum(Department), help="the department")
    p.add_argument(
        "--opinion",
        required=True,
        type=_enum(Opinion),
        help="agree, conditional or disagree",
    )
    p.add_argument("--comment", default="", help="why (required for conditional and disagree)")
    p.set_defaults(handler=_change_opinion)
    p = steps.add_parser("approve", parents=[common], help="approve a reviewed change")
    add_workbook(p)
    p.add_argument("change_no", metavar="CHANGE_NO")
    p.add_argument("--comment", default="")
    _out(p)
    p.set_defaults(handler=_change_approve)
    p = steps.add_parser("reject", parents=[common], help="reject a change request")
    add_workbook(p)
    p.add_argument("change_no", metavar="CHANGE_NO")
    p.add_argument("--comment", required=True, help="why")
    p.set_defaults(handler=_change_reject)

    # closure and cancellation (§8)
    p = sub.add_parser("close", parents=[common], help="close a fully accepted order")
    _order(p)
    p.add_argument(
        "--report-no", dest="report_no", help="the final inspection report number (else the cell's)"
    )
    p.set_defaults(handler=_close)
    p = sub.add_parser("cancel", parents=[common], help="cancel an order before shipment")
    _order(p)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=_cancel)

    # time nodes (§1)
    p = sub.add_parser(
        "overdue", parents=[common], help="orders past a time node or at risk of being late"
    )
    add_workbook(p)
    p.add_argument("--date", type=day, help="as of this day (default: today)")
    p.set_defaults(handler=_overdue)


def _review_start(args: argparse.Namespace, out: Any) -> int:
    from addin.services.review import start

    return run(args, out, lambda store: start(store, args.order_no, args.user))


def _review_record(args: argparse.Namespace, out: Any) -> int:
    from addin.services.review import record

    return run(
        args,
        out,
        lambda store: record(
            store, args.order_no, args.dept, args.decision, args.comment, args.user
        ),
    )


def _review_agree(args: argparse.Namespace, out: Any) -> int:
    from addin.services.review import agree

    return run(
        args, out, lambda store: agree(store, args.order_no, args.comment, args.terms, args.user)
    )


def _review_conclude(args: argparse.Namespace, out: Any) -> int:
    from addin.services.review import conclude

    return run(args, out, lambda store: conclude(store, args.order_no, args.user))


def task_order_dir(workbook: Path | str, store: Any, override: Path | None = None) -> Path:
    """Where task orders and change notices go: ``--out``, else the settings' folder beside
    the workbook (in server mode: in the current directory)."""
    if override is not None:
        return override
    from addin.services.release import task_order_folder
    from addin.services.snapshot import Snapshot

    return task_order_folder(Snapshot(store).settings, working_dir(workbook))


def _release(args: argparse.Namespace, out: Any) -> int:
    from addin.services.release import release

    return run(
        args,
        out,
        lambda store: release(
            store,
            args.order_no,
            task_order_dir(args.workbook, store, args.out),
            args.user,
            base_dir=working_dir(args.workbook),
        ),
    )


def _track(args: argparse.Namespace, out: Any) -> int:
    from addin.services.tracking import record_pending, track

    if args.pending:
        given = [k for k in _TRACK_FACT if getattr(args, k) is not None]
        if given:
            args.usage_error(f"--pending takes the facts from the sheet, not --{given[0]}")
        return run(args, out, lambda store: record_pending(store, args.order_no, args.user))
    if args.order_no is None or args.kind is None:
        args.usage_error("ORDER_NO and --kind are required (or --pending)")
    return run(
        args,
        out,
        lambda store: track(
            store,
            args.order_no,
            args.kind,
            line_no=args.line,
            quantity=args.qty,
            passed=args.passed,
            rejected=args.rejected,
            cause=args.cause,
            measures=args.measures,
            expected=args.expected,
            carrier=args.carrier,
            on=args.date,
            remarks=args.remarks,
            user=args.user,
        ),
    )


def _change_request(args: argparse.Namespace, out: Any) -> int:
    from addin.services.changes import request

    return run(
        args,
        out,
        lambda store: request(
            store,
            args.order_no,
            args.by,
            args.reason,
            args.assignments,
            impact=args.impact,
            user=args.user,
            date_reason=args.date_reason,
        ),
    )


def _change_file(args: argparse.Namespace, out: Any) -> int:
    from addin.services.changes import file_pending

    return run(args, out, lambda store: file_pending(store, args.order_no, args.user))


# the options that describe one fact on the command line (not allowed with --pending)
_TRACK_FACT = (
    "kind", "line", "qty", "passed", "rejected", "cause", "measures", "expected", "carrier",
    "date", "remarks",
)  # fmt: skip


def _change_review(args: argparse.Namespace, out: Any) -> int:
    from addin.services.changes import review

    return run(
        args,
        out,
        lambda store: review(
            store,
            args.change_no,
            args.necessity,
            args.feasibility,
            args.delivery,
            args.cost,
            args.quality,
            args.user,
        ),
    )


def _change_opinion(args: argparse.Namespace, out: Any) -> int:
    from addin.services.change_review import record

    return run(
        args,
        out,
        lambda store: record(
            store, args.change_no, args.dept, args.opinion, args.comment, args.user
        ),
    )


def _change_approve(args: argparse.Namespace, out: Any) -> int:
    from addin.services.changes import approve

    return run(
        args,
        out,
        lambda store: approve(
            store,
            args.change_no,
            args.comment,
            task_order_dir(args.workbook, store, args.out),
            args.user,
            base_dir=working_dir(args.workbook),
        ),
    )


def _change_reject(args: argparse.Namespace, out: Any) -> int:
    from addin.services.changes import reject

    return run(args, out, lambda store: reject(store, args.change_no, args.comment, args.user))


def _close(args: argparse.Namespace, out: Any) -> int:
    from addin.services.closure import close

    return run(
        args, out, lambda store: close(store, args.order_no, args.user, report_no=args.report_no)
    )


def _cancel(args: argparse.Namespace, out: Any) -> int:
    from addin.services.closure import cancel

    return run(args, out, lambda store: cancel(store, args.order_no, args.reason, args.user))


def _overdue(args: argparse.Namespace, out: Any) -> int:
    from addin.services.timenodes import overdue
    from workbook.open import open_workbook

    with open_workbook(args.workbook) as store:
        out.use_workbook_lang(store.lang)
        outcome = overdue(store, today=args.date, lang=out.lang)
    if out.json:
        out.data({"ok": True, **outcome.to_json(out.lang)})
        return EXIT_OK
    for line in overdue_lines(outcome, out.lang):
        out.line(line)
    return EXIT_OK


def overdue_lines(outcome: Outcome, lang: str) -> list[str]:
    """The overdue listing as text (the command line prints it, the ribbon shows it)."""
    lines = [f"  ! {problem.format(lang)}" for problem in outcome.problems]
    items = outcome.data["items"]
    if not items:
        return [*lines, t("overdue.none", lang)]
    lines.append(t("overdue.count", lang, count=len(items), today=outcome.data["today"]))
    for item in items:
        late = t(f"overdue.unit.{item['unit']}", lang, days=item["days_late"])
        deadline = (
            t("overdue.deadline", lang, deadline=item["deadline"]) if item["deadline"] else ""
        )
        kind = t(f"overdue.kind.{item['kind']}", lang)
        line = f"  {item['order_no']}  [{kind}] {item['reason']}  +{late}  {deadline}"
        lines.append(line.rstrip())
    return lines
