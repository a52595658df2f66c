"""The e-mail that carries a change notice to the departments, in the workbook's language."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from addin.i18n import normalize_lang, t
from addin.mail.message import envelope, one_line
from workbook.task_order_file import safe_filename

HEADER_NOTICE = "X-OrderDesk-Change"
_XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def build_notice_message(
    change_no: str,
    order_no: str,
    customer: str,
    version: int | None,
    changes: Sequence[str],
    recipients: Sequence[str],
    attachments: Sequence[Path],
    sender: str,
    lang: str,
) -> EmailMessage:
    """The notice ``change_no`` for ``recipients``, its workbook (and PDF) attached."""
    lang = normalize_lang(lang)
    subject = one_line(
        t("notice.mail.subject", lang, change_no=change_no, order_no=order_no, customer=customer)
    )
    message = envelope(subject, sender, recipients)
    message[HEADER_NOTICE] = one_line(change_no)
    body = [
        t("notice.mail.body", lang, change_no=change_no, order_no=order_no, version=version or "-"),
        *(f"  - {one_line(line)}" for line in changes),
        "",
        t("notice.mail.signature", lang),
    ]
    message.set_content("\n".join(body) + "\n")
    for path in attachments:
        if path.suffix.lower() == ".pdf":
            maintype, subtype = "application", "pdf"
        else:
            maintype, subtype = _XLSX
        name = safe_filename(path.stem, path.suffix)
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=name)
    return message
