"""Order review (DOMAIN §3): rounds, decisions by department, conclusion, negotiation."""

from __future__ import annotations

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    PROD,
    QUAL,
    SALES,
    STRANGER,
    TECH,
    USERS,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)

from addin.core import review as rules
from addin.core.enums import REVIEW_DEPARTMENTS, Decision, Department, OrderStatus
from addin.core.models import Order
from addin.i18n import t
from addin.services import closure, review
from workbook.store import ChangeSet


def decide_all(desk: Desk, order_no: str, decisions: dict[Department, Decision]) -> None:
    for department in REVIEW_DEPARTMENTS:
        decision = decisions.get(department, Decision.PASS)
        comment = None if decision == Decision.PASS else f"{department.value} says why"
        desk(review.record, order_no, department, decision, comment, user=USERS[department])


def test_start_opens_a_round_with_every_departments_points(desk: Desk) -> None:
    outcome = desk(review.start, "SO-2", user=OM)
    assert (outcome.orders[0].before, outcome.orders[0].after) == (
        OrderStatus.CHECKED,
        OrderStatus.IN_REVIEW,
    )
    rows = [r for r in desk.read().records("reviews") if r.order_no == "SO-2"]
    assert [r.department for r in rows] == list(REVIEW_DEPARTMENTS)
    assert {r.round for r in rows} == {1}
    for r in rows:
        assert r.points.startswith(t(f"review.points.{r.department.value}", "en"))
        assert r.decision is None
    production = next(r for r in rows if r.department == Department.PRODUCTION)
    assert "line 2 P2" in production.points  # the order's own lines to judge
    quality = next(r for r in rows if r.department == Department.QUALITY)
    assert "GB/T 3098.1" in quality.points  # and its quality requirement
    assert desk.verify() == []


def test_all_pass_passes_the_review(desk: Desk) -> None:
    desk(review.start, "SO-1", user=OM)
    decide_all(desk, "SO-1", {})
    outcome = desk(review.conclude, "SO-1", user=OM)
    assert outcome.orders[0].after == OrderStatus.REVIEW_PASSED
    assert outcome.data["decisions"] == {d.value: "pass" for d in REVIEW_DEPARTMENTS}
    rows = [r for r in desk.read().records("reviews") if r.order_no == "SO-1"]
    assert {r.reviewer for r in rows} == {USERS[d] for d in REVIEW_DEPARTMENTS}
    assert all(r.decided_at is not None for r in rows)


def test_any_reject_rejects_even_with_a_conditional(desk: Desk) -> None:
    desk(review.start, "SO-1", user=OM)
    decide_all(
        desk,
        "SO-1",
        {Department.SALES: Decision.CONDITIONAL, Department.TECHNICAL: Decision.REJECT},
    )
    assert desk(review.conclude, "SO-1", user=OM).orders[0].after == OrderStatus.REJECTED


def test_conclusion_rule() -> None:
    P, C, R = Decision.PASS, Decision.CONDITIONAL, Decision.REJECT
    assert rules.conclusion([P] * 5) == OrderStatus.REVIEW_PASSED
    assert rules.conclusion([P, P, C, P, P]) == OrderStatus.NEGOTIATING
    assert rules.conclusion([P, C, R, P, P]) == OrderStatus.REJECTED
    assert rules.conclusion([R] * 5) == OrderStatus.REJECTED


def test_points_add_the_agreement_first() -> None:
    order = Order(order_no="X", quality_req="ISO 2768-m")
    text = rules.points(Department.QUALITY, order, [], "zh", agreement="推迟一周")
    assert text.splitlines()[0] == t("review.points.agreement", "zh", text="推迟一周")
    assert "ISO 2768-m" in text


def test_negotiation_then_second_round_keeps_every_round(desk: Desk) -> None:
    desk(review.start, "SO-1", user=OM)
    decide_all(desk, "SO-1", {Department.SALES: Decision.CONDITIONAL})
    assert desk(review.conclude, "SO-1", user=OM).orders[0].after == OrderStatus.NEGOTIATING
    # only sales records the agreement
    assert refusal(desk, review.agree, "SO-1", "agreed", [], user=OM) == ["role.wrong_department"]
    assert refusal(desk, review.agree, "SO-1", "  ", [], user=SALES) == [
        "review.agreement_required"
    ]
    outcome = desk(
        review.agree,
        "SO-1",
        "customer accepts one week later",
        ["delivery_date=2026-05-08"],
        user=SALES,
    )
    assert outcome.orders[0].after == OrderStatus.IN_REVIEW
    assert outcome.data == {"round": 2, "version": 2}
    snap = desk.read()
    assert snap.orders["SO-1"].version == 2
    assert str(snap.orders["SO-1"].due_date) == "2026-05-08"
    (version,) = [v for v in snap.records("versions") if v.order_no == "SO-1"]
    assert (version.version, version.line_no, version.old_value, version.new_value) == (
        2,
        1,
        "2026-05-01",
        "2026-05-08",
    )
    rounds = rules.rounds(r for r in snap.records("reviews") if r.order_no == "SO-1")
    assert sorted(rounds) == [1, 2]
    assert rounds[1][Department.SALES].decision == Decision.CONDITIONAL  # round 1 kept as is
    assert all(r.decision is None for r in rounds[2].values())
    assert "customer accepts one week later" in rounds[2][Department.SALES].points
    decide_all(desk, "SO-1", {})
    assert desk(review.conclude, "SO-1", user=OM).orders[0].after == OrderStatus.REVIEW_PASSED
    assert desk.verify() == []


def test_rejection_then_cancellation(desk: Desk) -> None:
    desk(review.start, "SO-3", user=OM)
    decide_all(desk, "SO-3", {Department.PRODUCTION: Decision.REJECT})
    desk(review.conclude, "SO-3", user=OM)
    assert refusal(desk, review.start, "SO-3", user=OM) == ["rule.status_forbids"]
    desk(closure.cancel, "SO-3", "cannot be made", user=SALES)
    assert desk.status("SO-3") == OrderStatus.CANCELLED


@pytest.mark.parametrize("department", REVIEW_DEPARTMENTS)
def test_only_staff_of_a_department_decide_for_it(mem: Desk, department: Department) -> None:
    mem(review.start, "SO-1", user=OM)
    others = [u for d, u in USERS.items() if d != department] + [MANAGER]
    for user in others:
        keys = refusal(mem, review.record, "SO-1", department, Decision.PASS, None, user=user)
        assert keys == ["role.wrong_department"], user
    keys = refusal(mem, review.record, "SO-1", department, Decision.PASS, None, user=STRANGER)
    assert keys == ["role.not_in_roster"]
    mem(review.record, "SO-1", department, Decision.PASS, None, user=USERS[department])


def test_order_management_starts_and_concludes(mem: Desk) -> None:
    assert refusal(mem, review.start, "SO-1", user=SALES) == ["role.wrong_department"]
    assert refusal(mem, review.start, "SO-1", user=STRANGER) == ["role.not_in_roster"]
    mem(review.start, "SO-1", user=MANAGER)  # a manager of order management
    decide_all(mem, "SO-1", {})
    assert refusal(mem, review.conclude, "SO-1", user=PROD) == ["role.wrong_department"]
    mem(review.conclude, "SO-1", user=OM)


def test_a_decision_is_not_rewritten_and_a_no_needs_a_reason(mem: Desk) -> None:
    mem(review.start, "SO-1", user=OM)
    for decision in (Decision.CONDITIONAL, Decision.REJECT):
        keys = refusal(mem, review.record, "SO-1", Department.QUALITY, decision, " ", user=QUAL)
        assert keys == ["review.comment_required"]
    mem(review.record, "SO-1", Department.QUALITY, Decision.PASS, "fine", user=QUAL)
    keys = refusal(mem, review.record, "SO-1", Department.QUALITY, Decision.REJECT, "no", user=QUAL)
    assert keys == ["review.already_decided"]


def test_order_management_does_not_review(mem: Desk) -> None:
    mem(review.start, "SO-1", user=OM)
    keys = refusal(mem, review.record, "SO-1", Department.ORDER_MGMT, Decision.PASS, None, user=OM)
    assert keys == ["review.not_reviewing"]


def test_conclude_lists_every_undecided_department(mem: Desk) -> None:
    mem(review.start, "SO-1", user=OM)
    mem(review.record, "SO-1", Department.SALES, Decision.PASS, None, user=SALES)
    keys = refusal(mem, review.conclude, "SO-1", user=OM)
    assert keys == ["review.undecided"] * 4


def test_decisions_typed_into_the_sheet_count_with_a_reviewer_of_the_department(
    mem: Desk,
) -> None:
    mem(review.start, "SO-1", user=OM)
    rows = {r.department: r for r in mem.read().records("reviews") if r.order_no == "SO-1"}
    typed = ChangeSet()
    for department, row in rows.items():
        typed.update("reviews", row.row, "decision", "通过")  # the zh label, as typed
        typed.update("reviews", row.row, "reviewer", USERS[department])
    typed.update("reviews", rows[Department.TECHNICAL].row, "reviewer", PROD)  # wrong person
    mem.type_rows(typed)
    keys = refusal(mem, review.conclude, "SO-1", user=OM)
    assert keys == ["review.reviewer_not_in_department"]
    fix = ChangeSet()
    fix.update("reviews", rows[Department.TECHNICAL].row, "reviewer", TECH)
    mem.type_rows(fix)
    assert mem(review.conclude, "SO-1", user=OM).orders[0].after == OrderStatus.REVIEW_PASSED
    # what was typed is still there
    after = {r.department: r for r in mem.read().records("reviews") if r.order_no == "SO-1"}
    assert after[Department.TECHNICAL].reviewer == TECH
    assert all(r.decision == Decision.PASS for r in after.values())


def test_review_actions_need_the_right_status(mem: Desk) -> None:
    assert refusal(
        mem, review.record, "SO-1", Department.SALES, Decision.PASS, None, user=SALES
    ) == ["rule.status_forbids"]
    assert refusal(mem, review.conclude, "SO-1", user=OM) == ["rule.status_forbids"]
    assert refusal(mem, review.agree, "SO-1", "x", [], user=SALES) == ["rule.status_forbids"]
    assert refusal(mem, review.start, "NOPE", user=OM) == ["rule.unknown_order"]
