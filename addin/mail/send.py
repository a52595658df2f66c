"""Send one task order to its departments, completing an earlier partial send."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path

from addin.core.enums import Department
from addin.mail.message import build_message, is_address
from addin.mail.result import Outcome, SendResult
from addin.mail.settings import MailSettings
from addin.mail.transports import send_outlook, send_smtp, write_eml
from workbook.task_order_file import TaskOrderDoc, task_order_filename

_OUTCOMES = {"smtp": Outcome.SENT, "eml": Outcome.WRITTEN}


def recipients_for(
    departments: Iterable[Department | str], dept_mail: Mapping[Department, Sequence[str]]
) -> tuple[list[str], list[Department]]:
    """The addresses of ``departments`` (in order, without repeats) and the departments that
    have none. ``dept_mail`` is the settings sheet's department → addresses map."""
    addresses: list[str] = []
    missing: list[Department] = []
    seen: set[str] = set()
    for item in departments:
        dept = Department.parse(item)
        found = [a.strip() for a in dept_mail.get(dept, ()) if a and a.strip()]  # type: ignore[call-overload]
        if not found:
            missing.append(dept)  # type: ignore[arg-type]
        for address in found:
            if address.casefold() not in seen:
                seen.add(address.casefold())
                addresses.append(address)
    return addresses, missing


def send_task_order(
    doc: TaskOrderDoc,
    attachments: Sequence[Path | str],
    recipients: Sequence[str],
    settings: MailSettings,
    already_sent: Iterable[str] = frozenset(),
) -> SendResult:
    """Mail the task order with ``attachments`` to the ``recipients`` not in ``already_sent``.

    One message to all of them, through ``settings.transport``. Nothing is sent when an
    attachment is missing or an address is invalid. Record ``result.delivered`` (SMTP) or
    ``result.accepted`` with the earlier ones and pass them as ``already_sent`` next time: a
    second send goes only to the recipients the first did not reach. Addresses compare without
    regard to case.
    """
    outcome = _OUTCOMES.get(settings.transport) or (
        Outcome.QUEUED if settings.outlook_mode == "send" else Outcome.DRAFT
    )
    done = {a.strip().casefold() for a in already_sent}
    unique: list[str] = []
    seen: set[str] = set()
    for raw in recipients:
        address = raw.strip()
        if address and address.casefold() not in seen:
            seen.add(address.casefold())
            unique.append(address)
    skipped = [a for a in unique if a.casefold() in done]
    pending = [a for a in unique if a.casefold() not in done]

    def fail(key: str, **params: object) -> SendResult:
        result = SendResult.failed(outcome, key, **params)
        result.task_no, result.skipped, result.attempted = doc.task_no, skipped, pending
        return result

    if not unique:
        return fail("mail.error.no_recipients")
    invalid = next((a for a in unique if not is_address(a)), None)
    if invalid is not None:
        return fail("mail.error.bad_address", address=invalid)
    if not pending:
        return SendResult(outcome, task_no=doc.task_no, skipped=skipped)
    files = [Path(a) for a in attachments]
    missing = next((f for f in files if not f.is_file()), None)
    if missing is not None:
        return fail("mail.error.attachment_missing", file=str(missing))
    try:
        message = build_message(doc, pending, files, settings.sender)
    except OSError as exc:  # a file that exists but cannot be read (locked, no permission)
        return fail("mail.error.attachment_unreadable", file=exc.filename, reason=exc.strerror)

    if settings.transport == "smtp":
        result = send_smtp(message, pending, settings)
    elif settings.transport == "eml":
        out_dir = Path(settings.eml_dir) if settings.eml_dir else _beside(files)
        result = write_eml(message, pending, out_dir, task_order_filename(doc, ""))
    else:
        result = send_outlook(message, pending, settings, files)
    result.task_no, result.skipped = doc.task_no, skipped
    return result


def deliver(
    message: EmailMessage,
    recipients: Sequence[str],
    settings: MailSettings,
    stem: str,
    default_dir: Path,
    attachments: Sequence[Path] = (),
) -> SendResult:
    """Hand a built message to the settings' transport (an .eml is named ``stem``)."""
    if settings.transport == "smtp":
        return send_smtp(message, recipients, settings)
    if settings.transport == "eml":
        folder = Path(settings.eml_dir) if settings.eml_dir else default_dir
        return write_eml(message, recipients, folder, stem)
    return send_outlook(message, recipients, settings, attachments)


def _beside(files: Sequence[Path]) -> Path:
    return files[0].parent if files else Path.cwd()
