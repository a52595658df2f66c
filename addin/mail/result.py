"""What sending a task order produced: per recipient accepted, refused or skipped, or an error."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from addin.i18n import t


class Outcome(StrEnum):
    """What happened to the recipients a transport accepted."""

    SENT = "sent"  # the SMTP server accepted the message for them
    QUEUED = "queued"  # handed to Outlook, which sends it from its outbox
    DRAFT = "draft"  # saved as an Outlook draft: a person still has to press Send
    WRITTEN = "written"  # written to an .eml file: a person still has to send it


class MailError(Exception):
    """A problem found before anything was sent; ``key``/``params`` give the catalogue message."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key, self.params = key, params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


@dataclass
class SendResult:
    """One send of one task order.

    ``accepted`` holds only what the transport took (for SMTP: what the server accepted after the
    whole message went through); ``refused`` maps an address to the server's reason; ``skipped``
    are the recipients that had it already; ``attempted`` the ones this send was for. ``error_key`` (a catalogue key, with
    ``error_params``) says why the send stopped; it can be set while some recipients were
    accepted.
    """

    outcome: Outcome
    task_no: str = ""
    accepted: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    attempted: list[str] = field(default_factory=list)  # the recipients this send was for
    error_key: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)
    location: str = ""  # the .eml file written
    message_id: str = ""

    @classmethod
    def failed(cls, outcome: Outcome, key: str, /, **params: Any) -> SendResult:
        return cls(outcome, error_key=key, error_params=params)

    @property
    def ok(self) -> bool:
        """Every recipient asked for was taken (or had it already), with no error."""
        return self.error_key is None and not self.refused

    @property
    def delivered(self) -> list[str]:
        """Recipients the mail server confirmed: the ones to record as sent."""
        return list(self.accepted) if self.outcome is Outcome.SENT else []

    def error(self, lang: str) -> str | None:
        return t(self.error_key, lang, **self.error_params) if self.error_key else None

    def report(self, lang: str) -> list[str]:
        """One line per recipient: accepted (and how), refused (and why), not sent, skipped."""
        outcome = t(f"mail.outcome.{self.outcome.value}", lang, file=self.location)
        lines = [t("mail.report.accepted", lang, address=a, outcome=outcome) for a in self.accepted]
        lines += [
            t("mail.report.refused", lang, address=a, reason=r) for a, r in self.refused.items()
        ]
        lines += [
            t("mail.report.not_sent", lang, address=a)
            for a in self.attempted
            if a not in self.accepted and a not in self.refused
        ]
        lines += [t("mail.report.skipped", lang, address=a) for a in self.skipped]
        return lines

    def summary(self, lang: str) -> str:
        task_no = self.task_no
        if self.accepted and (self.refused or self.error_key):
            return t(
                "mail.summary.partial",
                lang,
                task_no=task_no,
                accepted=len(self.accepted),
                refused=len(self.refused),
            )
        if self.error_key:
            return t("mail.summary.failed", lang, task_no=task_no, error=self.error(lang))
        if not self.accepted and not self.refused:
            return t("mail.summary.nothing_left", lang, task_no=task_no)
        return t("mail.summary.done", lang, task_no=task_no, count=len(self.accepted))
