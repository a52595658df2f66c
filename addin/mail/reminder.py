"""The reminder e-mail: what waits for one department, in the workbook's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from email.message import EmailMessage
from typing import Protocol

from addin.core.enums import Department
from addin.core.reminders import KINDS
from addin.i18n import t
from addin.mail.message import envelope, one_line

HEADER_REMINDER = "X-OrderDesk-Reminder"


class Item(Protocol):
    kind: str

    def label(self, lang: str) -> str: ...


def reminder_subject(company: str, department: Department, count: int, day: date, lang: str) -> str:
    return one_line(
        t(
            "remind.subject",
            lang,
            company=company,
            department=department.label(lang),
            count=count,
            date=day.isoformat(),
        )
    )


def reminder_body(department: Department, items: Sequence[Item], day: date, lang: str) -> str:
    lines = [t("remind.greeting", lang, department=department.label(lang), date=day.isoformat())]
    for kind in KINDS:
        mine = [item for item in items if item.kind == kind]
        if mine:
            lines += ["", t(f"remind.heading.{kind}", lang, count=len(mine))]
            lines += [f"  - {one_line(item.label(lang))}" for item in mine]
    lines += ["", t("remind.signature", lang)]
    return "\n".join(lines) + "\n"


def build_reminder(
    company: str,
    department: Department,
    items: Sequence[Item],
    day: date,
    recipients: Sequence[str],
    sender: str,
    lang: str,
) -> EmailMessage:
    subject = reminder_subject(company, department, len(items), day, lang)
    message = envelope(subject, sender, recipients)
    message[HEADER_REMINDER] = f"{department.value} {day.isoformat()}"
    message.set_content(reminder_body(department, items, day, lang))
    return message
