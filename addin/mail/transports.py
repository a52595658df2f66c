"""The ways a message leaves: an SMTP server, an .eml file, or Outlook on Windows.

Each takes a built message and its recipients and returns a :class:`SendResult`; none raises
for a mail problem. A recipient is reported accepted only when the transport took the message
for it: for SMTP, when the server has accepted the whole message.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage
from pathlib import Path

from addin.mail.result import MailError, Outcome, SendResult
from addin.mail.settings import TRUSTED_HOSTS_ENV, MailSettings
from workbook.task_order_file import safe_filename


def _reason(code: int | None, text: bytes | str | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return " ".join(f"{code or ''} {text or ''}".split()) or "-"


def _os_reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def send_smtp(
    message: EmailMessage, recipients: Sequence[str], settings: MailSettings
) -> SendResult:
    """Send ``message`` to ``recipients`` in one SMTP transaction (TLS and login per settings)."""
    result = SendResult(
        Outcome.SENT, attempted=list(recipients), message_id=str(message["Message-ID"] or "")
    )

    def fail(key: str, **params: object) -> SendResult:
        result.error_key, result.error_params = key, params
        return result

    host, port = settings.host, settings.effective_port
    if not host:
        return fail("mail.error.no_host")
    if not settings.sender:
        return fail("mail.error.no_sender")
    password = None
    if settings.user:
        if settings.security == "none":
            return fail("mail.error.login_needs_tls")
        if not settings.host_trusted():
            return fail("mail.error.host_not_trusted", host=host, env=TRUSTED_HOSTS_ENV)
        try:
            password = settings.password()
        except MailError as exc:
            return fail(exc.key, **exc.params)
        if not password:
            return fail(
                "mail.error.no_password",
                user=settings.user,
                env=settings.password_env or "-",
                service=settings.keyring_service or "-",
            )
    try:
        context = settings.ssl_context() if settings.security != "none" else None
    except OSError as exc:  # ssl.SSLError too: an unreadable or invalid ca_file
        return fail("mail.error.tls", host=host, reason=_os_reason(exc))

    try:
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(host, port, timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=settings.timeout)
    except ssl.SSLError as exc:
        return fail("mail.error.tls", host=host, reason=_os_reason(exc))
    except smtplib.SMTPResponseException as exc:  # a greeting other than 220
        return fail("mail.error.unreachable", host=host, port=port, reason=_reason(*exc.args))
    except OSError as exc:  # refused, timed out, unknown host; SMTPServerDisconnected too
        return fail("mail.error.unreachable", host=host, port=port, reason=_os_reason(exc))

    try:
        if settings.security == "starttls":
            client.ehlo()
            if not client.has_extn("starttls"):
                return fail("mail.error.starttls_unsupported", host=host)
            client.starttls(context=context)
            client.ehlo()
        client.ehlo_or_helo_if_needed()  # the features (AUTH) are known only after EHLO
        if settings.user:
            if not client.has_extn("auth"):
                return fail("mail.error.auth_unsupported", host=host)
            _login(client, settings.user, password or "")
        refused = client.send_message(message, from_addr=settings.sender, to_addrs=list(recipients))
    except smtplib.SMTPAuthenticationError as exc:
        return fail("mail.error.login_refused", user=settings.user, reason=_reason(*exc.args))
    except smtplib.SMTPSenderRefused as exc:
        return fail(
            "mail.error.sender_refused",
            sender=settings.sender,
            reason=_reason(exc.smtp_code, exc.smtp_error),
        )
    except smtplib.SMTPRecipientsRefused as exc:
        result.refused = {addr: _reason(*answer) for addr, answer in exc.recipients.items()}
        return fail("mail.error.all_refused")
    except smtplib.SMTPDataError as exc:
        return fail("mail.error.data_refused", reason=_reason(*exc.args))
    except smtplib.SMTPResponseException as exc:
        return fail("mail.error.smtp", reason=_reason(*exc.args))
    except ssl.SSLError as exc:
        return fail("mail.error.tls", host=host, reason=_os_reason(exc))
    except OSError as exc:  # SMTPServerDisconnected, a timeout, a reset connection
        return fail("mail.error.disconnected", reason=_os_reason(exc))
    finally:
        _close(client)

    result.refused = {addr: _reason(*answer) for addr, answer in refused.items()}
    result.accepted = [r for r in recipients if r not in refused]
    return result


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; smtplib sends only ASCII, so a non-ASCII name or password goes as AUTH PLAIN in
    UTF-8 (RFC 4616)."""
    if (user + password).isascii():
        client.login(user, password)
        return
    if "PLAIN" not in client.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPAuthenticationError(504, b"non-ASCII login needs AUTH PLAIN")
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    code, answer = client.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def write_eml(
    message: EmailMessage, recipients: Sequence[str], out_dir: Path | str, stem: str
) -> SendResult:
    """Write ``message`` to ``out_dir/<stem>.eml`` (``<stem> (2).eml``... if taken).

    The file is marked unsent (``X-Unsent: 1``): Outlook opens it as a message ready to send;
    other mail clients open it as a message to forward or "edit as new".
    """
    result = SendResult(
        Outcome.WRITTEN, attempted=list(recipients), message_id=str(message["Message-ID"] or "")
    )
    if "X-Unsent" not in message:
        message["X-Unsent"] = "1"
    folder = Path(out_dir)
    data = message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as mail files have
    base = safe_filename(stem, max_bytes=100)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        number = 1
        while True:
            path = folder / f"{base}{'' if number == 1 else f' ({number})'}.eml"
            try:
                with path.open("xb") as handle:
                    handle.write(data)
                break
            except FileExistsError:
                number += 1
    except OSError as exc:
        result.error_key = "mail.error.eml_write"
        result.error_params = {"dir": str(folder), "reason": _os_reason(exc)}
        return result
    result.accepted = list(recipients)
    result.location = str(path)
    return result


def send_outlook(
    message: EmailMessage,
    recipients: Sequence[str],
    settings: MailSettings,
    attachments: Sequence[Path | str],
) -> SendResult:
    """Create the message in Outlook through COM: saved as a draft, or sent (``outlook_mode``).

    Thin and untested against a real Outlook (no Windows here): it uses only the long-stable
    MailItem calls (CreateItem, To, Subject, Body, Attachments.Add, Save, Send). Outlook sends
    from its default account; ``mail_from`` is not applied.
    """
    outcome = Outcome.QUEUED if settings.outlook_mode == "send" else Outcome.DRAFT
    result = SendResult(
        outcome, attempted=list(recipients), message_id=str(message["Message-ID"] or "")
    )
    try:
        import pythoncom
        import win32com.client
    except ImportError:
        result.error_key = "mail.error.outlook_unavailable"
        return result
    try:
        pythoncom.CoInitialize()  # needed on any thread but the main one; harmless on it
        outlook = win32com.client.Dispatch("Outlook.Application")
        item = outlook.CreateItem(0)  # olMailItem
        item.To = "; ".join(recipients)
        item.Subject = str(message["Subject"])
        item.Body = message.get_body(("plain",)).get_content()
        for attachment in attachments:
            item.Attachments.Add(str(Path(attachment).resolve()))
        if outcome is Outcome.QUEUED:
            item.Send()
        else:
            item.Save()
    except Exception as exc:  # pywintypes.com_error and whatever Outlook raises
        result.error_key = "mail.error.outlook_failed"
        result.error_params = {"reason": _os_reason(exc)}
        return result
    result.accepted = list(recipients)
    return result
