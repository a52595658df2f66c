"""Order change (DOMAIN §7): ``orderdesk change request|review|approve|reject``.

A request is a row of the changes sheet (reason, content as ``FIELD=VALUE`` lines, impact);
the review adds necessity, feasibility and the impact on delivery date, cost and quality; the
departments the change concerns give their opinions (:mod:`addin.services.change_review`); an
approver (a role the settings allow) approves it once every one has agreed, or rejects it. Approval updates the order, keeps
what it replaced in the versions sheet, issues a change notice and, for a released order whose
task order shows a changed field, a new revision of that task order. A request typed into the
sheet without a number is filed by :func:`file_pending` under the same rules as ``request``
(the ribbon's change-request button, ``orderdesk change file``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from addin.core import change_review, roles
from addin.core.changes import (
    TASK_ORDER_FIELDS,
    FieldChange,
    catalogue_problems,
    complete_products,
    content_assignments,
    content_text,
    content_words,
    delivery_date_problems,
    due_date,
    effective,
    parse_assignments,
    quantity_problems,
    text_value,
)
from addin.core.checks import priced_findings
from addin.core.currencies import RATES_KEY, ExchangeRates
from addin.core.enums import ChangeStatus, Department, OrderStatus
from addin.core.lifecycle import EXECUTION, REVIEWING
from addin.core.models import ChangeOpinion, ChangeRequest, Order, OrderLine
from addin.core.parse import CellError, convert
from addin.core.problems import Problem, RuleError
from addin.core.schema import TABLES
from addin.core.tracking import replay, status_from_facts
from addin.i18n import t
from addin.services.context import Action, Outcome
from addin.services.release import DISTRIBUTION, Renderer, revise_task_orders
from addin.services.steps import (
    check_status,
    move,
    order_facts,
    order_lines,
    pending,
    show_facts,
    stay,
    typed_for,
)
from workbook.store import Store

REVIEW_FIELDS = ("necessity", "feasibility", "impact_delivery", "impact_cost", "impact_quality")
NoticeRenderer = Callable[[dict[str, Any], Path], Path]


# -- shared with the review's agreement ---------------------------------------------------------
def effective_or_refuse(
    order: Order,
    lines: Sequence[OrderLine],
    changes: list[FieldChange],
    where: tuple[str, int | None, str],
) -> list[tuple[FieldChange, Any]]:
    found = effective(order, lines, changes)
    if not found:
        raise RuleError(Problem("change.no_difference", {}, *where, order.order_no))
    return found


def apply_field_changes(
    act: Action,
    order: Order,
    lines: Sequence[OrderLine],
    changed: list[tuple[FieldChange, Any]],
    reference: str,
) -> str:
    """Write the new values, keep the old ones as the order's next version; the summary."""
    version = (order.version or 1) + 1
    by_line = {line.line_no: line for line in lines}
    parts = []
    for change, old in changed:
        target = order if change.table == "orders" else by_line[change.line_no]  # type: ignore[index]
        act.update(change.table, target, **{change.field: change.value})
        act.append(
            "versions",
            {
                "order_no": order.order_no,
                "version": version,
                "change_no": reference,
                "line_no": change.line_no,
                "field": TABLES[change.table].column(change.field).label(change.table, act.lang),
                "old_value": text_value(old),
                "new_value": text_value(change.value),
                "changed_at": act.now,
                "changed_by": act.user,
            },
        )
        parts.append(
            t(
                "change.field_changed",
                act.lang,
                field=change.label(act.lang),
                old=text_value(old) or "-",
                new=text_value(change.value) or "-",
            )
        )
    act.update("orders", order, version=version, due_date=due_date(lines))
    return t("list.sep", act.lang).join(parts)


def policy_notes(
    order: Order,
    lines: Sequence[OrderLine],
    changed: list[tuple[FieldChange, Any]],
    products: dict[str, Any],
    where: tuple[str, int | None, str],
    rates: ExchangeRates | None = None,
) -> list[Problem]:
    """What the preliminary check's catalogue rules (price floor, lot size, minimum quantity,
    spec, lead time) say of the lines as the change would leave them: notes for the change
    review, which weighs cost and feasibility; they do not refuse the request."""
    updates: dict[int, dict[str, Any]] = {}
    for change, _old in changed:
        if change.table == "lines" and change.line_no is not None:
            updates.setdefault(change.line_no, {})[change.field] = change.value
    notes: list[Problem] = []
    for line in lines:
        if line.line_no not in updates:
            continue
        after = line.model_copy(update=updates[line.line_no])
        product = products.get(after.product_code or "")
        found = priced_findings(after, product, order.received_date, order.currency_code, rates)
        for key, _column, params in found:
            notes.append(Problem(key, {"line_no": line.line_no, **params}, *where, order.order_no))
    return notes


# -- the change request's steps -----------------------------------------------------------------
def find_change(act: Action, change_no: str) -> tuple[ChangeRequest, Order]:
    wanted = change_no.strip()
    change = next((c for c in act.snap.records("changes") if c.change_no == wanted), None)
    if change is None:
        raise RuleError(Problem("change.unknown", {"change_no": change_no}, "changes"))
    return change, act.order(change.order_no)


def _require_text(values: dict[str, str | None], row: int | None, order_no: str) -> None:
    missing = [
        Problem("change.text_required", {"field": _Column(key)}, "changes", row, key, order_no)
        for key, value in values.items()
        if not (value or "").strip()
    ]
    if missing:
        raise RuleError(missing)


class _Column:
    def __init__(self, key: str) -> None:
        self.key = key

    def label(self, lang: str) -> str:
        return TABLES["changes"].column(self.key).label("changes", lang)


def status_problem(change: ChangeRequest, key: str) -> Problem:
    return Problem(
        key,
        {"change_no": change.change_no, "status": change.status},
        "changes",
        change.row,
        "status",
        change.order_no,
    )


def next_change_no(existing: list[ChangeRequest], order_no: str) -> str:
    taken = {c.change_no for c in existing}
    n = sum(1 for c in existing if c.order_no == order_no) + 1
    while f"CH-{order_no}-{n:02d}" in taken:
        n += 1
    return f"CH-{order_no}-{n:02d}"


def request(
    store: Store,
    order_no: str,
    requested_by: Department,
    reason: str,
    assignments: list[str],
    impact: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
    date_reason: str | None = None,
) -> Outcome:
    """File a change request: reason, content (``FIELD=VALUE``), impact on execution;
    ``date_reason``: why a new delivery date lies in the past (required then)."""
    act = Action(store, "change_request", user, now)
    requested_by = Department.parse(requested_by)  # type: ignore[assignment]
    order = act.order(order_no)
    values = _file(act, order, requested_by, reason, assignments, impact, None, date_reason)
    act.append("changes", values)
    act.outcome.data.update(change_no=values["change_no"], content=values["content"])
    return act.commit()


def file_pending(
    store: Store,
    order_no: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """File the change requests typed into the changes sheet (rows without a change number),
    of every order or of ``order_no``: the requesting department, reason, content as
    ``FIELD=VALUE`` lines and impact as typed. Each passes the rules ``request`` applies and
    its row then holds what ``request`` would have written (number, requester, time, status,
    the content as understood). All or nothing; a refusal names the row's cells."""
    act = Action(store, "change_request", user, now)
    typed = typed_for(act, _typed_requests(act), order_no)
    filed: list[ChangeRequest] = []
    for row in typed:
        assert row.order is not None
        if row.problems:
            raise RuleError(row.problems)
        assert row.requested_by is not None
        values = _file(
            act,
            row.order,
            row.requested_by,
            row.text("reason"),
            content_assignments(row.text("content")),
            row.text("impact"),
            row.row,
            row.text("date_reason"),
            filed,
        )
        filed.append(ChangeRequest.model_construct(**values))
        for key, value in values.items():  # the row as ``request`` writes it (labels, trimmed)
            act.changes.update("changes", row.row, key, value)
    act.outcome.data.update(change_nos=[c.change_no for c in filed])
    return act.commit()


def pending_requests(store: Store) -> tuple[list[str], list[Problem]]:
    """The orders with change requests typed and not yet filed (in sheet order), and the
    problems of typed requests that name no order of the workbook."""
    return pending(_typed_requests(Action(store, "change_request")))


def _file(
    act: Action,
    order: Order,
    requested_by: Department,
    reason: str,
    assignments: list[str],
    impact: str | None,
    row: int | None,
    date_reason: str | None = None,
    filed: Sequence[ChangeRequest] = (),
) -> dict[str, Any]:
    """The rules of a change request, typed (``row``) or from the command line; its values,
    the ledger row and the outcome."""
    check_status(act, order)
    member = roles.ensure_requester(act.snap.settings, act.user, requested_by)
    _require_text({"reason": reason}, row, order.order_no)
    lines = order_lines(act, order)
    where = ("changes", row, "content")
    changes, problems = parse_assignments(assignments, order, lines, where)
    if not changes and not problems:
        problems.append(Problem("change.nothing", {}, *where, order.order_no))
    changes = complete_products(changes, act.snap.products)
    problems += catalogue_problems(changes, act.snap.products, order.order_no, where)
    rows = act.snap.by_order("tracking").get(order.order_no, [])
    problems += delivery_date_problems(
        changes, order.order_no, lines, rows, act.now.date(), date_reason, where
    )
    if problems:
        raise RuleError(problems)
    changed = effective_or_refuse(order, lines, changes, where)
    existing: list[ChangeRequest] = act.snap.records("changes")
    change_no = next_change_no([*existing, *filed], order.order_no)
    for department, text in change_review.points([c for c, _ in changed], act.lang).items():
        act.append(
            "change_reviews",
            {
                "change_no": change_no,
                "order_no": order.order_no,
                "department": department,
                "points": text,
            },
        )
    content = content_text([c for c, _ in changed], act.lang)
    details = t(
        "change.requested",
        act.lang,
        change_no=change_no,
        department=requested_by.label(act.lang),
        content=content_words([c for c, _ in changed], act.lang),
        reason=reason.strip(),
    )
    outcome = stay(act, order, details)
    outcome.message, outcome.params = "change.requested_short", {"change_no": change_no}
    settings = act.snap.settings
    rates, unreadable = ExchangeRates.parse(settings.currency, settings.get(RATES_KEY))
    outcome.problems = unreadable + policy_notes(
        order, lines, changed, act.snap.products, where, rates
    )
    act.outcome.orders.append(outcome)
    return {
        "change_no": change_no,
        "order_no": order.order_no,
        "requested_by": requested_by,
        "requester": member.name,
        "requested_at": act.now,
        "reason": reason.strip(),
        "content": content,
        "impact": (impact or "").strip() or None,
        "status": ChangeStatus.REQUESTED,
        "date_reason": (date_reason or "").strip() or None,
    }


class _TypedRequest:
    """A change request typed into the changes sheet without a number."""

    def __init__(self, act: Action, row: int, raw: dict[str, Any]) -> None:
        self.row = row
        self.raw = raw
        self.order_no = self.text("order_no")
        self.order: Order | None = act.snap.orders.get(self.order_no)
        self.requested_by: Department | None = None
        self.problems: list[Problem] = []
        if not self.order_no:
            self.problems.append(Problem("error.required", {}, "changes", row, "order_no"))
            return
        if self.order is None:
            self.problems.append(
                Problem(
                    "rule.unknown_order",
                    {"order_no": self.order_no},
                    "changes",
                    row,
                    "order_no",
                    self.order_no,
                )
            )
            return
        try:
            self.requested_by = _cell("requested_by", raw.get("requested_by"))
        except CellError as exc:
            self.problems.append(
                Problem(exc.key, exc.params, "changes", row, "requested_by", self.order_no)
            )
            return
        if self.requested_by is None:
            self.problems.append(
                Problem("error.required", {}, "changes", row, "requested_by", self.order_no)
            )

    def text(self, key: str) -> str:
        return str(_cell(key, self.raw.get(key)) or "")


def _typed_requests(act: Action) -> list[_TypedRequest]:
    return [
        _TypedRequest(act, row.row, row.values)
        for row in act.store.read("changes")
        if _cell("change_no", row.values.get("change_no")) is None
        and any(v is not None and str(v).strip() for v in row.values.values())
    ]


def _cell(key: str, value: Any) -> Any:
    """A changes-sheet cell as the model reads it (text stripped, blank as None)."""
    return convert(TABLES["changes"], key, value)


def review(
    store: Store,
    change_no: str,
    necessity: str,
    feasibility: str,
    impact_delivery: str,
    impact_cost: str,
    impact_quality: str,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Order management's change review: necessity, feasibility, impact on date, cost, quality."""
    act = Action(store, "change_review", user, now)
    change, order = find_change(act, change_no)
    check_status(act, order)
    roles.ensure_department(act.snap.settings, act.user, act.name)
    if change.status != ChangeStatus.REQUESTED:
        raise RuleError(status_problem(change, "change.not_requested"))
    values = dict(
        zip(
            REVIEW_FIELDS,
            (necessity, feasibility, impact_delivery, impact_cost, impact_quality),
            strict=True,
        )
    )
    _require_text(values, change.row, order.order_no)
    act.update(
        "changes",
        change,
        **{k: v.strip() for k, v in values.items() if v is not None},
        status=ChangeStatus.REVIEWED,
        reviewed_by=act.user,
        reviewed_at=act.now,
    )
    details = t(
        "change.reviewed",
        act.lang,
        change_no=change.change_no,
        **{k: (v or "").strip() for k, v in values.items()},
    )
    outcome = stay(act, order, details)
    outcome.message, outcome.params = "change.reviewed_short", {"change_no": change.change_no}
    act.outcome.orders.append(outcome)
    return act.commit()


def approve(
    store: Store,
    change_no: str,
    comment: str | None = None,
    out_dir: Path | None = None,
    user: str | None = None,
    now: datetime | None = None,
    base_dir: Path | None = None,
    render: Renderer | None = None,
    render_notice: NoticeRenderer | None = None,
) -> Outcome:
    """Approve a reviewed change: the order changes, its earlier version is kept, a change
    notice goes out, and a released order's task orders are revised where they changed."""
    act = Action(store, "change_approve", user, now)
    try:
        return _approve(act, change_no, comment, out_dir, base_dir, render, render_notice)
    except BaseException:
        act.discard_files()  # the notice and revisions drawn so far never appear
        raise


def _approve(
    act: Action,
    change_no: str,
    comment: str | None,
    out_dir: Path | None,
    base_dir: Path | None,
    render: Renderer | None,
    render_notice: NoticeRenderer | None,
) -> Outcome:
    change, order = find_change(act, change_no)
    check_status(act, order)
    member = roles.ensure_approver(act.snap.settings, act.user, act.name)
    roles.ensure_second_person(member, change.requester, change.change_no, change.row)
    if change.status == ChangeStatus.REQUESTED:
        raise RuleError(status_problem(change, "change.not_reviewed"))
    if change.status != ChangeStatus.REVIEWED:
        raise RuleError(status_problem(change, "change.already_decided"))
    lines = order_lines(act, order)
    where = ("changes", change.row, "content")
    changes, problems = parse_assignments(content_assignments(change.content), order, lines, where)
    if not changes and not problems:
        problems.append(Problem("change.nothing", {}, *where, order.order_no))
    changes = complete_products(changes, act.snap.products)
    problems += catalogue_problems(changes, act.snap.products, order.order_no, where)
    opinions = opinion_rows(act, change)
    problems += change_review.approval_problems(
        change.change_no,
        order.order_no,
        change_review.concerned(changes),
        opinions,
        act.snap.settings,
    )
    problems += act.snap.problems_for("change_reviews", order.order_no)
    before = order.status
    order_facts(act, order)  # refuses while the order's tracking rows have problems
    rows = act.snap.by_order("tracking").get(order.order_no, [])
    by_customer = change.requested_by == Department.CUSTOMER
    problems += quantity_problems(changes, order.order_no, lines, rows, where, by_customer)
    problems += delivery_date_problems(
        changes, order.order_no, lines, rows, act.now.date(), change.date_reason, where
    )
    if problems:
        raise RuleError(problems)
    changed = effective_or_refuse(order, lines, changes, where)
    terms = apply_field_changes(act, order, lines, changed, change.change_no)
    version = order.version

    after = before
    revisions: list[dict[str, Any]] = []
    if before in EXECUTION:
        facts, _ = replay(order.order_no, lines, rows)
        if any(item.field == "quantity" for item, _ in changed):
            facts, impossible = replay(order.order_no, lines, rows)
            if impossible:  # quantity_problems keeps this from happening; never write it
                raise RuleError(impossible)
            after = status_from_facts(facts)
            show_facts(act, order, facts)
        all_lines = {line.line_no for line in lines}
        revised: set[int] = set()
        for item, _ in changed:
            if item.field in TASK_ORDER_FIELDS:
                revised |= {item.line_no} if item.line_no is not None else all_lines
        revisions = revise_task_orders(
            act,
            order,
            lines,
            revised,
            out_dir,
            base_dir,
            render,
            t("change.revision_note", act.lang, change_no=change.change_no),
            changed,
            facts,
        )
    elif before in REVIEWING:
        after = OrderStatus.CHECKED

    comment = (comment or "").strip() or None
    act.update(
        "changes",
        change,
        status=ChangeStatus.APPROVED,
        decided_by=member.name,
        decided_at=act.now,
        decision_comment=comment,
        version=version,
    )
    notice = {
        "change_no": change.change_no,
        "order_no": order.order_no,
        "customer_name": order.customer_name,
        "version": version,
        "reason": change.reason,
        "requested_by": change.requested_by,
        "requester": change.requester,
        "requested_at": change.requested_at,
        "impact": change.impact,
        "changes": [
            {
                "line_no": item.line_no,
                "field": TABLES[item.table].column(item.field).label(item.table, act.lang),
                "old": text_value(old),
                "new": text_value(item.value),
            }
            for item, old in changed
        ],
        "review": {k: getattr(change, k) for k in REVIEW_FIELDS},
        "opinions": {
            department: t(
                "change_review.notice_opinion",
                act.lang,
                opinion=row.opinion.label(act.lang) if row.opinion else "",
                reviewer=row.reviewer or "",
                comment=f": {row.comment}" if row.comment else "",
            )
            for department, row in opinions.items()
        },
        "approved_by": member.name,
        "approved_at": act.now,
        "comment": comment,
        "task_orders": [f"{r['task_no']} rev.{r['revision']}" for r in revisions],
        "distribution": [d for d in DISTRIBUTION],
        "company": act.snap.settings.get("company"),
        "lang": act.lang,
    }
    if out_dir is not None:
        path = _render_notice(notice, act.stage(Path(out_dir)), render_notice)
        act.outcome.files.append(act.final_path(path))
    details = t(
        "change.approved",
        act.lang,
        change_no=change.change_no,
        version=version,
        terms=terms,
        revisions=len(revisions),
    )
    outcome = move(act, order, after, details)
    outcome.message = "change.approved_short"
    outcome.params = {"change_no": change.change_no, "version": version}
    act.outcome.orders.append(outcome)
    act.outcome.data.update(
        change_no=change.change_no,
        version=version,
        revisions=[{"task_no": r["task_no"], "revision": r["revision"]} for r in revisions],
        notice={
            k: v
            for k, v in notice.items()
            if k not in ("distribution", "lang", "requested_by", "approved_at", "requested_at")
        },
    )
    return act.commit()


def opinion_rows(act: Action, change: ChangeRequest) -> dict[Department, ChangeOpinion]:
    """The change's opinion rows (change reviews sheet) by department."""
    rows = act.snap.by_order("change_reviews").get(change.order_no, [])
    return change_review.by_department(r for r in rows if r.change_no == change.change_no)


def _render_notice(notice: dict[str, Any], out_dir: Path, render: NoticeRenderer | None) -> Path:
    if render is None:
        from workbook.change_notice_file import render_change_notice as render
    try:
        return render(notice, out_dir)
    except OSError as exc:
        raise RuleError(Problem("release.file_failed", {"detail": str(exc)})) from exc


def reject(
    store: Store,
    change_no: str,
    comment: str,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Reject a change request: the order stays exactly as it was."""
    act = Action(store, "change_reject", user, now)
    change, order = find_change(act, change_no)
    check_status(act, order)
    member = roles.ensure_approver(act.snap.settings, act.user, act.name)
    if change.status not in (ChangeStatus.REQUESTED, ChangeStatus.REVIEWED):
        raise RuleError(status_problem(change, "change.already_decided"))
    _require_text({"decision_comment": comment}, change.row, order.order_no)
    act.update(
        "changes",
        change,
        status=ChangeStatus.REJECTED,
        decided_by=member.name,
        decided_at=act.now,
        decision_comment=comment.strip(),
    )
    details = t("change.rejected", act.lang, change_no=change.change_no, comment=comment.strip())
    outcome = stay(act, order, details)
    outcome.message, outcome.params = "change.rejected_short", {"change_no": change.change_no}
    act.outcome.orders.append(outcome)
    return act.commit()
