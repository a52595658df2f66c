"""Closed lists of the procedure: order status, channel, department, decisions, kinds.

Each enum's value is the language-independent key stored by the code; its zh and en labels come
from the message catalogue (``enum.<Enum>.<value>``) and are what the workbook's cells show.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from addin.i18n import t


class LabelledEnum(StrEnum):
    """A StrEnum whose members have zh/en labels in the catalogue."""

    def label(self, lang: str) -> str:
        return t(f"enum.{type(self).__name__}.{self.value}", lang)

    @classmethod
    def parse(cls, text: object) -> LabelledEnum:
        """Accept the key or the label in either language; raise ValueError otherwise."""
        if isinstance(text, cls):
            return text
        raw = str(text).strip()
        lookup = _lookup(cls)
        if raw.lower() in lookup:
            return lookup[raw.lower()]
        raise ValueError(raw)

    @classmethod
    def parse_or_none(cls, text: object) -> Self | None:
        """Like :meth:`parse`, but None for a blank or unknown text (a ledger cell, say)."""
        if text is None or str(text).strip() == "":
            return None
        try:
            return cls.parse(text)  # type: ignore[return-value]
        except ValueError:
            return None

    @classmethod
    def labels(cls, lang: str) -> list[str]:
        return [m.label(lang) for m in cls]


_LOOKUPS: dict[type, dict[str, LabelledEnum]] = {}


def _lookup(cls: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    table = _LOOKUPS.get(cls)
    if table is None:
        table = {}
        for member in cls:
            table[member.value.lower()] = member
            table[member.label("zh").lower()] = member
            table[member.label("en").lower()] = member
        _LOOKUPS[cls] = table
    return table


class OrderStatus(LabelledEnum):
    RECEIVED = "received"
    NEEDS_INFO = "needs_info"
    CHECKED = "checked"
    IN_REVIEW = "in_review"
    NEGOTIATING = "negotiating"
    REJECTED = "rejected"
    REVIEW_PASSED = "review_passed"
    RELEASED = "released"
    IN_PRODUCTION = "in_production"
    INSPECTED = "inspected"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    CLOSED = "closed"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset(OrderStatus) - {OrderStatus.CLOSED, OrderStatus.CANCELLED}


class Channel(LabelledEnum):
    WRITTEN = "written"
    EMAIL = "email"
    FAX = "fax"
    PHONE = "phone"


class Department(LabelledEnum):
    ORDER_MGMT = "order_mgmt"
    SALES = "sales"
    PRODUCTION = "production"
    TECHNICAL = "technical"
    QUALITY = "quality"
    PURCHASING = "purchasing"
    CUSTOMER = "customer"


REVIEW_DEPARTMENTS: tuple[Department, ...] = (
    Department.SALES,
    Department.PRODUCTION,
    Department.TECHNICAL,
    Department.QUALITY,
    Department.PURCHASING,
)


class Role(LabelledEnum):
    STAFF = "staff"
    MANAGER = "manager"
    DIRECTOR = "director"


class Decision(LabelledEnum):
    PASS = "pass"
    CONDITIONAL = "conditional"
    REJECT = "reject"


class Opinion(LabelledEnum):
    """A concerned department's opinion of a change request (§7)."""

    AGREE = "agree"
    CONDITIONAL = "conditional"
    DISAGREE = "disagree"


class TrackKind(LabelledEnum):
    PRODUCTION = "production"
    INSPECTION = "inspection"
    MATERIAL = "material"
    SHIPMENT = "shipment"
    DELIVERY = "delivery"
    ACCEPTANCE = "acceptance"
    DELAY = "delay"
    RECOVERY = "recovery"
    RETURN = "return"  # goods the customer rejected on delivery, back for rework


class ChangeStatus(LabelledEnum):
    REQUESTED = "requested"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    REJECTED = "rejected"


class TaskOrderStatus(LabelledEnum):
    CURRENT = "current"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


class ComplaintSeverity(LabelledEnum):
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class ComplaintStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"


class YesNo(LabelledEnum):
    YES = "yes"
    NO = "no"
