"""The ribbon's Python side: :func:`run`, called by every button of the OrderDesk tab.

The add-in's VBA hands the button id over (``RunPython`` of the command in
``addin/xlam/entry.py``: ``addin.ribbon.run('<id>', '<xlwings version built for>')``). :func:`run` opens the master workbook the user works in (the
active workbook: the caller is the add-in), works out the orders the selected rows name, runs
the button's function from :data:`BUTTONS` and reports the outcome in one message box in the
workbook's language. Inputs come from the procedure's own sheets, never from dialogs, so the
buttons work alike on Windows and macOS: a new order is a row; review decisions, tracking facts
and change requests are typed into their sheets; a cancellation's reason or a negotiation's
agreement goes in the order's remarks. A refusal is a plain message naming sheet, row and
column; anything unexpected is a short message, its traceback goes to the log file.

Adding a button: its XML (``addin/xlam/customUI.xml``), its texts (``addin/i18n/addin.py``) and
one function here, registered in :data:`BUTTONS`. Services are imported inside the button
functions: importing this module loads neither pydantic, openpyxl nor pandas.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.click import Click, Report, _text, _values
from addin.core.enums import ChangeStatus, OrderStatus, TaskOrderStatus
from addin.core.numbering import next_order_no
from addin.core.problems import Problem, RuleError
from addin.core.schema import ORDER_TABLES, TABLES
from addin.i18n import DEFAULT_LANG, has, t
from addin.logfile import log_exception, log_file
from workbook.store import ChangeSet, Row, Store, StoreError
from workbook.xlwings_store import XlwingsStore

if TYPE_CHECKING:
    import xlwings as xw

    from addin.services.context import Outcome

UDF_MODULE = "udfs.functions"
REVIEW_FIELDS = ("necessity", "feasibility", "impact_delivery", "impact_cost", "impact_quality")


# -- seams: who acts and when (tests replace them) ---------------------------------------------
def current_user() -> str:
    """The OS user, as the command line's default."""
    from addin.services.context import default_user

    return default_user()


def clock() -> datetime:
    return datetime.now().replace(microsecond=0)


# -- the entry point ---------------------------------------------------------------------------
def run(control_id: str, xlwings_built: str | None = None) -> None:
    """Run one button and show its outcome; never raises (a traceback dialog helps no one).

    ``xlwings_built``: the xlwings version the add-in's VBA was built with (its DLL names
    it); with another xlwings in this Python no button runs, and the user is told to
    reinstall the add-in."""
    report = Report(DEFAULT_LANG)
    book: xw.Book | None = None
    try:
        store = XlwingsStore.active()
        book = store.book
        report.lang = store.lang
        installed = _xlwings_version()
        with store:
            button = BUTTONS.get(control_id)
            if xlwings_built is not None and xlwings_built != installed:
                report.fail(
                    t(
                        "addin.ribbon.xlwings_mismatch",
                        report.lang,
                        built=xlwings_built,
                        installed=installed,
                    )
                )
            elif button is None:
                report.fail(t("addin.ribbon.unknown_button", report.lang, id=control_id))
            else:
                _press(control_id, Click(book, store, current_user(), clock(), report), button)
    except RuleError as exc:
        report.refused(None, exc)
    except StoreError as exc:  # the workbook cannot be used: say why, plainly
        report.fail(t(exc.key, report.lang, **exc.params))
    except Exception:
        path = _log_exception(control_id)
        report.fail(t("addin.ribbon.unexpected", report.lang, log=path))
    _show(book, control_id, report)


def _xlwings_version() -> str:
    import xlwings

    return str(xlwings.__version__)


def _press(control_id: str, click: Click, button: Callable[[Click], None]) -> None:
    """A button of a connected workbook acts on its database (addin.server_click)."""
    if control_id == "btn_refresh" or _connected(click.store):
        from addin.server_click import press

        press(control_id, click, button)
    else:
        button(click)


def _connected(store: XlwingsStore) -> bool:
    from workbook.sql.sync import NAME_DATABASE

    return NAME_DATABASE in store.book.names


def _parse(enum: Any, value: Any) -> Any:
    try:
        return enum.parse(value) if _text(value) else None
    except ValueError:  # a cell typed wrong: the service names it
        return None


# -- the buttons -------------------------------------------------------------------------------
def new_order(click: Click) -> None:
    """A new order row: a fresh number, today, the user as receiver; its customer cell selected.
    No status: the preliminary check takes it in."""
    taken = {_text(r.values.get("order_no")) for r in click.store.read("orders")}
    order_no, _ = next_order_no(click.now.date(), taken)
    changes = ChangeSet()
    values = {"order_no": order_no, "received_date": click.now.date(), "received_by": click.user}
    changes.append("orders", values)
    click.store.commit(changes)
    row = click.order_row(order_no)
    assert row is not None
    cell = click.store.cell("orders", row.row, "customer_code")
    cell.sheet.activate()
    cell.select()
    click.report.say(
        t(
            "addin.ribbon.new_order",
            click.lang,
            order_no=order_no,
            sheet=click.store.sheet_title("orders"),
            row=row.row,
            lines=click.store.sheet_title("lines"),
        )
    )


def check(click: Click) -> None:
    """The preliminary check of the selected orders; with none selected, of every order
    waiting for it (as ``orderdesk check``). Selected rows that are all hidden select
    nothing to check: the report says they were left alone."""
    from addin.services.receipt import check as check_orders

    orders = click.orders(required=False)
    if orders or click.hidden_said:
        click.each(orders, lambda no: check_orders(click.store, [no], click.user, click.now))
        return
    outcome = check_orders(click.store, None, click.user, click.now, progress=click.progress)
    click.report.outcome(outcome)


def review_start(click: Click) -> None:
    """Open a review round; on an order in negotiation, record the agreement typed in its
    remarks (which opens the next round)."""
    from addin.services import review

    def start(order_no: str) -> Outcome:
        row = click.order_row(order_no)
        if row is None or _parse(OrderStatus, row.values.get("status")) != OrderStatus.NEGOTIATING:
            return review.start(click.store, order_no, click.user, click.now)
        agreement = _text(row.values.get("remarks"))
        if not agreement:
            raise RuleError(
                Problem(
                    "addin.ribbon.agreement_in_remarks", {}, "orders", row.row, "remarks", order_no
                )
            )
        return review.agree(click.store, order_no, agreement, [], click.user, click.now)

    click.each(click.orders(), start)


def review_conclude(click: Click) -> None:
    """Conclude the open round from the decisions typed into the reviews sheet."""
    from addin.services.review import conclude

    click.each(click.orders(), lambda no: conclude(click.store, no, click.user, click.now))


def release(click: Click) -> None:
    """Issue the task orders of the selected reviewed orders (files beside the workbook)."""
    from addin.services.release import release as release_order

    orders = click.orders()
    out_dir, base_dir = click.out_dir(), click.folder()
    click.each(
        orders,
        lambda no: release_order(click.store, no, out_dir, click.user, click.now, base_dir),
    )


def send_task(click: Click) -> None:
    """E-mail the selected task orders (or the current ones of the selected orders); on the
    changes sheet, the selected approved changes' notices."""
    base_dir = click.folder()
    table, _ = click.selected()
    if table == "changes":
        from addin.services.sending import send_notice

        def notice(change_no: str) -> None:
            outcome = send_notice(click.store, change_no, base_dir, user=click.user, now=click.now)
            click.report.outcome(outcome)
            if outcome.data.get("complete") is False:
                click.report.critical = True

        click.each(list(change_rows(click)), notice)
        return
    click.each(task_numbers(click), lambda no: send_one(click, no, base_dir))


def send_one(click: Click, task_no: str, base_dir: Path) -> None:
    """One task order by the settings' transport; reported with the transport's own report."""
    from addin.services.sending import send

    outcome = send(click.store, task_no, base_dir, user=click.user, now=click.now)
    click.report.outcome(outcome)  # with the transport's report, recipient by recipient
    if outcome.data.get("complete") is False:
        click.report.critical = True


def task_numbers(click: Click) -> list[str]:
    table, rows = click.selected()
    if table == "task_orders":
        found = _values(rows, "task_no")
        if found:
            return found
    orders = _values(rows, "order_no") if table in ORDER_TABLES else []
    if not orders:
        sheet = click.store.sheet_title("task_orders")
        raise RuleError(Problem("addin.ribbon.select_tasks", {"sheet": sheet}))
    tasks = click.store.read("task_orders")
    found = []
    for order_no in orders:
        current = [
            _text(r.values.get("task_no"))
            for r in tasks
            if _text(r.values.get("order_no")) == order_no
            and _parse(TaskOrderStatus, r.values.get("status")) == TaskOrderStatus.CURRENT
        ]
        if not current:
            click.report.refused(
                order_no,
                RuleError(Problem("addin.ribbon.no_current_task", {"order_no": order_no})),
            )
        found += [no for no in dict.fromkeys(current) if no and no not in found]
    return found


def track(click: Click) -> None:
    """Apply every tracking fact typed into the tracking sheet (order by order)."""
    from addin.services.tracking import pending_orders, record_pending

    _apply_typed(click, pending_orders, record_pending, "tracking", "recorded_at")


def _apply_typed(
    click: Click,
    pending: Callable[[Store], tuple[list[str], list[Problem]]],
    record: Callable[..., Outcome],
    table: str,
    blank_column: str,
) -> None:
    """Apply the rows typed into ``table`` (those with ``blank_column`` blank) order by order;
    the rows naming no order are refused together, and nothing typed is said so."""
    orders, orphans = pending(click.store)
    if orphans:
        click.report.refused(None, RuleError(orphans))
    if not orders and not orphans:
        sheet, column = _sheet_and_column(table, blank_column, click.lang)
        click.report.say(
            t(f"addin.ribbon.no_pending_{table}", click.lang, sheet=sheet, column=column)
        )
    click.each(orders, lambda no: record(click.store, no, click.user, click.now))


def overdue(click: Click) -> None:
    """The orders past a time node, late or at risk, as ``orderdesk overdue`` lists them."""
    from addin.commands.lifecycle import overdue_lines
    from addin.services.timenodes import overdue as find_overdue

    outcome = find_overdue(click.store, now=click.now)
    click.report.say(*overdue_lines(outcome, click.lang))
    click.report.critical = bool(outcome.data["items"])


def remind(click: Click) -> None:
    """Mail each department what waits for it (as ``orderdesk remind``)."""
    from addin.services.reminders import remind as send_reminders

    outcome = send_reminders(click.store, click.folder(), user=click.user, now=click.now)
    click.report.outcome(outcome)
    if outcome.data.get("complete") is False:
        click.report.critical = True


def change_request(click: Click) -> None:
    """File every change request typed into the changes sheet (order by order)."""
    from addin.services.changes import file_pending, pending_requests

    orders, orphans = pending_requests(click.store)
    if orphans:
        click.report.refused(None, RuleError(orphans))
    if not orders and not orphans:
        sheet, column = _sheet_and_column("changes", "change_no", click.lang)
        click.report.say(
            t("addin.ribbon.no_pending_changes", click.lang, sheet=sheet, column=column)
        )
    click.each(orders, lambda no: file_pending(click.store, no, click.user, click.now))


def change_approve(click: Click) -> None:
    """Approve the selected change requests, with the decision comment typed in the row. A
    request not yet reviewed whose review columns are typed is reviewed first."""
    from addin.services import changes

    rows = change_rows(click)

    def approve(change_no: str) -> Outcome:
        values = rows[change_no].values
        typed = {k: _text(values.get(k)) for k in REVIEW_FIELDS}
        status = _parse(ChangeStatus, values.get("status"))
        if status == ChangeStatus.REQUESTED and any(typed.values()):
            reviewed = changes.review(
                click.store, change_no, *typed.values(), user=click.user, now=click.now
            )
            click.report.outcome(reviewed)
        return changes.approve(
            click.store,
            change_no,
            _text(values.get("decision_comment")),
            click.out_dir(),
            click.user,
            click.now,
            base_dir=click.folder(),
        )

    click.each(list(rows), approve)


def change_reject(click: Click) -> None:
    """Reject the selected change requests, with the reason typed in the decision comment."""
    from addin.services.changes import reject

    rows = change_rows(click)
    click.each(
        list(rows),
        lambda no: reject(
            click.store, no, _text(rows[no].values.get("decision_comment")), click.user, click.now
        ),
    )


def change_rows(click: Click) -> dict[str, Row]:
    table, rows = click.selected()
    found = {_text(r.values.get("change_no")): r for r in rows} if table == "changes" else {}
    found.pop("", None)
    if not found:
        sheet = click.store.sheet_title("changes")
        raise RuleError(Problem("addin.ribbon.select_changes", {"sheet": sheet}))
    return found


def close(click: Click) -> None:
    """Close the selected orders (every closing condition met)."""
    from addin.services.closure import close as close_order

    click.each(click.orders(), lambda no: close_order(click.store, no, click.user, click.now))


def cancel(click: Click) -> None:
    """Cancel the selected orders, with the reason typed in each order's remarks."""
    from addin.services.closure import cancel as cancel_order

    def one(order_no: str) -> Outcome:
        row = click.order_row(order_no)
        reason = _text(row.values.get("remarks")) if row is not None else ""
        if row is not None and not reason:
            raise RuleError(
                Problem(
                    "addin.ribbon.reason_in_remarks", {}, "orders", row.row, "remarks", order_no
                )
            )
        return cancel_order(click.store, order_no, reason, click.user, click.now)

    click.each(click.orders(), one)


def complaints(click: Click) -> None:
    """Number and record every complaint typed into the complaints sheet (order by order)."""
    from addin.services.complaints import pending_complaints, record_pending

    _apply_typed(click, pending_complaints, record_pending, "complaints", "complaint_no")


def dashboard(click: Click) -> None:
    """Refresh the statistics and show the dashboard sheet."""
    from addin.services.statistics import refresh, summary_text

    outcome, stats = refresh(click.store, user=click.user, now=click.now)
    title = t("sheet.dashboard", click.lang)
    click.activate(title)
    summary = summary_text(stats, click.lang)
    click.report.say(t("addin.ribbon.dashboard", click.lang, sheet=title, summary=summary))
    click.report.say(*(f"  - {p.format(click.lang)}" for p in outcome.problems))


def verify(click: Click) -> None:
    """Check the ledger's hash chain and the orders' statuses against it."""
    from addin.services.inquiry import verify as verify_ledger

    outcome = verify_ledger(click.store)
    if outcome.problems:
        click.report.fail(t("verify.found", click.lang, count=len(outcome.problems)))
        click.report.say(*(f"  - {p.format(click.lang)}" for p in outcome.problems))
    else:
        click.report.say(t("verify.ok", click.lang, **outcome.data))


def master_check(click: Click) -> None:
    """Check the master-data sheets as adding master data by command checks a row."""
    from addin.services.master_data import check as check_master

    outcome = check_master(click.store)
    click.report.outcome(outcome)
    click.report.critical = bool(outcome.problems)


def deactivate(click: Click) -> None:
    """Deactivate the selected customers, products or staff members."""
    from addin.core.master_data import DEACTIVATABLE
    from addin.services.master_data import deactivate as deactivate_row

    table, rows = click.selected()
    keys = _values(rows, DEACTIVATABLE[table]) if table in DEACTIVATABLE else []
    if not keys:
        sheets = t("list.sep", click.lang).join(
            dict.fromkeys(TABLES[k].sheet_title(click.lang) for k in DEACTIVATABLE)
        )
        raise RuleError(Problem("addin.ribbon.select_master", {"sheets": sheets}))
    assert table is not None
    click.each(keys, lambda key: deactivate_row(click.store, table, key, click.user, click.now))


def settings(click: Click) -> None:
    """Show the settings sheet."""
    title = click.store.sheet_title("settings")
    click.activate(title)
    click.report.say(t("addin.ribbon.settings", click.lang, sheet=title))


def help_text(click: Click) -> None:
    """What the buttons do, where the user guide and the log are."""
    readme = Path(__file__).resolve().parents[1] / "README.md"
    where = str(readme) if readme.is_file() else t("addin.ribbon.readme_elsewhere", click.lang)
    click.report.say(t("addin.ribbon.help", click.lang, readme=where, log=log_file()))


def refresh(click: Click) -> None:
    """Refresh a connected workbook from its database (addin.server_click)."""
    from addin.server_click import refresh_button

    refresh_button(click)


def import_udfs(click: Click) -> None:
    """Import the worksheet functions into the add-in, xlwings' way for a custom add-in
    (its ``ImportPythonUDFsToAddin``): the generated functions call ``XLPy.CallUDF``, which
    only the add-in's VBA has, and a .xlsx master workbook could not keep them. Saved, so
    they load with the add-in in every workbook (xlwings runs them on Windows only)."""
    if not sys.platform.startswith("win"):
        click.report.fail(t("addin.ribbon.udfs_windows_only", click.lang, platform=sys.platform))
        return
    import xlwings

    from addin.xlam.build import ADDIN_FILENAME

    try:
        addin_book = click.book.app.books[ADDIN_FILENAME]
    except Exception:  # xlwings raises what COM raises for a name not open
        click.report.fail(t("addin.ribbon.udfs_no_addin", click.lang, addin=ADDIN_FILENAME))
        return
    try:
        xlwings.import_udfs(UDF_MODULE, addin_book.api)
        addin_book.save()  # an add-in's changes are lost at exit unless it is saved
    except Exception as exc:  # e.g. access to the VBA project not trusted (a COM error)
        _log_exception("btn_import_udfs")
        click.report.fail(t("addin.ribbon.udfs_failed", click.lang, error=exc))
        return
    click.report.say(
        t("addin.ribbon.udfs_imported", click.lang, module=UDF_MODULE, addin=ADDIN_FILENAME)
    )


BUTTONS: dict[str, Callable[[Click], None]] = {
    "btn_new_order": new_order,
    "btn_check": check,
    "btn_review_start": review_start,
    "btn_review_conclude": review_conclude,
    "btn_release": release,
    "btn_send_task": send_task,
    "btn_track": track,
    "btn_overdue": overdue,
    "btn_remind": remind,
    "btn_change_request": change_request,
    "btn_change_approve": change_approve,
    "btn_change_reject": change_reject,
    "btn_close": close,
    "btn_cancel": cancel,
    "btn_complaints": complaints,
    "btn_dashboard": dashboard,
    "btn_master_check": master_check,
    "btn_deactivate": deactivate,
    "btn_refresh": refresh,
    "btn_verify": verify,
    "btn_import_udfs": import_udfs,
    "btn_settings": settings,
    "btn_help": help_text,
}


def _sheet_and_column(table: str, key: str, lang: str) -> tuple[str, str]:
    return TABLES[table].sheet_title(lang), TABLES[table].column(key).label(table, lang)


# -- the message box and the log ---------------------------------------------------------------
def _show(book: xw.Book | None, control_id: str, report: Report) -> None:
    key = f"ribbon.{control_id}.label"
    label = t(key, report.lang) if has(key) else control_id
    try:
        app = book.app if book is not None else _active_app()
        if app is None:
            raise RuntimeError("no Excel to show the message in")
        app.alert(
            report.text(),
            t("addin.ribbon.title", report.lang, label=label),
            mode="critical" if report.critical else "info",
        )
    except Exception:  # nowhere to show it: the log keeps it
        log_exception("%s: the message box failed; it said:\n%s", control_id, report.text())


def _active_app() -> xw.App | None:
    import xlwings as xw

    return xw.apps.active


def _log_exception(control_id: str) -> Path:
    """The current exception's traceback, in the log file; the file's path."""
    return log_exception("button %s failed", control_id)
