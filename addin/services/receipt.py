"""Receipt and preliminary check (DOMAIN §2): ``orderdesk receive`` and ``orderdesk check``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from addin.core import roles
from addin.core.checks import Plan, check_order, considered, open_value
from addin.core.currencies import RATES_KEY, ExchangeRates
from addin.core.enums import OrderStatus
from addin.core.forms import form_digest, po_key, received_before, same_po
from addin.core.lifecycle import allowed, forbids
from addin.core.phrases import Joined
from addin.core.problems import Problem, RuleError
from addin.core.schema import TABLES
from addin.i18n import t
from addin.services.context import Action, OrderOutcome, Outcome
from addin.services.order_form import FormOrder, read_order_form
from workbook.store import Store

CHECKED_COLUMNS = {
    "orders": (
        "order_no", "received_date", "channel", "customer_code", "customer_name", "contact",
        "contact_info", "currency", "quality_req", "packaging_req", "transport_req",
        "customer_po",
    ),
    "lines": (
        "line_no", "product_code", "product_name", "spec", "quantity", "unit_price",
        "delivery_date", "delivery_place",
    ),
}  # fmt: skip

Progress = Callable[[Iterable[Any]], Iterable[Any]]


def _no_progress(items: Iterable[Any]) -> Iterable[Any]:
    return items


def receive(
    store: Store, form: Path, user: str | None = None, now: datetime | None = None
) -> Outcome:
    """Take the orders of an order form (CSV or xlsx) into the workbook, status received."""
    act = Action(store, "receive", user, now)
    receiver = roles.ensure_department(act.snap.settings, act.user, act.name)
    known = act.snap.orders
    orders = read_order_form(form, act.snap.settings.currency, act.now.date(), taken=known)
    digest = form_digest([item.typed() for item in orders])
    earlier = received_before(digest, act.snap.ledger)
    if earlier:
        first = earlier[0]
        raise RuleError(
            Problem(
                "receive.same_form",
                {
                    "file": form.name,
                    "time": f"{first.time:%Y-%m-%d %H:%M}",
                    "user": first.user,
                    "orders": Joined.of(dict.fromkeys(e.order_no for e in earlier if e.order_no)),
                },
                source=form.name,
            )
        )
    problems: list[Problem] = []
    for order in orders:
        if order.order.order_no in known:
            problems.append(
                Problem(
                    "receive.exists",
                    {"order_no": order.order.order_no, "row": known[order.order.order_no].row},
                    order_no=order.order.order_no,
                )
            )
    if problems:
        raise RuleError(problems)
    for item in orders:
        _append_order(act, item, digest, receiver.name)
    act.outcome.data["form"] = str(form)
    act.outcome.data["form_digest"] = digest
    return act.commit()


def _append_order(act: Action, item: FormOrder, digest: str, receiver: str) -> None:
    order = item.order
    named = (order.received_by or "").strip()
    if named and named.casefold() != receiver.casefold():  # kept, not dropped: in the remarks
        note = t("receive.form_receiver", act.lang, name=named)
        order.remarks = f"{order.remarks}; {note}" if order.remarks else note
    order.received_by = receiver
    values = order.model_dump(exclude_none=True)
    values.update(status=OrderStatus.RECEIVED, status_since=act.now, version=1)
    if item.lines:
        dates = [line.delivery_date for line in item.lines if line.delivery_date]
        if dates:
            values["due_date"] = min(dates)
    act.append("orders", {k: v for k, v in values.items() if k in TABLES["orders"].column_keys})
    for line in item.lines:
        act.append("lines", line.model_dump(exclude_none=True))
    act.log(
        order.order_no,
        t("receive.details", act.lang, lines=len(item.lines), source=item.source)
        + t("receive.form_digest", act.lang, digest=digest),
        None,
        OrderStatus.RECEIVED,
    )
    act.outcome.orders.append(OrderOutcome(order.order_no, None, OrderStatus.RECEIVED))


def check(
    store: Store,
    order_nos: list[str] | None = None,
    user: str | None = None,
    now: datetime | None = None,
    progress: Progress = _no_progress,
) -> Outcome:
    """Run the preliminary check on the named orders, or on every order waiting for it."""
    act = Action(store, "check", user, now)
    checker = roles.ensure_department(act.snap.settings, act.user, act.name)
    snap = act.snap
    orders = snap.orders
    lines = snap.lines
    if order_nos:
        targets = [act.order(no) for no in order_nos]
        refused = [
            forbids("check", o.order_no, o.status, o.row)
            for o in targets
            if not allowed("check", o.status)
        ]
        if refused:
            raise RuleError(refused)
    else:
        targets = [o for o in orders.values() if allowed("check", o.status)]
    # Capacity and credit count open orders only: a store that can selects just those rows,
    # and for named orders just those their rules consider (read first: the problems of rows
    # naming no order come with them).
    scope = None
    if order_nos:
        scope = considered(
            [(o, lines.get(o.order_no, [])) for o in targets],
            snap.customers,
            snap.products,
            snap.records("capacity"),
            snap.settings.credit_check,
        )
        snap.open_orders(scope)
    read_problems: dict[str, list[Problem]] = {}
    loose: dict[tuple[str, int, str], list[str]] = {}  # rows of no order (number left blank)
    for table in ("orders", "lines"):
        if order_nos:  # the named orders' problems and those of rows naming no order
            found = [p for o in targets for p in snap.problems_for(table, o.order_no)]
            found += snap.loose_problems(table)
        else:
            found = snap.problems_of(table)
        for problem in found:
            if problem.order_no:
                read_problems.setdefault(problem.order_no, []).append(problem)
            elif problem.row is not None and problem.column:
                act.outcome.problems.append(problem)
                cell = (table, problem.row, problem.column)
                loose.setdefault(cell, []).append(problem.message(act.lang))
    if not order_nos:  # a line whose order number names no order belongs to nobody: say so
        for order_no, orphans in lines.items():
            if order_no in orders:
                continue
            for line in orphans:
                problem = Problem(
                    "error.orphan_line",
                    {"order_no": order_no},
                    "lines",
                    line.row,
                    "order_no",
                    order_no,
                )
                act.outcome.problems.append(problem)
                loose.setdefault(("lines", line.row, "order_no"), []).append(
                    problem.message(act.lang)
                )
    for (table, row, column), notes in loose.items():
        act.changes.mark(table, row, column, "\n".join(notes))
    open_orders, open_lines = snap.open_orders(scope)
    plan = Plan.build(snap.records("capacity"), open_orders, open_lines, snap.products)
    settings = snap.settings
    rates, unreadable = ExchangeRates.parse(settings.currency, settings.get(RATES_KEY))
    if unreadable:  # a rate misread would check prices against the wrong floors
        rows = snap.settings_rows
        raise RuleError([replace(p, row=rows.get(RATES_KEY)) for p in unreadable])
    for order in progress(targets):
        order_lines = lines.get(order.order_no, [])
        result = check_order(
            order,
            order_lines,
            customers=snap.customers,
            products=snap.products,
            plan=plan,
            open_orders_value=open_value(
                order.customer_code or _code_by_name(snap, order.customer_name),
                open_orders,
                open_lines,
                order.order_no,
            ),
            credit_check=settings.credit_check,
            read_problems=read_problems.get(order.order_no, []),
            rates=rates,
            same_po=same_po(order, _with_po(snap, order)),
        )
        _show_findings(act, order, order_lines, result.blocking + result.advisory)
        if order.status is None:  # typed straight into the sheet: this is its receipt
            if not (order.received_by or "").strip():
                act.update("orders", order, received_by=checker.name)
            act.log(
                order.order_no, t("receive.typed", act.lang), None, OrderStatus.RECEIVED, "receive"
            )
            order.status = OrderStatus.RECEIVED
        after = OrderStatus.CHECKED if result.passed else OrderStatus.NEEDS_INFO
        dates = [line.delivery_date for line in order_lines if line.delivery_date]
        act.update("orders", order, due_date=min(dates) if dates else None)
        if order.version is None:
            act.update("orders", order, version=1)
        details = t(
            "check.details", act.lang, blocking=len(result.blocking), advisory=len(result.advisory)
        )
        for line in order_lines:  # the lines as checked (typed ones too) are on record
            act.attest("lines", line)
        outcome = act.transition(order, after, details)
        outcome.problems = result.blocking + result.advisory
        act.outcome.orders.append(outcome)
    return act.commit()


def _with_po(snap: Any, order: Any) -> Any:
    """The orders ``same_po`` compares with, when the order has a PO number: those that may
    carry it (all of them where the store cannot look them up)."""
    return snap.orders_with_po(order.customer_po) if po_key(order.customer_po) else []


def _short(problem: Problem, lang: str) -> str:
    if problem.table is None or problem.column is None:
        return problem.message(lang)
    table = TABLES[problem.table]
    return f"{table.column(problem.column).label(table.key, lang)}: {problem.message(lang)}"


def _code_by_name(snap: Any, name: str | None) -> str:
    customer = next((c for c in snap.customers.values() if name and c.name == name), None)
    return customer.customer_code if customer else ""


def _show_findings(act: Action, order: Any, lines: list[Any], findings: list[Problem]) -> None:
    """Findings at their cells (highlight + note); cells found clean lose an earlier mark."""
    lang = act.lang
    marked: dict[tuple[str, int, str], list[str]] = {}
    for problem in findings:
        if problem.table in CHECKED_COLUMNS and problem.row is not None and problem.column:
            marked.setdefault((problem.table, problem.row, problem.column), []).append(
                problem.message(lang)
            )
    # Only an order found wanting before can carry marks to clear: spare live Excel the writes.
    # An order typed into the sheet may sit on a row marked before (repeated or blank number).
    had_marks = order.status is None or (
        bool(order.findings) and order.findings != t("check.clean", lang)
    )
    rows = [("orders", order.row)] + [("lines", line.row) for line in lines]
    # rows the order could not claim (its number repeated, a line without its number) too
    rows += [r for r in dict.fromkeys((tbl, row) for tbl, row, _ in marked) if r not in rows]
    for table, row in rows:
        if row is None:
            continue
        for column in CHECKED_COLUMNS[table]:
            notes = marked.get((table, row, column))
            if notes or had_marks:
                act.changes.mark(table, row, column, "\n".join(notes) if notes else None)
    # The cells carry the details; the order's row gets a short list: field and message.
    summary = "; ".join(_short(p, lang) for p in findings)
    act.update("orders", order, findings=summary or t("check.clean", lang))
