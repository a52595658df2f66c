"""The frozen copy of the workbook's columns that the database schema is built from.

``addin.core.schema.TABLES`` may change; the database may not change without a migration. So
the SQL schema is built from this list, written by ``python -m workbook.sql.columns --write``
from TABLES, and a test fails when TABLES and this list, or this list and the migrations,
disagree: a schema change then needs both a regenerated list and a new migration.
"""

from __future__ import annotations

import sys
from pathlib import Path

Spec = dict[str, tuple[tuple[str, str], ...]]

# fmt: off
# -- generated: begin ---------------------------------------------------------------------
COLUMNS: Spec = {
    "orders": (
        ("order_no", "text"),
        ("received_date", "date"),
        ("channel", "enum"),
        ("received_by", "text"),
        ("customer_code", "customer"),
        ("customer_name", "text"),
        ("contact", "text"),
        ("contact_info", "text"),
        ("sales_rep", "text"),
        ("currency", "text"),
        ("quality_req", "text"),
        ("packaging_req", "text"),
        ("transport_req", "text"),
        ("status", "enum"),
        ("status_since", "datetime"),
        ("due_date", "date"),
        ("version", "int"),
        ("findings", "text"),
        ("released_at", "datetime"),
        ("progress", "percent"),
        ("inspection", "text"),
        ("shipped_at", "date"),
        ("remarks", "text"),
        ("customer_po", "text"),
        ("final_report_no", "text"),
    ),
    "lines": (
        ("order_no", "text"),
        ("line_no", "int"),
        ("product_code", "product"),
        ("product_name", "text"),
        ("spec", "text"),
        ("quantity", "int"),
        ("unit_price", "money"),
        ("delivery_date", "date"),
        ("delivery_place", "text"),
        ("produced_qty", "int"),
        ("passed_qty", "int"),
        ("shipped_qty", "int"),
        ("delivered_qty", "int"),
        ("promised_date", "date"),
    ),
    "customers": (
        ("customer_code", "text"),
        ("name", "text"),
        ("contact", "text"),
        ("contact_info", "text"),
        ("address", "text"),
        ("credit_limit", "money"),
        ("currency", "text"),
        ("active", "enum"),
    ),
    "products": (
        ("product_code", "text"),
        ("name", "text"),
        ("spec", "text"),
        ("product_group", "text"),
        ("unit", "text"),
        ("list_price", "money"),
        ("price_floor", "money"),
        ("lot_size", "int"),
        ("min_qty", "int"),
        ("lead_time_days", "int"),
        ("active", "enum"),
    ),
    "capacity": (
        ("product_group", "text"),
        ("week_start", "date"),
        ("capacity_qty", "int"),
    ),
    "reviews": (
        ("order_no", "text"),
        ("round", "int"),
        ("department", "enum"),
        ("points", "text"),
        ("decision", "enum"),
        ("reviewer", "text"),
        ("comment", "text"),
        ("decided_at", "datetime"),
    ),
    "task_orders": (
        ("task_no", "text"),
        ("order_no", "text"),
        ("line_no", "int"),
        ("revision", "int"),
        ("batch", "text"),
        ("product_code", "product"),
        ("product_name", "text"),
        ("spec", "text"),
        ("quantity", "int"),
        ("due_date", "date"),
        ("quality_req", "text"),
        ("packaging_req", "text"),
        ("transport_req", "text"),
        ("notes", "text"),
        ("distribution", "text"),
        ("status", "enum"),
        ("issued_at", "datetime"),
        ("issued_by", "text"),
        ("file", "text"),
        ("sent_at", "datetime"),
        ("sent_to", "text"),
        ("sent_via", "text"),
    ),
    "tracking": (
        ("order_no", "text"),
        ("line_no", "int"),
        ("kind", "enum"),
        ("date", "date"),
        ("quantity", "int"),
        ("passed_qty", "int"),
        ("rejected_qty", "int"),
        ("cause", "text"),
        ("measures", "text"),
        ("expected_date", "date"),
        ("carrier", "text"),
        ("recorded_by", "text"),
        ("recorded_at", "datetime"),
        ("remarks", "text"),
    ),
    "changes": (
        ("change_no", "text"),
        ("order_no", "text"),
        ("requested_by", "enum"),
        ("requester", "text"),
        ("requested_at", "datetime"),
        ("reason", "text"),
        ("content", "text"),
        ("impact", "text"),
        ("status", "enum"),
        ("necessity", "text"),
        ("feasibility", "text"),
        ("impact_delivery", "text"),
        ("impact_cost", "text"),
        ("impact_quality", "text"),
        ("reviewed_by", "text"),
        ("reviewed_at", "datetime"),
        ("decided_by", "text"),
        ("decided_at", "datetime"),
        ("decision_comment", "text"),
        ("version", "int"),
        ("date_reason", "text"),
    ),
    "change_reviews": (
        ("change_no", "text"),
        ("order_no", "text"),
        ("department", "enum"),
        ("points", "text"),
        ("opinion", "enum"),
        ("reviewer", "text"),
        ("comment", "text"),
        ("decided_at", "datetime"),
    ),
    "versions": (
        ("order_no", "text"),
        ("version", "int"),
        ("change_no", "text"),
        ("line_no", "int"),
        ("field", "text"),
        ("old_value", "text"),
        ("new_value", "text"),
        ("changed_at", "datetime"),
        ("changed_by", "text"),
    ),
    "complaints": (
        ("complaint_no", "text"),
        ("order_no", "text"),
        ("date", "date"),
        ("customer_code", "customer"),
        ("description", "text"),
        ("severity", "enum"),
        ("status", "enum"),
        ("closed_date", "date"),
    ),
    "ledger": (
        ("seq", "int"),
        ("time", "datetime"),
        ("user", "text"),
        ("order_no", "text"),
        ("action", "text"),
        ("status_before", "text"),
        ("status_after", "text"),
        ("details", "text"),
        ("hash", "text"),
        ("digest", "text"),
    ),
    "settings": (
        ("key", "text"),
        ("value", "text"),
        ("note", "text"),
    ),
    "staff": (
        ("name", "text"),
        ("department", "enum"),
        ("role", "enum"),
        ("email", "text"),
        ("active", "enum"),
    ),
    "time_limits": (
        ("stage", "text"),
        ("days", "int"),
    ),
    "dept_mail": (
        ("department", "enum"),
        ("emails", "text"),
    ),
}
# -- generated: end -----------------------------------------------------------------------
# fmt: on


def from_schema() -> Spec:
    """The columns as ``addin.core.schema`` defines them now: (key, kind) by table."""
    from addin.core.schema import TABLES

    return {
        key: tuple((c.key, c.kind.value) for c in table.columns) for key, table in TABLES.items()
    }


def render(spec: Spec) -> str:
    lines = ["COLUMNS: Spec = {"]
    for table, columns in spec.items():
        lines.append(f'    "{table}": (')
        lines.extend(f'        ("{key}", "{kind}"),' for key, kind in columns)
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines)


def write(path: Path = Path(__file__)) -> None:
    text = path.read_text(encoding="utf-8")
    begin = text.index("\n", text.index("# -- generated: begin")) + 1
    end = text.index("# -- generated: end")
    path.write_text(text[:begin] + render(from_schema()) + "\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m workbook.sql.columns --write")
    write()
