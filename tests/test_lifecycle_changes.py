"""Order change (DOMAIN §7): request, review, approval by role, versions, task-order revision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    PROD,
    QUAL,
    SALES,
    USERS,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)
from openpyxl import load_workbook

from addin.core.changes import FieldChange, content_assignments, content_text, parse_assignments
from addin.core.enums import ChangeStatus, Department, OrderStatus, TaskOrderStatus, TrackKind
from addin.core.models import Order, OrderLine
from addin.services import change_review, changes, review
from workbook.store import ChangeSet

ORDER = Order(order_no="X", quality_req="old")
LINES = [
    OrderLine(order_no="X", line_no=1, quantity=10, product_code="P1"),
    OrderLine(order_no="X", line_no=2, quantity=5, product_code="P2"),
]


def keys_of(texts: list[str], lines: list[OrderLine] = LINES) -> list[str]:
    return [p.key for p in parse_assignments(texts, ORDER, lines)[1]]


def test_assignments_by_key_or_header_in_either_language() -> None:
    found, problems = parse_assignments(
        ["quantity@2=8", "数量@1=12", "Delivery date@2=2026-06-01", "质量要求=ISO 9001"],
        ORDER,
        LINES,
    )
    assert problems == []
    assert found == [
        FieldChange("lines", "quantity", 8, 2),
        FieldChange("lines", "quantity", 12, 1),
        FieldChange("lines", "delivery_date", date(2026, 6, 1), 2),
        FieldChange("orders", "quality_req", "ISO 9001", None),
    ]
    # the content cell round-trips through either language
    for lang in ("zh", "en"):
        again, problems = parse_assignments(
            content_assignments(content_text(found, lang)), ORDER, LINES
        )
        assert (again, problems) == (found, [])


def test_a_single_line_order_needs_no_line_number() -> None:
    found, _ = parse_assignments(["unit_price=1.25"], ORDER, LINES[:1])
    assert found == [FieldChange("lines", "unit_price", Decimal("1.25"), 1)]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("quantity", "change.bad_assignment"),
        ("customer_name=Other", "change.unknown_field"),
        ("quantity=5", "change.line_required"),
        ("quantity@9=5", "change.unknown_line"),
        ("quality_req@1=x", "change.not_line_field"),
        ("quantity@1=many", "error.not_int"),
        ("quantity@1=0", "error.gt"),
        ("delivery_date@1=soon", "error.not_date"),
        ("spec@1=", "change.value_required"),
    ],
)
def test_assignments_that_cannot_be_understood(text: str, key: str) -> None:
    assert keys_of([text]) == [key]


def test_the_same_field_twice_is_refused() -> None:
    assert keys_of(["quantity@1=5", "数量@1=6"]) == ["change.twice"]


def request_more(desk: Desk, order_no: str = "SO-1", qty: int = 120) -> str:
    outcome = desk(
        changes.request,
        order_no,
        Department.CUSTOMER,
        "customer orders more",
        [f"quantity={qty}", "delivery_date=2026-05-20"],
        impact="one more week",
        user=SALES,
    )
    return outcome.data["change_no"]


def review_it(desk: Desk, change_no: str) -> None:
    desk(changes.review, change_no, "needed", "feasible", "+19 days", "none", "none", user=OM)
    desk.opinions(change_no)


def test_change_after_release_revises_the_task_order_and_keeps_the_old_version(
    desk: Desk,
) -> None:
    desk.released("SO-1")
    desk.track("SO-1", TrackKind.PRODUCTION, quantity=40)
    change_no = request_more(desk)
    assert change_no == "CH-SO-1-01"
    review_it(desk, change_no)
    outcome = desk(
        changes.approve,
        change_no,
        "go",
        desk.out_dir,
        user=MANAGER,
        base_dir=desk.path.parent,
    )
    assert outcome.orders[0].after == OrderStatus.IN_PRODUCTION
    assert outcome.data["version"] == 2
    snap = desk.read()
    order, (line,) = snap.orders["SO-1"], snap.lines["SO-1"]
    assert (line.quantity, line.delivery_date) == (120, date(2026, 5, 20))
    assert (order.version, order.due_date) == (2, date(2026, 5, 20))
    assert order.progress == pytest.approx(40 / 120, abs=1e-4)
    versions = [(v.version, v.field, v.old_value, v.new_value) for v in snap.records("versions")]
    assert versions == [
        (2, "Quantity", "100", "120"),
        (2, "Delivery date", "2026-05-01", "2026-05-20"),
    ]
    tasks = sorted(snap.records("task_orders"), key=lambda task: task.revision)
    assert [(t.task_no, t.revision, t.status) for t in tasks] == [
        ("TO-SO-1-1", 1, TaskOrderStatus.SUPERSEDED),
        ("TO-SO-1-1", 2, TaskOrderStatus.CURRENT),
    ]
    assert (tasks[1].quantity, tasks[1].batch) == (120, tasks[0].batch)
    assert (desk.path.parent / (tasks[1].file or "")).is_file()
    (change,) = snap.records("changes")
    assert (change.status, change.decided_by, change.version) == (
        ChangeStatus.APPROVED,
        MANAGER,
        2,
    )
    notice = next(p for p in outcome.files if p.name.startswith("Change notice"))
    text = " ".join(
        str(c.value) for row in load_workbook(notice).active.iter_rows() for c in row if c.value
    )
    assert "CH-SO-1-01" in text and "120" in text and "2026-05-20" in text
    assert desk.verify() == []


def test_a_rejected_change_leaves_the_order_as_it_was(mem: Desk) -> None:
    mem.released("SO-1")
    before = {t: mem.rows(t) for t in ("orders", "lines", "task_orders", "versions")}
    change_no = request_more(mem)
    review_it(mem, change_no)
    assert refusal(mem, changes.reject, change_no, "  ", user=MANAGER) == ["change.text_required"]
    outcome = mem(changes.reject, change_no, "no capacity", user=MANAGER)
    assert outcome.orders[0].after == OrderStatus.RELEASED
    after = {t: mem.rows(t) for t in ("orders", "lines", "task_orders", "versions")}
    assert after == before
    (change,) = mem.read().records("changes")
    assert change.status == ChangeStatus.REJECTED
    assert refusal(mem, changes.approve, change_no, None, mem.out_dir, user=MANAGER) == [
        "change.already_decided"
    ]


def test_approval_needs_a_review_and_an_approver_role(mem: Desk) -> None:
    mem.review_pass("SO-1")
    change_no = request_more(mem)
    assert refusal(mem, changes.approve, change_no, None, None, user=MANAGER) == [
        "change.not_reviewed"
    ]
    assert refusal(mem, changes.review, change_no, "a", "b", "c", "d", "e", user=SALES) == [
        "role.wrong_department"
    ]
    assert refusal(mem, changes.review, change_no, "a", "", "c", "d", "e", user=OM) == [
        "change.text_required"
    ]
    review_it(mem, change_no)
    assert refusal(mem, changes.review, change_no, "a", "b", "c", "d", "e", user=OM) == [
        "change.not_requested"
    ]
    for user in (OM, SALES, PROD):  # staff, whatever their department
        assert refusal(mem, changes.approve, change_no, None, None, user=user) == [
            "role.not_approver"
        ]
    assert refusal(mem, changes.reject, change_no, "no", user=QUAL) == ["role.not_approver"]
    outcome = mem(changes.approve, change_no, None, None, user=MANAGER)
    # not released: no task order to revise, no folder needed
    assert outcome.orders[0].after == OrderStatus.REVIEW_PASSED
    assert outcome.data["revisions"] == []


def test_approver_roles_come_from_the_settings(mem: Desk) -> None:
    mem.review_pass("SO-1")
    change_no = request_more(mem)
    review_it(mem, change_no)
    row = next(r for r in mem.rows("settings") if r.values["key"] == "change_approver_roles")
    setting = ChangeSet()
    setting.update("settings", row.row, "value", "staff")
    mem.type_rows(setting)
    assert refusal(mem, changes.approve, change_no, None, None, user=MANAGER) == [
        "role.not_approver"
    ]
    mem(changes.approve, change_no, None, None, user=OM)


def test_a_department_files_its_own_requests(mem: Desk) -> None:
    args = ("SO-1", Department.PRODUCTION, "tooling", ["quantity=110"])
    assert refusal(mem, changes.request, *args, user=SALES) == ["role.wrong_department"]
    mem(changes.request, *args, user=PROD)
    customer = ("SO-1", Department.CUSTOMER, "asked", ["quantity=90"])
    assert refusal(mem, changes.request, *customer, user=PROD) == ["role.wrong_department"]
    mem(changes.request, *customer, user=OM)  # order management may file it too


def test_requests_that_change_nothing_are_refused(mem: Desk) -> None:
    base = ("SO-1", Department.CUSTOMER, "why")
    assert refusal(mem, changes.request, *base, ["quantity=100"], user=SALES) == [
        "change.no_difference"
    ]
    assert refusal(mem, changes.request, *base, [], user=SALES) == ["change.nothing"]
    assert refusal(
        mem, changes.request, "SO-1", Department.CUSTOMER, "", ["quantity=90"], user=SALES
    ) == ["change.text_required"]
    assert refusal(mem, changes.request, *base, ["product_code=P9"], user=SALES) == [
        "check.unknown_product"
    ]


def test_a_request_outside_the_sales_policy_is_filed_with_notes_for_the_review(
    mem: Desk,
) -> None:
    outcome = mem(
        changes.request, "SO-1", Department.CUSTOMER, "more", ["quantity=105"], user=SALES
    )
    (order,) = outcome.orders
    assert [(p.key, p.params, p.table, p.column) for p in order.problems] == [
        ("check.lot_size", {"line_no": 1, "qty": 105, "lot": 10}, "changes", "content")
    ]
    assert outcome.data["change_no"]  # filed all the same: the change review weighs it


def test_a_new_product_brings_its_catalogue_name_and_spec(mem: Desk) -> None:
    mem.review_pass("SO-1")
    outcome = mem(
        changes.request, "SO-1", Department.CUSTOMER, "other part", ["product_code=P3"], user=SALES
    )
    review_it(mem, outcome.data["change_no"])
    mem(changes.approve, outcome.data["change_no"], None, None, user=MANAGER)
    (line,) = mem.read().lines["SO-1"]
    assert (line.product_code, line.product_name, line.spec) == ("P3", "Gear", "m2 z18")


def test_quantity_cannot_drop_below_what_was_done(mem: Desk) -> None:
    mem.released("SO-1")
    mem.track("SO-1", TrackKind.PRODUCTION, quantity=100)
    mem.track("SO-1", TrackKind.INSPECTION, quantity=100, passed=80, cause="burrs")
    change_no = request_more(mem, qty=70)
    review_it(mem, change_no)
    keys = refusal(mem, changes.approve, change_no, None, mem.out_dir, user=MANAGER)
    assert keys == ["change.quantity_below_done"]
    # 80 passed, the 20 rejected may be dropped: the history stays possible
    change_no = request_more(mem, qty=80)
    review_it(mem, change_no)
    outcome = mem(changes.approve, change_no, None, mem.out_dir, user=MANAGER)
    assert outcome.orders[0].after == OrderStatus.INSPECTED  # all 80 passed
    assert mem.verify() == []


def test_an_approved_change_sends_a_rejected_order_back_to_review(mem: Desk) -> None:
    mem(review.start, "SO-3", user=OM)
    for department, user in (
        (Department.SALES, SALES),
        (Department.PRODUCTION, PROD),
        (Department.TECHNICAL, "tess"),
        (Department.QUALITY, QUAL),
        (Department.PURCHASING, "paco"),
    ):
        decision = "reject" if department == Department.PRODUCTION else "pass"
        mem(review.record, "SO-3", department, decision, "too early", user=user)
    assert mem(review.conclude, "SO-3", user=OM).orders[0].after == OrderStatus.REJECTED
    change_no = mem(
        changes.request, "SO-3", Department.CUSTOMER, "later date", ["delivery_date=2026-07-01"],
        user=SALES,
    ).data["change_no"]  # fmt: skip
    review_it(mem, change_no)
    assert mem(changes.approve, change_no, None, None, user=MANAGER).orders[0].after == (
        OrderStatus.CHECKED
    )
    assert mem(review.start, "SO-3", user=OM).data["round"] == 2


def test_a_change_typed_into_the_sheet_is_understood(mem: Desk) -> None:
    mem.review_pass("SO-2")
    typed = ChangeSet()
    typed.append(
        "changes",
        {
            "change_no": "CH-TYPED",
            "order_no": "SO-2",
            "requested_by": "销售",
            "reason": "typed",
            "content": "数量@2=30; Packaging requirements=wooden crates",
            "status": "Reviewed",
        },
    )
    mem.type_rows(typed)
    # filed before opinions were collected: each concerned department's row is added
    for department in (Department.PRODUCTION, Department.PURCHASING):
        mem(change_review.record, "CH-TYPED", department, "agree", None, user=USERS[department])
    mem(changes.approve, "CH-TYPED", None, None, user=MANAGER)
    snap = mem.read()
    assert snap.orders["SO-2"].packaging_req == "wooden crates"
    assert sorted(line.quantity for line in snap.lines["SO-2"]) == [30, 50]
