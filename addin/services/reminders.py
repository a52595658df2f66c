"""Reminders (``orderdesk remind`` and the ribbon's button): one e-mail to each department with
what waits for it (``addin.core.reminders``), through the settings' mail transport. Each
department reached gets a ledger row; a department that was not reached is reported and gets
none, so the next reminder tries again."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from addin.core import roles
from addin.core.enums import Department
from addin.core.problems import Problem, RuleError
from addin.core.reminders import Waiting, waiting
from addin.i18n import t
from addin.services.change_review import owed_opinions
from addin.services.context import Action, Outcome
from addin.services.timenodes import late_orders
from workbook.store import Store


def remind(
    store: Store,
    base_dir: Path,
    today: date | None = None,
    via: str | None = None,
    dry_run: bool = False,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Mail each department what waits for it on ``today`` (default: the day of ``now``)."""
    from addin.mail import recipients_for
    from addin.mail.reminder import build_reminder
    from addin.mail.send import deliver
    from addin.services.sending import mail_settings

    act = Action(store, "remind", user, now)
    today = today or act.now.date()
    late, problems = late_orders(act.snap, today)
    items = waiting(
        act.snap.orders.whole(),
        act.snap.by_order("reviews"),
        act.snap.records("changes"),
        act.snap.records("task_orders"),
        late,
        owed_opinions(act),
        roles.approvers(act.snap.settings),
    )
    mail = mail_settings(act, via, base_dir)
    addresses: dict[Department, list[str]] = {}
    missing: list[Problem] = []
    for department in items:
        found, none = recipients_for([department], act.snap.settings.dept_mail)
        addresses[department] = found
        missing += [
            Problem("send.no_address", {"department": d}, "dept_mail", column="emails")
            for d in none
        ]
    if missing:
        raise RuleError(missing)
    act.outcome.problems = problems  # unreadable holidays: said, not refused
    act.outcome.data = {
        "today": today.isoformat(),
        "transport": mail.transport,
        "departments": {
            d.value: {
                "recipients": addresses[d],
                "items": [{"kind": w.kind, "order_no": w.order_no} for w in mine],
            }
            for d, mine in items.items()
        },
    }
    if dry_run or not items:
        act.outcome.data["dry_run"] = dry_run
        act.outcome.report = lambda lang: _listing(items, addresses, today, lang, dry_run)
        return act.outcome

    company = act.snap.settings.get("company")
    reached: dict[Department, list[str]] = {}
    lines: list[Any] = []
    for department, mine in items.items():
        message = build_reminder(
            company, department, mine, today, addresses[department], mail.sender, act.lang
        )
        stem = f"reminder-{today}-{department.value}"
        result = deliver(message, addresses[department], mail, stem, base_dir)
        lines.append((department, result))
        if result.accepted:
            reached[department] = result.accepted
            details = t(
                "remind.details",
                act.lang,
                department=department.label(act.lang),
                count=len(mine),
                recipients=", ".join(result.accepted),
            )
            act.log(None, details)
        for address, reason in result.refused.items():
            params = {"department": department, "address": address, "reason": reason}
            act.outcome.problems.append(
                Problem("remind.refused", params, "dept_mail", column="emails")
            )
        if result.error_key and not result.refused:  # a refusal names its address already
            act.outcome.problems.append(
                Problem(result.error_key, result.error_params, "settings", column="value")
            )
    if not reached:
        raise RuleError(act.outcome.problems)
    act.outcome.data["complete"] = len(reached) == len(items) and not act.outcome.problems
    act.outcome.data["reached"] = {d.value: a for d, a in reached.items()}

    def report(lang: str) -> list[str]:
        out = []
        for department, result in lines:
            out += _listing({department: items[department]}, addresses, today, lang, False)
            out += [f"  {line}" for line in result.report(lang)]
        return out

    act.outcome.report = report
    act.commit()
    return act.outcome


def _listing(
    items: dict[Department, list[Waiting]],
    addresses: dict[Department, list[str]],
    today: date,
    lang: str,
    dry_run: bool,
) -> list[str]:
    if not items:
        return [t("remind.nothing", lang, date=today.isoformat())]
    lines = []
    for department, mine in items.items():
        key = "remind.would_send" if dry_run else "remind.sent"
        recipients = ", ".join(addresses[department])
        lines.append(
            t(key, lang, department=department.label(lang), count=len(mine), recipients=recipients)
        )
        lines += [f"  - {w.label(lang)}" for w in mine]
    return lines
