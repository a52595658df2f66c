"""The change review collects the concerned departments' opinions (issue 11 item 5, DOMAIN §7):
a row per concerned department when a change is filed, an opinion once per department by its
own staff, approval only with every opinion and no disagreement; service and command line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    PROD,
    PURCH,
    SALES,
    TECH,
    USERS,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
)

from addin.cli import main
from addin.core.change_review import CONCERNED, concerned
from addin.core.changes import LINE_FIELDS, ORDER_FIELDS, FieldChange
from addin.core.enums import ChangeStatus, Department, Opinion
from addin.core.problems import Problem, RuleError
from addin.i18n import t
from addin.services import change_review, changes
from addin.services.context import Outcome

D = Department


def request(mem: Desk, *assignments: str, order_no: str = "SO-1") -> str:
    outcome = mem(
        changes.request, order_no, D.CUSTOMER, "asked", list(assignments or ["quantity=90"]),
        user=SALES,
    )  # fmt: skip
    return str(outcome.data["change_no"])


def reviewed(mem: Desk, *assignments: str) -> str:
    change_no = request(mem, *assignments)
    mem(changes.review, change_no, "n", "f", "d", "c", "q", user=OM)
    return change_no


def refused(mem: Desk, service: Any, *args: Any, **kwargs: Any) -> list[Problem]:
    """An action that must be refused: nothing changed; its problems."""
    before = mem.state()
    with pytest.raises(RuleError) as caught:
        mem(service, *args, **kwargs)
    assert mem.state() == before, "a refused action changed the workbook"
    return caught.value.problems


def opinion(mem: Desk, change_no: str, dept: D, value: Opinion, comment: str | None = None,
            user: str | None = None) -> Outcome:  # fmt: skip
    return mem(change_review.record, change_no, dept, value, comment, user=user or USERS[dept])


def opinion_rows(mem: Desk, change_no: str) -> list[dict[str, Any]]:
    return [r.values for r in mem.rows("change_reviews") if r.values["change_no"] == change_no]


# -- who is concerned ---------------------------------------------------------------------------
def test_every_field_a_change_may_name_has_its_concerned_departments() -> None:
    assert set(CONCERNED) == set(ORDER_FIELDS) | set(LINE_FIELDS)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (["quantity", "delivery_date"], (D.PRODUCTION, D.PURCHASING)),
        (["spec"], (D.PRODUCTION, D.TECHNICAL, D.QUALITY, D.PURCHASING)),
        (["unit_price"], (D.SALES,)),
        (["unit_price", "quantity"], (D.SALES, D.PRODUCTION, D.PURCHASING)),
    ],
)
def test_the_concerned_departments_follow_what_the_change_changes(
    fields: list[str], expected: tuple[D, ...]
) -> None:
    assert concerned(FieldChange("lines", f, None, 1) for f in fields) == expected


def test_filing_opens_a_row_per_concerned_department(mem: Desk) -> None:
    change_no = request(mem, "quantity=90", "unit_price=1.50")
    rows = opinion_rows(mem, change_no)
    assert [(r["department"], r["opinion"]) for r in rows] == [
        ("Sales", None),
        ("Production", None),
        ("Purchasing", None),
    ]
    assert rows[0]["points"] == "judge the change of Unit price (line 1)"
    assert rows[1]["points"] == "judge the change of Quantity (line 1)"


# -- recording an opinion -----------------------------------------------------------------------
def test_each_concerned_department_records_its_opinion_once(mem: Desk) -> None:
    change_no = reviewed(mem)
    out = opinion(mem, change_no, D.PRODUCTION, Opinion.CONDITIONAL, "overtime on line 2")
    (item,) = out.orders
    assert t(item.message or "", "en", **item.params) == (
        f"Production's opinion on change {change_no} recorded"
    )
    assert t(item.message or "", "zh", **item.params).endswith(f"对变更 {change_no} 的意见")
    row = opinion_rows(mem, change_no)[0]
    assert (row["opinion"], row["reviewer"], row["comment"]) == (
        "Agree with conditions",
        PROD,
        "overtime on line 2",
    )
    assert row["decided_at"] is not None
    # as in the order review, a recorded opinion is never rewritten
    (problem,) = refused(mem, change_review.record, change_no, D.PRODUCTION, Opinion.AGREE,
                         None, user=PROD)  # fmt: skip
    assert problem.key == "change_review.already_recorded"
    assert problem.message("en") == (
        f"Production already gave its opinion on change {change_no}: 'Agree with conditions'"
        f" (reviewer: {PROD})"
    )
    assert problem.message("zh") == (
        f"生产已对变更 {change_no} 提出意见“有条件同意”（评审人：{PROD}）"
    )


def test_only_staff_of_the_department_record_its_opinion(mem: Desk) -> None:
    change_no = request(mem)
    (problem,) = refused(mem, change_review.record, change_no, D.PURCHASING, Opinion.AGREE,
                         None, user=PROD)  # fmt: skip
    assert problem.key == "role.wrong_department"
    assert "'pete' is in Production" in problem.message("en")
    assert "“pete”属于生产部门" in problem.message("zh")


def test_a_department_the_change_does_not_concern_gives_no_opinion(mem: Desk) -> None:
    change_no = request(mem)  # a quantity: production and purchasing
    (problem,) = refused(mem, change_review.record, change_no, D.TECHNICAL, Opinion.AGREE,
                         None, user=TECH)  # fmt: skip
    assert problem.key == "change_review.not_concerned"
    assert (problem.table, problem.column) == ("change_reviews", "department")
    assert problem.message("en") == (
        f"change {change_no} does not concern Technical (concerned: Production, Purchasing)"
    )
    assert problem.message("zh") == f"变更 {change_no} 不涉及技术（涉及的部门：生产、采购）"


def test_an_unknown_change_has_no_opinions(mem: Desk) -> None:
    (problem,) = refused(mem, change_review.record, "CH-NONE", D.PRODUCTION, Opinion.AGREE,
                         None, user=PROD)  # fmt: skip
    assert problem.key == "change.unknown"
    assert problem.message("en") == "no change request CH-NONE"
    assert problem.message("zh") == "找不到变更单 CH-NONE"


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_a_decided_change_takes_no_more_opinions(mem: Desk, decide: str) -> None:
    change_no = reviewed(mem, "unit_price=1.50")  # sales alone is concerned
    opinion(mem, change_no, D.SALES, Opinion.AGREE)
    if decide == "approve":
        mem(changes.approve, change_no, None, None, user=MANAGER)
    else:
        mem(changes.reject, change_no, "withdrawn", user=MANAGER)
    status = "Approved" if decide == "approve" else "Rejected"
    mem_row = next(r for r in opinion_rows(mem, change_no))
    assert mem_row["opinion"] == "Agree"
    (problem,) = refused(mem, change_review.record, change_no, D.SALES, Opinion.DISAGREE, "no",
                         user=SALES)  # fmt: skip
    assert problem.key == "change.already_decided"
    assert problem.message("en") == f"change {change_no} is already decided ('{status}')"
    zh_status = "已批准" if decide == "approve" else "已驳回"
    assert problem.message("zh") == f"变更 {change_no} 已处理（“{zh_status}”）"


def test_a_condition_or_an_objection_needs_a_comment(mem: Desk) -> None:
    change_no = request(mem)
    for value in (Opinion.CONDITIONAL, Opinion.DISAGREE):
        (problem,) = refused(mem, change_review.record, change_no, D.PRODUCTION, value, " ",
                             user=PROD)  # fmt: skip
        assert (problem.key, problem.column) == ("change_review.comment_required", "comment")
        label = value.label("en")
        assert problem.message("en") == f"Production's opinion '{label}' needs a comment"
        assert problem.message("zh") == f"生产的意见为“{value.label('zh')}”，须写明说明"


# -- approval -----------------------------------------------------------------------------------
def test_approval_waits_for_every_concerned_department(mem: Desk) -> None:
    change_no = reviewed(mem)
    opinion(mem, change_no, D.PRODUCTION, Opinion.AGREE)
    (problem,) = refused(mem, changes.approve, change_no, None, None, user=MANAGER)
    assert problem.key == "change_review.missing"
    assert (problem.table, problem.column) == ("change_reviews", "opinion")
    assert problem.message("en") == f"change {change_no} still needs the opinion of Purchasing"
    assert problem.message("zh") == f"变更 {change_no} 尚缺采购的评审意见"
    opinion(mem, change_no, D.PURCHASING, Opinion.CONDITIONAL, "air freight for the steel")
    out = mem(changes.approve, change_no, None, None, user=MANAGER)
    assert out.data["notice"]["opinions"] == {
        D.PRODUCTION: f"Agree ({PROD})",
        D.PURCHASING: f"Agree with conditions ({PURCH}): air freight for the steel",
    }


def test_a_disagreement_blocks_approval_and_the_change_can_be_rejected(mem: Desk) -> None:
    change_no = reviewed(mem)
    opinion(mem, change_no, D.PRODUCTION, Opinion.AGREE)
    opinion(mem, change_no, D.PURCHASING, Opinion.DISAGREE, "no steel before June")
    (problem,) = refused(mem, changes.approve, change_no, "urgent", None, user=MANAGER)
    assert problem.key == "change_review.disagrees"
    assert problem.message("en") == (
        f"Purchasing disagrees with change {change_no} (no steel before June): it cannot be"
        " approved; reject it or file a new request"
    )
    assert problem.message("zh") == (
        f"采购不同意变更 {change_no}（no steel before June），不能批准：请驳回，或另行申请变更"
    )
    mem(changes.reject, change_no, "purchasing cannot supply", user=MANAGER)
    snap = mem.read()
    (change,) = [c for c in snap.records("changes") if c.change_no == change_no]
    assert change.status == ChangeStatus.REJECTED


def test_a_change_can_be_rejected_before_any_opinion(mem: Desk) -> None:
    change_no = request(mem)
    mem(changes.reject, change_no, "withdrawn", user=MANAGER)
    assert opinion_rows(mem, change_no)[0]["opinion"] is None


def test_typed_opinions_are_checked_at_approval(mem: Desk) -> None:
    from workbook.store import ChangeSet

    change_no = reviewed(mem)
    rows = [r for r in mem.rows("change_reviews") if r.values["change_no"] == change_no]
    typed = ChangeSet()
    typed.update("change_reviews", rows[0].row, "opinion", "同意")  # production, either language
    typed.update("change_reviews", rows[0].row, "reviewer", PURCH)  # not production's staff
    typed.update("change_reviews", rows[1].row, "opinion", "Agree")
    typed.update("change_reviews", rows[1].row, "reviewer", PURCH)
    mem.type_rows(typed)
    (problem,) = refused(mem, changes.approve, change_no, None, None, user=MANAGER)
    assert (problem.key, problem.row, problem.column) == (
        "change_review.reviewer_not_in_department",
        rows[0].row,
        "reviewer",
    )
    assert problem.message("en") == f"reviewer '{PURCH}' is not on the staff of Production"
    assert problem.message("zh") == f"评审人“{PURCH}”不是生产的人员"
    fix = ChangeSet()
    fix.update("change_reviews", rows[0].row, "reviewer", PROD)
    mem.type_rows(fix)
    assert mem(changes.approve, change_no, None, None, user=MANAGER).data["version"] == 2


# -- the command line ---------------------------------------------------------------------------
def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    captured = capsys.readouterr()
    if "--json" in argv:
        return code, json.loads(captured.out)
    return code, captured.out + captured.err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_change_opinion_from_the_command_line(
    desk: Desk, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    wb = str(desk.path)
    change_no = reviewed(desk)
    base = ("change", "opinion", wb, change_no, "--lang", lang)
    code, out = cli(capsys, *base, "--dept", "technical", "--opinion", "agree", "--user", TECH)
    assert code == 1
    expected = {"zh": "不涉及技术", "en": "does not concern Technical"}[lang]
    assert expected in out
    code, out = cli(capsys, *base, "--dept", "production", "--opinion", "agree", "--user", PURCH)
    assert code == 1 and {"zh": "只能由", "en": "staff only"}[lang] in out
    code, out = cli(capsys, "change", "opinion", wb, "CH-X", "--dept", "production", "--opinion",
                    "agree", "--user", PROD, "--lang", lang)  # fmt: skip
    assert code == 1 and {"zh": "找不到变更单 CH-X", "en": "no change request CH-X"}[lang] in out
    with pytest.raises(SystemExit) as usage:
        cli(capsys, *base, "--dept", "production", "--opinion", "maybe", "--user", PROD)
    assert usage.value.code == 2
    code, out = cli(capsys, "change", "approve", wb, change_no, "--user", MANAGER, "--lang", lang)
    missing = {"zh": "尚缺生产的评审意见", "en": "still needs the opinion of Production"}
    assert code == 1 and missing[lang] in out
    code, out = cli(capsys, *base, "--dept", "生产", "--opinion", "同意", "--user", PROD)
    assert code == 0, out
    code, out = cli(capsys, *base, "--dept", "purchasing", "--opinion", "disagree", "--comment",
                    "no steel", "--user", PURCH)  # fmt: skip
    assert code == 0, out
    code, out = cli(capsys, "change", "approve", wb, change_no, "--user", MANAGER, "--lang", lang)
    disagrees = {"zh": "采购不同意变更", "en": "Purchasing disagrees with change"}
    assert code == 1 and disagrees[lang] in out
    code, out = cli(capsys, "show", wb, "SO-1", "--lang", lang)
    assert code == 0
    sheet = {"zh": "-- 变更评审 (2) --", "en": "-- Change reviews (2) --"}[lang]
    assert sheet in out
    shown = {"zh": "不同意", "en": "Disagree"}[lang]
    assert any(shown in line and PURCH in line and "no steel" in line for line in out.splitlines())
