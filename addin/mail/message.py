"""The e-mail that carries a task order: subject and body in the task order's language."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from addin.i18n import normalize_lang, t
from workbook.task_order_file import TaskOrderDoc, safe_filename

_MIME_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}
# one address, no display name: local@domain, nothing that could split or inject a header
_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+$")
HEADER_TASK = "X-OrderDesk-Task"


def is_address(text: str) -> bool:
    return bool(_ADDRESS.match(text))


def one_line(value: object) -> str:
    """Text for a header or a body line: line breaks and runs of spaces become one space."""
    return " ".join(str(value if value is not None else "").split())


def envelope(subject_line: str, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """A message's headers as every OrderDesk mail has them: subject, sender (when set),
    recipients, date and a Message-ID in the sender's domain."""
    message = EmailMessage()
    message["Subject"] = subject_line
    if sender:
        message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2] if "@" in sender else None
    message["Message-ID"] = make_msgid("orderdesk", domain=domain)
    return message


def subject(doc: TaskOrderDoc) -> str:
    return one_line(
        t(
            "mail.subject",
            doc.lang,
            task_no=one_line(doc.task_no),
            revision=doc.revision,
            order_no=one_line(doc.order_no),
            customer=one_line(doc.customer_name),
            product=one_line(doc.product),
        )
    )


def body(doc: TaskOrderDoc, attachment_names: Sequence[str]) -> str:
    lang = normalize_lang(doc.lang)
    empty = t("mail.empty", lang)

    def show(value: object) -> str:
        return one_line(value) or empty

    quantity = f"{doc.quantity:,} {one_line(doc.unit)}".strip()
    sep = "、" if lang == "zh" else ", "
    text = t(
        "mail.body",
        lang,
        task_no=show(doc.task_no),
        revision=doc.revision,
        order_no=show(doc.order_no),
        customer=show(doc.customer_name),
        product=show(doc.product),
        spec=show(doc.spec),
        quantity=quantity,
        due_date=doc.due_date.isoformat() if doc.due_date else empty,
        batch=show(doc.batch),
        departments=sep.join(d.label(lang) for d in doc.departments) or empty,
        attachments=sep.join(attachment_names) or empty,
    )
    if doc.revision > 1:
        text += "\n" + t("mail.body.revised", lang)
    return text + t("mail.body.signature", lang, issued_by=one_line(doc.issued_by))


def build_message(
    doc: TaskOrderDoc,
    recipients: Sequence[str],
    attachments: Sequence[Path | str],
    sender: str = "",
) -> EmailMessage:
    """The message for ``doc`` to ``recipients`` with the files ``attachments`` attached.

    The attachments must exist (the caller checks first); their names are made safe for any
    mail client's file system.
    """
    files = [Path(a) for a in attachments]
    names = [safe_filename(Path(f.name).stem, f.suffix) for f in files]
    message = envelope(subject(doc), sender, recipients)
    message[HEADER_TASK] = f"{one_line(doc.task_no)} R{doc.revision}"
    message.set_content(body(doc, names))
    for path, name in zip(files, names, strict=True):
        mime = _MIME_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=name)
    return message
