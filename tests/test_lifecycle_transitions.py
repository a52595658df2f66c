"""Every action against every status: the services refuse exactly what the lifecycle table
forbids, and every status change they make is one the table allows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    OM,
    SALES,
    T0,
    Desk,
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
)

from addin.core.enums import Decision, Department, Opinion, OrderStatus, TrackKind
from addin.core.lifecycle import TRANSITIONS, allowed
from addin.core.problems import RuleError
from addin.i18n import has
from addin.services import change_review, changes, closure, release, review, tracking
from addin.services.context import Outcome
from workbook.store import ChangeSet

NO = "SO-1"
LATER = date(2026, 4, 1)


def _render(values: dict[str, Any], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{values['task_no']}-{values['revision']}.xlsx"
    path.write_bytes(b"")
    return path


def _track(kind: TrackKind, **kw: Any) -> Callable[..., Outcome]:
    return lambda store, out, now: tracking.track(store, NO, kind, user=OM, now=now, **kw)


# action → how to run it on order SO-1 (as a user the role rules allow)
CALLS: dict[str, Callable[..., Outcome]] = {
    "review_start": lambda store, out, now: review.start(store, NO, user=OM, now=now),
    "review_record": lambda store, out, now: review.record(
        store, NO, Department.SALES, Decision.PASS, None, user=SALES, now=now
    ),
    "review_agree": lambda store, out, now: review.agree(store, NO, "ok", [], user=SALES, now=now),
    "review_conclude": lambda store, out, now: review.conclude(store, NO, user=OM, now=now),
    "release": lambda store, out, now: release.release(
        store, NO, out, user=OM, now=now, render=_render
    ),
    "track_production": _track(TrackKind.PRODUCTION, quantity=1),
    "track_inspection": _track(TrackKind.INSPECTION, quantity=1, passed=1),
    "track_material": _track(TrackKind.MATERIAL, quantity=1),
    "track_shipment": _track(TrackKind.SHIPMENT, quantity=1),
    "track_delivery": _track(TrackKind.DELIVERY, quantity=1),
    "track_acceptance": _track(TrackKind.ACCEPTANCE),
    "track_delay": _track(TrackKind.DELAY, cause="c", measures="m", expected=LATER),
    "track_recovery": _track(TrackKind.RECOVERY),
    "track_return": _track(TrackKind.RETURN, quantity=1, cause="c"),
    "change_request": lambda store, out, now: changes.request(
        store, NO, Department.SALES, "r", ["contact=Zoe"], user=SALES, now=now
    ),
    "change_review": lambda store, out, now: changes.review(
        store, "CH-REQ", "n", "f", "d", "c", "q", user=OM, now=now
    ),
    "change_opinion": lambda store, out, now: change_review.record(
        store, "CH-REQ", Department.SALES, Opinion.AGREE, None, user=SALES, now=now
    ),
    "change_approve": lambda store, out, now: changes.approve(
        store, "CH-REV", None, out, user="max", now=now, render=_render
    ),
    "change_reject": lambda store, out, now: changes.reject(
        store, "CH-REQ2", "no", user="max", now=now
    ),
    "close": lambda store, out, now: closure.close(store, NO, user=OM, now=now, report_no="QR-1"),
    "cancel": lambda store, out, now: closure.cancel(store, NO, "r", user=OM, now=now),
}
STATUSES: list[OrderStatus | None] = [None, *OrderStatus]


def test_every_action_of_the_table_has_a_service_or_an_owner() -> None:
    # receive and check are the foundation's (receipt.py); send is the task-order mailer's
    assert set(TRANSITIONS) - set(CALLS) == {"receive", "check", "send"}


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_action_has_a_label_in_both_languages(action: str) -> None:
    assert has(f"action.{action}")


def _prepare(mem: Desk) -> int:
    """Change requests for the change actions; returns SO-1's orders row."""
    typed = ChangeSet()
    for change_no, status in (
        ("CH-REQ", "requested"),
        ("CH-REV", "reviewed"),
        ("CH-REQ2", "requested"),
    ):
        typed.append(
            "changes",
            {
                "change_no": change_no,
                "order_no": NO,
                "requested_by": "sales",
                "reason": "r",
                "content": "contact=Zoe",
                "status": status,
            },
        )
    # the one concerned department's opinion of the reviewed change, typed into its row
    typed.append(
        "change_reviews",
        {
            "change_no": "CH-REV",
            "order_no": NO,
            "department": "sales",
            "opinion": "agree",
            "reviewer": SALES,
        },
    )
    mem.type_rows(typed)
    return next(r.row for r in mem.rows("orders") if r.values["order_no"] == NO)


Pair = tuple[str, OrderStatus | None, OrderStatus | None]


def run_matrix(mem: Desk, action: str) -> set[Pair]:
    """Run ``action`` on SO-1 with its status cell set to each status in turn; check each
    refusal against the table; the status changes it made."""
    row = _prepare(mem)
    made: set[Pair] = set()
    for status in STATUSES:
        setting = ChangeSet()
        setting.update("orders", row, "status", status)
        mem.type_rows(setting)
        if action in ("change_review", "change_opinion", "change_approve", "change_reject"):
            _reopen_changes(mem)
        before = mem.state()
        try:
            outcome = CALLS[action](mem._memory, mem.out_dir, T0.replace(hour=12))
        except RuleError as exc:
            keys = [p.key for p in exc.problems]
            assert mem.state() == before
            if status is None or status not in TRANSITIONS[action]:
                if action == "close" and status not in (None, *_FINAL):
                    assert keys and all(k.startswith("closure.") for k in keys), keys
                    continue  # close lists the unmet closing conditions instead (§8)
                assert keys == ["rule.status_forbids"], (action, status, keys)
            else:
                assert "rule.status_forbids" not in keys, (action, status, keys)
            continue
        (item,) = outcome.orders
        assert item.before == status
        assert allowed(action, status, item.after), (action, status, item.after)
        made.add((action, item.before, item.after))
    return made


@pytest.mark.parametrize("action", sorted(CALLS))
def test_services_refuse_exactly_what_the_table_forbids(mem: Desk, action: str) -> None:
    run_matrix(mem, action)


_FINAL = (OrderStatus.CLOSED, OrderStatus.CANCELLED)


def _reopen_changes(mem: Desk) -> None:
    """Put the typed change requests back to their first status after an action decided one."""
    again = ChangeSet()
    wanted = {"CH-REQ": "requested", "CH-REV": "reviewed", "CH-REQ2": "requested"}
    for r in mem.rows("changes"):
        if r.values["change_no"] in wanted:
            again.update("changes", r.row, "status", wanted[r.values["change_no"]])
            again.update("changes", r.row, "necessity", "n")
            again.update("changes", r.row, "feasibility", "f")
    for r in mem.rows("change_reviews"):  # an opinion recorded on CH-REQ is taken back
        if r.values["change_no"] == "CH-REQ":
            again.update("change_reviews", r.row, "opinion", None)
    mem.type_rows(again)
    rows = [r for r in mem.rows("orders") if r.values["order_no"] == NO]
    fix = ChangeSet()
    fix.update("orders", rows[0].row, "contact", "Ann")  # so that 'contact=Zoe' changes it
    mem.type_rows(fix)


class Recorder(Desk):
    """A desk that notes every status change its actions make."""

    made: set[Pair]

    def __call__(self, service: Callable[..., Outcome], *args: Any, **kwargs: Any) -> Outcome:
        outcome = super().__call__(service, *args, **kwargs)
        self.made.update((outcome.action, o.before, o.after) for o in outcome.orders)
        return outcome


def _change(d: Recorder, order_no: str, *assignments: str) -> None:
    change_no = d(
        changes.request, order_no, Department.CUSTOMER, "asked", list(assignments), user=SALES
    ).data["change_no"]
    d(changes.review, change_no, "n", "f", "d", "c", "q", user=OM)
    d.opinions(change_no)
    d(changes.approve, change_no, None, d.out_dir, user="max", render=_render)


def _delay_and_recovery(d: Recorder, order_no: str) -> None:
    d.track(order_no, TrackKind.DELAY, cause="c", measures="m", expected=LATER)
    d.track(order_no, TrackKind.RECOVERY)


def _round(d: Recorder, order_no: str, decisions: dict[Department, Decision]) -> None:
    from lifecycle_fixtures import USERS

    for department in (
        Department.SALES,
        Department.PRODUCTION,
        Department.TECHNICAL,
        Department.QUALITY,
        Department.PURCHASING,
    ):
        decision = decisions.get(department, Decision.PASS)
        comment = None if decision == Decision.PASS else "why"
        d(review.record, order_no, department, decision, comment, user=USERS[department])
    d(review.conclude, order_no, user=OM)


def scenario(d: Recorder) -> None:
    """Every status change a real order can make, one after the other."""
    K = TrackKind
    no = "SO-1"  # one line of 100
    d.review_pass(no)
    _delay_and_recovery(d, no)
    d(release.release, no, d.out_dir, user=OM, render=_render)
    _delay_and_recovery(d, no)
    d.track(no, K.PRODUCTION, quantity=50)
    d.track(no, K.PRODUCTION, quantity=50)
    _delay_and_recovery(d, no)
    d.track(no, K.INSPECTION, quantity=100, passed=80, cause="burrs")
    _change(d, no, "quantity=80")  # in production → inspected
    _delay_and_recovery(d, no)
    _change(d, no, "quantity=90")  # inspected → in production
    d.track(no, K.SHIPMENT, quantity=80)
    d.track(no, K.DELIVERY, quantity=40)
    _change(d, no, "quantity=80")  # in production → shipped
    _delay_and_recovery(d, no)
    _change(d, no, "quantity=90")  # shipped → in production
    d.track(no, K.DELIVERY, quantity=40)
    _change(d, no, "quantity=80")  # in production → delivered
    _delay_and_recovery(d, no)
    _change(d, no, "quantity=90")  # delivered → in production
    d.track(no, K.INSPECTION, quantity=10, passed=10)  # reworked: → inspected
    d.track(no, K.PRODUCTION, quantity=10)  # a spare, inspected and rejected
    d.track(no, K.INSPECTION, quantity=10, passed=0, cause="cracks")
    d.track(no, K.SHIPMENT, quantity=5)
    d.track(no, K.DELIVERY, quantity=5)  # inspected, partly delivered
    d.track(no, K.SHIPMENT, quantity=5)  # → shipped
    d.track(no, K.DELIVERY, quantity=2)
    d.track(no, K.DELIVERY, quantity=3)  # → delivered
    d.track(no, K.ACCEPTANCE)
    d(closure.close, no, user=OM, report_no="QR-1")

    no = "SO-3"  # returns and a short close (one line of 40)
    d.review_pass(no)
    d(release.release, no, d.out_dir, user=OM, render=_render)
    d.track(no, K.PRODUCTION, quantity=40)
    d.track(no, K.INSPECTION, quantity=40, passed=40)
    d.track(no, K.SHIPMENT, quantity=20)
    d.track(no, K.DELIVERY, quantity=5)
    d.track(no, K.RETURN, quantity=5, cause="dented")  # inspected → in production
    d.track(no, K.RETURN, quantity=5, cause="dented")  # in production → in production
    d.track(no, K.INSPECTION, quantity=10, passed=10)  # reworked: → inspected
    d.track(no, K.SHIPMENT, quantity=5)
    _change(d, no, "quantity=15")  # short close: inspected → shipped (25 passed to spare)
    d.track(no, K.RETURN, quantity=5, cause="wet")  # shipped → inspected
    d.track(no, K.RETURN, quantity=5, cause="wet")  # inspected → inspected
    d.track(no, K.SHIPMENT, quantity=10)
    d.track(no, K.DELIVERY, quantity=10)
    d.track(no, K.ACCEPTANCE)
    d(closure.close, no, user=OM, report_no=f"QR-{no}")
    no = "SO-4"  # one line of 30: a return from a shipped order
    d.review_pass(no)
    d(release.release, no, d.out_dir, user=OM, render=_render)
    d.track(no, K.PRODUCTION, quantity=30)
    d.track(no, K.INSPECTION, quantity=30, passed=30)
    d.track(no, K.SHIPMENT, quantity=30)
    d.track(no, K.RETURN, quantity=5, cause="wrong labels")  # shipped → in production
    no = "SO-5"  # one line of 10: a short close of everything delivered
    d.review_pass(no)
    d(release.release, no, d.out_dir, user=OM, render=_render)
    d.track(no, K.PRODUCTION, quantity=10)
    d.track(no, K.INSPECTION, quantity=10, passed=10)
    d.track(no, K.SHIPMENT, quantity=6)
    d.track(no, K.DELIVERY, quantity=6)
    _change(d, no, "quantity=6")  # inspected → delivered

    no = "SO-2"  # the review's side paths
    d(review.start, no, user=OM)
    _round(d, no, {Department.SALES: Decision.CONDITIONAL})
    _change(d, no, "contact=Bob")  # negotiating → checked
    d(review.start, no, user=OM)
    _round(d, no, {Department.SALES: Decision.CONDITIONAL})
    d(review.agree, no, "agreed", [], user=SALES)
    _change(d, no, "contact=Eve")  # in review → checked
    d(review.start, no, user=OM)
    _round(d, no, {Department.PRODUCTION: Decision.REJECT})
    _change(d, no, "contact=Ann")  # rejected → checked


def test_every_status_change_of_the_table_is_made_by_a_service(mem: Desk) -> None:
    made: set[Pair] = set()
    for action in CALLS:
        made |= run_matrix(Desk(mem.path, mem.out_dir, memory=True), action)
    recorder = Recorder(mem.path, mem.out_dir, memory=True)
    recorder.made = set()
    scenario(recorder)
    made |= recorder.made
    assert recorder.verify() == []
    table = {
        (action, before, after)
        for action in CALLS
        for before, targets in TRANSITIONS[action].items()
        for after in targets
    }
    assert table - made == set()
