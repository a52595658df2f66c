"""Release (DOMAIN §4): ``orderdesk release`` issues the production task orders of a reviewed
order — a row per order line in the task-order sheet and a one-page task-order workbook each,
distributed to production, technical, quality and purchasing.

The task-order file is drawn by ``workbook.task_order_file``; :func:`render_task_order_file` is
the one place that calls it. Files are written before the workbook: if drawing one fails, the
files of this action are removed and nothing is committed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.core import roles
from addin.core.enums import Department, OrderStatus, TaskOrderStatus
from addin.core.models import Order, OrderLine, Review, TaskOrder
from addin.core.problems import Problem, RuleError
from addin.core.review import rounds
from addin.i18n import t
from addin.services.context import Action, Outcome
from addin.services.steps import check_status, order_lines
from workbook.store import Store

if TYPE_CHECKING:
    from workbook.task_order_file import TaskOrderDoc

DISTRIBUTION: tuple[Department, ...] = (
    Department.PRODUCTION,
    Department.TECHNICAL,
    Department.QUALITY,
    Department.PURCHASING,
)

Renderer = Callable[[dict[str, Any], Path], Path]


def task_no(order_no: str, line_no: int) -> str:
    return f"TO-{order_no}-{line_no}"


def next_batches(existing: Iterable[TaskOrder], now: datetime, count: int) -> list[str]:
    """``count`` new production batch numbers ``B<yymmdd>-<seq>``, continuing the day's."""
    prefix = f"B{now:%y%m%d}-"
    used = [
        int(task.batch[len(prefix) :])
        for task in existing
        if task.batch and task.batch.startswith(prefix) and task.batch[len(prefix) :].isdigit()
    ]
    first = max(used, default=0) + 1
    return [f"{prefix}{n:02d}" for n in range(first, first + count)]


def distribution_text(lang: str) -> str:
    return t("list.sep", lang).join(d.label(lang) for d in DISTRIBUTION)


def review_notes(reviews: list[Review], lang: str) -> str:
    """The review's word to production: every round's comments, round by round (a condition
    agreed in an earlier round binds production as much as the last round's notes)."""
    lines: list[str] = []
    for number, by_department in sorted(rounds(reviews).items()):
        said = [
            f"{r.department.label(lang)}: {r.comment}"
            for r in by_department.values()
            if (r.comment or "").strip()
        ]
        if said:
            lines += [t("taskorder.round", lang, round=number), *said]
    return "\n".join(lines)


def task_values(
    act: Action,
    order: Order,
    line: OrderLine,
    revision: int,
    batch: str,
    notes: str,
) -> dict[str, Any]:
    return {
        "task_no": task_no(order.order_no, line.line_no),
        "order_no": order.order_no,
        "line_no": line.line_no,
        "revision": revision,
        "batch": batch,
        "product_code": line.product_code,
        "product_name": line.product_name,
        "spec": line.spec,
        "quantity": line.quantity,
        "due_date": line.delivery_date,
        "quality_req": order.quality_req,
        "packaging_req": order.packaging_req,
        "transport_req": order.transport_req,
        "notes": notes or None,
        "distribution": distribution_text(act.lang),
        "status": TaskOrderStatus.CURRENT,
        "issued_at": act.now,
        "issued_by": act.user,
    }


def task_order_doc(values: dict[str, Any]) -> TaskOrderDoc:
    """The task-order document of a task-order row's values plus ``company``,
    ``customer_name``, ``unit`` and ``lang``: what is drawn at release and what is mailed."""
    from workbook.task_order_file import TaskOrderDoc

    return TaskOrderDoc(
        company=values["company"],
        task_no=values["task_no"],
        order_no=values["order_no"],
        revision=values["revision"],
        customer_name=values.get("customer_name") or "",
        product_code=values.get("product_code") or "",
        product_name=values.get("product_name") or "",
        spec=values.get("spec") or "",
        quantity=values.get("quantity") or 0,
        unit=values.get("unit") or "",
        due_date=values["due_date"],
        batch=values["batch"],
        quality_req=values.get("quality_req") or "",
        packaging_req=values.get("packaging_req") or "",
        transport_req=values.get("transport_req") or "",
        review_notes=values.get("notes") or "",
        delivery_place=values.get("delivery_place") or "",
        revision_changes=values.get("revision_changes") or (),
        work_done=values.get("work_done") or "",
        distribution=[d.value for d in DISTRIBUTION],
        issued_by=values.get("issued_by") or "",
        issued_at=values.get("issued_at"),
        lang=values["lang"],
    )


def doc_values(act: Action, order: Order, values: dict[str, Any]) -> dict[str, Any]:
    """A task-order row's values with what the document adds from the order, its line and the
    settings."""
    product = act.snap.products.get(values.get("product_code") or "")
    line = next(
        (x for x in act.snap.lines.get(order.order_no, []) if x.line_no == values.get("line_no")),
        None,
    )
    return {
        **values,
        "company": act.snap.settings.get("company"),
        "customer_name": order.customer_name,
        "unit": product.unit if product else "",
        "delivery_place": line.delivery_place if line else "",
        "lang": act.lang,
    }


def render_task_order_file(values: dict[str, Any], out_dir: Path) -> Path:
    """Draw one task order with ``workbook.task_order_file`` (the only call into it)."""
    from workbook.task_order_file import render_task_order

    return render_task_order(task_order_doc(values), out_dir)


def task_order_folder(settings: Any, base_dir: Path) -> Path:
    """The settings' task-order folder: relative to the workbook's folder ``base_dir``."""
    folder = Path(str(settings.get("task_order_dir") or "task-orders").strip())
    return folder if folder.is_absolute() else Path(base_dir) / folder


def file_reference(path: Path, base_dir: Path | None) -> str:
    """Where the file is, as the task-order sheet keeps it: relative to the workbook's folder
    when it lies below it, absolute otherwise."""
    if base_dir is not None:
        try:
            relative = Path(os.path.relpath(path.resolve(), Path(base_dir).resolve()))
        except ValueError:  # another drive (Windows)
            relative = None
        if relative is not None and relative.parts[:1] != ("..",):
            return relative.as_posix()
    return str(path.resolve())


def write_task_orders(
    act: Action,
    order: Order,
    rows: list[dict[str, Any]],
    out_dir: Path,
    base_dir: Path | None,
    render: Renderer | None,
    printed: dict[str, dict[str, Any]] | None = None,
) -> list[Path]:
    """Draw each task order, then append its row with the file; on failure remove the files.

    The files are drawn in the action's staging folder and appear in ``out_dir`` only once the
    action's commit succeeded (see :meth:`Action.stage`). ``printed`` (by task number) is what the
    file shows beyond the row (a revision's changes)."""
    render = render or render_task_order_file
    paths: list[Path] = []
    try:
        for values in rows:
            extra = (printed or {}).get(values["task_no"], {})
            staged = render({**doc_values(act, order, values), **extra}, act.stage(out_dir))
            path = act.final_path(staged)
            paths.append(path)
            values["file"] = file_reference(path, base_dir)
    except Exception as exc:
        act.discard_files()
        if isinstance(exc, RuleError):
            raise
        raise RuleError(
            Problem("release.file_failed", {"detail": str(exc) or type(exc).__name__})
        ) from exc
    for values in rows:
        act.append("task_orders", values)
    act.outcome.files.extend(paths)
    return paths


def release(
    store: Store,
    order_no: str,
    out_dir: Path,
    user: str | None = None,
    now: datetime | None = None,
    base_dir: Path | None = None,
    render: Renderer | None = None,
) -> Outcome:
    """Issue the task orders of a reviewed order; status → released."""
    act = Action(store, "release", user, now)
    order = act.order(order_no)
    check_status(act, order)
    roles.ensure_department(act.snap.settings, act.user, act.name)
    lines = order_lines(act, order)
    problems = [
        Problem("release.line_incomplete", {"line_no": line.line_no}, "lines", line.row, key)
        for line in lines
        for key in ("quantity", "delivery_date")
        if getattr(line, key) is None
    ]
    if not lines:
        problems.append(Problem("check.no_lines", {}, "orders", order.row, "order_no"))
    if problems:
        raise RuleError(problems)
    existing: list[TaskOrder] = act.snap.records("task_orders")
    notes = review_notes(act.snap.by_order("reviews").get(order.order_no, []), act.lang)
    batches = next_batches(existing, act.now, len(lines))
    rows = []
    for line, batch in zip(lines, batches, strict=True):
        earlier = [
            task.revision for task in existing if task.task_no == task_no(order_no, line.line_no)
        ]
        rows.append(task_values(act, order, line, max(earlier, default=0) + 1, batch, notes))
    act.update(
        "orders",
        order,
        released_at=act.now,
        progress=0.0,
        inspection=t("tracking.not_inspected", act.lang),
    )
    details = t(
        "release.details",
        act.lang,
        tasks=t("list.sep", act.lang).join(r["task_no"] for r in rows),
        batches=t("list.sep", act.lang).join(r["batch"] for r in rows),
        distribution=distribution_text(act.lang),
    )
    outcome = act.transition(order, OrderStatus.RELEASED, details)
    outcome.message = "release.done"
    outcome.params = {"count": len(rows)}
    act.outcome.orders.append(outcome)
    # Drawn last: nothing but the commit comes between the files and their rows.
    write_task_orders(act, order, rows, Path(out_dir), base_dir, render)
    act.outcome.data["task_orders"] = [
        {k: r[k] for k in ("task_no", "revision", "batch", "file")} for r in rows
    ]
    return act.commit()


def revise_task_orders(
    act: Action,
    order: Order,
    lines: list[OrderLine],
    line_nos: set[int],
    out_dir: Path | None,
    base_dir: Path | None,
    render: Renderer | None,
    reason: str,
    changed: Iterable[tuple[Any, Any]] = (),
    facts: Any = None,
) -> list[dict[str, Any]]:
    """A new revision of each current task order of ``line_nos``; the old one is superseded.
    The file shows what changed for its line (old → new, ``changed``: field changes and their
    old values) and what was already done (``facts``: the order's tracking facts)."""
    current = {
        task.line_no: task
        for task in act.snap.records("task_orders")
        if task.order_no == order.order_no and task.status == TaskOrderStatus.CURRENT
    }
    rows = []
    printed: dict[str, dict[str, Any]] = {}
    for line in lines:
        old = current.get(line.line_no)
        if line.line_no not in line_nos or old is None:
            continue
        values = task_values(act, order, line, old.revision + 1, old.batch or "", old.notes or "")
        values["notes"] = "\n".join(p for p in (old.notes, reason) if p)
        rows.append(values)
        act.update("task_orders", old, status=TaskOrderStatus.SUPERSEDED)
        printed[values["task_no"]] = {
            "revision_changes": [
                (_field_label(item, act.lang), _text(before), _text(item.value))
                for item, before in changed
                if item.line_no in (None, line.line_no)
            ],
            "work_done": _work_done(facts, line.line_no, act.lang),
        }
    if rows:
        if out_dir is None:
            raise RuleError(Problem("release.no_folder", {}))
        write_task_orders(act, order, rows, Path(out_dir), base_dir, render, printed)
    return rows


def _field_label(item: Any, lang: str) -> str:
    from addin.core.schema import TABLES

    return TABLES[item.table].column(item.field).label(item.table, lang)


def _text(value: Any) -> str:
    from addin.core.changes import text_value

    return text_value(value)


def _work_done(facts: Any, line_no: int, lang: str) -> str:
    """What the line's tracking record holds so far, for production to count on."""
    done = facts.lines.get(line_no) if facts is not None else None
    if done is None:
        return ""
    return t(
        "taskorder.work_done_value",
        lang,
        produced=done.produced,
        passed=done.passed,
        rejected=done.rejected,
        shipped=done.shipped,
        delivered=done.delivered,
    )
