"""The demo's lifecycle paths on a workbook of checked orders."""

from __future__ import annotations

from pathlib import Path

from lifecycle_fixtures import (
    OM,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    order_form,
)
from test_reminders import set_mail

from addin.core.enums import (
    ChangeStatus,
    ComplaintSeverity,
    ComplaintStatus,
    OrderStatus,
    TaskOrderStatus,
    TrackKind,
)
from addin.demo.paths import PATHS, drive_paths
from addin.i18n import has, t
from addin.services import receipt, reminders
from workbook.store import ChangeSet

EXPECTED = {
    "clean_pass": OrderStatus.IN_PRODUCTION,
    "negotiation": OrderStatus.RELEASED,
    "rejection_cancel": OrderStatus.CANCELLED,
    "change_after_release": OrderStatus.IN_PRODUCTION,
    "delay_recovery": OrderStatus.IN_PRODUCTION,
    "rework": OrderStatus.SHIPPED,
    "closure": OrderStatus.CLOSED,
    "complaint": OrderStatus.DELIVERED,
    "short_close": OrderStatus.CLOSED,
    "return": OrderStatus.ACCEPTED,
}


def two_more_orders(desk: Desk, folder: Path) -> None:
    """SO-9 and SO-10 received and checked like SO-1 and SO-3: one order for every path."""
    rows = order_form(folder / "all.csv").read_text(encoding="utf-8").splitlines()
    renamed = {"SO-1,": "SO-9,", "SO-3,": "SO-10,"}
    more = [rows[0]] + [
        row.replace(old, new, 1) for row in rows[1:] for old, new in renamed.items()
        if row.startswith(old)
    ]  # fmt: skip
    form = folder / "more.csv"
    form.write_text("\n".join(more) + "\n", encoding="utf-8")
    desk(receipt.receive, form, user=OM)
    desk(receipt.check, ["SO-9", "SO-10"], user=OM)


def test_every_path_is_driven_and_the_workbook_shows_it(desk: Desk, tmp_path: Path) -> None:
    two_more_orders(desk, tmp_path)
    summaries = drive_paths(desk.path, "en", tmp_path)
    assert [s["path"] for s in summaries] == [f"demo.path.{p}" for p in PATHS]
    assert all(has(s["path"]) for s in summaries)
    by_path = {s["path"].removeprefix("demo.path."): s for s in summaries}
    for name, status in EXPECTED.items():
        assert by_path[name]["final_status"] == status.value, (name, by_path[name]["steps"])
        assert by_path[name]["steps"]
    assert len({s["order_no"] for s in summaries}) == len(PATHS)  # one order per path
    # the closure path shows the refusal before the customer's acceptance
    refused = t("demo.step.refused", "en", action="close", reason="").split("✗")[0]
    assert any(step.startswith(refused) for step in by_path["closure"]["steps"])

    snap = desk.read()
    assert desk.verify() == []
    orders = {name: by_path[name]["order_no"] for name in PATHS}
    rounds = {r.round for r in snap.records("reviews") if r.order_no == orders["negotiation"]}
    assert rounds == {1, 2}
    revised = [
        task
        for task in snap.records("task_orders")
        if task.order_no == orders["change_after_release"]
    ]
    assert {task.status for task in revised} == {
        TaskOrderStatus.CURRENT,
        TaskOrderStatus.SUPERSEDED,
    }
    for path in ("change_after_release", "short_close"):
        (change,) = [c for c in snap.records("changes") if c.order_no == orders[path]]
        assert change.status == ChangeStatus.APPROVED
    # the delay path ends with the customer asking for a later date: the request waits for the
    # opinions of production and purchasing, and the reminders ask them for it
    (pending,) = [c for c in snap.records("changes") if c.order_no == orders["delay_recovery"]]
    assert pending.status == ChangeStatus.REQUESTED
    set_mail(desk)
    waiting = desk(reminders.remind, tmp_path, dry_run=True, user=OM).data["departments"]
    for department in ("production", "purchasing"):
        assert {"kind": "opinion", "order_no": pending.order_no} in waiting[department]["items"]
    quality = waiting.get("quality", {"items": []})["items"]  # not concerned by a date
    assert {"kind": "opinion", "order_no": pending.order_no} not in quality
    # the short close lowered every line to what shipped; the return came back and went again
    for line in snap.lines[orders["short_close"]]:
        assert line.quantity == line.shipped_qty == line.delivered_qty < line.produced_qty
    returned = [e for e in snap.records("tracking")
                if e.order_no == orders["return"] and e.kind == TrackKind.RETURN]  # fmt: skip
    assert len(returned) == 1 and returned[0].cause
    kinds = {
        (e.order_no, e.kind) for e in snap.records("tracking") if e.order_no in orders.values()
    }
    assert (orders["delay_recovery"], TrackKind.DELAY) in kinds
    assert (orders["delay_recovery"], TrackKind.RECOVERY) in kinds
    rework = [
        e
        for e in snap.records("tracking")
        if e.order_no == orders["rework"] and e.kind == TrackKind.INSPECTION
    ]
    assert any(e.rejected_qty for e in rework)
    # task orders and the change notice are files in the settings' folder
    files = sorted(p.name for p in (tmp_path / "task-orders").iterdir())
    assert any(name.startswith("Change notice") for name in files)
    assert sum(name.endswith(".xlsx") for name in files) >= 8
    # complaints recorded through the service on a delivered order: the rate has its source
    recorded = [(c.order_no, c.severity, c.status) for c in snap.records("complaints")]
    assert recorded == [
        (orders["complaint"], ComplaintSeverity.MAJOR, ComplaintStatus.OPEN),
        (orders["complaint"], ComplaintSeverity.MINOR, ComplaintStatus.CLOSED),
    ]


def test_paths_without_an_order_left_say_so(desk: Desk, tmp_path: Path) -> None:
    typed = ChangeSet()  # all but one order taken out of the demo's reach
    for row in desk.rows("orders"):
        if row.values["order_no"] != "SO-3":
            typed.update("orders", row.row, "status", OrderStatus.CANCELLED)
    desk.type_rows(typed)
    summaries = drive_paths(desk.path, "zh", tmp_path)
    assert [s["order_no"] for s in summaries] == ["SO-3"] + [None] * (len(PATHS) - 1)
    assert summaries[0]["final_status"] == OrderStatus.IN_PRODUCTION.value
    assert all(s["steps"] == [t("demo.path.skipped", "zh")] for s in summaries[1:])
