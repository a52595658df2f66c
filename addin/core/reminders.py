"""Reminders: what waits for each department on a day (DOMAIN §1: every step has its time node).

- a review decision due: the department's row of an order's open review round, undecided;
- an overdue time node (``addin.core.timenodes``): a stage or a change past its limit goes to
  order management, who owns the process; a delivery late or at risk goes to order management,
  production and sales (who tells the customer);
- a change's opinion owed: each concerned department (``addin.core.change_review``) that has
  not recorded its opinion of a requested or reviewed change;
- a change to review (requested): order management; a reviewed change with every opinion in
  waits only for approval: the departments of the staff who may approve it (the settings'
  approver roles, not its requester), named in the item, or order management when the roster
  has none; a reviewed change still owed opinions: order management, who chases them;
- a current task order not yet sent: order management, who issues task orders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from addin.core.enums import OPEN_STATUSES, ChangeStatus, Department, OrderStatus, TaskOrderStatus
from addin.core.models import ChangeRequest, Order, Review, StaffMember, TaskOrder
from addin.core.phrases import Joined, Phrase
from addin.core.roles import is_requester
from addin.core.timenodes import Late

D = Department
KINDS: tuple[str, ...] = ("review", "opinion", "overdue", "change", "task_order")
DELIVERY_DEPARTMENTS = (D.ORDER_MGMT, D.PRODUCTION, D.SALES)


@dataclass(frozen=True)
class Waiting:
    """One thing a department has to do."""

    department: Department
    kind: str  # one of KINDS
    order_no: str
    what: Phrase

    def label(self, lang: str) -> str:
        return self.what.label(lang)


def waiting(
    orders: Mapping[str, Order],
    reviews: Mapping[str, list[Review]],
    changes: Iterable[ChangeRequest],
    task_orders: Iterable[TaskOrder],
    late: Iterable[Late],
    owed: Mapping[str, Sequence[Department]] | None = None,
    approvers: Sequence[StaffMember] = (),
) -> dict[Department, list[Waiting]]:
    """Everything waiting, by department (in the order of :class:`Department`), each
    department's items by kind then order number.

    ``owed``: change number → the concerned departments that have not recorded their opinion;
    ``approvers``: the active staff whose role may approve a change."""
    owed = owed or {}
    found: list[Waiting] = []
    for order_no, order in orders.items():
        if order.status != OrderStatus.IN_REVIEW:
            continue
        rows = reviews.get(order_no, [])
        if not rows:
            continue
        current = max(r.round for r in rows)
        for row in rows:
            if row.round == current and row.decision is None:
                what = Phrase("remind.review", {"order_no": order_no, "round": current})
                found.append(Waiting(row.department, "review", order_no, what))
    for item in late:
        # at risk: not late yet, the lateness is what is expected
        key = "remind.at_risk" if item.kind == "delivery_risk" else "remind.overdue"
        what = Phrase(key, {"order_no": item.order_no, "reason": item.reason, "late": _late(item)})
        departments = (D.ORDER_MGMT,) if item.kind == "stage" else DELIVERY_DEPARTMENTS
        found.extend(Waiting(d, "overdue", item.order_no, what) for d in departments)
    for change in changes:
        if _open(orders, change.order_no):
            found += _change_items(change, tuple(owed.get(change.change_no, ())), approvers)
    for task in task_orders:
        unsent = task.status == TaskOrderStatus.CURRENT and task.sent_at is None
        if unsent and _open(orders, task.order_no):
            params = {"task_no": task.task_no, "revision": task.revision, "order_no": task.order_no}
            what = Phrase("remind.task_unsent", params)
            found.append(Waiting(D.ORDER_MGMT, "task_order", task.order_no, what))
    by_department: dict[Department, list[Waiting]] = {}
    for department in Department:
        mine = [w for w in found if w.department == department]
        if mine:
            mine.sort(key=lambda w: (KINDS.index(w.kind), w.order_no))
            by_department[department] = mine
    return by_department


def _change_items(
    change: ChangeRequest, owing: tuple[Department, ...], approvers: Sequence[StaffMember]
) -> list[Waiting]:
    """What an undecided change asks of whom: opinions owed, its review, its approval."""
    if change.status not in (ChangeStatus.REQUESTED, ChangeStatus.REVIEWED):
        return []
    params = {"change_no": change.change_no, "order_no": change.order_no}
    out = [
        Waiting(d, "opinion", change.order_no, Phrase("remind.change_opinion", params))
        for d in owing
    ]
    if change.status == ChangeStatus.REQUESTED:
        what = Phrase("remind.change_review", params)
        return [*out, Waiting(D.ORDER_MGMT, "change", change.order_no, what)]
    if owing:
        what = Phrase("remind.change_opinions_owed", {**params, "departments": Joined.of(owing)})
        return [*out, Waiting(D.ORDER_MGMT, "change", change.order_no, what)]
    allowed = [m for m in approvers if not is_requester(m, change.requester)]
    if not allowed:
        what = Phrase("remind.change_decide", params)
        return [Waiting(D.ORDER_MGMT, "change", change.order_no, what)]
    for department in Department:
        names = [m.name for m in allowed if m.department == department]
        if names:
            what = Phrase("remind.change_approve", {**params, "approvers": Joined.of(names)})
            out.append(Waiting(department, "change", change.order_no, what))
    return out


def _open(orders: Mapping[str, Order], order_no: str) -> bool:
    order = orders.get(order_no)
    return order is not None and order.status in OPEN_STATUSES


def _late(item: Late) -> Phrase:
    return Phrase(f"overdue.unit.{item.unit}", {"days": item.days_late})
