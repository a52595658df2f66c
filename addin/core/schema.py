"""The master workbook's layout: its tables, their columns and the kind of each column.

Pure data, no Excel: the file store, the xlwings store and ``orderdesk init`` all read it.
Every table is an Excel table (ListObject) whose name (``OD_...``) never changes with the
display language; sheet titles and column headers come from the message catalogue
(``sheet.<table>``, ``col.<table>.<column>``) in the workbook's language. The stores map headers
back to column keys in either language, so the code never depends on the display language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from addin.core import enums
from addin.i18n import t

# 2: the columns listed in addin.core.schema_history.ADDED_IN[2].
SCHEMA_VERSION = 2


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"
    ENUM = "enum"
    CUSTOMER = "customer"  # a customer code: drop-down from the customers table
    PRODUCT = "product"  # a product code: drop-down from the products table


NUMBER_FORMATS: dict[Kind, str] = {
    Kind.INT: "#,##0",
    Kind.MONEY: "#,##0.00",
    Kind.PERCENT: "0%",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
    Kind.TEXT: "@",
}


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind = Kind.TEXT
    width: int = 14
    enum: type[enums.LabelledEnum] | None = None

    def label(self, table: str, lang: str) -> str:
        return t(f"col.{table}.{self.key}", lang)


@dataclass(frozen=True)
class Table:
    key: str
    name: str  # the ListObject name, the same in every language
    sheet: str  # the sheet's key: several tables may share a sheet (settings)
    columns: tuple[Column, ...]
    first_column: int = 1  # 1-based column of the table's first column on its sheet
    keys: tuple[str, ...] = field(default=())  # columns that identify a row

    def column(self, key: str) -> Column:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"{self.key}.{key}") from None

    # Cached: every cell parsed asks for its column (a whole-table read asks ~10^6 times).
    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @cached_property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def sheet_title(self, lang: str) -> str:
        return t(f"sheet.{self.sheet}", lang)


def _c(key: str, kind: Kind = Kind.TEXT, width: int = 14, enum=None) -> Column:
    return Column(key, kind, width, enum)


E = enums
ORDERS = Table(
    "orders",
    "OD_Orders",
    "orders",
    (
        _c("order_no", width=16),
        _c("received_date", Kind.DATE, 12),
        _c("channel", Kind.ENUM, 10, E.Channel),
        _c("received_by", width=10),
        _c("customer_code", Kind.CUSTOMER, 12),
        _c("customer_name", width=24),
        _c("contact", width=10),
        _c("contact_info", width=18),
        _c("sales_rep", width=10),
        _c("currency", width=8),
        _c("quality_req", width=22),
        _c("packaging_req", width=18),
        _c("transport_req", width=18),
        _c("status", Kind.ENUM, 12, E.OrderStatus),
        _c("status_since", Kind.DATETIME, 16),
        _c("due_date", Kind.DATE, 12),
        _c("version", Kind.INT, 8),
        _c("findings", width=40),
        _c("released_at", Kind.DATETIME, 16),
        _c("progress", Kind.PERCENT, 9),
        _c("inspection", width=14),
        _c("shipped_at", Kind.DATE, 12),
        _c("remarks", width=24),
        _c("customer_po", width=16),  # the customer's PO / contract number
        _c("final_report_no", width=16),  # the final inspection report closing needs (§8)
    ),
    keys=("order_no",),
)

LINES = Table(
    "lines",
    "OD_Lines",
    "lines",
    (
        _c("order_no", width=16),
        _c("line_no", Kind.INT, 8),
        _c("product_code", Kind.PRODUCT, 12),
        _c("product_name", width=20),
        _c("spec", width=16),
        _c("quantity", Kind.INT, 10),
        _c("unit_price", Kind.MONEY, 12),
        _c("delivery_date", Kind.DATE, 12),
        _c("delivery_place", width=20),
        _c("produced_qty", Kind.INT, 10),
        _c("passed_qty", Kind.INT, 10),
        _c("shipped_qty", Kind.INT, 10),
        _c("delivered_qty", Kind.INT, 10),
        _c("promised_date", Kind.DATE, 12),  # the delivery date confirmed at review passed
    ),
    keys=("order_no", "line_no"),
)

CUSTOMERS = Table(
    "customers",
    "OD_Customers",
    "customers",
    (
        _c("customer_code", width=12),
        _c("name", width=28),
        _c("contact", width=10),
        _c("contact_info", width=18),
        _c("address", width=30),
        _c("credit_limit", Kind.MONEY, 14),
        _c("currency", width=8),
        _c("active", Kind.ENUM, 8, E.YesNo),
    ),
    keys=("customer_code",),
)

PRODUCTS = Table(
    "products",
    "OD_Products",
    "products",
    (
        _c("product_code", width=12),
        _c("name", width=20),
        _c("spec", width=16),
        _c("product_group", width=12),
        _c("unit", width=6),
        _c("list_price", Kind.MONEY, 12),
        _c("price_floor", Kind.MONEY, 12),
        _c("lot_size", Kind.INT, 9),
        _c("min_qty", Kind.INT, 9),
        _c("lead_time_days", Kind.INT, 10),
        _c("active", Kind.ENUM, 8, E.YesNo),
    ),
    keys=("product_code",),
)

CAPACITY = Table(
    "capacity",
    "OD_Capacity",
    "capacity",
    (
        _c("product_group", width=12),
        _c("week_start", Kind.DATE, 12),
        _c("capacity_qty", Kind.INT, 12),
    ),
    keys=("product_group", "week_start"),
)

REVIEWS = Table(
    "reviews",
    "OD_Reviews",
    "reviews",
    (
        _c("order_no", width=16),
        _c("round", Kind.INT, 6),
        _c("department", Kind.ENUM, 10, E.Department),
        _c("points", width=40),
        _c("decision", Kind.ENUM, 10, E.Decision),
        _c("reviewer", width=10),
        _c("comment", width=36),
        _c("decided_at", Kind.DATETIME, 16),
    ),
    keys=("order_no", "round", "department"),
)

TASK_ORDERS = Table(
    "task_orders",
    "OD_TaskOrders",
    "task_orders",
    (
        _c("task_no", width=18),
        _c("order_no", width=16),
        _c("line_no", Kind.INT, 6),
        _c("revision", Kind.INT, 6),
        _c("batch", width=14),
        _c("product_code", Kind.PRODUCT, 12),
        _c("product_name", width=18),
        _c("spec", width=14),
        _c("quantity", Kind.INT, 10),
        _c("due_date", Kind.DATE, 12),
        _c("quality_req", width=22),
        _c("packaging_req", width=16),
        _c("transport_req", width=16),
        _c("notes", width=30),
        _c("distribution", width=24),
        _c("status", Kind.ENUM, 10, E.TaskOrderStatus),
        _c("issued_at", Kind.DATETIME, 16),
        _c("issued_by", width=10),
        _c("file", width=30),
        _c("sent_at", Kind.DATETIME, 16),
        _c("sent_to", width=30),
        _c("sent_via", width=8),
    ),
    keys=("task_no", "revision"),
)

TRACKING = Table(
    "tracking",
    "OD_Tracking",
    "tracking",
    (
        _c("order_no", width=16),
        _c("line_no", Kind.INT, 6),
        _c("kind", Kind.ENUM, 10, E.TrackKind),
        _c("date", Kind.DATE, 12),
        _c("quantity", Kind.INT, 10),
        _c("passed_qty", Kind.INT, 10),
        _c("rejected_qty", Kind.INT, 10),
        _c("cause", width=24),
        _c("measures", width=24),
        _c("expected_date", Kind.DATE, 12),
        _c("carrier", width=12),
        _c("recorded_by", width=10),
        _c("recorded_at", Kind.DATETIME, 16),
        _c("remarks", width=20),
    ),
)

CHANGES = Table(
    "changes",
    "OD_Changes",
    "changes",
    (
        _c("change_no", width=16),
        _c("order_no", width=16),
        _c("requested_by", Kind.ENUM, 10, E.Department),
        _c("requester", width=10),
        _c("requested_at", Kind.DATETIME, 16),
        _c("reason", width=28),
        _c("content", width=30),
        _c("impact", width=24),
        _c("status", Kind.ENUM, 10, E.ChangeStatus),
        _c("necessity", width=20),
        _c("feasibility", width=20),
        _c("impact_delivery", width=20),
        _c("impact_cost", width=20),
        _c("impact_quality", width=20),
        _c("reviewed_by", width=10),
        _c("reviewed_at", Kind.DATETIME, 16),
        _c("decided_by", width=10),
        _c("decided_at", Kind.DATETIME, 16),
        _c("decision_comment", width=24),
        _c("version", Kind.INT, 8),
        _c("date_reason", width=24),  # why a delivery date moves into the past
    ),
    keys=("change_no",),
)

VERSIONS = Table(
    "versions",
    "OD_Versions",
    "versions",
    (
        _c("order_no", width=16),
        _c("version", Kind.INT, 8),
        _c("change_no", width=16),
        _c("line_no", Kind.INT, 6),
        _c("field", width=16),
        _c("old_value", width=20),
        _c("new_value", width=20),
        _c("changed_at", Kind.DATETIME, 16),
        _c("changed_by", width=10),
    ),
)

COMPLAINTS = Table(
    "complaints",
    "OD_Complaints",
    "complaints",
    (
        _c("complaint_no", width=14),
        _c("order_no", width=16),
        _c("date", Kind.DATE, 12),
        _c("customer_code", Kind.CUSTOMER, 12),
        _c("description", width=40),
        _c("severity", Kind.ENUM, 10, E.ComplaintSeverity),
        _c("status", Kind.ENUM, 10, E.ComplaintStatus),
        _c("closed_date", Kind.DATE, 12),
    ),
    keys=("complaint_no",),
)

LEDGER = Table(
    "ledger",
    "OD_Ledger",
    "ledger",
    (
        _c("seq", Kind.INT, 8),
        _c("time", Kind.DATETIME, 18),
        _c("user", width=12),
        _c("order_no", width=16),
        _c("action", width=16),
        _c("status_before", width=12),
        _c("status_after", width=12),
        _c("details", width=50),
        _c("hash", width=20),
        _c("digest", width=30),  # the controlled fields of the rows the action wrote
    ),
)

SETTINGS = Table(
    "settings",
    "OD_Settings",
    "settings",
    (_c("key", width=22), _c("value", width=28), _c("note", width=36)),
    keys=("key",),
)
STAFF = Table(
    "staff",
    "OD_Staff",
    "settings",
    (
        _c("name", width=12),
        _c("department", Kind.ENUM, 10, E.Department),
        _c("role", Kind.ENUM, 10, E.Role),
        _c("email", width=26),
        _c("active", Kind.ENUM, 8, E.YesNo),
    ),
    first_column=5,
    keys=("name",),
)
TIME_LIMITS = Table(
    "time_limits",
    "OD_TimeLimits",
    "settings",
    (_c("stage", width=16), _c("days", Kind.INT, 8)),
    first_column=10,
    keys=("stage",),
)
DEPT_MAIL = Table(
    "dept_mail",
    "OD_DeptMail",
    "settings",
    (_c("department", Kind.ENUM, 10, E.Department), _c("emails", width=40)),
    first_column=13,
    keys=("department",),
)

CHANGE_REVIEWS = Table(
    "change_reviews",
    "OD_ChangeReviews",
    "change_reviews",
    (
        _c("change_no", width=18),
        _c("order_no", width=16),
        _c("department", Kind.ENUM, 10, E.Department),
        _c("points", width=30),
        _c("opinion", Kind.ENUM, 12, E.Opinion),
        _c("reviewer", width=10),
        _c("comment", width=36),
        _c("decided_at", Kind.DATETIME, 16),
    ),
    keys=("change_no", "department"),
)

TABLES: dict[str, Table] = {
    tbl.key: tbl
    for tbl in (
        ORDERS,
        LINES,
        CUSTOMERS,
        PRODUCTS,
        CAPACITY,
        REVIEWS,
        TASK_ORDERS,
        TRACKING,
        CHANGES,
        CHANGE_REVIEWS,
        VERSIONS,
        COMPLAINTS,
        LEDGER,
        SETTINGS,
        STAFF,
        TIME_LIMITS,
        DEPT_MAIL,
    )
}

# Tables whose rows name an order, in the order of TABLES.
ORDER_TABLES: tuple[str, ...] = tuple(
    key for key, table in TABLES.items() if "order_no" in table.column_keys
)

# Sheets in workbook order; "dashboard" (tiles and charts) and "analysis" (the statistics in
# full) hold no table: a refresh of the statistics writes them.
SHEETS: tuple[str, ...] = (
    "orders",
    "lines",
    "customers",
    "products",
    "capacity",
    "reviews",
    "task_orders",
    "tracking",
    "changes",
    "change_reviews",
    "versions",
    "complaints",
    "ledger",
    "dashboard",
    "analysis",
    "settings",
)

# Defined names the workbook carries (read by the stores and by the add-in's VBA for labels).
NAME_SCHEMA_VERSION = "OrderDesk_SchemaVersion"
NAME_LANG = "OrderDesk_Lang"
