"""``orderdesk show`` as text: the order, its lines, and its history from the ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from addin.core.schema import TABLES, Kind
from addin.i18n import t, time_text

ORDER_FIELDS = (
    "order_no", "status", "status_since", "received_date", "channel", "customer_code",
    "customer_name", "contact", "contact_info", "sales_rep", "currency", "due_date",
    "quality_req", "packaging_req", "transport_req", "released_at", "progress", "inspection",
    "shipped_at", "version", "findings",
)  # fmt: skip
LINE_FIELDS = ("line_no", "product_code", "spec", "quantity", "unit_price", "delivery_date",
               "produced_qty", "passed_qty", "shipped_qty", "delivered_qty")  # fmt: skip


def _value(table: str, key: str, value: Any, lang: str) -> str:
    if value is None:
        return ""
    enum = TABLES[table].column(key).enum
    if enum is not None:
        try:
            return enum.parse(value).label(lang)
        except ValueError:
            return str(value)
    if key == "progress":
        return f"{float(value):.0%}"
    if TABLES[table].column(key).kind == Kind.DATETIME:
        try:
            return time_text(datetime.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def _table(table: str, records: list[dict[str, Any]], keys: list[str], lang: str) -> list[str]:
    """A header of the columns' labels, then one line per record."""
    header = [TABLES[table].column(k).label(table, lang) for k in keys]
    lines = ["  " + " | ".join(header)]
    for record in records:
        lines.append("  " + " | ".join(_value(table, k, record.get(k), lang) for k in keys))
    return lines


def render_order(data: dict[str, Any], lang: str) -> str:
    order = data["order"]
    lines = [f"== {order['order_no']} =="]
    for key in ORDER_FIELDS:
        value = order.get(key)
        if value not in (None, ""):
            label = TABLES["orders"].column(key).label("orders", lang)
            colon = t("punct.colon", lang)
            lines.append(f"  {label}{colon}{_value('orders', key, value, lang)}")
    if data["lines"]:
        lines.append(f"-- {t('sheet.lines', lang)} --")
        lines += _table("lines", data["lines"], list(LINE_FIELDS), lang)
    for table in ("reviews", "task_orders", "tracking", "changes", "change_reviews", "complaints"):
        records = data.get(table) or []
        if records:
            lines.append(f"-- {t(f'sheet.{table}', lang)} ({len(records)}) --")
            # The columns any of the order's records fills, each under its header.
            keys = [
                k
                for k in TABLES[table].column_keys
                if k != "order_no" and any(r.get(k) not in (None, "") for r in records)
            ]
            lines += _table(table, records, keys, lang)
    if data["ledger"]:
        lines.append(f"-- {t('show.history', lang)} --")
        entries = [
            dict(entry, status_after=_move(entry.get("status_before"), entry.get("status_after")))
            for entry in data["ledger"]
        ]
        lines += _table(
            "ledger", entries, ["time", "user", "action", "status_after", "details"], lang
        )
    for problem in data.get("problems", []):
        lines.append(f"  ! {problem.format(lang)}")
    return "\n".join(lines)


def _move(before: str | None, after: str | None) -> str:
    return f"{before or ''} → {after or ''}" if (before or "") != (after or "") else after or ""
