"""Order review (DOMAIN §3): ``orderdesk review start|record|agree|conclude``.

A round is five rows in the reviews sheet, one per department, pre-filled with what that
department judges. Decisions come from ``review record`` or are typed into the rows (with the
reviewer's name); ``conclude`` reads them. Rows are never rewritten: a new round adds rows.
"""

from __future__ import annotations

from datetime import datetime

from addin.core import review as rules
from addin.core import roles
from addin.core.changes import catalogue_problems, complete_products, parse_assignments
from addin.core.enums import REVIEW_DEPARTMENTS, Decision, Department, OrderStatus
from addin.core.models import Order, Review
from addin.core.problems import Problem, RuleError
from addin.i18n import t
from addin.services.changes import apply_field_changes, effective_or_refuse
from addin.services.context import Action, Outcome
from addin.services.steps import check_status, confirm_dates, order_lines, stay
from workbook.store import Store


def _reviews(act: Action, order: Order) -> list[Review]:
    return act.snap.by_order("reviews").get(order.order_no, [])


def _open_round(act: Action, order: Order, number: int, agreement: str | None = None) -> None:
    lines = order_lines(act, order)
    for department in REVIEW_DEPARTMENTS:
        act.append(
            "reviews",
            {
                "order_no": order.order_no,
                "round": number,
                "department": department,
                "points": rules.points(department, order, lines, act.lang, agreement),
            },
        )


def start(
    store: Store, order_no: str, user: str | None = None, now: datetime | None = None
) -> Outcome:
    """Open a review round on a checked order."""
    act = Action(store, "review_start", user, now)
    order = act.order(order_no)
    check_status(act, order)
    roles.ensure_department(act.snap.settings, act.user, act.name)
    number = rules.latest_round(_reviews(act, order)) + 1
    _open_round(act, order, number)
    outcome = act.transition(
        order, OrderStatus.IN_REVIEW, t("review.started", act.lang, round=number)
    )
    outcome.message, outcome.params = "review.started", {"round": number}
    act.outcome.orders.append(outcome)
    act.outcome.data.update(round=number)
    return act.commit()


def record(
    store: Store,
    order_no: str,
    department: Department,
    decision: Decision,
    comment: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """One department's decision in the open round, by staff of that department."""
    act = Action(store, "review_record", user, now)
    department = Department.parse(department)  # type: ignore[assignment]
    decision = Decision.parse(decision)  # type: ignore[assignment]
    order = act.order(order_no)
    check_status(act, order)
    if department not in REVIEW_DEPARTMENTS:
        raise RuleError(
            Problem(
                "review.not_reviewing",
                {"department": department},
                "reviews",
                None,
                "department",
                order.order_no,
            )
        )
    member = roles.ensure_reviewer(act.snap.settings, act.user, department)
    reviews = _reviews(act, order)
    number = rules.latest_round(reviews)
    row = rules.rounds(reviews).get(number, {}).get(department)
    if row is None:
        raise RuleError(
            Problem(
                "review.missing_row",
                {"department": department},
                "reviews",
                None,
                "department",
                order.order_no,
            )
        )
    if row.decision is not None:
        raise RuleError(
            Problem(
                "review.already_decided",
                {
                    "department": department,
                    "round": number,
                    "decision": row.decision,
                    "reviewer": row.reviewer or "-",
                },
                "reviews",
                row.row,
                "decision",
                order.order_no,
            )
        )
    comment = (comment or "").strip() or None
    candidate = row.model_copy(update={"decision": decision, "comment": comment})
    missing = rules.comment_missing(candidate)
    if missing is not None:
        raise RuleError(missing)
    act.update(
        "reviews",
        row,
        decision=decision,
        reviewer=member.name,
        comment=comment,
        decided_at=act.now,
    )
    details = t(
        "review.recorded",
        act.lang,
        round=number,
        department=department.label(act.lang),
        decision=decision.label(act.lang),
        comment=comment or "",
    )
    outcome = stay(act, order, details)
    outcome.message = "review.recorded"
    outcome.params = {
        "round": number,
        "department": department.label(act.lang),
        "decision": decision.label(act.lang),
        "comment": comment or "",
    }
    act.outcome.orders.append(outcome)
    return act.commit()


def conclude(
    store: Store, order_no: str, user: str | None = None, now: datetime | None = None
) -> Outcome:
    """All pass → review passed; any conditional → negotiating; any reject → rejected."""
    act = Action(store, "review_conclude", user, now)
    order = act.order(order_no)
    check_status(act, order)
    roles.ensure_department(act.snap.settings, act.user, act.name)
    reviews = _reviews(act, order)
    number = rules.latest_round(reviews)
    rows = rules.rounds(reviews).get(number, {})
    problems = rules.undecided(order.order_no, rows)
    settings = act.snap.settings
    for department, review in rows.items():
        if review.decision is None or department not in REVIEW_DEPARTMENTS:
            continue
        missing = rules.comment_missing(review)
        if missing is not None:
            problems.append(missing)
        reviewer = settings.member(review.reviewer or "") if review.reviewer else None
        if reviewer is None or reviewer.department != department:
            problems.append(
                Problem(
                    "review.reviewer_not_in_department",
                    {"reviewer": review.reviewer or "-", "department": department},
                    "reviews",
                    review.row,
                    "reviewer",
                    order.order_no,
                )
            )
    read = act.snap.problems_for("reviews", order.order_no)
    if problems or read:
        raise RuleError(read + problems)
    decided = [rows[d] for d in REVIEW_DEPARTMENTS]
    after = rules.conclusion(r.decision for r in decided if r.decision is not None)
    summary = t("list.sep", act.lang).join(
        t(
            "review.decision_summary",
            act.lang,
            department=r.department.label(act.lang),
            decision=r.decision.label(act.lang) if r.decision else "",
            comment=f" ({r.comment})" if r.comment else "",
        )
        for r in decided
    )
    details = t("review.concluded", act.lang, round=number, summary=summary)
    if after == OrderStatus.REVIEW_PASSED:
        confirm_dates(act, order)
    outcome = act.transition(order, after, details)
    outcome.message = f"review.next.{after.value}"
    outcome.params = {"round": number}
    act.outcome.orders.append(outcome)
    act.outcome.data.update(
        round=number,
        decisions={r.department.value: r.decision.value for r in decided if r.decision},
    )
    return act.commit()


def agree(
    store: Store,
    order_no: str,
    agreement: str,
    assignments: list[str] | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Sales records what was agreed with the customer (and any changed terms, kept as a new
    version of the order); the next review round opens."""
    act = Action(store, "review_agree", user, now)
    order = act.order(order_no)
    check_status(act, order)
    roles.ensure_department(act.snap.settings, act.user, act.name)
    agreement = (agreement or "").strip()
    if not agreement:
        raise RuleError(
            Problem("review.agreement_required", {}, "reviews", None, "comment", order.order_no)
        )
    lines = order_lines(act, order)
    number = rules.latest_round(_reviews(act, order)) + 1
    where = ("reviews", None, "points")
    changes, problems = parse_assignments(assignments or [], order, lines, where)
    changes = complete_products(changes, act.snap.products)
    problems += catalogue_problems(changes, act.snap.products, order.order_no, where)
    if problems:
        raise RuleError(problems)
    terms = ""
    if changes:
        effective = effective_or_refuse(order, lines, changes, where)
        reference = f"AG-{order.order_no}-R{number - 1}"
        terms = apply_field_changes(act, order, lines, effective, reference)
    text = f"{agreement} ({terms})" if terms else agreement
    _open_round(act, order, number, text)
    details = t("review.agreed", act.lang, round=number, text=text)
    outcome = act.transition(order, OrderStatus.IN_REVIEW, details)
    outcome.message, outcome.params = "review.started", {"round": number}
    act.outcome.orders.append(outcome)
    act.outcome.data.update(round=number, version=order.version)
    return act.commit()
