"""Simulated staff driving orders through the whole procedure at once, each in its own process:
some press the ribbon of their own connected workbook (xlwings' front end over the tests'
engine), some run the command line (``addin.cli.main``, in their process) on the database.

Used by ``tests/test_concurrency.py`` (what must hold afterwards) and ``benchmarks/server.py``
(throughput and latency). Each worker is a roster member of one department and does what that
department does next on a random order that needs it: order management opens reviews,
concludes, releases, approves changes and closes; the five reviewing departments record their
decisions; the departments a change concerns give their opinions (from the command line: a
connected workbook sends no typed opinion); production, quality and sales record output,
inspections, shipments, deliveries and acceptance. Every attempt is kept with its outcome and
time. The site can be seeded with orders at every later stage (:func:`build_site`'s
``staged``), so that in a bounded run every stage, closure included, happens at once.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing
import os
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from addin.core.enums import (
    REVIEW_DEPARTMENTS,
    ChangeStatus,
    Decision,
    Department,
    Opinion,
    OrderStatus,
    Role,
)
from addin.core.protection import input_columns
from addin.core.schema import TABLES
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.store import ChangeSet, Row

TEMPLATE = "connected.xlsx"  # a workbook connected once, copied for each workbook worker
QUANTITY = 10  # every order: one line of P1 (lot 10)
DEPARTMENTS = (
    Department.ORDER_MGMT,
    Department.SALES,
    Department.PRODUCTION,
    Department.QUALITY,
    Department.TECHNICAL,
    Department.PURCHASING,
)
BOOK_BUTTONS = {
    "review_start": "btn_review_start",
    "review_record": "btn_review_conclude",
    "review_conclude": "btn_review_conclude",
    "release": "btn_release",
    "track": "btn_track",
    "change_approve": "btn_change_approve",
    "close": "btn_close",
}
CHANGE = "packaging_req=wooden crates"  # a seeded change: production and purchasing concerned


@dataclass(frozen=True)
class Staff:
    index: int
    kind: str  # "book" or "cli"
    department: Department

    @property
    def user(self) -> str:
        return f"w{self.index:02d}"


@dataclass
class Attempt:
    user: str
    kind: str
    action: str
    order_no: str
    ok: bool
    orders: list[str]  # the orders the action reported done (its ledger rows name them)
    start: float
    seconds: float
    detail: str = ""
    target: str = ""  # what the action named: a change's number, else the order's


@dataclass
class Step:
    action: str
    order_no: str
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> str:
        """What the action names: a change's number, else the order's."""
        return str(self.args.get("change_no") or self.order_no)


def staff_list(count: int, books: int) -> list[Staff]:
    """``count`` workers over the departments in turn, the first ``books`` with workbooks."""
    return [
        Staff(i, "book" if i < books else "cli", DEPARTMENTS[i % len(DEPARTMENTS)])
        for i in range(count)
    ]


# -- the site: a master workbook with the roster and orders checked, to import ----------------
def build_site(path: Path, orders: int, staff: list[Staff], staged: int = 0) -> Path:
    """A master workbook: the lifecycle fixtures' master data, the workers on the roster
    (order management's as managers: they approve changes) and ``orders`` orders received and
    checked; then ``staged`` orders more at each later stage (see :func:`seed_stages`)."""
    from lifecycle_fixtures import DUE, OM, RECEIVED, SALES, T0, master_changes

    from addin.services import receipt

    create_master_workbook(path, "en")
    changes = master_changes()
    for member in staff:
        role = Role.MANAGER if member.department == Department.ORDER_MGMT else Role.STAFF
        changes.append(
            "staff", {"name": member.user, "department": member.department, "role": role}
        )
    with FileStore.open(path, write=True) as store:
        store.commit(changes)
    form = path.with_suffix(".csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["order_no", "received_date", "channel", "received_by", "customer_code", "customer_name",
         "contact", "contact_info", "sales_rep", "quality_req", "packaging_req", "transport_req",
         "line_no", "product_code", "product_name", "spec", "quantity", "unit_price",
         "delivery_date", "delivery_place"]
    )  # fmt: skip
    for n in range(1, orders + staged * len(SEEDED_STAGES) + 1):
        writer.writerow(
            [f"CO-{n:04d}", RECEIVED.isoformat(), "email", OM, "C1", "Acme Machines", "Ann",
             "ann@example.com", SALES, "GB/T 3098.1", "cartons on pallets", "truck",
             1, "P1", "Bolt", "M8x40", QUANTITY, "1.00", DUE.isoformat(), "Shanghai"]
        )  # fmt: skip
    form.write_text(buffer.getvalue(), encoding="utf-8")
    with FileStore.open(path, write=True) as store:
        receipt.receive(store, form, user=OM, now=T0)
    with FileStore.open(path, write=True) as store:
        receipt.check(store, user=OM, now=T0 + timedelta(hours=1))
    if staged:
        count = len(SEEDED_STAGES)
        numbers = [f"CO-{n:04d}" for n in range(orders + 1, orders + staged * count + 1)]
        seed_stages(path, {s: numbers[i::count] for i, s in enumerate(SEEDED_STAGES)})
    return path


SEEDED_STAGES = ("decided", "passed", "released", "accepted", "changing")


def seed_stages(path: Path, orders: dict[str, list[str]]) -> None:
    """Take checked orders to later stages, by the fixtures' staff (in memory, one save):
    ``decided`` in review with every department's decision (to conclude), ``passed`` (to
    release), ``released`` (to track), ``accepted`` with the final inspection report number
    typed in the order's row (to close), ``changing`` released with a customer's change
    reviewed by order management (for the concerned departments' opinions, then approval)."""
    from lifecycle_fixtures import OM, SALES, USERS, Desk

    from addin.services import changes, review

    desk = Desk(path, path.parent / "seed-tasks", memory=True)
    for no in orders["decided"]:
        desk(review.start, no, user=OM)
        for department in REVIEW_DEPARTMENTS:
            desk(review.record, no, department, Decision.PASS, None, user=USERS[department])
    for no in orders["passed"]:
        desk.review_pass(no)
    for no in [*orders["released"], *orders["accepted"], *orders["changing"]]:
        desk.released(no)
    for no in orders["accepted"]:
        desk.complete(no)
    rows = {str(r.values["order_no"]): r.row for r in desk.rows("orders")}
    typed = ChangeSet()
    for no in orders["accepted"]:
        typed.update("orders", rows[no], "final_report_no", f"FIR-{no}")
    desk.type_rows(typed)
    for no in orders["changing"]:
        filed = desk(
            changes.request, no, Department.CUSTOMER, "customer asks", [CHANGE], user=SALES
        )
        change_no = filed.data["change_no"]
        desk(changes.review, change_no, "asked", "yes", "none", "small", "none", user=OM)
    with desk.open() as store:
        store.wb.save(path)


# -- what a department does next ----------------------------------------------------------------
@dataclass
class OrderState:
    status: OrderStatus | None
    decided: set[Department] = field(default_factory=set)  # in the latest round
    review_rows: int = 0
    produced: int = 0
    passed: int = 0
    shipped: int = 0
    delivered: int = 0
    report: bool = False  # the final inspection report number is on record
    changes: dict[str, ChangeState] = field(default_factory=dict)  # by change number


@dataclass
class ChangeState:
    status: ChangeStatus | None
    concerned: set[Department] = field(default_factory=set)  # its opinion rows
    opined: set[Department] = field(default_factory=set)


def states(read: Callable[[str], list[Row]]) -> dict[str, OrderState]:
    found: dict[str, OrderState] = {}
    for r in read("orders"):
        state = OrderState(_parse(OrderStatus, r.values["status"]))
        state.report = r.values.get("final_report_no") not in (None, "")
        found[str(r.values["order_no"])] = state
    for r in read("changes"):
        state = found.get(str(r.values["order_no"]))
        if state is not None and r.values.get("change_no"):
            change = ChangeState(_parse(ChangeStatus, r.values.get("status")))
            state.changes[str(r.values["change_no"])] = change
    for r in read("change_reviews"):
        state = found.get(str(r.values["order_no"]))
        change = state.changes.get(str(r.values["change_no"])) if state else None
        department = _parse(Department, r.values.get("department"))
        if change is None or department is None:
            continue
        change.concerned.add(department)
        if _parse(Opinion, r.values.get("opinion")) is not None:
            change.opined.add(department)
    for r in read("lines"):
        state = found.get(str(r.values["order_no"]))
        if state is not None:
            state.produced = int(r.values.get("produced_qty") or 0)
            state.passed = int(r.values.get("passed_qty") or 0)
            state.shipped = int(r.values.get("shipped_qty") or 0)
            state.delivered = int(r.values.get("delivered_qty") or 0)
    rounds: dict[str, int] = {}
    reviews = read("reviews")
    for r in reviews:
        no = str(r.values["order_no"])
        rounds[no] = max(rounds.get(no, 0), int(r.values.get("round") or 0))
    for r in reviews:
        no = str(r.values["order_no"])
        state = found.get(no)
        if state is None or int(r.values.get("round") or 0) != rounds[no]:
            continue
        state.review_rows += 1
        department = _parse(Department, r.values.get("department"))
        if department is not None and _parse(Decision, r.values.get("decision")) is not None:
            state.decided.add(department)
    return found


def next_steps(
    department: Department, orders: dict[str, OrderState], kind: str = "cli"
) -> list[Step]:
    """Every step the department could take now (``kind``: the worker's, "book" or "cli")."""
    s = OrderStatus
    steps: list[Step] = []
    for no, o in orders.items():
        undecided = {
            c: change
            for c, change in o.changes.items()
            if change.status in (ChangeStatus.REQUESTED, ChangeStatus.REVIEWED)
        }
        if department == Department.ORDER_MGMT:
            if o.status == s.CHECKED:
                steps.append(Step("review_start", no))
            elif o.status == s.IN_REVIEW and o.decided >= set(REVIEW_DEPARTMENTS):
                steps.append(Step("review_conclude", no))
            elif o.status == s.REVIEW_PASSED:
                steps.append(Step("release", no))
            elif o.status == s.ACCEPTED and o.report and not undecided:
                steps.append(Step("close", no))
            for change_no, change in undecided.items():
                if change.status == ChangeStatus.REVIEWED and change.opined >= change.concerned:
                    steps.append(Step("change_approve", no, {"change_no": change_no}))
            continue
        for change_no, change in undecided.items():
            if kind == "cli" and department in change.concerned - change.opined:
                args = {"change_no": change_no, "department": department}
                steps.append(Step("change_opinion", no, args))
        if (
            o.status == s.IN_REVIEW
            and department in REVIEW_DEPARTMENTS
            and department not in o.decided
            and o.review_rows
        ):
            steps.append(Step("review_record", no, {"department": department}))
        if department == Department.PRODUCTION and o.status == s.RELEASED:
            steps.append(Step("track", no, {"kind": "production", "qty": QUANTITY}))
        if (
            department == Department.QUALITY
            and o.status == s.IN_PRODUCTION
            and o.produced >= QUANTITY
            and o.passed < QUANTITY
        ):
            steps.append(Step("track", no, {"kind": "inspection", "qty": QUANTITY}))
        if department == Department.SALES:
            # goods wait for an undecided change (its packaging, say): once accepted by the
            # customer, an order takes no change, and the seeded changes would never be decided
            if o.status == s.INSPECTED and not undecided:
                steps.append(Step("track", no, {"kind": "shipment", "qty": QUANTITY}))
            elif o.status == s.SHIPPED:
                steps.append(Step("track", no, {"kind": "delivery", "qty": QUANTITY}))
            elif o.status == s.DELIVERED:
                steps.append(Step("track", no, {"kind": "acceptance"}))
    return steps


# -- the workers ------------------------------------------------------------------------------
class CliWorker:
    """Runs ``orderdesk`` (the command line's own main) on the database."""

    def __init__(self, staff: Staff, url: str, folder: Path) -> None:
        self.staff, self.url, self.folder = staff, url, folder

    def view(self) -> dict[str, OrderState]:
        from workbook.sql.store import SqlStore

        with SqlStore.open(self.url) as store:
            return states(store.read)

    def do(self, step: Step) -> tuple[bool, list[str], str]:
        from addin import cli

        user = self.staff.user
        args = step.args
        argv = {
            "review_start": ["review", "start"],
            "review_record": ["review", "record"],
            "review_conclude": ["review", "conclude"],
            "release": ["release"],
            "track": ["track"],
            "change_opinion": ["change", "opinion"],
            "change_approve": ["change", "approve"],
            "close": ["close"],
        }[step.action] + [self.url, step.target, "--user", user, "--json", "--lang", "en"]
        if step.action in ("review_record", "change_opinion"):
            argv += ["--dept", args["department"].value]
        if step.action == "review_record":
            argv += ["--decision", "pass"]
        elif step.action == "change_opinion":
            argv += ["--opinion", "agree"]
        elif step.action in ("release", "change_approve"):
            argv += ["--out", str(self.folder / "tasks" / user)]
        elif step.action == "track":
            argv += ["--kind", args["kind"], "--line", "1"]
            if "qty" in args:
                argv += ["--qty", str(args["qty"])]
            if args["kind"] == "inspection":
                argv += ["--passed", str(args["qty"])]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = cli.main(argv)
        text = out.getvalue()
        try:
            payload = json.loads(text) if text.strip() else {}
        except ValueError:
            payload = {}
        orders = [o["order_no"] for o in payload.get("orders", [])] if code == 0 else []
        return code == 0, orders, "" if code == 0 else text[-300:]

    def finish(self) -> Path | None:
        return None


class BookWorker:
    """Presses the ribbon of its own connected workbook."""

    def __init__(self, staff: Staff, url: str, folder: Path) -> None:
        import xlwings as xw
        from xlwings_openpyxl import activate

        import addin.ribbon as ribbon

        self.staff, self.url = staff, url
        self.folder = folder / staff.user
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "view.xlsx"
        shutil.copyfile(folder / TEMPLATE, path)  # connected as every copy is, then its own
        activate()
        self.addin = xw.Book()  # stands in for the add-in: no OD_* tables
        self.addin.set_mock_caller()
        self.book = xw.Book(path)
        self.path = path
        self.done: list[str] = []
        self.alerts: list[tuple[str, str]] = []
        worker = self
        outcome = ribbon.Report.outcome

        def record(report: Any, result: Any) -> None:
            worker.done += [o.order_no for o in result.orders]
            outcome(report, result)

        ribbon.Report.outcome = record  # type: ignore[method-assign]
        impl = self.addin.app.impl

        def alert(prompt: str, title: Any, buttons: Any, mode: Any, callback: Any) -> str:
            worker.alerts.append((prompt, str(mode)))
            return "ok"

        impl.alert = alert
        os.environ["LOGNAME"] = staff.user
        os.environ["HOME"] = str(self.folder)
        login = urlsplit(url).username
        if login and url.startswith("postgresql"):
            os.environ["PGUSER"] = login  # the workbook's URL names no user: this one logs in

    def _store(self) -> Any:
        from workbook.xlwings_store import XlwingsStore

        return XlwingsStore(self.book)

    def view(self) -> dict[str, OrderState]:
        return states(self._store().read)

    def press(self, control_id: str) -> tuple[str, str]:
        import addin.ribbon as ribbon

        self.book.activate()
        ribbon.run(control_id)
        return self.alerts[-1]

    def select(self, table: str, value: str, key: str = "order_no") -> None:
        store = self._store()
        rows = [r.row for r in store.read(table) if str(r.values.get(key)) == value]
        sheet = self.book.sheets[store.sheet_title(table)]
        sheet.activate()
        sheet.range((rows[0], 1), (rows[-1], 1)).select()

    def do(self, step: Step) -> tuple[bool, list[str], str]:
        self.done = []
        typed: tuple[Any, int] | None = None
        typed_cell: Any = None
        if step.action == "review_record":
            typed_cell = self._type_decision(step)
            self.select("reviews", step.order_no)
        elif step.action == "track":
            typed = self._type_fact(step)
        elif step.action == "change_approve":
            self.select("changes", step.target, "change_no")
        else:
            self.select("orders", step.order_no)
        prompt, mode = self.press(BOOK_BUTTONS[step.action])
        ok = mode == "info" and step.order_no in self.done
        if not ok:
            # What was typed and not taken (the press's refresh may have made the row a
            # mirror of the database's meanwhile: then it stays) is taken back, as a user would.
            store = self._store()
            if typed is not None:
                sheet, row = typed
                if store.cell("tracking", row, "recorded_at").value in (None, ""):
                    # the cells typed (a user cannot clear the locked ones of a protected sheet)
                    keys = TABLES["tracking"].column_keys
                    for key in input_columns("tracking"):
                        sheet.range((row, keys.index(key) + 1)).value = None
            if typed_cell is not None:
                row = typed_cell.row
                if store.cell("reviews", row, "reviewer").value in (None, ""):
                    typed_cell.value = None
            self.press("btn_refresh")  # see what changed, decide again
        return ok, list(self.done), "" if ok else prompt[:300]

    def _type_decision(self, step: Step) -> Any:
        store = self._store()
        department = step.args["department"]
        rows = [
            r
            for r in store.read("reviews")
            if str(r.values.get("order_no")) == step.order_no
            and _parse(Department, r.values.get("department")) == department
        ]
        latest = max(rows, key=lambda r: int(r.values.get("round") or 0))
        cell = store.cell("reviews", latest.row, "decision")
        cell.value = Decision.PASS.label("en")
        return cell

    def _type_fact(self, step: Step) -> tuple[Any, int]:
        store = self._store()
        rows = store.read("tracking")
        row = (rows[-1].row if rows else 1) + 1
        sheet = self.book.sheets[store.sheet_title("tracking")]
        keys = TABLES["tracking"].column_keys
        kind = step.args["kind"]
        values: dict[str, Any] = {"order_no": step.order_no, "kind": kind.capitalize()}
        values["line_no"] = 1
        if "qty" in step.args:
            values["quantity"] = step.args["qty"]
        if kind == "inspection":
            values["passed_qty"] = step.args["qty"]
        for key, value in values.items():
            sheet.range((row, keys.index(key) + 1)).value = value
        return sheet, row

    def finish(self) -> Path | None:
        self.press("btn_refresh")
        self.book.save()
        return self.path


def work(
    staff: Staff,
    url: str,
    folder: Path,
    seconds: float,
    ready: Any,
    results: Any,
    step: Step | None = None,
    stopped: Any = None,
    wanted: Wanted | None = None,
) -> None:
    """One worker's run (in its own process): set up, wait for the others, act for
    ``seconds`` (and on while a ``wanted`` action has not happened yet), then report."""
    from workbook.sql import engine

    for cached in engine._ENGINES.values():
        cached.dispose(close=False)  # the parent's connections are not this process's
    engine._ENGINES.clear()
    rng = random.Random(staff.index)
    attempts: list[Attempt] = []
    error = ""
    saved: Path | None = None
    try:
        worker: CliWorker | BookWorker = (
            BookWorker(staff, url, folder)
            if staff.kind == "book"
            else CliWorker(staff, url, folder)
        )
        ready.wait()
        until = time.time() + seconds
        if wanted is not None:
            wanted.start()
        if step is not None:  # one step, at the same moment as the others
            start = time.perf_counter()
            ok, done, detail = worker.do(step_of(step, staff))
            attempts.append(
                Attempt(
                    staff.user,
                    staff.kind,
                    step.action,
                    step.order_no,
                    ok,
                    done,
                    start,
                    time.perf_counter() - start,
                    detail,
                    step.target,
                )
            )
            until = 0
        while time.time() < until or (wanted is not None and wanted.waiting()):
            steps = next_steps(staff.department, worker.view(), staff.kind)
            if not steps:
                time.sleep(0.2)
                if isinstance(worker, BookWorker):
                    worker.press("btn_refresh")
                continue
            step = choose(steps, rng)
            start = time.perf_counter()
            ok, done, detail = worker.do(step)
            seconds = time.perf_counter() - start
            attempts.append(
                Attempt(
                    staff.user,
                    staff.kind,
                    step.action,
                    step.order_no,
                    ok,
                    done,
                    start,
                    seconds,
                    detail,
                    step.target,
                )
            )
            if ok and wanted is not None:
                wanted.happened(step.action)
        if stopped is not None:
            stopped.wait(timeout=120)  # all have stopped acting: the last refresh sees it all
        saved = worker.finish()
    except Exception as exc:  # reported to the parent, which fails the test
        import traceback

        error = f"{staff.user}: {exc!r}\n{traceback.format_exc()}"
        ready.abort()  # the others (and the parent) do not wait for this one
        if stopped is not None:
            stopped.abort()
    results.put((staff.user, attempts, str(saved) if saved else None, error))


def run_staff(
    url: str,
    folder: Path,
    staff: list[Staff],
    seconds: float,
    url_of: Callable[[Staff], str] | None = None,
    step: Step | None = None,
    wanted: tuple[str, ...] = (),
    longest: float = 0.0,
) -> Run:
    """Run every worker in its own process for ``seconds`` (after all are set up), each on
    its own login's URL (``url_of``), and on while an action of ``wanted`` has not succeeded
    once, ``longest`` seconds at most; with ``step``, each worker takes that one step at the
    same moment instead."""
    import xlwings_openpyxl  # noqa: F401

    import addin.ribbon  # noqa: F401 - imported once here, shared by the forked workers
    from addin import cli  # noqa: F401
    from addin.services import release, review, tracking  # noqa: F401
    from workbook.sql import engine
    from workbook.sql.store import SqlStore
    from workbook.sql.sync import SyncState, refresh
    from workbook.sql.sync_views import FileView

    template = create_master_workbook(folder / TEMPLATE, "en")
    shared = without_user(url)  # each user's copy logs in as that user (PGUSER)
    with SqlStore.open(url) as source, FileView.open(template) as view:
        refresh(source, view, SyncState(shared), datetime.now().replace(microsecond=0))
    engine.dispose_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    ready = context.Barrier(len(staff) + 1)
    stopped = context.Barrier(len(staff))
    waits = Wanted(wanted, context.Array("b", len(wanted)), longest) if wanted else None
    processes = [
        context.Process(
            target=work,
            args=(member, (url_of or (lambda _: url))(member), folder, seconds, ready, results),
            kwargs={"step": step, "stopped": stopped, "wanted": waits},
        )
        for member in staff
    ]
    for process in processes:
        process.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker failed: it reports
        ready.wait(timeout=300)
    started = time.perf_counter()
    attempts: list[Attempt] = []
    books: list[Path] = []
    errors: list[str] = []
    for _ in processes:
        _, found, saved, error = results.get(timeout=max(seconds, longest) + 180)
        attempts += found
        if saved:
            books.append(Path(saved))
        if error:
            errors.append(error)
    for process in processes:
        process.join(timeout=30)
    return Run(attempts, books, errors, time.perf_counter() - started)


@dataclass
class Wanted:
    """Actions the run goes on for until each has succeeded once (flags shared by the
    workers' processes), ``longest`` seconds after the start at most."""

    actions: tuple[str, ...]
    flags: Any  # a multiprocessing Array, one flag per action
    longest: float
    deadline: float = 0.0

    def happened(self, action: str) -> None:
        if action in self.actions:
            self.flags[self.actions.index(action)] = 1

    def start(self) -> None:
        self.deadline = time.time() + self.longest

    def waiting(self) -> bool:
        return time.time() < self.deadline and not all(self.flags)


@dataclass
class Run:
    attempts: list[Attempt]
    books: list[Path]  # each workbook worker's view, refreshed at the end and saved
    errors: list[str]
    seconds: float  # from the start signal until every worker reported

    def latencies(self) -> list[float]:
        return sorted(a.seconds for a in self.attempts)

    def percentile(self, p: float) -> float:
        found = self.latencies()
        return found[min(len(found) - 1, int(p * len(found)))] if found else 0.0


def step_of(step: Step, staff: Staff) -> Step:
    """A shared step as this worker takes it (a review decision: for its department)."""
    if step.action == "review_record":
        return Step(step.action, step.order_no, {"department": staff.department})
    return step


def choose(steps: list[Step], rng: random.Random) -> Step:
    """A step of an action drawn evenly among the actions the worker could take, so that
    every stage gets its turn (the seeded orders wait at each), then one of its orders."""
    action = rng.choice(sorted({s.action for s in steps}))
    return rng.choice([s for s in steps if s.action == action])


def without_user(url: str) -> str:
    """A database URL as a connected workbook keeps it for several users: no login in it."""
    parts = urlsplit(url)
    if not parts.username:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def _parse(enum: Any, value: Any) -> Any:
    try:
        return enum.parse(value) if value not in (None, "") else None
    except ValueError:
        return None
