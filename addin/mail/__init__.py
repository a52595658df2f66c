"""E-mailing task orders: settings, message, transports (SMTP, .eml, Outlook) and the send."""

from addin.mail.message import build_message
from addin.mail.result import MailError, Outcome, SendResult
from addin.mail.send import recipients_for, send_task_order
from addin.mail.settings import SETTING_KEYS, MailSettings
from addin.mail.transports import send_outlook, send_smtp, write_eml

__all__ = [
    "SETTING_KEYS",
    "MailError",
    "MailSettings",
    "Outcome",
    "SendResult",
    "build_message",
    "recipients_for",
    "send_outlook",
    "send_smtp",
    "send_task_order",
    "write_eml",
]
