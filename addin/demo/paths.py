"""The demo's lifecycle: checked orders driven through every path of the procedure.

Each path takes one checked order of the demo workbook and runs the service functions on it,
one ``open_workbook(write=True)`` per action as the command line does, with the staff of the
roster acting in their own departments. Refusals the procedure should give (closing before the
customer accepted) are part of the story: they are shown, and they write nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from addin.core.enums import (
    REVIEW_DEPARTMENTS,
    ComplaintSeverity,
    Decision,
    Department,
    Opinion,
    OrderStatus,
    TrackKind,
)
from addin.core.models import OrderLine, Product
from addin.core.problems import RuleError
from addin.core.settings import Settings
from addin.i18n import t
from addin.services import (
    change_review,
    changes,
    closure,
    complaints,
    release,
    review,
    tracking,
)
from addin.services.context import Outcome
from addin.services.snapshot import Snapshot
from workbook.open import open_workbook

PATHS = (
    "clean_pass",
    "negotiation",
    "rejection_cancel",
    "change_after_release",
    "delay_recovery",
    "rework",
    "closure",
    "complaint",
    "short_close",
    "return",
)


class _Driver:
    """Runs actions on the workbook with a clock that moves ten minutes per action."""

    def __init__(self, workbook: Path, lang: str, out_dir: Path) -> None:
        self.workbook = workbook
        self.lang = lang
        self.out_dir = out_dir
        with open_workbook(workbook) as store:
            snap = Snapshot(store)
            self.settings: Settings = snap.settings
            self.products: dict[str, Product] = snap.products
            self.lines = dict(snap.lines.items())  # kept after the workbook is closed
            self.checked = sorted(
                no for no, o in snap.orders.items() if o.status == OrderStatus.CHECKED
            )
            last = max((e.time for e in snap.ledger), default=None)
        self.now = (last or datetime.now().replace(microsecond=0)) + timedelta(minutes=30)
        self.staff = {
            d: next((m.name for m in self.settings.staff if m.department == d), None)
            for d in Department
        }
        roles = self.settings.approver_roles()
        self.approver = next((m.name for m in self.settings.staff if m.role in roles), None)
        self.steps: list[str] = []
        self._last: list[Any] | None = None

    def tick(self) -> datetime:
        self.now += timedelta(minutes=10)
        return self.now

    def user(self, department: Department) -> str:
        name = self.staff.get(department)
        if name is None:
            raise LookupError(department)
        return name

    def do(self, service: Callable[..., Outcome], *args: Any, **kwargs: Any) -> Outcome | None:
        """Run one action; a refusal is recorded as a step (nothing was written)."""
        kwargs.setdefault("now", self.tick())
        try:
            with open_workbook(self.workbook, write=True) as store:
                outcome = service(store, *args, **kwargs)
        except RuleError as exc:
            action = t(f"action.{_action(service, (None, *args))}", self.lang)
            reason = exc.problems[0].message(self.lang)
            self.steps.append(t("demo.step.refused", self.lang, action=action, reason=reason))
            self._last = None
            return None
        for item in outcome.orders:
            self.step(t(f"action.{outcome.action}", self.lang), item.after)
        return outcome

    def step(self, action: str, after: OrderStatus | None) -> None:
        """One step, "action: status"; repeats of the same step are counted, not listed."""
        status = after.label(self.lang) if after else "-"
        if self._last and self._last[0] == (action, status):
            self._last[1] += 1
            count = self._last[1]
            self.steps[-1] = t(
                "demo.step.repeated", self.lang, action=action, count=count, status=status
            )
            return
        self._last = [(action, status), 1]
        self.steps.append(t("demo.step", self.lang, action=action, status=status))

    # -- building blocks -----------------------------------------------------------------------
    def order_lines(self, order_no: str) -> list[OrderLine]:
        return sorted(self.lines.get(order_no, []), key=lambda line: line.line_no)

    def review_round(
        self, order_no: str, decisions: dict[Department, tuple[Decision, str]]
    ) -> None:
        self.do(review.start, order_no, user=self.user(Department.ORDER_MGMT))
        self.decide(order_no, decisions)

    def decide(self, order_no: str, decisions: dict[Department, tuple[Decision, str]]) -> None:
        for department in REVIEW_DEPARTMENTS:
            decision, comment = decisions.get(department, (Decision.PASS, ""))
            self.do(
                review.record,
                order_no,
                department,
                decision,
                comment or None,
                user=self.user(department),
            )
        self.do(review.conclude, order_no, user=self.user(Department.ORDER_MGMT))

    def pass_review(self, order_no: str) -> None:
        notes = {
            Department.QUALITY: (Decision.PASS, t("demo.comment.quality", self.lang)),
        }
        self.review_round(order_no, notes)

    def release(self, order_no: str) -> None:
        self.do(
            release.release,
            order_no,
            self.out_dir,
            user=self.user(Department.ORDER_MGMT),
            base_dir=self.workbook.resolve().parent,
        )

    def track(self, order_no: str, kind: TrackKind, department: Department, **kw: Any) -> None:
        self.do(tracking.track, order_no, kind, user=self.user(department), **kw)

    def produce_all(self, order_no: str, share: float = 1.0) -> None:
        for line in self.order_lines(order_no):
            qty = max(1, int((line.quantity or 0) * share))
            self.track(
                order_no,
                TrackKind.PRODUCTION,
                Department.PRODUCTION,
                line_no=line.line_no,
                quantity=qty,
            )

    def inspect_all(self, order_no: str) -> None:
        for line in self.order_lines(order_no):
            qty = line.quantity or 0
            self.track(
                order_no,
                TrackKind.INSPECTION,
                Department.QUALITY,
                line_no=line.line_no,
                quantity=qty,
                passed=qty,
            )

    def ship_all(self, order_no: str) -> None:
        for line in self.order_lines(order_no):
            self.track(
                order_no,
                TrackKind.SHIPMENT,
                Department.SALES,
                line_no=line.line_no,
                quantity=line.quantity,
                carrier=t("demo.carrier", self.lang),
            )

    def deliver_all(self, order_no: str) -> None:
        for line in self.order_lines(order_no):
            self.track(
                order_no,
                TrackKind.DELIVERY,
                Department.SALES,
                line_no=line.line_no,
                quantity=line.quantity,
            )

    def opinions(self, change_no: str) -> None:
        """Every concerned department agrees with the change, by its own staff."""
        with open_workbook(self.workbook) as store:
            rows = [
                r
                for r in Snapshot(store).records("change_reviews")
                if r.change_no == change_no and r.opinion is None
            ]
        for row in rows:
            self.do(
                change_review.record,
                change_no,
                row.department,
                Opinion.AGREE,
                t("demo.change_opinion", self.lang),
                user=self.user(row.department),
            )

    def status(self, order_no: str) -> OrderStatus | None:
        with open_workbook(self.workbook) as store:
            order = Snapshot(store).orders.get(order_no)
            return order.status if order else None


def _action(service: Callable[..., Outcome], args: tuple[Any, ...]) -> str:
    """The action a service call performs (for a refusal's step)."""
    if service is tracking.track:
        return f"track_{args[1].value}"
    names = {
        review.start: "review_start",
        review.record: "review_record",
        review.agree: "review_agree",
        review.conclude: "review_conclude",
        release.release: "release",
        changes.request: "change_request",
        changes.review: "change_review",
        change_review.record: "change_opinion",
        changes.approve: "change_approve",
        changes.reject: "change_reject",
        closure.close: "close",
        closure.cancel: "cancel",
        complaints.record_complaint: "complaint_record",
        complaints.close_complaint: "complaint_close",
    }
    return names[service]


# -- the paths ----------------------------------------------------------------------------------
def _clean_pass(d: _Driver, no: str) -> None:
    d.pass_review(no)
    d.release(no)
    d.track(
        no,
        TrackKind.MATERIAL,
        Department.PURCHASING,
        quantity=1,
        remarks=t("demo.material", d.lang),
    )
    d.produce_all(no, 0.5)


def _negotiation(d: _Driver, no: str) -> None:
    d.review_round(
        no, {Department.SALES: (Decision.CONDITIONAL, t("demo.comment.conditional", d.lang))}
    )
    line = d.order_lines(no)[0]
    later = (line.delivery_date + timedelta(days=7)).isoformat() if line.delivery_date else None
    terms = [f"delivery_date@{line.line_no}={later}"] if later else []
    d.do(
        review.agree,
        no,
        t("demo.comment.agreement", d.lang),
        terms,
        user=d.user(Department.SALES),
    )
    d.decide(no, {})
    d.release(no)


def _rejection_cancel(d: _Driver, no: str) -> None:
    d.review_round(no, {Department.TECHNICAL: (Decision.REJECT, t("demo.comment.reject", d.lang))})
    d.do(closure.cancel, no, t("demo.comment.cancel", d.lang), user=d.user(Department.SALES))


def _change_after_release(d: _Driver, no: str) -> None:
    d.pass_review(no)
    d.release(no)
    d.produce_all(no, 0.3)
    line = d.order_lines(no)[0]
    product = d.products.get(line.product_code or "")
    step = (product.lot_size if product and product.lot_size else 1) * 2
    later = (line.delivery_date + timedelta(days=7)).isoformat() if line.delivery_date else ""
    outcome = d.do(
        changes.request,
        no,
        Department.CUSTOMER,
        t("demo.comment.change_reason", d.lang),
        [
            f"quantity@{line.line_no}={(line.quantity or 0) + step}",
            f"delivery_date@{line.line_no}={later}",
        ],
        impact=t("demo.comment.change_impact", d.lang),
        user=d.user(Department.SALES),
    )
    if outcome is None:
        return
    change_no = outcome.data["change_no"]
    d.do(
        changes.review,
        change_no,
        t("demo.review.necessity", d.lang),
        t("demo.review.feasibility", d.lang),
        t("demo.review.delivery", d.lang),
        t("demo.review.cost", d.lang),
        t("demo.review.quality", d.lang),
        user=d.user(Department.ORDER_MGMT),
    )
    d.opinions(change_no)
    d.do(
        changes.approve,
        change_no,
        t("demo.comment.approve", d.lang),
        d.out_dir,
        user=d.approver,
        base_dir=d.workbook.resolve().parent,
    )


def _delay_recovery(d: _Driver, no: str) -> None:
    d.pass_review(no)
    d.release(no)
    d.produce_all(no, 0.4)
    d.track(
        no,
        TrackKind.DELAY,
        Department.PRODUCTION,
        cause=t("demo.delay.cause", d.lang),
        measures=t("demo.delay.measures", d.lang),
        expected=d.now.date() + timedelta(days=3),
    )
    d.track(
        no, TrackKind.RECOVERY, Department.PRODUCTION, remarks=t("demo.delay.recovered", d.lang)
    )
    for line in d.order_lines(no):
        done = max(1, int((line.quantity or 0) * 0.4))
        rest = (line.quantity or 0) - done
        if rest > 0:
            d.track(
                no, TrackKind.PRODUCTION, Department.PRODUCTION, line_no=line.line_no, quantity=rest
            )
    # The customer then asks for a later date: the request waits for the opinions of production
    # and purchasing, which the demo's reminders mail them.
    line = d.order_lines(no)[0]
    if line.delivery_date:
        later = (line.delivery_date + timedelta(days=14)).isoformat()
        d.do(
            changes.request,
            no,
            Department.CUSTOMER,
            t("demo.comment.later_reason", d.lang),
            [f"delivery_date@{line.line_no}={later}"],
            user=d.user(Department.SALES),
        )


def _rework(d: _Driver, no: str) -> None:
    d.pass_review(no)
    d.release(no)
    d.produce_all(no)
    for line in d.order_lines(no):
        qty = line.quantity or 0
        rejected = max(1, qty // 10)
        d.track(
            no,
            TrackKind.INSPECTION,
            Department.QUALITY,
            line_no=line.line_no,
            quantity=qty,
            passed=qty - rejected,
            rejected=rejected,
            cause=t("demo.rework.cause", d.lang),
        )
        d.track(
            no,
            TrackKind.INSPECTION,
            Department.QUALITY,
            line_no=line.line_no,
            quantity=rejected,
            passed=rejected,
            remarks=t("demo.rework.done", d.lang),
        )
    d.ship_all(no)


def _closure(d: _Driver, no: str) -> None:
    d.pass_review(no)
    d.release(no)
    d.produce_all(no)
    d.inspect_all(no)
    d.ship_all(no)
    d.deliver_all(no)
    report = f"QR-{no}"  # quality's final inspection report
    # refused: not yet accepted
    d.do(closure.close, no, user=d.user(Department.ORDER_MGMT), report_no=report)
    d.track(no, TrackKind.ACCEPTANCE, Department.SALES, remarks=t("demo.acceptance", d.lang))
    d.do(closure.close, no, user=d.user(Department.ORDER_MGMT), report_no=report)


def _complaint(d: _Driver, no: str) -> None:
    """Delivered in full, then the customer complains twice: a major complaint that stays open
    and a minor one that quality closes (the closure path's delivered order has none)."""
    d.pass_review(no)
    d.release(no)
    d.produce_all(no)
    d.inspect_all(no)
    d.ship_all(no)
    d.deliver_all(no)
    for key, severity in (("finish", ComplaintSeverity.MAJOR), ("label", ComplaintSeverity.MINOR)):
        outcome = d.do(
            complaints.record_complaint,
            no,
            d.now.date(),
            t(f"demo.complaint.{key}", d.lang),
            severity,
            user=d.user(Department.SALES),
        )
    if outcome is not None:
        d.do(
            complaints.close_complaint,
            outcome.data["complaint_no"],
            user=d.user(Department.QUALITY),
        )


def _short_close(d: _Driver, no: str) -> None:
    """The customer takes part of each line and cancels the rest: the quantity is lowered to
    what shipped by an approved change, and the order closes."""
    d.pass_review(no)
    d.release(no)
    d.produce_all(no)
    d.inspect_all(no)
    kept: dict[int, int] = {}
    for line in d.order_lines(no):
        qty = line.quantity or 0
        product = d.products.get(line.product_code or "")
        lot = product.lot_size if product and product.lot_size else 1
        part = max(lot, qty * 6 // 10 // lot * lot)
        kept[line.line_no] = part if part < qty else qty
    for kind in (TrackKind.SHIPMENT, TrackKind.DELIVERY):
        for line_no, qty in kept.items():
            d.track(no, kind, Department.SALES, line_no=line_no, quantity=qty)
    content = [
        f"quantity@{line.line_no}={kept[line.line_no]}"
        for line in d.order_lines(no)
        if kept[line.line_no] < (line.quantity or 0)
    ]
    outcome = d.do(
        changes.request,
        no,
        Department.CUSTOMER,
        t("demo.short_close.reason", d.lang),
        content,
        impact=t("demo.short_close.impact", d.lang),
        user=d.user(Department.SALES),
    )
    if outcome is None:
        return
    change_no = outcome.data["change_no"]
    ok = t("demo.short_close.review", d.lang)
    d.do(changes.review, change_no, ok, ok, ok, ok, ok, user=d.user(Department.ORDER_MGMT))
    d.opinions(change_no)
    d.do(
        changes.approve,
        change_no,
        t("demo.short_close.reason", d.lang),
        d.out_dir,
        user=d.approver,
        base_dir=d.workbook.resolve().parent,
    )
    d.track(no, TrackKind.ACCEPTANCE, Department.SALES, remarks=t("demo.acceptance", d.lang))
    d.do(closure.close, no, user=d.user(Department.ORDER_MGMT), report_no=f"QR-{no}")


def _return(d: _Driver, no: str) -> None:
    """The customer rejects part of the first line on delivery: it comes back, is reworked,
    inspected again, shipped and delivered again, and the order is accepted."""
    d.pass_review(no)
    d.release(no)
    d.produce_all(no)
    d.inspect_all(no)
    d.ship_all(no)
    first, *others = d.order_lines(no)
    back = max(1, (first.quantity or 0) // 10)
    d.track(no, TrackKind.DELIVERY, Department.SALES, line_no=first.line_no,
            quantity=(first.quantity or 0) - back)  # fmt: skip
    for line in others:
        d.track(no, TrackKind.DELIVERY, Department.SALES, line_no=line.line_no,
                quantity=line.quantity)  # fmt: skip
    cause = t("demo.return.cause", d.lang)
    d.track(no, TrackKind.RETURN, Department.SALES, line_no=first.line_no, quantity=back,
            cause=cause)  # fmt: skip
    d.track(no, TrackKind.INSPECTION, Department.QUALITY, line_no=first.line_no, quantity=back,
            passed=back, remarks=t("demo.return.reworked", d.lang))  # fmt: skip
    for kind in (TrackKind.SHIPMENT, TrackKind.DELIVERY):
        d.track(no, kind, Department.SALES, line_no=first.line_no, quantity=back)
    d.track(no, TrackKind.ACCEPTANCE, Department.SALES, remarks=t("demo.acceptance", d.lang))


DRIVERS: dict[str, Callable[[_Driver, str], None]] = {
    "clean_pass": _clean_pass,
    "negotiation": _negotiation,
    "rejection_cancel": _rejection_cancel,
    "change_after_release": _change_after_release,
    "delay_recovery": _delay_recovery,
    "rework": _rework,
    "closure": _closure,
    "complaint": _complaint,
    "short_close": _short_close,
    "return": _return,
}


def drive_paths(workbook: Path, lang: str, out_dir: Path) -> list[dict[str, Any]]:
    """Drive checked orders of ``workbook`` through every path; one summary per path.

    Task orders and change notices go to the settings' ``task_order_dir`` inside ``out_dir``.
    A path for which no checked order is left is reported without an order.
    """
    workbook = Path(workbook)
    d = _Driver(workbook, lang, Path(out_dir))
    # the command line's place for task orders: the settings' folder, here inside out_dir
    folder = Path(d.settings.get("task_order_dir", "task-orders"))
    d.out_dir = folder if folder.is_absolute() else Path(out_dir) / folder
    available = list(d.checked)
    summaries: list[dict[str, Any]] = []
    for name in PATHS:
        key = f"demo.path.{name}"
        if not available:
            summaries.append(
                {"path": key, "title": t(key, lang), "order_no": None, "final_status": None,
                 "steps": [t("demo.path.skipped", lang)]}
            )  # fmt: skip
            continue
        order_no = available.pop(0)
        d.steps, d._last = [], None
        DRIVERS[name](d, order_no)
        status = d.status(order_no)
        summaries.append(
            {
                "path": key,
                "title": t(key, lang),
                "order_no": order_no,
                "final_status": status.value if status else None,
                "steps": d.steps,
            }
        )
    return summaries
