"""``orderdesk demo``: a master workbook with a realistic catalogue, customers, staff and a few
dozen orders from every channel — some flawed in each way the check catches — taken through
receipt, check and (when available) every path of the lifecycle."""

from __future__ import annotations

import csv
import importlib
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from addin.core.enums import Department
from addin.core.schema import TABLES
from addin.demo.data import (
    DEPT_MAIL,
    FORM_COLUMNS,
    capacity_rows,
    clean_order,
    form_value,
    master_rows,
)
from addin.demo.history import MONTHS, write_history
from addin.i18n import t
from addin.services import receipt, statistics
from workbook.create import create_master_workbook
from workbook.open import open_workbook
from workbook.store import ChangeSet

SEED = 20261128
CLEAN_ORDERS = 24

# flaw key → how it spoils a clean order's form rows (each must be caught by the check)
FLAWS: dict[str, Callable[[list[dict[str, Any]]], None]] = {
    "missing_contact": lambda rows: [r.update(contact="", contact_info="") for r in rows],
    "unknown_product": lambda rows: rows[0].update(product_code="P999", spec=""),
    "inactive_product": lambda rows: rows[0].update(product_code="P900", spec="LX3", quantity=20, unit_price=Decimal("150.00")),
    "price_floor": lambda rows: rows[0].update(unit_price=Decimal("0.01")),
    "lot_size": lambda rows: rows[0].update(product_code="P100", product_name="六角头螺栓", spec="M8x40 8.8级", quantity=1250, unit_price=Decimal("0.85")),  # lot 500: +1 on a lot-1 product would pass
    "min_qty": lambda rows: rows[0].update(quantity=1),
    "lead_time": lambda rows: rows[0].update(delivery_date=rows[0]["received_date"] + timedelta(days=2)),
    "capacity": lambda rows: rows[0].update(product_code="P400", product_name="液压油缸", spec="HOB50x100", quantity=500, unit_price=Decimal("1280.00")),
    "vague_requirement": lambda rows: [r.update(quality_req="按客户要求,待定?") for r in rows],
    "credit": lambda rows: [
        r.update(customer_code="C006", customer_name="天津北洋重工", product_code="P400", product_name="液压油缸", spec="HOB50x100", quantity=10, unit_price=Decimal("1280.00"))
        for r in rows[:1]
    ] + [r.update(customer_code="C006", customer_name="天津北洋重工") for r in rows[1:]],
    "delivery_before_receipt": lambda rows: rows[0].update(delivery_date=rows[0]["received_date"] - timedelta(days=5)),
    "inactive_customer": lambda rows: [r.update(customer_code="C007", customer_name="重庆长江摩托配件厂") for r in rows],
    "unknown_customer": lambda rows: [r.update(customer_code="C099", customer_name="未登记客户") for r in rows],
    "spec_mismatch": lambda rows: rows[0].update(spec="非标规格"),
}  # fmt: skip


@dataclass
class Summary:
    workbook: Path
    form: Path
    statuses: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    flawed: dict[str, str] = field(default_factory=dict)  # order_no → flaw
    paths: list[dict[str, Any]] = field(default_factory=list)
    mail: dict[str, Any] = field(default_factory=dict)
    reminders: dict[str, Any] = field(default_factory=dict)
    history: dict[str, Any] = field(default_factory=dict)
    dashboard: str = ""  # the refreshed dashboard's figures, in one line
    archive: dict[str, Any] = field(default_factory=dict)  # what moved to the yearly archives

    def to_json(self) -> dict[str, Any]:
        return {
            "workbook": str(self.workbook),
            "order_form": str(self.form),
            "statuses": dict(self.statuses),
            "findings": dict(self.findings),
            "flawed_orders": self.flawed,
            "paths": self.paths,
            "mail": self.mail,
            "reminders": self.reminders,
            "history": self.history,
            "dashboard": self.dashboard,
            "archive": self.archive,
        }

    def text(self, lang: str) -> str:
        lines = [t("demo.title", lang), t("demo.workbook", lang, path=self.workbook)]
        if self.history:
            lines.append(t("demo.history", lang, **self.history))
        lines.append(t("demo.statuses", lang))
        for status, count in sorted(self.statuses.items()):
            lines.append(f"  {status}: {count}")
        lines.append(t("demo.findings", lang))
        for key, count in sorted(self.findings.items()):
            lines.append(f"  {t(f'kind.{key}', lang)}: {count}")
        for path in self.paths:
            steps = " → ".join(path.get("steps", []))
            lines.append(f"  [{path.get('title') or path['path']}] {path['order_no']}: {steps}")
        if self.mail:
            lines.append(t("demo.mail", lang, **self.mail))
        if self.reminders:
            lines.append(t("demo.reminders", lang, **self.reminders))
        if self.dashboard:
            lines.append(t("demo.dashboard", lang, figures=self.dashboard))
        if self.archive:
            lines.append(t("demo.archive", lang, **self.archive))
        lines.append(t("demo.next", lang, path=self.workbook))
        return "\n".join(lines)


def seed_workbook(path: Path, lang: str, today: date) -> None:
    """A new master workbook with master data, capacity and the settings a site would enter."""
    create_master_workbook(path, lang, force=True)  # type: ignore[arg-type]
    with open_workbook(path, write=True) as store:
        changes = ChangeSet()
        for table, rows in master_rows().items():
            for row in rows:
                changes.append(table, row)
        for row in capacity_rows(today):
            changes.append("capacity", row)
        for mail in store.read("dept_mail"):
            department = Department.parse(mail.values["department"])
            changes.update("dept_mail", mail.row, "emails", DEPT_MAIL.get(department, ""))  # type: ignore[arg-type]
        store.commit(changes)


def write_form(path: Path, rows: list[dict[str, Any]], lang: str) -> None:
    lines_table, orders_table = TABLES["lines"], TABLES["orders"]
    header = [
        (lines_table if key in lines_table.column_keys and key != "order_no" else orders_table)
        .column(key)
        .label("lines" if key in lines_table.column_keys and key != "order_no" else "orders", lang)
        for key in FORM_COLUMNS
    ]
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([form_value(row.get(k), lang) for k in FORM_COLUMNS])


def typed_orders(rng: random.Random, today: date) -> list[list[dict[str, Any]]]:
    """Two orders as staff type them straight into the sheets: no status yet, one with a typo."""
    good = clean_order(rng, f"SO{today:%Y%m%d}-T01", today - timedelta(days=1), lines=2)
    typo = clean_order(rng, f"SO{today:%Y%m%d}-T02", today, lines=2)
    typo[1]["quantity"] = "两百"  # text in a number column: reported at the cell by the check
    return [good, typo]


def run_demo(
    out_dir: Path,
    lang: str = "zh",
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items,
    today: date | None = None,
) -> Summary:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    today = today or date.today()
    rng = random.Random(SEED)
    workbook = out_dir / ("OrderDesk-演示.xlsx" if lang == "zh" else "OrderDesk-demo.xlsx")
    form = out_dir / ("订单表.csv" if lang == "zh" else "order-form.csv")
    seed_workbook(workbook, lang, today)
    # A year of finished and open orders before this week's, so the dashboard has trends.
    with open_workbook(workbook, write=True) as store:
        history = write_history(store, today)
    summary_history = {
        "orders": sum(history.orders_by_month.values()),
        "months": MONTHS,
        "complaints": history.complaints,
    }

    rows: list[dict[str, Any]] = []
    summary = Summary(workbook, form, history=summary_history)
    received = today - timedelta(days=2)
    for n in range(1, CLEAN_ORDERS + 1):
        rows += clean_order(rng, f"SO{received:%Y%m%d}-{n:03d}", received, lines=rng.randint(1, 3))
    for n, (flaw, spoil) in enumerate(FLAWS.items(), start=CLEAN_ORDERS + 1):
        order_rows = clean_order(rng, f"SO{received:%Y%m%d}-{n:03d}", received, lines=2)
        spoil(order_rows)
        summary.flawed[order_rows[0]["order_no"]] = flaw
        rows += order_rows
    write_form(form, rows, lang)

    user = "孙丽"
    now = datetime.combine(received, datetime.min.time()).replace(hour=9)
    with open_workbook(workbook, write=True) as store:
        receipt.receive(store, form, user=user, now=now)
    with open_workbook(workbook, write=True) as store:
        changes = ChangeSet()
        for order_rows in typed_orders(rng, today):
            head = {
                k: form_value(v, lang)
                for k, v in order_rows[0].items()
                if k in TABLES["orders"].column_keys
            }
            changes.append("orders", head)
            for row in order_rows:
                changes.append(
                    "lines",
                    {
                        k: form_value(v, lang)
                        for k, v in row.items()
                        if k in TABLES["lines"].column_keys
                    },
                )
        store.commit(changes)
    with open_workbook(workbook, write=True) as store:
        outcome = receipt.check(store, user=user, now=now + timedelta(hours=2), progress=progress)
    for item in outcome.orders:
        for problem in item.problems:
            summary.findings[problem.key] += 1

    paths = _lifecycle()
    if paths is not None:
        summary.paths = paths(workbook, lang, out_dir)
        from addin.demo.mail import mail_reminders, mail_task_orders

        summary.mail = mail_task_orders(workbook, user)
        summary.reminders = mail_reminders(workbook, user, today)

    with open_workbook(workbook, write=True) as store:
        _, stats = statistics.refresh(store, user=user)
    summary.dashboard = statistics.summary_text(stats, lang)
    summary.archive = _archive_old_orders(workbook, user)

    with open_workbook(workbook) as store:
        from addin.services.snapshot import Snapshot

        for order in Snapshot(store).orders.values():
            summary.statuses[order.status.label(lang) if order.status else "—"] += 1
    return summary


def _archive_old_orders(workbook: Path, user: str) -> dict[str, Any]:
    """Orders of the history closed more than half a year ago move to their yearly archive (a
    site keeps the settings' twelve months; the demo's history is one year long)."""
    from addin.core.archive import PERIOD_KEY
    from addin.services.archive import archive

    with open_workbook(workbook, write=True) as store:
        settings = {r.values.get("key"): r.row for r in store.read("settings")}
        changes = ChangeSet()
        changes.update("settings", settings[PERIOD_KEY], "value", "6")
        store.commit(changes)
    outcome = archive(workbook, user=user)
    files = ", ".join(path.name for path in outcome.files)
    return {"orders": outcome.data["orders"], "ledger": outcome.data["ledger"], "files": files}


def _lifecycle() -> Callable[[Path, str, Path], list[dict[str, Any]]] | None:
    try:
        module = importlib.import_module("addin.demo.paths")
    except ModuleNotFoundError:
        return None
    return module.drive_paths
