"""Closure and cancellation (DOMAIN §8): ``orderdesk close`` and ``orderdesk cancel``."""

from __future__ import annotations

from datetime import datetime

from addin.core import roles
from addin.core.closure import report_number, unmet_conditions
from addin.core.enums import OrderStatus, TaskOrderStatus
from addin.core.lifecycle import ensure_allowed, forbids
from addin.core.models import TaskOrder
from addin.core.problems import Problem, RuleError
from addin.i18n import t
from addin.services.context import Action, Outcome
from addin.services.steps import check_status, order_facts
from workbook.store import Store

FINAL = frozenset({OrderStatus.CLOSED, OrderStatus.CANCELLED})


def close(
    store: Store,
    order_no: str,
    user: str | None = None,
    now: datetime | None = None,
    report_no: str | None = None,
) -> Outcome:
    """Close an order that meets every closing condition; otherwise list each unmet one.
    ``report_no`` (the final inspection report) is written to the order; without it the
    order's cell must hold one."""
    act = Action(store, "close", user, now)
    order = act.order(order_no)
    if order.status in FINAL or order.status is None:
        raise RuleError(forbids("close", order.order_no, order.status, order.row))
    roles.ensure_department(act.snap.settings, act.user, act.name)
    facts = order_facts(act, order)
    changes = act.snap.by_order("changes").get(order.order_no, [])
    unmet = unmet_conditions(order, facts, changes, report_no)
    if unmet:
        raise RuleError(unmet)
    ensure_allowed("close", order.order_no, order.status, OrderStatus.CLOSED, order.row)
    report = report_number(order, report_no)
    act.update("orders", order, final_report_no=report)
    inspected = sum(line.inspected for line in facts.lines.values())
    passed = sum(line.passed for line in facts.lines.values())
    details = t(
        "close.details",
        act.lang,
        passed=passed,
        inspected=inspected,
        report=report,
        accepted=facts.accepted_on,
    )
    outcome = act.transition(order, OrderStatus.CLOSED, details)
    outcome.message, outcome.params = "close.done", {"accepted": facts.accepted_on}
    act.outcome.orders.append(outcome)
    return act.commit()


def cancel(
    store: Store,
    order_no: str,
    reason: str,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Cancel an order before anything of it has shipped; its task orders are withdrawn."""
    act = Action(store, "cancel", user, now)
    order = act.order(order_no)
    check_status(act, order)
    roles.ensure_department(act.snap.settings, act.user, act.name)
    reason = (reason or "").strip()
    if not reason:
        raise RuleError(Problem("cancel.reason_required", {}, order_no=order.order_no))
    facts = order_facts(act, order)
    shipped = [line for line in facts.lines.values() if line.shipped]
    if shipped:
        raise RuleError(
            [
                Problem(
                    "cancel.shipped",
                    {"line_no": line.line_no, "shipped": line.shipped},
                    "lines",
                    line.row,
                    "shipped_qty",
                    order.order_no,
                )
                for line in shipped
            ]
        )
    withdrawn: list[TaskOrder] = [
        task
        for task in act.snap.records("task_orders")
        if task.order_no == order.order_no and task.status == TaskOrderStatus.CURRENT
    ]
    for task in withdrawn:
        act.update("task_orders", task, status=TaskOrderStatus.CANCELLED)
    details = t("cancel.details", act.lang, reason=reason, tasks=len(withdrawn))
    outcome = act.transition(order, OrderStatus.CANCELLED, details)
    outcome.message, outcome.params = "cancel.done", {"reason": reason}
    act.outcome.orders.append(outcome)
    return act.commit()
