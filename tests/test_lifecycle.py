"""The lifecycle table: the one list of allowed status changes (DOMAIN §1–§8)."""

from __future__ import annotations

from collections import deque

import pytest
from foundation_fixtures import LANGS

from addin.core.enums import OrderStatus as S
from addin.core.lifecycle import (
    BEFORE_SHIPMENT,
    TRANSITIONS,
    actions_from,
    allowed,
    ensure_allowed,
)
from addin.core.problems import RuleError
from addin.i18n import t

# The procedure's main path, action by action (DOMAIN §2 receipt to §8 closing).
MAIN_PATH = [
    ("receive", None, S.RECEIVED),
    ("check", S.RECEIVED, S.CHECKED),
    ("review_start", S.CHECKED, S.IN_REVIEW),
    ("review_record", S.IN_REVIEW, S.IN_REVIEW),
    ("review_conclude", S.IN_REVIEW, S.REVIEW_PASSED),
    ("release", S.REVIEW_PASSED, S.RELEASED),
    ("track_production", S.RELEASED, S.IN_PRODUCTION),
    ("track_inspection", S.IN_PRODUCTION, S.INSPECTED),
    ("track_shipment", S.INSPECTED, S.SHIPPED),
    ("track_delivery", S.SHIPPED, S.DELIVERED),
    ("track_acceptance", S.DELIVERED, S.ACCEPTED),
    ("close", S.ACCEPTED, S.CLOSED),
]


@pytest.mark.parametrize(("action", "before", "after"), MAIN_PATH)
def test_the_main_path_is_allowed_step_by_step(action: str, before: S | None, after: S) -> None:
    assert allowed(action, before, after)
    assert allowed(action, before)
    ensure_allowed(action, "SO1", before, after)  # does not raise


def test_side_paths_of_receipt_check_and_review() -> None:
    # check: missing information loops until complete
    assert allowed("check", S.RECEIVED, S.NEEDS_INFO)
    assert allowed("check", S.NEEDS_INFO, S.NEEDS_INFO)
    assert allowed("check", S.NEEDS_INFO, S.CHECKED)
    assert allowed("check", None, S.CHECKED)  # typed straight into the sheet
    assert allowed("check", None, S.NEEDS_INFO)
    # review: it passes, goes to negotiation, or is rejected
    assert allowed("review_conclude", S.IN_REVIEW, S.NEGOTIATING)
    assert allowed("review_conclude", S.IN_REVIEW, S.REJECTED)


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        ("receive", S.RECEIVED, S.RECEIVED),  # an order is received once
        ("check", S.CHECKED, S.CHECKED),  # checked orders are not checked again
        ("check", S.RECEIVED, S.IN_REVIEW),  # the check cannot skip the review
        ("release", S.IN_REVIEW, S.RELEASED),  # no release before the review passed
        ("release", S.CHECKED, S.RELEASED),
        ("track_shipment", S.IN_PRODUCTION, S.SHIPPED),  # no shipment before inspection
        ("close", S.DELIVERED, S.CLOSED),  # no closing before acceptance
        ("cancel", S.SHIPPED, S.CANCELLED),  # shipped goods are not cancelled
        ("review_conclude", S.IN_REVIEW, S.RELEASED),
    ],
)
def test_forbidden_changes(action: str, before: S | None, after: S) -> None:
    assert not allowed(action, before, after)
    with pytest.raises(RuleError):
        ensure_allowed(action, "SO1", before, after)


def test_the_table_names_only_known_statuses() -> None:
    for action, table in TRANSITIONS.items():
        for before, targets in table.items():
            assert before is None or isinstance(before, S), (action, before)
            assert targets, (action, before)
            assert all(isinstance(s, S) for s in targets), (action, before)


def test_every_status_is_reachable_from_receipt() -> None:
    reached: set[S | None] = {None}
    queue: deque[S | None] = deque([None])
    while queue:
        status = queue.popleft()
        for table in TRANSITIONS.values():
            for target in table.get(status, ()):
                if target not in reached:
                    reached.add(target)
                    queue.append(target)
    assert reached == {None, *S}


def test_closed_and_cancelled_are_final() -> None:
    assert actions_from(S.CLOSED) == []
    assert actions_from(S.CANCELLED) == []
    for status in S:
        if status not in (S.CLOSED, S.CANCELLED):
            assert actions_from(status), status


def test_cancel_is_possible_exactly_before_shipment() -> None:
    for status in S:
        assert allowed("cancel", status, S.CANCELLED) == (status in BEFORE_SHIPMENT), status
    assert S.SHIPPED not in BEFORE_SHIPMENT


def test_actions_from_a_new_order() -> None:
    assert set(actions_from(None)) == {"receive", "check"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_refusal_names_the_order_its_status_and_the_action(lang: str) -> None:
    with pytest.raises(RuleError) as caught:
        ensure_allowed("check", "SO20261126-001", S.CHECKED, S.CHECKED)
    (problem,) = caught.value.problems
    assert problem.key == "rule.status_forbids"
    assert (problem.table, problem.column, problem.order_no) == (
        "orders",
        "status",
        "SO20261126-001",
    )
    expected = t(
        "rule.status_forbids",
        lang,
        order_no="SO20261126-001",
        status=S.CHECKED.label(lang),
        action=t("action.check", lang),
    )
    assert problem.message(lang) == expected
    assert "action." not in problem.message(lang)  # the action's name, not its catalogue key


def test_a_refusal_of_an_order_without_status_says_so_in_words() -> None:
    with pytest.raises(RuleError) as caught:
        ensure_allowed("receive", "SO9", None, S.CHECKED)
    (problem,) = caught.value.problems
    assert problem.message("en") == t(
        "rule.status_forbids", "en", order_no="SO9", status="none", action="receive"
    )
    # no English word inside the Chinese message
    zh = problem.message("zh")
    assert zh == t(
        "rule.status_forbids", "zh", order_no="SO9", status=t("action.none", "zh"), action="接收"
    )
