"""What a task order tells production: every review round's notes, the delivery place, and on a
revision what changed (was → now) and what was already done; still one A4 page."""

from __future__ import annotations

from pathlib import Path

from lifecycle_fixtures import (
    MANAGER,
    OM,
    SALES,
    USERS,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
)
from mailtest.docs import cell_texts, sample_doc
from soffice import require_soffice
from test_task_order_file import pdf_pages

from addin.core.enums import REVIEW_DEPARTMENTS, Decision, Department, TrackKind
from addin.services import changes, review
from workbook.pdf import to_pdf
from workbook.task_order_file import render_task_order


def task_file(desk: Desk, task_no: str, revision: int) -> Path:
    row = next(
        r.values
        for r in desk.rows("task_orders")
        if r.values["task_no"] == task_no and r.values["revision"] == revision
    )
    return desk.path.parent / row["file"]


def negotiated_and_released(desk: Desk) -> None:
    """SO-1: round 1 with a quality note and a sales condition, the customer agrees, round 2
    with a production note; then released."""
    desk(review.start, "SO-1", user=OM)
    notes = {
        Department.QUALITY: (Decision.PASS, "100% thread gauge check"),
        Department.SALES: (Decision.CONDITIONAL, "price to agree"),
    }
    for dept in REVIEW_DEPARTMENTS:
        decision, comment = notes.get(dept, (Decision.PASS, None))
        desk(review.record, "SO-1", dept, decision, comment, user=USERS[dept])
    desk(review.conclude, "SO-1", user=OM)
    desk(review.agree, "SO-1", "price agreed", [], user=SALES)
    for dept in REVIEW_DEPARTMENTS:
        comment = "run on line 2" if dept == Department.PRODUCTION else None
        desk(review.record, "SO-1", dept, Decision.PASS, comment, user=USERS[dept])
    desk(review.conclude, "SO-1", user=OM)
    desk.release("SO-1")


def test_every_rounds_notes_and_the_delivery_place(desk: Desk) -> None:
    negotiated_and_released(desk)
    texts = cell_texts(task_file(desk, "TO-SO-1-1", 1))
    # the first round's quality note binds production as much as the last round's
    assert texts[texts.index("Review round 1") : texts.index("Review round 2") + 2] == [
        "Review round 1",
        "Sales: price to agree",
        "Quality: 100% thread gauge check",
        "Review round 2",
        "Production: run on line 2",
    ]
    assert texts[texts.index("Delivery place") + 1] == "Shanghai"
    assert "What this revision changes (was → now)" not in texts  # a first issue changes nothing


def revised(desk: Desk) -> Path:
    """SO-1 released, 50 made and 40 passed, then the customer changes quantity and place."""
    negotiated_and_released(desk)
    desk.track("SO-1", TrackKind.PRODUCTION, quantity=50)
    desk.track("SO-1", TrackKind.INSPECTION, quantity=50, passed=40, cause="burrs")
    out = desk(changes.request, "SO-1", Department.CUSTOMER, "more and elsewhere",
               ["quantity=120", "delivery_place=Ningbo"], user=SALES)  # fmt: skip
    change_no = out.data["change_no"]
    desk(changes.review, change_no, "n", "f", "d", "c", "q", user=OM)
    desk.opinions(change_no)
    desk(changes.approve, change_no, None, desk.out_dir, user=MANAGER, base_dir=desk.path.parent)
    return task_file(desk, "TO-SO-1-1", 2)


def test_a_revision_says_what_changed_and_what_was_done(desk: Desk) -> None:
    texts = cell_texts(revised(desk))
    start = texts.index("What this revision changes (was → now)")
    assert texts[start + 1 : start + 7] == [
        "Quantity",
        "100 → 120",
        "Delivery place",
        "Shanghai → Ningbo",
        "Already done",
        "produced 50, passed 40, rejected 10, shipped 0, delivered 0",
    ]
    assert texts[texts.index("Delivery place") + 1] == "Ningbo"
    assert "Review round 1" in texts  # the notes stay on the revision


def test_a_delivery_place_change_alone_revises_the_task_order(desk: Desk) -> None:
    negotiated_and_released(desk)
    out = desk(changes.request, "SO-1", Department.CUSTOMER, "new warehouse",
               ["delivery_place=Ningbo"], user=SALES)  # fmt: skip
    change_no = out.data["change_no"]
    desk(changes.review, change_no, "n", "f", "d", "c", "q", user=OM)
    desk.opinions(change_no)
    out = desk(changes.approve, change_no, None, desk.out_dir, user=MANAGER,
               base_dir=desk.path.parent)  # fmt: skip
    assert out.data["revisions"] == [{"task_no": "TO-SO-1-1", "revision": 2}]


def test_a_revision_prints_on_one_a4_page(desk: Desk, tmp_path: Path) -> None:
    require_soffice()
    pdf = to_pdf(revised(desk), tmp_path / "pdf")
    assert pdf_pages(pdf) == [(595, 842)]


def test_a_chinese_revision(tmp_path: Path) -> None:
    doc = sample_doc(
        "zh",
        revision=2,
        delivery_place="宁波北仑港",
        revision_changes=[("数量", "100", "120")],
        work_done="已生产 50，合格 40，不合格 10，已发货 0，已交付 0",
    )
    texts = cell_texts(render_task_order(doc, tmp_path))
    start = texts.index("本版变更（原 → 新）")
    assert texts[start + 1 : start + 5] == [
        "数量",
        "100 → 120",
        "已完成",
        "已生产 50，合格 40，不合格 10，已发货 0，已交付 0",
    ]
    assert texts[texts.index("交货地点") + 1] == "宁波北仑港"
