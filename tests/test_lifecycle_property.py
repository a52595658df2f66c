"""Random sequences of actions keep the procedure's invariants (hypothesis).

Whatever staff do, in whatever order and whoever they are: every refusal leaves the workbook
as it was; quantities stay consistent; a closed order met every closing condition; every status
change has its ledger row and ``verify`` passes; and nothing users typed is lost — typed cells
stay, appended sheets only grow, and every changed order field can be traced back to what was
typed through the versions sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lifecycle_fixtures import (
    MANAGER,
    OM,
    STRANGER,
    USERS,
    Desk,
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
)

from addin.core.change_review import CONCERNED
from addin.core.changes import LINE_FIELDS, ORDER_FIELDS, text_value
from addin.core.closure import unmet_conditions
from addin.core.enums import (
    REVIEW_DEPARTMENTS,
    Decision,
    Department,
    Opinion,
    OrderStatus,
    TrackKind,
)
from addin.core.problems import RuleError
from addin.core.schema import TABLES
from addin.core.tracking import replay
from addin.services import change_review, changes, closure, release, review, tracking
from workbook.store import ChangeSet

ORDERS = ("SO-1", "SO-2", "SO-3")
EVERYONE = [*USERS.values(), MANAGER, STRANGER]
TYPED = "typed by staff: keep me"
APPEND_ONLY = ("tracking", "versions", "ledger")

users = st.sampled_from(EVERYONE)
orders = st.sampled_from(ORDERS)
qty = st.integers(min_value=-1, max_value=60)
kinds = st.sampled_from(list(TrackKind))
# "advance" (the order's next step) comes up often enough for orders to reach closure
advances = st.tuples(
    st.just("advance"),
    st.sampled_from(("SO-1", "SO-1", "SO-2", "SO-3")),
    st.sampled_from([0.5, 1.0, 1.0]),
    st.booleans(),
)
# cancelling ends an order's story: mostly asked by people who may not
cancellers = st.sampled_from([OM, *[u for d, u in USERS.items() if d != Department.SALES][1:] * 5])
ops = st.one_of(
    *[advances] * 14,
    st.tuples(st.just("review"), orders, st.sampled_from(list(Decision)), st.booleans()),
    st.tuples(st.just("record"), orders, st.sampled_from(list(Department)), users),
    st.tuples(st.just("agree"), orders, st.booleans()),
    st.tuples(st.just("release"), orders, st.one_of(st.just(OM), users)),
    st.tuples(st.just("track"), orders, kinds, st.integers(1, 2), qty, qty, st.booleans()),
    st.tuples(
        st.just("change"),
        orders,
        st.sampled_from(["quantity", "contact", "delivery_date"]),
        st.integers(1, 150),
        st.sampled_from(["approve", "reject", "none"]),
    ),
    st.tuples(st.just("close"), orders, users),
    st.tuples(st.just("cancel"), orders, cancellers),
)


@dataclass
class Run:
    desk: Desk
    changes_seen: list[tuple[str, OrderStatus | None, OrderStatus | None, str]] = field(
        default_factory=list
    )

    def act(self, service: Any, *args: Any, **kwargs: Any) -> Any:
        before = self.desk.state()
        try:
            outcome = self.desk(service, *args, **kwargs)
        except RuleError:
            assert self.desk.state() == before, f"refused {service.__name__} changed the workbook"
            return None
        for item in outcome.orders:
            if item.before != item.after:
                self.changes_seen.append((item.order_no, item.before, item.after, outcome.action))
        return outcome


def _tracker(kind: TrackKind) -> str:
    return {
        TrackKind.PRODUCTION: USERS[Department.PRODUCTION],
        TrackKind.INSPECTION: USERS[Department.QUALITY],
        TrackKind.MATERIAL: USERS[Department.PURCHASING],
        TrackKind.DELAY: USERS[Department.PRODUCTION],
        TrackKind.RECOVERY: USERS[Department.PRODUCTION],
    }.get(kind, USERS[Department.SALES])


def advance(run: Run, order_no: str, share: float, rejects: bool) -> None:
    """The order's next natural step, by the right people: a share of what is left to do, or
    (share 1) steps until its status moves on."""
    start = run.desk.status(order_no)
    for _ in range(1 if share < 1 else 6):
        step(run, order_no, share, rejects)
        if run.desk.status(order_no) != start:
            return


def step(run: Run, order_no: str, share: float, rejects: bool) -> None:
    S = OrderStatus
    snap = run.desk.read()
    status = snap.orders[order_no].status
    if status == S.CHECKED:
        play(run, ("review", order_no, Decision.PASS, True))
    elif status == S.IN_REVIEW:  # the departments still to decide pass it, then conclude
        for department in REVIEW_DEPARTMENTS:
            run.act(review.record, order_no, department, Decision.PASS, None,
                    user=USERS[department])  # fmt: skip
        run.act(review.conclude, order_no, user=OM)
    elif status == S.NEGOTIATING:
        play(run, ("agree", order_no, rejects))
    elif status == S.REJECTED:  # changed with the customer, to be reviewed again
        play(run, ("change", order_no, "contact", len(run.changes_seen), "approve"))
    elif status == S.REVIEW_PASSED:
        run.act(release.release, order_no, run.desk.out_dir, user=OM, render=_render)
    elif status == S.ACCEPTED:  # open change requests are turned down, then it closes
        for change in snap.by_order("changes").get(order_no, []):
            run.act(changes.reject, change.change_no, "too late", user=MANAGER)
        run.act(closure.close, order_no, user=OM, report_no="QR-1")
    elif status == S.DELIVERED:
        run.act(tracking.track, order_no, TrackKind.ACCEPTANCE, user=USERS[Department.SALES])
    elif status in (S.RELEASED, S.IN_PRODUCTION, S.INSPECTED, S.SHIPPED):
        lines = snap.lines[order_no]
        facts, _ = replay(order_no, lines, snap.by_order("tracking").get(order_no, []))
        for f in facts.lines.values():
            # a share of the line's quantity, at most what is left to do
            part = lambda n: min(n, max(1, int(f.ordered * share)))  # noqa: E731, B023
            if f.produced < f.ordered:
                todo, kind = part(f.ordered - f.produced), TrackKind.PRODUCTION
                extra: dict[str, Any] = {}
            elif f.in_process and f.passed < f.ordered:
                todo, kind = part(min(f.in_process, f.ordered - f.passed)), TrackKind.INSPECTION
                bad = todo // 4 if rejects else 0
                extra = {"passed": todo - bad, "cause": "burrs" if bad else None}
            elif f.shipped < f.passed:
                todo, kind, extra = part(f.passed - f.shipped), TrackKind.SHIPMENT, {}
            elif f.delivered < f.shipped:
                todo, kind, extra = part(f.shipped - f.delivered), TrackKind.DELIVERY, {}
            else:
                continue
            run.act(tracking.track, order_no, kind, user=_tracker(kind), line_no=f.line_no,
                    quantity=todo, **extra)  # fmt: skip
            if share < 1:
                return  # a part of one line; a whole step does every line


def play(run: Run, op: tuple[Any, ...]) -> None:
    name, order_no = op[0], op[1]
    if name == "advance":
        advance(run, order_no, op[2], op[3])
    elif name == "review":
        _, _, decision, right_people = op
        run.act(review.start, order_no, user=OM)
        for department in REVIEW_DEPARTMENTS:
            user = USERS[department] if right_people else OM
            chosen = decision if department == Department.QUALITY else Decision.PASS
            run.act(review.record, order_no, department, chosen, "because", user=user)
        run.act(review.conclude, order_no, user=OM)
    elif name == "record":
        _, _, department, user = op
        run.act(review.record, order_no, department, Decision.PASS, None, user=user)
    elif name == "agree":
        terms = ["delivery_date@1=2026-06-01"] if op[2] else []
        run.act(review.agree, order_no, "agreed", terms, user=USERS[Department.SALES])
    elif name == "release":
        run.act(release.release, order_no, run.desk.out_dir, user=op[2], render=_render)
    elif name == "track":
        _, _, kind, line_no, quantity, passed, right_person = op
        kwargs: dict[str, Any] = {"line_no": line_no}
        if kind in (TrackKind.PRODUCTION, TrackKind.SHIPMENT, TrackKind.DELIVERY):
            kwargs["quantity"] = quantity
        elif kind == TrackKind.INSPECTION:
            kwargs.update(quantity=quantity, passed=passed, cause="burrs")
        elif kind == TrackKind.MATERIAL:
            kwargs.update(quantity=quantity, remarks="steel")
        elif kind == TrackKind.DELAY:
            kwargs.update(cause="c", measures="m", expected=date(2026, 4, 1))
        if kind in (TrackKind.ACCEPTANCE, TrackKind.DELAY, TrackKind.RECOVERY, TrackKind.MATERIAL):
            kwargs.pop("line_no")
        user = _tracker(kind) if right_person else STRANGER
        run.act(tracking.track, order_no, kind, user=user, **kwargs)
    elif name == "change":
        _, _, field_name, value, decision = op
        text = {
            "quantity": f"quantity@1={value}",
            "contact": f"contact=Contact {value}",
            "delivery_date": f"delivery_date@1=2026-0{1 + value % 9}-15",
        }[field_name]
        outcome = run.act(
            changes.request, order_no, Department.CUSTOMER, "asked", [text],
            user=USERS[Department.SALES],
        )  # fmt: skip
        if outcome is None or decision == "none":
            return
        change_no = outcome.data["change_no"]
        run.act(changes.review, change_no, "n", "f", "d", "c", "q", user=OM)
        if decision == "approve":
            for department in REVIEW_DEPARTMENTS:  # every concerned department agrees
                if department in CONCERNED[field_name]:
                    run.act(change_review.record, change_no, department, Opinion.AGREE, None,
                            user=USERS[department])  # fmt: skip
            run.act(changes.approve, change_no, None, run.desk.out_dir, user=MANAGER,
                    render=_render)  # fmt: skip
        else:
            run.act(changes.reject, change_no, "no", user=MANAGER)
    elif name == "close":
        run.act(closure.close, order_no, user=op[2], report_no="QR-1")
    elif name == "cancel":
        run.act(closure.cancel, order_no, "asked", user=op[2])


def _render(values: dict[str, Any], out_dir: Any) -> Any:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{values['task_no']}-{values['revision']}.xlsx"
    path.write_bytes(b"")
    return path


def check_invariants(run: Run, first_seq: int, initial: dict[str, dict[str, Any]]) -> None:
    desk = run.desk
    snap = desk.read()
    # verify: the chain is whole and every status agrees with its ledger
    assert desk.verify() == []
    # every status change made is a ledger row, in order, and nothing else changed a status
    ledger = [
        (e.order_no, e.status_before, e.status_after)
        for e in sorted(snap.ledger, key=lambda e: e.seq)
        if e.order_no in ORDERS and e.status_before != e.status_after and e.seq > first_seq
    ]
    with desk.open() as store:
        lang = store.lang
    assert ledger == [
        (no, before.label(lang) if before else None, after.label(lang) if after else None)
        for no, before, after, _ in run.changes_seen
    ]
    tracking_rows = snap.by_order("tracking")
    for order_no in ORDERS:
        order = snap.orders[order_no]
        lines = snap.lines[order_no]
        facts, impossible = replay(order_no, lines, tracking_rows.get(order_no, []))
        assert impossible == []
        for line in lines:
            f = facts.lines[line.line_no]
            # quantities consistent
            assert 0 <= f.delivered <= f.shipped <= f.passed <= min(f.produced, f.ordered)
            assert f.passed + f.rejected == f.inspected
            assert f.produced <= f.ordered + f.rejected
            if order.status not in (None, OrderStatus.CHECKED) and order.released_at:
                assert (line.produced_qty or 0, line.passed_qty or 0) == (f.produced, f.passed)
                assert (line.shipped_qty or 0, line.delivered_qty or 0) == (
                    f.shipped,
                    f.delivered,
                )
        # a closed order met every closing condition
        if order.status == OrderStatus.CLOSED:
            assert unmet_conditions(order, facts, snap.by_order("changes").get(order_no, [])) == []
        # nothing typed is lost: the remark stays, changed fields trace back through versions
        assert order.remarks == TYPED
        for (line_no, key), first in initial[order_no].items():
            history = sorted(
                (v for v in snap.records("versions") if v.order_no == order_no),
                key=lambda v: v.version,
            )
            value = first
            table = "lines" if line_no is not None else "orders"
            label = TABLES[table].column(key).label(table, lang)
            for version in history:
                if version.line_no == line_no and version.field == label:
                    assert version.old_value == value
                    value = version.new_value or ""
            now = (
                getattr(order, key)
                if line_no is None
                else next(getattr(line, key) for line in lines if line.line_no == line_no)
            )
            assert text_value(now) == value


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(ops, min_size=30, max_size=80))
def test_random_actions_keep_the_invariants(mem: Desk, steps: list[tuple[Any, ...]]) -> None:
    desk = Desk(mem.path, mem.out_dir, memory=True)  # a fresh workbook per example
    remarks = ChangeSet()
    for r in desk.rows("orders"):
        remarks.update("orders", r.row, "remarks", TYPED)
    desk.type_rows(remarks)
    snap = desk.read()
    initial = {
        no: {
            **{(None, key): text_value(getattr(snap.orders[no], key)) for key in ORDER_FIELDS},
            **{
                (line.line_no, key): text_value(getattr(line, key))
                for line in snap.lines[no]
                for key in LINE_FIELDS
            },
        }
        for no in ORDERS
    }
    typed: dict[str, Any] = {table: desk.rows(table) for table in APPEND_ONLY}
    typed["seq"] = max((e.seq for e in snap.ledger), default=0)
    run = Run(desk)
    for step in steps:
        play(run, step)
        for table in APPEND_ONLY:  # rows are only ever added, never altered or removed
            rows = desk.rows(table)
            assert rows[: len(typed[table])] == typed[table], f"{table} lost or changed a row"
            typed[table] = rows
    check_invariants(run, typed["seq"], initial)
    for no, status in sorted(
        (no, o.status) for no, o in desk.read().orders.items() if no in ORDERS
    ):
        event(f"{no} ends {status}")
