"""Sending a task order to its departments (DOMAIN §4): ``orderdesk send`` and the ribbon's
e-mail button. One message to every department of the distribution, the task-order workbook
attached (and its PDF when there is one); what the transport accepted is recorded in the
task-order sheet and the ledger, so that a second send goes only to whom the first missed.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.core.enums import TaskOrderStatus
from addin.core.models import TaskOrder
from addin.core.problems import Problem, RuleError
from addin.i18n import t
from addin.services.context import Action, Outcome
from addin.services.release import DISTRIBUTION, doc_values, task_order_doc, task_order_folder
from addin.services.steps import check_status, stay
from workbook.store import Store

if TYPE_CHECKING:
    from addin.mail import MailSettings

SEP = "; "


def mail_settings(act: Action, via: str | None, base_dir: Path) -> MailSettings:
    """The settings' mail transport (``via`` overrides it); a bad setting is refused."""
    from addin.mail import MailError, MailSettings

    values: dict[str, Any] = dict(act.snap.settings.values)
    if via:
        values["mail_transport"] = via
    try:
        return MailSettings.from_settings(values, base_dir=base_dir)
    except MailError as exc:
        raise RuleError(Problem(exc.key, exc.params, "settings")) from None


def distribution(act: Action) -> list[str]:
    """The addresses of the departments a task order or change notice goes to; refused when
    one of them has none."""
    from addin.mail import recipients_for

    recipients, missing = recipients_for(DISTRIBUTION, act.snap.settings.dept_mail)
    if missing:
        raise RuleError(
            [
                Problem("send.no_address", {"department": d}, "dept_mail", column="emails")
                for d in missing
            ]
        )
    return recipients


def current_task_order(act: Action, task_no: str) -> TaskOrder:
    """The task order's current revision, or a refusal naming why there is none."""
    wanted = task_no.strip()
    revisions = [r for r in act.snap.records("task_orders") if r.task_no == wanted]
    if not revisions:
        raise RuleError(Problem("send.unknown_task", {"task_no": wanted}, "task_orders"))
    current = [r for r in revisions if r.status == TaskOrderStatus.CURRENT]
    if not current:
        latest = max(revisions, key=lambda r: r.revision)
        raise RuleError(
            Problem(
                "send.not_current",
                {"task_no": wanted, "status": latest.status},
                "task_orders",
                latest.row,
                "status",
                latest.order_no,
            )
        )
    return max(current, key=lambda r: r.revision)


def attachments(task: TaskOrder, base_dir: Path, folder: Path) -> list[Path]:
    """The task-order workbook and, when it was made, its PDF copy beside it.

    Only a file in the task-order ``folder`` (links followed) is attached: the file cell is
    anyone's to type, and must not send any other file of the machine."""
    if not task.file:
        raise RuleError(
            Problem(
                "send.no_file",
                {"task_no": task.task_no},
                "task_orders",
                task.row,
                "file",
                task.order_no,
            )
        )
    workbook = Path(task.file) if Path(task.file).is_absolute() else base_dir / task.file
    if not _inside(workbook, folder):
        raise RuleError(
            Problem(
                "send.file_outside",
                {"task_no": task.task_no, "file": task.file, "folder": str(folder)},
                "task_orders",
                task.row,
                "file",
                task.order_no,
            )
        )
    pdf = workbook.with_suffix(".pdf")
    return [workbook, pdf] if pdf.is_file() and _inside(pdf, folder) else [workbook]


def _inside(path: Path, folder: Path) -> bool:
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real != top and real.is_relative_to(top)


def send(
    store: Store,
    task_no: str,
    base_dir: Path,
    via: str | None = None,
    dry_run: bool = False,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Mail one task order; ``via`` overrides the settings' transport (smtp, eml, outlook)."""
    from addin.mail import send_task_order

    act = Action(store, "send", user, now)
    task = current_task_order(act, task_no)
    order = act.order(task.order_no)
    check_status(act, order)
    mail = mail_settings(act, via, base_dir)
    recipients = distribution(act)
    files = attachments(task, base_dir, task_order_folder(act.snap.settings, base_dir))
    already = [a for a in (task.sent_to or "").split(SEP.strip()) if a.strip()]
    act.outcome.data = {
        "task_no": task.task_no,
        "revision": task.revision,
        "transport": mail.transport,
        "recipients": recipients,
        "already_sent": [a.strip() for a in already],
        "attachments": [str(f) for f in files],
    }
    if dry_run:
        act.outcome.data["dry_run"] = True
        return act.outcome

    doc = task_order_doc(doc_values(act, order, task.model_dump()))
    result = send_task_order(doc, files, recipients, mail, already_sent=already)
    act.outcome.data.update(
        complete=result.ok,
        accepted=result.accepted,
        refused=result.refused,
        skipped=result.skipped,
        outcome=result.outcome.value,
    )
    act.outcome.report = lambda lang: [*result.report(lang), result.summary(lang)]
    act.outcome.problems = refused_problems(
        result.refused, "task_orders", task.row, "sent_to", task.order_no
    )
    if result.error_key:
        act.outcome.problems.append(
            Problem(
                result.error_key,
                result.error_params,
                "task_orders",
                task.row,
                "sent_to",
                task.order_no,
            )
        )
    # Only what the transport took is recorded: an .eml written or an Outlook draft counts as
    # handed over (the sheet says how), a refused or unreached address does not.
    if not result.accepted:
        if result.error_key or result.refused:
            raise RuleError(act.outcome.problems)
        return act.outcome  # everyone had it already: the report says so
    reached = [a.strip() for a in already] + [a for a in result.accepted if a not in already]
    act.update(
        "task_orders",
        task,
        sent_at=act.now,
        sent_to=SEP.join(reached),
        sent_via=f"{mail.transport}:{result.outcome.value}",
    )
    outcome = stay(act, order, result.summary(act.lang))
    outcome.message = "send.done" if result.ok else "send.partial"
    outcome.params = {
        "task_no": task.task_no,
        "count": len(result.accepted),
        "missing": len(result.refused),
    }
    act.outcome.orders.append(outcome)
    act.commit()
    if result.location:
        act.outcome.files.append(Path(result.location))
    return act.outcome


def make_pdf(store: Store, task_no: str, base_dir: Path) -> Outcome:
    """A PDF copy of the task order's workbook beside it (needs LibreOffice)."""
    from workbook.pdf import PdfError, to_pdf

    act = Action(store, "send")
    task = current_task_order(act, task_no)
    workbook = attachments(task, base_dir, task_order_folder(act.snap.settings, base_dir))[0]
    try:
        pdf = to_pdf(workbook, workbook.parent)
    except PdfError as exc:
        raise RuleError(
            Problem(exc.key, exc.params, "task_orders", task.row, "file", task.order_no)
        ) from None
    act.outcome.files.append(pdf)
    act.outcome.data = {"task_no": task.task_no, "pdf": str(pdf)}
    return act.outcome


def is_change_no(store: Store, number: str) -> bool:
    """Whether ``number`` names a change request (its notice is sent) rather than a task order."""
    from addin.core.parse import parse_table

    changes, _ = parse_table("changes", store.read("changes"))
    return any(c.change_no == number.strip() for c in changes)


def send_notice(
    store: Store,
    change_no: str,
    base_dir: Path,
    via: str | None = None,
    dry_run: bool = False,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Mail an approved change's notice to the task order's departments (DOMAIN §7: the
    departments act on it). Its file is the one approval wrote into the task-order folder."""
    from addin.core.enums import ChangeStatus
    from addin.mail.notice import build_notice_message
    from addin.mail.send import deliver
    from workbook.change_notice_file import notice_filename

    act = Action(store, "send_notice", user, now)
    wanted = change_no.strip()
    change = next((c for c in act.snap.records("changes") if c.change_no == wanted), None)
    if change is None:
        raise RuleError(Problem("send.unknown_change", {"change_no": wanted}, "changes"))
    if change.status != ChangeStatus.APPROVED:
        raise RuleError(
            Problem(
                "send.notice_not_approved",
                {"change_no": wanted, "status": change.status},
                "changes",
                change.row,
                "status",
                change.order_no,
            )
        )
    order = act.order(change.order_no)
    folder = Path(act.snap.settings.get("task_order_dir", "task-orders"))
    folder = folder if folder.is_absolute() else base_dir / folder
    info = {"change_no": change.change_no, "order_no": order.order_no, "lang": act.lang}
    workbook = folder / notice_filename(info)
    if not workbook.is_file():
        raise RuleError(
            Problem(
                "send.no_notice_file",
                {"change_no": wanted, "path": str(workbook)},
                "changes",
                change.row,
                "change_no",
                order.order_no,
            )
        )
    pdf = workbook.with_suffix(".pdf")
    files = [workbook, pdf] if pdf.is_file() else [workbook]
    mail = mail_settings(act, via, base_dir)
    recipients = distribution(act)
    act.outcome.data = {
        "task_no": change.change_no,  # the number sent, as for a task order
        "change_no": change.change_no,
        "transport": mail.transport,
        "recipients": recipients,
        "attachments": [str(f) for f in files],
    }
    if dry_run:
        act.outcome.data["dry_run"] = True
        return act.outcome
    lines = [
        f"{v.field}: {v.old_value or ''} → {v.new_value or ''}"
        for v in act.snap.by_order("versions").get(order.order_no, [])
        if v.change_no == change.change_no
    ]
    message = build_notice_message(
        change.change_no,
        order.order_no,
        order.customer_name or "",
        change.version,
        lines,
        recipients,
        files,
        mail.sender,
        act.lang,
    )
    result = deliver(message, recipients, mail, workbook.stem, workbook.parent, files)
    result.task_no = change.change_no
    act.outcome.data.update(complete=result.ok, accepted=result.accepted, refused=result.refused)
    act.outcome.report = lambda lang: [
        *result.report(lang),
        t("send.notice_done", lang, change_no=change.change_no, count=len(result.accepted)),
    ]
    act.outcome.problems = refused_problems(
        result.refused, "changes", change.row, "change_no", order.order_no
    )
    if result.error_key and not result.refused:
        act.outcome.problems.append(
            Problem(result.error_key, result.error_params, "settings", column="value")
        )
    if not result.accepted:
        raise RuleError(act.outcome.problems)
    details = t(
        "send.notice_details",
        act.lang,
        change_no=change.change_no,
        recipients=", ".join(result.accepted),
        transport=f"{mail.transport}:{result.outcome.value}",
    )
    act.log(order.order_no, details, order.status, order.status)
    act.commit()
    if result.location:
        act.outcome.files.append(Path(result.location))
    return act.outcome


def refused_problems(
    refused: dict[str, str], table: str, row: int | None, column: str, order_no: str
) -> list[Problem]:
    """A problem for each recipient the mail server refused, on the row the mail was sent for."""
    return [
        Problem("send.recipient_refused", {"address": a, "reason": r}, table, row, column, order_no)
        for a, r in refused.items()
    ]
