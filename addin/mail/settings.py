"""Mail settings: the transport and how to reach it, read from the settings sheet's values.

The password is never a setting: it comes from the environment variable the settings name, or
from the operating system's keyring (the optional ``keyring`` package). The workbook may name
only a variable of ours (``ORDERDESK_*``): whoever edits it must not get any other secret of the
environment mailed to a server of their choice. For the same reason the password is given only
to an SMTP server that this machine's environment names (``ORDERDESK_SMTP_HOSTS``), never to one the
workbook alone names.
"""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from addin.mail.result import MailError

Transport = Literal["smtp", "eml", "outlook"]
Security = Literal["starttls", "tls", "none"]

DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "tls": 465, "none": 25}

# settings-sheet key -> MailSettings field. The first eight are in the default settings sheet;
# the others are optional rows a site may add.
SETTING_KEYS: dict[str, str] = {
    "mail_transport": "transport",
    "mail_from": "sender",
    "smtp_host": "host",
    "smtp_port": "port",
    "smtp_security": "security",
    "smtp_user": "user",
    "smtp_password_env": "password_env",
    "eml_dir": "eml_dir",
    "smtp_keyring_service": "keyring_service",
    "smtp_ca_file": "ca_file",
    "smtp_timeout": "timeout",
    "outlook_mode": "outlook_mode",
}
# rows that would put a password in the workbook
_PASSWORD_KEYS = ("smtp_password", "mail_password", "password")
# the only environment variables the settings may name for the password
PASSWORD_ENV_NAME = re.compile(r"ORDERDESK_[A-Z0-9_]+")
# the SMTP servers this machine may log in to (comma separated), set by IT, not by the workbook
TRUSTED_HOSTS_ENV = "ORDERDESK_SMTP_HOSTS"


def trusted_hosts() -> frozenset[str]:
    raw = os.environ.get(TRUSTED_HOSTS_ENV, "")
    return frozenset(h.strip().lower() for h in raw.split(",") if h.strip())


class MailSettings(BaseModel):
    """How task orders are mailed. ``port`` None means the usual port for ``security``."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    transport: Transport = "eml"
    host: str = ""
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Security = "starttls"
    user: str = ""
    password_env: str = ""
    keyring_service: str = ""
    sender: str = ""
    eml_dir: str = ""  # blank: beside the task-order file
    ca_file: str = ""  # an extra CA to trust, e.g. a company-internal server's
    timeout: float = Field(default=30.0, gt=0)
    outlook_mode: Literal["draft", "send"] = "draft"

    @field_validator("transport", "security", "outlook_mode", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("password_env")
    @classmethod
    def _ours(cls, value: str) -> str:
        if value and not PASSWORD_ENV_NAME.fullmatch(value):
            raise ValueError(f"only a variable named ORDERDESK_... may hold the password: {value}")
        return value

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]

    @classmethod
    def from_settings(
        cls, values: Mapping[str, object], base_dir: Path | str | None = None
    ) -> MailSettings:
        """Build from the settings sheet's key/value pairs (see :data:`SETTING_KEYS`).

        Blank values take the defaults; relative ``eml_dir`` and ``smtp_ca_file`` are taken from
        ``base_dir`` (the master workbook's folder). Raises :class:`MailError` on a value that is
        not valid, and when the sheet holds a password.
        """
        for key in _PASSWORD_KEYS:
            if str(values.get(key) or "").strip():
                raise MailError("mail.error.password_in_workbook", key=key)
        name = str(values.get("smtp_password_env") or "").strip()
        if name and not PASSWORD_ENV_NAME.fullmatch(name):
            raise MailError("mail.error.password_env", key="smtp_password_env", name=name)
        fields: dict[str, object] = {}
        for key, name in SETTING_KEYS.items():
            value = values.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if isinstance(value, float) and value.is_integer() and name == "port":
                value = int(value)  # Excel hands numbers back as floats
            if name in ("eml_dir", "ca_file") and base_dir is not None:
                value = str(Path(base_dir, str(value).strip()))
            fields[name] = value if name in ("port", "timeout") else str(value)
        try:
            return cls(**fields)
        except ValidationError as exc:
            error = exc.errors()[0]
            name = str(error["loc"][0]) if error["loc"] else ""
            key = next((k for k, n in SETTING_KEYS.items() if n == name), name)
            raise MailError("mail.error.bad_setting", key=key, reason=error["msg"]) from None

    def host_trusted(self) -> bool:
        """Whether the environment names this server as one the password may be sent to."""
        return self.host.strip().lower() in trusted_hosts()

    def password(self) -> str | None:
        """The login password: the environment variable first, then the keyring; None if neither
        has one. Raises :class:`MailError` when the keyring itself fails."""
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value:
                return value
        if not self.keyring_service:
            return None
        try:
            import keyring
        except ImportError:
            return None
        try:
            return keyring.get_password(self.keyring_service, self.user) or None
        except Exception as exc:  # every keyring backend raises its own kind
            raise MailError("mail.error.keyring", reason=str(exc) or type(exc).__name__) from exc

    def ssl_context(self) -> ssl.SSLContext:
        """A verifying TLS context: the system's CAs, plus ``ca_file`` when set."""
        context = ssl.create_default_context()
        if self.ca_file:
            context.load_verify_locations(cafile=self.ca_file)
        return context
