"""The demo's mail: a real SMTP server on loopback that receives the released task orders
and the departments' reminders.

The demo points the workbook's mail settings at it, sends every current task order through
``addin.services.sending`` (the same path as ``orderdesk send``), checks that each message
arrived with its task-order workbook attached and readable, and then sets the workbook back to
writing .eml files, since the server ends with the demo.
"""

from __future__ import annotations

import contextlib
import io
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from addin.core.enums import TaskOrderStatus
from addin.core.lifecycle import allowed
from addin.core.parse import parse_table
from addin.services import reminders, sending
from workbook.open import open_workbook
from workbook.store import ChangeSet

HOST = "127.0.0.1"


@dataclass
class Inbox:
    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def loopback_server() -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    inbox = Inbox(port)
    controller = Controller(inbox, hostname=HOST, port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def _settings(path: Path, values: dict[str, str]) -> None:
    with open_workbook(path, write=True) as store:
        rows = {r.values["key"]: r.row for r in store.read("settings")}
        changes = ChangeSet()
        for key, value in values.items():
            changes.update("settings", rows[key], "value", value)
        store.commit(changes)


@contextlib.contextmanager
def _smtp_settings(path: Path) -> Iterator[Inbox]:
    """The workbook's mail pointed at a loopback server for the block, then back to .eml."""
    with loopback_server() as inbox:
        _settings(
            path,
            {
                "mail_transport": "smtp",
                "smtp_host": HOST,
                "smtp_port": str(inbox.port),
                "smtp_security": "none",
                "smtp_user": "",
            },
        )
        try:
            yield inbox
        finally:
            _settings(
                path,
                {
                    "mail_transport": "eml",
                    "smtp_host": "localhost",
                    "smtp_port": "587",
                    "smtp_security": "starttls",
                },
            )


def mail_reminders(path: Path, user: str, today: date) -> dict[str, Any]:
    """Mail each department what waits for it (``orderdesk remind``) to the loopback server."""
    with _smtp_settings(path) as inbox, open_workbook(path, write=True) as store:
        outcome = reminders.remind(store, path.parent, today, user=user)
    departments = outcome.data["departments"]
    return {
        "departments": len(departments),
        "items": sum(len(d["items"]) for d in departments.values()),
        "messages": len(inbox.messages),
    }


def mail_task_orders(path: Path, user: str) -> dict[str, Any]:
    """Send every current task order to the loopback server; report what arrived."""
    with open_workbook(path) as store:
        tasks, _ = parse_table("task_orders", store.read("task_orders"))
        orders, _ = parse_table("orders", store.read("orders"))
    sendable = {o.order_no for o in orders if allowed("send", o.status)}
    current = sorted(
        {t.task_no for t in tasks if t.status == TaskOrderStatus.CURRENT and t.order_no in sendable}
    )
    with _smtp_settings(path) as inbox:
        for task_no in current:
            with open_workbook(path, write=True) as store:
                sending.send(store, task_no, path.parent, user=user)
    readable = 0
    for _recipients, message in inbox.messages:
        for part in message.iter_attachments():
            if (part.get_filename() or "").endswith(".xlsx"):
                from openpyxl import load_workbook

                load_workbook(io.BytesIO(part.get_content()), read_only=True).close()
                readable += 1
    return {
        "task_orders": len(current),
        "messages": len(inbox.messages),
        "recipients": sum(len(r) for r, _ in inbox.messages),
        "readable_attachments": readable,
    }
