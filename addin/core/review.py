"""The order review (DOMAIN §3): what each department judges, rounds, and the conclusion rule."""

from __future__ import annotations

from collections.abc import Iterable

from addin.core.enums import REVIEW_DEPARTMENTS, Decision, Department, OrderStatus
from addin.core.models import Order, OrderLine, Review
from addin.core.problems import Problem
from addin.i18n import t

# The order's own special requirements each department should confirm it can meet (§2.4).
REQUIREMENTS_FOR: dict[Department, tuple[str, ...]] = {
    Department.SALES: (),
    Department.PRODUCTION: ("packaging_req",),
    Department.TECHNICAL: ("quality_req",),
    Department.QUALITY: ("quality_req",),
    Department.PURCHASING: ("packaging_req", "transport_req"),
}
# Decisions that must say why: what to negotiate, or what cannot be met.
COMMENT_REQUIRED = frozenset({Decision.CONDITIONAL, Decision.REJECT})


def points(
    department: Department,
    order: Order,
    lines: Iterable[OrderLine],
    lang: str,
    agreement: str | None = None,
) -> str:
    """The points §3 asks ``department`` to judge, with this order's particulars."""
    parts = [t(f"review.points.{department.value}", lang)]
    lines = list(lines)
    if department in (Department.PRODUCTION, Department.PURCHASING) and lines:
        items = [
            t(
                "review.points.line",
                lang,
                line_no=line.line_no,
                product=line.product_code or "",
                spec=line.spec or "",
                quantity=line.quantity or "",
                date=line.delivery_date or "",
            )
            for line in lines
        ]
        parts.append(t("list.sep", lang).join(items))
    for field in REQUIREMENTS_FOR[department]:
        text = (getattr(order, field) or "").strip()
        if text:
            parts.append(t(f"review.points.{field}", lang, text=text))
    if agreement:
        parts.insert(0, t("review.points.agreement", lang, text=agreement))
    return "\n".join(parts)


def rounds(reviews: Iterable[Review]) -> dict[int, dict[Department, Review]]:
    """Review rows by round and department (a department's first row in a round counts)."""
    out: dict[int, dict[Department, Review]] = {}
    for review in reviews:
        out.setdefault(review.round, {}).setdefault(review.department, review)
    return out


def latest_round(reviews: Iterable[Review]) -> int:
    return max((r.round for r in reviews), default=0)


def undecided(order_no: str, rows: dict[Department, Review]) -> list[Problem]:
    """Every department of the round still without a decision, at its review row."""
    problems = []
    for department in REVIEW_DEPARTMENTS:
        review = rows.get(department)
        if review is None:
            problems.append(
                Problem(
                    "review.missing_row",
                    {"department": department},
                    "reviews",
                    None,
                    "department",
                    order_no,
                )
            )
        elif review.decision is None:
            problems.append(
                Problem(
                    "review.undecided",
                    {"department": department},
                    "reviews",
                    review.row,
                    "decision",
                    order_no,
                )
            )
    return problems


def comment_missing(review: Review) -> Problem | None:
    if review.decision in COMMENT_REQUIRED and not (review.comment or "").strip():
        return Problem(
            "review.comment_required",
            {"department": review.department, "decision": review.decision},
            "reviews",
            review.row,
            "comment",
            review.order_no,
        )
    return None


def conclusion(decisions: Iterable[Decision]) -> OrderStatus:
    """§3 outcome: any reject → rejected; else any conditional → negotiating; else passed."""
    decided = set(decisions)
    if Decision.REJECT in decided:
        return OrderStatus.REJECTED
    if Decision.CONDITIONAL in decided:
        return OrderStatus.NEGOTIATING
    return OrderStatus.REVIEW_PASSED
