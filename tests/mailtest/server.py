"""A real SMTP server on loopback (aiosmtpd) with TLS and login, for the mail tests."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"
USER = "orders@example.com"
PASSWORD = "s3cret-Pässword"
PASSWORD_ENV = "ORDERDESK_TEST_SMTP_PASSWORD"


def make_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A server certificate for localhost and 127.0.0.1: (cert.pem, key.pem, the CA to trust).

    ``openssl req`` (self-signed: the CA is the certificate) when the openssl tool is there,
    else the trustme package.
    """
    cert, key = folder / "cert.pem", folder / "key.pem"
    if shutil.which("openssl"):
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        return cert, key, cert
    import trustme  # the only other way: fail loudly if neither is there

    ca = trustme.CA()
    issued = ca.issue_cert("localhost", HOST)
    issued.private_key_pem.write_to_path(str(key))
    issued.cert_chain_pems[0].write_to_path(str(cert))
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    return cert, key, folder / "ca.pem"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.content)  # type: ignore[return-value]


@dataclass
class MailServer:
    """The running server: what it received, and what it should refuse."""

    port: int
    ca_file: Path
    security: str
    received: list[Received] = field(default_factory=list)
    refuse_rcpt: dict[str, str] = field(default_factory=dict)  # address -> SMTP answer
    refuse_data: str = ""  # an SMTP answer to DATA, when set

    def settings(self, **changes: Any):
        from addin.mail import MailSettings

        values: dict[str, Any] = {
            "transport": "smtp",
            "host": HOST,
            "port": self.port,
            "security": self.security,
            "user": USER,
            "password_env": PASSWORD_ENV,
            "sender": USER,
            "ca_file": str(self.ca_file),
            "timeout": 10,
        }
        values.update(changes)
        return MailSettings(**values)


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.server.refuse_rcpt.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.server.refuse_data:
            return self.server.refuse_data
        self.server.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 Message accepted for delivery"


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)  # let the server answer 535 itself


@contextlib.contextmanager
def running_server(cert: Path, key: Path, security: str, ca_file: Path) -> Iterator[MailServer]:
    """Serve SMTP on loopback: ``starttls`` (STARTTLS required before login), ``tls`` (implicit
    TLS) or ``plain`` (no TLS offered at all). Login is always required."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mail = MailServer(free_port(), ca_file, security if security != "plain" else "starttls")
    options: dict[str, Any] = {"authenticator": _authenticate, "auth_required": True}
    if security == "starttls":
        options.update(tls_context=context, require_starttls=True)
    elif security == "tls":
        # aiosmtpd counts only STARTTLS as TLS when deciding to offer AUTH
        options.update(ssl_context=context, auth_require_tls=False)
    controller = Controller(_Handler(mail), hostname=HOST, port=mail.port, **options)
    controller.start()
    try:
        yield mail
    finally:
        controller.stop()
