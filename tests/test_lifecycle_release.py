"""Release (DOMAIN §4): task-order rows and files of a reviewed order."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    OM,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    refusal,
)
from openpyxl import load_workbook

from addin.core.enums import Department, OrderStatus, TaskOrderStatus
from addin.core.models import TaskOrder
from addin.i18n import t
from addin.services import release


def test_release_issues_a_task_order_per_line_with_its_file(desk: Desk) -> None:
    desk.review_pass("SO-2")
    outcome = desk.release("SO-2")
    assert outcome.orders[0].after == OrderStatus.RELEASED
    snap = desk.read()
    tasks: list[TaskOrder] = [r for r in snap.records("task_orders") if r.order_no == "SO-2"]
    lines = {line.line_no: line for line in snap.lines["SO-2"]}
    assert [task.task_no for task in tasks] == ["TO-SO-2-1", "TO-SO-2-2"]
    for task in tasks:
        line = lines[task.line_no]
        assert (task.product_code, task.spec, task.quantity, task.due_date) == (
            line.product_code,
            line.spec,
            line.quantity,
            line.delivery_date,
        )
        assert task.quality_req == "GB/T 3098.1"
        assert task.revision == 1 and task.status == TaskOrderStatus.CURRENT
        assert task.issued_by == OM and task.issued_at is not None
        for department in (
            Department.PRODUCTION,
            Department.TECHNICAL,
            Department.QUALITY,
            Department.PURCHASING,
        ):
            assert department.label("en") in (task.distribution or "")
        path = desk.path.parent / (task.file or "")
        assert path.is_file(), task.file
        assert not Path(task.file or "").is_absolute()  # relative to the workbook's folder
    assert [task.batch for task in tasks] == ["B260302-01", "B260302-02"]
    assert sorted(outcome.files) == sorted(desk.path.parent / t.file for t in tasks)  # type: ignore[operator]
    order = snap.orders["SO-2"]
    assert order.released_at is not None
    assert order.progress == 0
    assert order.inspection == t("tracking.not_inspected", "en")
    assert desk.verify() == []


def test_the_task_order_file_prints_on_one_a4_page(desk: Desk) -> None:
    desk.review_pass("SO-1")
    (path,) = desk.release("SO-1").files
    ws = load_workbook(path).active
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for expected in ("TO-SO-1-1", "SO-1", "M8x40", "GB/T 3098.1", "B260302-01"):
        assert expected in text
    for department in ("Production", "Technical", "Quality", "Purchasing"):
        assert department in text


def test_batches_continue_the_days_numbering(mem: Desk) -> None:
    mem.review_pass("SO-1")
    mem.review_pass("SO-3")
    mem.release("SO-1")
    mem.release("SO-3")
    batches = [r.batch for r in mem.read().records("task_orders")]
    assert batches == ["B260302-01", "B260302-02"]
    assert release.next_batches([], datetime(2026, 12, 31), 2) == ["B261231-01", "B261231-02"]


def test_release_needs_a_passed_review_and_order_management(mem: Desk) -> None:
    assert refusal(mem, release.release, "SO-1", mem.out_dir, user=OM) == ["rule.status_forbids"]
    mem.review_pass("SO-1")
    assert refusal(mem, release.release, "SO-1", mem.out_dir, user=SALES) == [
        "role.wrong_department"
    ]
    assert not mem.out_dir.exists()  # a refusal draws no file either
    mem.release("SO-1")
    assert refusal(mem, release.release, "SO-1", mem.out_dir, user=OM) == ["rule.status_forbids"]


def test_a_file_that_cannot_be_drawn_refuses_the_release_and_leaves_no_file(
    mem: Desk, tmp_path: Path
) -> None:
    mem.review_pass("SO-2")
    drawn: list[Path] = []

    def second_fails(values: dict[str, Any], out_dir: Path) -> Path:
        if drawn:
            raise OSError("disk full")
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{values['task_no']}.xlsx"
        path.write_bytes(b"x")
        drawn.append(path)
        return path

    keys = refusal(mem, release.release, "SO-2", tmp_path / "out", user=OM, render=second_fails)
    assert keys == ["release.file_failed"]
    assert drawn and not drawn[0].exists()
    assert mem.status("SO-2") == OrderStatus.REVIEW_PASSED


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_distribution_names_the_four_departments(lang: str) -> None:
    text = release.distribution_text(lang)
    assert text.count(t("list.sep", lang)) == 3
