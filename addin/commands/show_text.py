"""``orderdesk show`` as text: the order, its lines, and its history from the ledger."""

from __future__ import annotations

from typing import Any

from addin.core.schema import TABLES
from addin.i18n import t

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
    return str(value)


def render_order(data: dict[str, Any], lang: str) -> str:
    order = data["order"]
    lines = [f"== {order['order_no']} =="]
    for key in ORDER_FIELDS:
        value = order.get(key)
        if value not in (None, ""):
            label = TABLES["orders"].column(key).label("orders", lang)
            lines.append(f"  {label}: {_value('orders', key, value, lang)}")
    if data["lines"]:
        lines.append(f"-- {t('sheet.lines', lang)} --")
        header = [TABLES["lines"].column(k).label("lines", lang) for k in LINE_FIELDS]
        lines.append("  " + " | ".join(header))
        for line in data["lines"]:
            lines.append(
                "  " + " | ".join(_value("lines", k, line.get(k), lang) for k in LINE_FIELDS)
            )
    for table in ("reviews", "task_orders", "tracking", "changes", "change_reviews", "complaints"):
        if data.get(table):
            lines.append(f"-- {t(f'sheet.{table}', lang)} ({len(data[table])}) --")
            for record in data[table]:
                shown = [
                    _value(table, k, v, lang)
                    for k, v in record.items()
                    if v not in (None, "") and k not in ("order_no",)
                ][:9]
                lines.append("  " + " | ".join(shown))
    if data["ledger"]:
        lines.append(f"-- {t('show.history', lang)} --")
        for entry in data["ledger"]:
            before = entry.get("status_before") or ""
            after = entry.get("status_after") or ""
            move = f"{before} → {after}" if before != after else after
            lines.append(
                f"  {entry['time']}  {entry['user']}  {entry['action']}  {move}  {entry.get('details') or ''}"
            )
    for problem in data.get("problems", []):
        lines.append(f"  ! {problem.format(lang)}")
    return "\n".join(lines)
