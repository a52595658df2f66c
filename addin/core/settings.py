"""The settings sheet as typed values, and its defaults for a new master workbook."""

from __future__ import annotations

from dataclasses import dataclass, field

from addin.core.enums import Department, Role, YesNo
from addin.core.models import DeptMail, Setting, StaffMember, TimeLimit

# key, default value. Notes come from the catalogue (setting.<key>).
DEFAULT_SETTINGS: tuple[tuple[str, str], ...] = (
    ("company", "示例制造有限公司"),
    ("currency", "CNY"),
    ("credit_check", "yes"),
    ("change_approver_roles", "manager,director"),
    ("holidays", ""),
    ("task_order_dir", "task-orders"),
    ("mail_transport", "eml"),
    ("mail_from", "orders@example.com"),
    ("smtp_host", "localhost"),
    ("smtp_port", "587"),
    ("smtp_security", "starttls"),
    ("smtp_user", ""),
    ("smtp_password_env", "ORDERDESK_SMTP_PASSWORD"),
    ("smtp_keyring_service", ""),
    ("smtp_ca_file", ""),
    ("smtp_timeout", "30"),
    ("outlook_mode", "draft"),
    ("eml_dir", "outbox"),
    ("exchange_rates", ""),  # see addin.core.currencies
    ("ledger_head", ""),  # maintained by OrderDesk: the ledger's last seq and hash
    ("master_data_roles", "manager,director"),
    ("archive_after_months", "12"),  # closed orders older than this move to the archives
)

# Stage → working days allowed (DOMAIN §1 time nodes); stage keys name the status reached.
DEFAULT_TIME_LIMITS: tuple[tuple[str, int], ...] = (
    ("check", 1),  # received → checked
    ("review", 3),  # checked → review passed
    ("release", 1),  # review passed → released
    ("change_review", 2),  # change requested → decided
)


@dataclass
class Settings:
    values: dict[str, str] = field(default_factory=dict)
    staff: list[StaffMember] = field(default_factory=list)
    time_limits: dict[str, int] = field(default_factory=dict)
    dept_mail: dict[Department, list[str]] = field(default_factory=dict)

    @classmethod
    def from_records(
        cls,
        settings: list[Setting],
        staff: list[StaffMember],
        limits: list[TimeLimit],
        mails: list[DeptMail],
    ) -> Settings:
        values = dict(DEFAULT_SETTINGS)
        values.update({s.key: s.value or "" for s in settings})
        time_limits = dict(DEFAULT_TIME_LIMITS)
        time_limits.update({tl.stage: tl.days for tl in limits})
        dept_mail = {
            m.department: [
                e.strip() for e in (m.emails or "").replace(",", ";").split(";") if e.strip()
            ]
            for m in mails
        }
        return cls(values, staff, time_limits, dept_mail)

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default) or default

    @property
    def currency(self) -> str:
        return self.get("currency", "CNY").upper()

    @property
    def credit_check(self) -> bool:
        return self.get("credit_check", "yes").lower() in ("yes", "y", "true", "1", "是")

    def member(self, name: str) -> StaffMember | None:
        """The roster's active entry for ``name`` (a deactivated member acts no more)."""
        wanted = name.strip().casefold()
        return next(
            (
                m
                for m in self.staff
                if m.name.strip().casefold() == wanted and m.active == YesNo.YES
            ),
            None,
        )

    def approver_roles(self) -> set[Role]:
        return self.roles("change_approver_roles")

    def master_data_roles(self) -> set[Role]:
        return self.roles("master_data_roles")

    def roles(self, key: str) -> set[Role]:
        """The roles a comma-separated setting names (unknown names are ignored)."""
        roles: set[Role] = set()
        for part in self.get(key).replace(";", ",").split(","):
            if part.strip():
                try:
                    roles.add(Role.parse(part))  # type: ignore[arg-type]
                except ValueError:
                    continue
        return roles
