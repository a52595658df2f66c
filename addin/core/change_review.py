"""The change review's concerned departments (DOMAIN §7) and what approval requires of them.

A change request opens one row per concerned department in the change reviews sheet; each
department records its opinion there (typed, with the reviewer's name, or by ``change opinion``).
Approval needs every concerned department's opinion, by staff of that department; a
disagreement blocks approval (the change is rejected, or a new request is filed): there is no
override, as a rejecting department blocks an order review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from addin.core.changes import FieldChange
from addin.core.enums import REVIEW_DEPARTMENTS, Opinion
from addin.core.enums import Department as D
from addin.core.models import ChangeOpinion
from addin.core.problems import Problem
from addin.core.settings import Settings
from addin.i18n import t

# Who judges a change of each field: the one table the request, the opinion and approval read.
CONCERNED: Mapping[str, frozenset[D]] = {
    "quantity": frozenset({D.PRODUCTION, D.PURCHASING}),
    "delivery_date": frozenset({D.PRODUCTION, D.PURCHASING}),
    "product_code": frozenset({D.TECHNICAL, D.PRODUCTION, D.QUALITY, D.PURCHASING}),
    "product_name": frozenset({D.TECHNICAL, D.PRODUCTION, D.QUALITY, D.PURCHASING}),
    "spec": frozenset({D.TECHNICAL, D.PRODUCTION, D.QUALITY, D.PURCHASING}),
    "quality_req": frozenset({D.TECHNICAL, D.PRODUCTION, D.QUALITY, D.PURCHASING}),
    "packaging_req": frozenset({D.PRODUCTION, D.PURCHASING}),
    "unit_price": frozenset({D.SALES}),
    "delivery_place": frozenset({D.SALES, D.PRODUCTION}),
    "transport_req": frozenset({D.SALES, D.PRODUCTION}),
    "contact": frozenset({D.SALES}),
    "contact_info": frozenset({D.SALES}),
    "sales_rep": frozenset({D.SALES}),
}
# Opinions that need a comment saying the condition or the objection.
COMMENT_REQUIRED = frozenset({Opinion.CONDITIONAL, Opinion.DISAGREE})


def concerned(changes: Iterable[FieldChange]) -> tuple[D, ...]:
    """The departments concerned by ``changes``, in the review's order."""
    found: set[D] = set()
    for change in changes:
        found |= CONCERNED[change.field]
    return tuple(d for d in REVIEW_DEPARTMENTS if d in found)


def points(changes: Iterable[FieldChange], lang: str) -> dict[D, str]:
    """Each concerned department's points to judge: the changed fields it is concerned by."""
    labels: dict[D, list[str]] = {}
    for change in changes:
        for department in CONCERNED[change.field]:
            labels.setdefault(department, []).append(change.label(lang))
    return {
        d: t("change_review.points", lang, fields=t("list.sep", lang).join(labels[d]))
        for d in REVIEW_DEPARTMENTS
        if d in labels
    }


def by_department(rows: Iterable[ChangeOpinion]) -> dict[D, ChangeOpinion]:
    """A change's opinion rows by department (a department's first row counts)."""
    out: dict[D, ChangeOpinion] = {}
    for row in rows:
        out.setdefault(row.department, row)
    return out


def owed(departments: Iterable[D], rows: Mapping[D, ChangeOpinion]) -> tuple[D, ...]:
    """The concerned departments that have not recorded their opinion yet."""
    return tuple(d for d in departments if rows.get(d) is None or rows[d].opinion is None)


def approval_problems(
    change_no: str,
    order_no: str,
    departments: Iterable[D],
    rows: Mapping[D, ChangeOpinion],
    settings: Settings,
) -> list[Problem]:
    """What keeps a change from approval: a concerned department without an opinion, an
    opinion by someone not on that department's staff, a condition or objection without a
    comment, and any disagreement."""
    problems: list[Problem] = []
    for department in departments:
        row = rows.get(department)
        where = ("change_reviews", row.row if row else None)
        if row is None or row.opinion is None:
            problems.append(
                Problem(
                    "change_review.missing",
                    {"department": department, "change_no": change_no},
                    *where,
                    "opinion",
                    order_no,
                )
            )
            continue
        member = settings.member(row.reviewer or "") if row.reviewer else None
        if member is None or member.department != department:
            problems.append(
                Problem(
                    "change_review.reviewer_not_in_department",
                    {"reviewer": row.reviewer or "-", "department": department},
                    *where,
                    "reviewer",
                    order_no,
                )
            )
        if row.opinion in COMMENT_REQUIRED and not (row.comment or "").strip():
            problems.append(comment_problem(row))
        if row.opinion == Opinion.DISAGREE:
            problems.append(
                Problem(
                    "change_review.disagrees",
                    {
                        "department": department,
                        "change_no": change_no,
                        "comment": row.comment or "-",
                    },
                    *where,
                    "opinion",
                    order_no,
                )
            )
    return problems


def comment_problem(row: ChangeOpinion) -> Problem:
    return Problem(
        "change_review.comment_required",
        {"department": row.department, "opinion": row.opinion},
        "change_reviews",
        row.row,
        "comment",
        row.order_no,
    )
