"""The records of the procedure (DOMAIN.md §2–§8) as pydantic models.

Field names are the column keys of ``addin.core.schema``; each record remembers the worksheet
row it came from (``row``), so that findings and writes can name it. Orders and order lines are
typed in by staff and may be incomplete until the preliminary check passes, so their business
fields are optional: completeness is a rule of the check (``addin.core.checks``), not a reason
to refuse reading the row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from addin.core.enums import (
    ChangeStatus,
    Channel,
    ComplaintSeverity,
    ComplaintStatus,
    Decision,
    Department,
    Opinion,
    OrderStatus,
    Role,
    TaskOrderStatus,
    TrackKind,
    YesNo,
)

Qty = Annotated[int, Field(ge=0)]
Money = Annotated[Decimal, Field(ge=0)]

# Minor units per currency (ISO 4217); unknown currencies default to 2.
CURRENCY_DECIMALS: dict[str, int] = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0}
DEFAULT_CURRENCY = "CNY"


def currency_decimals(currency: str | None) -> int:
    return CURRENCY_DECIMALS.get((currency or DEFAULT_CURRENCY).upper(), 2)


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=False, frozen=False)

    row: int | None = Field(default=None, exclude=True)


class Order(Record):
    order_no: str
    received_date: date | None = None
    channel: Channel | None = None
    received_by: str | None = None
    customer_code: str | None = None
    customer_name: str | None = None
    contact: str | None = None
    contact_info: str | None = None
    sales_rep: str | None = None
    currency: str | None = None
    quality_req: str | None = None
    packaging_req: str | None = None
    transport_req: str | None = None
    status: OrderStatus | None = None
    status_since: datetime | None = None
    due_date: date | None = None
    version: Qty | None = None
    findings: str | None = None
    released_at: datetime | None = None
    progress: float | None = None
    inspection: str | None = None
    shipped_at: date | None = None
    remarks: str | None = None
    customer_po: str | None = None
    final_report_no: str | None = None

    @property
    def currency_code(self) -> str:
        return (self.currency or DEFAULT_CURRENCY).upper()


class OrderLine(Record):
    order_no: str
    line_no: Annotated[int, Field(ge=1)]
    product_code: str | None = None
    product_name: str | None = None
    spec: str | None = None
    quantity: Annotated[int, Field(gt=0)] | None = None
    unit_price: Money | None = None
    delivery_date: date | None = None
    delivery_place: str | None = None
    produced_qty: Qty | None = None
    passed_qty: Qty | None = None
    shipped_qty: Qty | None = None
    delivered_qty: Qty | None = None
    promised_date: date | None = None

    @field_validator("unit_price")
    @classmethod
    def _price_precision(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        # The order's currency comes in the validation context (see addin.core.parse).
        currency = (info.context or {}).get("currency")
        if value is not None and decimal_places(value) > currency_decimals(currency):
            raise ValueError(f"precision:{currency_decimals(currency)}")
        return value


class Customer(Record):
    customer_code: str
    name: str
    contact: str | None = None
    contact_info: str | None = None
    address: str | None = None
    credit_limit: Money | None = None
    currency: str | None = None
    active: YesNo = YesNo.YES


class Product(Record):
    product_code: str
    name: str
    spec: str | None = None
    product_group: str | None = None
    unit: str | None = None
    list_price: Money | None = None
    price_floor: Money | None = None
    lot_size: Annotated[int, Field(ge=1)] | None = None
    min_qty: Qty | None = None
    lead_time_days: Qty | None = None
    active: YesNo = YesNo.YES


class Capacity(Record):
    product_group: str
    week_start: date
    capacity_qty: Qty


class Review(Record):
    order_no: str
    round: Annotated[int, Field(ge=1)]
    department: Department
    points: str | None = None
    decision: Decision | None = None
    reviewer: str | None = None
    comment: str | None = None
    decided_at: datetime | None = None


class ChangeOpinion(Record):
    change_no: str
    order_no: str
    department: Department
    points: str | None = None
    opinion: Opinion | None = None
    reviewer: str | None = None
    comment: str | None = None
    decided_at: datetime | None = None


class TaskOrder(Record):
    task_no: str
    order_no: str
    line_no: int | None = None
    revision: Annotated[int, Field(ge=1)] = 1
    batch: str | None = None
    product_code: str | None = None
    product_name: str | None = None
    spec: str | None = None
    quantity: Qty | None = None
    due_date: date | None = None
    quality_req: str | None = None
    packaging_req: str | None = None
    transport_req: str | None = None
    notes: str | None = None
    distribution: str | None = None
    status: TaskOrderStatus = TaskOrderStatus.CURRENT
    issued_at: datetime | None = None
    issued_by: str | None = None
    file: str | None = None
    sent_at: datetime | None = None
    sent_to: str | None = None
    sent_via: str | None = None


class TrackingEntry(Record):
    order_no: str
    line_no: int | None = None
    kind: TrackKind
    date: date
    quantity: Qty | None = None
    passed_qty: Qty | None = None
    rejected_qty: Qty | None = None
    cause: str | None = None
    measures: str | None = None
    expected_date: date | None = None
    carrier: str | None = None
    recorded_by: str | None = None
    recorded_at: datetime | None = None
    remarks: str | None = None


class ChangeRequest(Record):
    change_no: str
    order_no: str
    requested_by: Department
    requester: str | None = None
    requested_at: datetime | None = None
    reason: str
    content: str
    impact: str | None = None
    status: ChangeStatus = ChangeStatus.REQUESTED
    necessity: str | None = None
    feasibility: str | None = None
    impact_delivery: str | None = None
    impact_cost: str | None = None
    impact_quality: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_comment: str | None = None
    version: int | None = None
    date_reason: str | None = None


class OrderVersion(Record):
    order_no: str
    version: int
    change_no: str | None = None
    line_no: int | None = None
    field: str
    old_value: str | None = None
    new_value: str | None = None
    changed_at: datetime | None = None
    changed_by: str | None = None


class Complaint(Record):
    complaint_no: str
    order_no: str | None = None
    date: date
    customer_code: str | None = None
    description: str | None = None
    severity: ComplaintSeverity | None = None
    status: ComplaintStatus = ComplaintStatus.OPEN
    closed_date: date | None = None


class LedgerEntry(Record):
    seq: int
    time: datetime
    user: str
    order_no: str | None = None
    action: str
    status_before: str | None = None
    status_after: str | None = None
    details: str | None = None
    hash: str
    digest: str | None = None


class Setting(Record):
    key: str
    value: str | None = None
    note: str | None = None


class StaffMember(Record):
    name: str
    department: Department
    role: Role = Role.STAFF
    email: str | None = None
    active: YesNo = YesNo.YES


class TimeLimit(Record):
    stage: str
    days: Qty


class DeptMail(Record):
    department: Department
    emails: str | None = None


MODELS: dict[str, type[Record]] = {
    "orders": Order,
    "lines": OrderLine,
    "customers": Customer,
    "products": Product,
    "capacity": Capacity,
    "reviews": Review,
    "task_orders": TaskOrder,
    "tracking": TrackingEntry,
    "changes": ChangeRequest,
    "change_reviews": ChangeOpinion,
    "versions": OrderVersion,
    "complaints": Complaint,
    "ledger": LedgerEntry,
    "settings": Setting,
    "staff": StaffMember,
    "time_limits": TimeLimit,
    "dept_mail": DeptMail,
}
