"""Issue 11 item 2: delivery-date changes. A delivered line's date stays; a new date in the past
needs its reason (the change request's "reason for a past date" field); on-time delivery is
measured against the date promised at confirmation, with the later agreed date beside it."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)

from addin.cli import main
from addin.core.enums import Department
from addin.core.problems import RuleError
from addin.i18n import t
from addin.services import changes
from workbook.store import ChangeSet

PROMISED = date(2026, 5, 1)  # the fixture's delivery date


def change(desk: Desk, order_no: str, *assignments: str, **kw: object) -> str:
    outcome = desk(
        changes.request,
        order_no,
        Department.CUSTOMER,
        "customer asks",
        list(assignments),
        user=SALES,
        **kw,
    )
    change_no = outcome.data["change_no"]
    desk(changes.review, change_no, "needed", "feasible", "later", "none", "none", user=OM)
    desk.opinions(change_no)
    desk(changes.approve, change_no, None, desk.out_dir, user=MANAGER, base_dir=desk.path.parent)
    return change_no


def test_the_promised_date_is_kept_through_changes(mem: Desk) -> None:
    mem.released("SO-1")
    (line,) = mem.lines("SO-1")
    assert line.promised_date == PROMISED
    change(mem, "SO-1", "delivery_date=2026-05-20")
    (line,) = mem.lines("SO-1")
    assert (line.delivery_date, line.promised_date) == (date(2026, 5, 20), PROMISED)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "line 1 was delivered in full on 2026-03-02: its delivery date can no longer change",
        ),
        ("zh", "第 1 行已于 2026-03-02 交付完毕，其交货期不能再变更"),
    ],
)
def test_the_date_of_a_delivered_line_cannot_change(mem: Desk, lang: str, text: str) -> None:
    mem.released("SO-1")
    mem.complete("SO-1", accept=False)
    with pytest.raises(RuleError) as caught:
        mem(changes.request, "SO-1", Department.CUSTOMER, "x", ["delivery_date=2026-06-01"],
            user=SALES)  # fmt: skip
    (problem,) = caught.value.problems
    assert problem.key == "change.date_of_delivered_line"
    assert text in problem.format(lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "the new delivery date 2026-03-01 of line 1 is before today, 2026-03-02: state why "
         "in 'Reason for a past date'"),
        ("zh", "第 1 行的新交货期 2026-03-01 早于今天 2026-03-02，须在“交货期早于当日的理由”中写明理由"),
    ],
)  # fmt: skip
def test_a_past_date_needs_its_reason(mem: Desk, lang: str, text: str) -> None:
    mem.released("SO-1")
    args = ("SO-1", Department.CUSTOMER, "x", ["delivery_date=2026-03-01"])
    with pytest.raises(RuleError) as caught:
        mem(changes.request, *args, user=SALES)
    (problem,) = caught.value.problems
    assert (problem.key, problem.column) == ("change.past_date_reason_required", "date_reason")
    assert text in problem.format(lang)
    assert refusal(mem, changes.request, *args, date_reason="  ", user=SALES) == [
        "change.past_date_reason_required"
    ]
    outcome = mem(changes.request, *args, date_reason="goods were collected early", user=SALES)
    (row,) = [c for c in mem.read().records("changes") if c.change_no == outcome.data["change_no"]]
    assert row.date_reason == "goods were collected early"


def test_a_typed_request_gives_the_reason_in_its_column(mem: Desk) -> None:
    mem.released("SO-1")
    typed = {
        "order_no": "SO-1",
        "requested_by": "Customer",
        "reason": "x",
        "content": "delivery_date=2026-03-01",
    }
    mem.type_rows(_typed(typed))
    assert refusal(mem, changes.file_pending, user=SALES) == ["change.past_date_reason_required"]


def _typed(values: dict[str, object]) -> ChangeSet:
    changes_set = ChangeSet()
    changes_set.append("changes", values)
    return changes_set


def test_on_time_is_measured_against_the_promised_date(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's example: one of three lines late against its promise stays 66.7 % although a
    change moved its date (before delivery) so that it is on time against the agreed date."""
    for order_no in ("SO-1", "SO-3", "SO-4"):
        desk.released(order_no)
    change(desk, "SO-3", "delivery_date=2026-05-20")
    desk.complete("SO-1")
    desk.complete("SO-4")
    desk.clock.now = datetime(2026, 5, 10, 9, 0)  # after the promise, before the agreed date
    desk.complete("SO-3")
    code = main(["stats", str(desk.path), "--json"])
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert code == 0
    assert figures["on_time"] == {"numerator": 2, "denominator": 3, "rate": pytest.approx(2 / 3)}
    assert figures["on_time_agreed"] == {"numerator": 3, "denominator": 3, "rate": 1.0}
    for lang, promised, agreed in (
        ("en", "On-time delivery rate (%)", "On-time rate against the agreed date (%)"),
        ("zh", t("stats.fig.on_time", "zh"), t("stats.fig.on_time_agreed", "zh")),
    ):
        assert main(["stats", str(desk.path), "--lang", lang]) == 0
        lines = capsys.readouterr().out.splitlines()
        (first,) = [line for line in lines if line.startswith(promised)]
        (second,) = [line for line in lines if line.startswith(agreed)]
        assert "66.7" in first and "promised" * (lang == "en") in first
        assert "100" in second
