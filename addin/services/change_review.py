"""A concerned department's opinion of a change request (DOMAIN §7): ``orderdesk change opinion``.

Filing a request opens one row per concerned department in the change reviews sheet (see
:mod:`addin.core.change_review`); an opinion is recorded here, or typed into its row with the
reviewer's name (approval reads and checks the typed rows). Once per department and change, as
in the order review: a recorded opinion is never rewritten.
"""

from __future__ import annotations

from datetime import datetime

from addin.core import change_review as rules
from addin.core import roles
from addin.core.changes import complete_products, content_assignments, parse_assignments
from addin.core.enums import ChangeStatus, Department, Opinion
from addin.core.models import ChangeOpinion
from addin.core.phrases import Joined
from addin.core.problems import Problem, RuleError
from addin.i18n import t
from addin.services.changes import find_change, opinion_rows, status_problem
from addin.services.context import Action, Outcome
from addin.services.steps import check_status, order_lines, stay
from workbook.store import Store


def record(
    store: Store,
    change_no: str,
    department: Department,
    opinion: Opinion,
    comment: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """One concerned department's opinion of an undecided change, by staff of that department."""
    act = Action(store, "change_opinion", user, now)
    department = Department.parse(department)  # type: ignore[assignment]
    opinion = Opinion.parse(opinion)  # type: ignore[assignment]
    change, order = find_change(act, change_no)
    check_status(act, order)
    if change.status not in (ChangeStatus.REQUESTED, ChangeStatus.REVIEWED):
        raise RuleError(status_problem(change, "change.already_decided"))
    lines = order_lines(act, order)
    where = ("changes", change.row, "content")
    changes, problems = parse_assignments(content_assignments(change.content), order, lines, where)
    if problems:
        raise RuleError(problems)
    concerned = rules.concerned(complete_products(changes, act.snap.products))
    if department not in concerned:
        raise RuleError(
            Problem(
                "change_review.not_concerned",
                {
                    "change_no": change.change_no,
                    "department": department,
                    "concerned": Joined.of(concerned),
                },
                "change_reviews",
                None,
                "department",
                order.order_no,
            )
        )
    member = roles.ensure_reviewer(act.snap.settings, act.user, department)
    row = opinion_rows(act, change).get(department)
    if row is not None and row.opinion is not None:
        raise RuleError(
            Problem(
                "change_review.already_recorded",
                {
                    "department": department,
                    "change_no": change.change_no,
                    "opinion": row.opinion,
                    "reviewer": row.reviewer or "-",
                },
                "change_reviews",
                row.row,
                "opinion",
                order.order_no,
            )
        )
    comment = (comment or "").strip() or None
    values = {
        "opinion": opinion,
        "reviewer": member.name,
        "comment": comment,
        "decided_at": act.now,
    }
    if opinion in rules.COMMENT_REQUIRED and comment is None:
        where = row.row if row else None
        wanted = ChangeOpinion.model_construct(
            row=where, order_no=order.order_no, department=department, opinion=opinion
        )
        raise RuleError(rules.comment_problem(wanted))
    if row is None:  # a request filed before opinions were collected: its row is added
        labels = rules.points(changes, act.lang)
        act.append(
            "change_reviews",
            {
                "change_no": change.change_no,
                "order_no": order.order_no,
                "department": department,
                "points": labels.get(department),
                **values,
            },
        )
    else:
        act.update("change_reviews", row, **values)
    params = {
        "change_no": change.change_no,
        "department": department.label(act.lang),
        "opinion": opinion.label(act.lang),
        "comment": f": {comment}" if comment else "",
    }
    outcome = stay(act, order, t("change_review.recorded", act.lang, **params))
    outcome.message, outcome.params = "change_review.recorded_short", params
    act.outcome.orders.append(outcome)
    act.outcome.data.update(change_no=change.change_no, department=department.value)
    return act.commit()


def owed_opinions(act: Action) -> dict[str, tuple[Department, ...]]:
    """Change number → the concerned departments that have not recorded their opinion, for
    every requested or reviewed change of a known order (a change whose content cannot be read
    owes the opinions of the rows opened for it)."""
    orders = act.snap.orders.whole()
    out: dict[str, tuple[Department, ...]] = {}
    for change in act.snap.records("changes"):
        order = orders.get(change.order_no)
        if order is None or change.status not in (ChangeStatus.REQUESTED, ChangeStatus.REVIEWED):
            continue
        rows = opinion_rows(act, change)
        texts = content_assignments(change.content)
        changes, problems = parse_assignments(texts, order, order_lines(act, order))
        if problems:
            concerned: tuple[Department, ...] = tuple(rows)
        else:
            concerned = rules.concerned(complete_products(changes, act.snap.products))
        owing = rules.owed(concerned, rows)
        if owing:
            out[change.change_no] = owing
    return out
