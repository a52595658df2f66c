"""Files of an action (task orders, change notices) appear only once its commit succeeded
(issue 12 item 6): drawn under a temporary name, moved after the commit, removed on refusal."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
)

from addin.core.enums import Department, OrderStatus, TrackKind
from addin.services import changes, release
from workbook import safe_save
from workbook.store import StoreError

REPO = Path(__file__).resolve().parents[1]


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def excel_opens_it_while_drawing(desk: Desk) -> Any:
    """A renderer that draws the task order, while Excel opens the master workbook meanwhile:
    the commit is then refused."""

    def render(values: dict[str, Any], out_dir: Path) -> Path:
        (desk.path.parent / f"~${desk.path.name}").write_bytes(b"owner")
        return release.render_task_order_file(values, out_dir)

    return render


def test_a_release_refused_at_commit_leaves_no_task_order_file(desk: Desk) -> None:
    desk.review_pass("SO-2")
    before = desk.state()
    with pytest.raises(StoreError) as caught:
        desk.release("SO-2", render=excel_opens_it_while_drawing(desk))
    assert caught.value.key == "store.open_in_excel"
    assert desk.state() == before
    assert visible(desk.out_dir) == []  # nothing, not even a temporary


def test_a_release_that_commits_moves_its_files_in_place(desk: Desk) -> None:
    desk.review_pass("SO-2")
    outcome = desk.release("SO-2")
    assert sorted(p.name for p in outcome.files) == visible(desk.out_dir)
    assert len(outcome.files) == 2 and all(p.parent == desk.out_dir for p in outcome.files)
    rows = [r.values["file"] for r in desk.rows("task_orders")]
    assert sorted((desk.path.parent / f).resolve() for f in rows) == sorted(
        p.resolve() for p in outcome.files
    )


def test_a_change_approval_refused_at_commit_leaves_no_notice_and_no_revision(
    desk: Desk,
) -> None:
    desk.released("SO-1")
    desk.track("SO-1", TrackKind.PRODUCTION, quantity=40)
    change_no = desk(
        changes.request,
        "SO-1",
        Department.CUSTOMER,
        "customer orders more",
        ["quantity=120"],
        user=SALES,
    ).data["change_no"]
    desk(changes.review, change_no, "needed", "feasible", "+1 week", "none", "none", user=OM)
    desk.opinions(change_no)
    notices = desk.path.parent / "notices"
    files_before = visible(desk.out_dir)
    before = desk.state()

    def notice_then_excel(notice: dict[str, Any], out_dir: Path) -> Path:
        from workbook.change_notice_file import render_change_notice

        (desk.path.parent / f"~${desk.path.name}").write_bytes(b"owner")
        return render_change_notice(notice, out_dir)

    with pytest.raises(StoreError):
        desk(
            changes.approve,
            change_no,
            "go",
            notices,
            user=MANAGER,
            base_dir=desk.path.parent,
            render_notice=notice_then_excel,
        )
    assert desk.state() == before
    assert visible(notices) == [] and visible(desk.out_dir) == files_before
    (desk.path.parent / f"~${desk.path.name}").unlink()
    outcome = desk(
        changes.approve, change_no, "go", notices, user=MANAGER, base_dir=desk.path.parent
    )
    assert outcome.orders[0].after == OrderStatus.IN_PRODUCTION
    assert {p.parent for p in outcome.files} == {notices}
    assert sorted(p.name for p in outcome.files) == visible(notices)


KILLED_AT_COMMIT = """
import os, sys
from pathlib import Path
sys.path.insert(0, "tests")
from lifecycle_fixtures import Desk, OM
import workbook.safe_save as safe_save

desk = Desk(Path(sys.argv[1]), Path(sys.argv[2]))
real_replace = os.replace

def die(src, dst):
    if Path(dst) == desk.path:
        os._exit(70)  # killed while saving the workbook
    real_replace(src, dst)

safe_save.os.replace = die
desk.release("SO-1", user=OM)
"""


def test_a_release_killed_at_commit_shows_no_file_and_its_temporaries_go_when_stale(
    desk: Desk,
) -> None:
    desk.review_pass("SO-1")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT_COMMIT, str(desk.path), str(desk.out_dir)],
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 70
    assert desk.status("SO-1") == OrderStatus.REVIEW_PASSED
    left = visible(desk.out_dir)
    assert left and all(name.startswith(".") for name in left)  # no visible task order
    old = time.time() - safe_save.STALE_SECONDS - 60
    for name in left:
        os.utime(desk.out_dir / name, (old, old))
    desk.release("SO-1")
    assert [name for name in visible(desk.out_dir) if name.startswith(".")] == []
    assert len(visible(desk.out_dir)) == 1


# -- task-order file names unique whatever the order number's length (item 3) --------------------
def _rename_order(desk: Desk, old: str, new: str) -> None:
    from workbook.store import ChangeSet

    changes = ChangeSet()
    for table in ("orders", "lines"):
        for row in desk.rows(table):
            if row.values["order_no"] == old:
                changes.update(table, row.row, "order_no", new)
    desk.type_rows(changes)


def test_long_order_numbers_get_a_file_per_line_and_send_attaches_its_own(desk: Desk) -> None:
    from email import policy
    from email.parser import BytesParser

    from mailtest.docs import cell_texts
    from test_sending import send, set_mail

    long = "SO-" + "2026-11-28-HENGTONG-FRAME-CONTRACT-" * 4
    _rename_order(desk, "SO-2", long)
    set_mail(desk, mail_transport="eml", eml_dir="outbox")
    desk.review_pass(long)
    outcome = desk.release(long)
    assert len({p.name for p in outcome.files}) == 2 == len(visible(desk.out_dir))
    for line in (1, 2):
        task_no = f"TO-{long}-{line}"
        [eml] = send(desk, task_no).files
        message = BytesParser(policy=policy.default).parsebytes(Path(eml).read_bytes())
        [attachment] = list(message.iter_attachments())
        attached = desk.path.parent / f"attached-{line}.xlsx"
        attached.write_bytes(attachment.get_payload(decode=True))
        assert task_no in cell_texts(attached)
        other = f"TO-{long}-{3 - line}"
        assert other not in cell_texts(attached)
