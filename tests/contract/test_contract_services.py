"""One contract for every store: the same actions on the file store, on SQLite and on
PostgreSQL leave the same tables (the database exported to a workbook and both read through the
same reader), the same outcomes, the same refusals and the same check findings.

The actions cover the procedure: receive, check (an order typed with bad cells among them),
review start/record/conclude, a negotiation and its agreement, release, tracking to delivery
and acceptance, change request/review/approve and request/reject, complaint and its closing,
close, cancel, the dashboard and verify.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (  # noqa: F401 - fixtures
    MANAGER,
    OM,
    PROD,
    QUAL,
    RECEIVED,
    SALES,
    USERS,
    Desk,
    master_bytes_fixture,
)
from openpyxl import load_workbook
from sql_fixtures import audit, sql_store

from addin.core.enums import REVIEW_DEPARTMENTS, Decision, Department, Opinion, TrackKind
from addin.core.parse import CellError, convert
from addin.core.problems import RuleError
from addin.core.schema import TABLES
from addin.services import (
    change_review,
    changes,
    closure,
    complaints,
    inquiry,
    receipt,
    review,
    statistics,
)
from addin.services.context import Outcome
from workbook import sheet_chunks
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.sql import admin
from workbook.sql.engine import dispose_all
from workbook.store import ChangeSet, Row

BACKENDS = ("file", "sqlite", "postgresql")
FORM_HEADER = [
    "order_no", "received_date", "channel", "received_by", "customer_code", "customer_name",
    "contact", "contact_info", "sales_rep", "quality_req", "packaging_req", "transport_req",
    "line_no", "product_code", "product_name", "spec", "quantity", "unit_price",
    "delivery_date", "delivery_place",
]  # fmt: skip


class PatchDesk(Desk):
    """The lifecycle tests' desk through the command line's store (the patching store)."""

    @contextlib.contextmanager
    def open(self, write: bool = False) -> Iterator[Any]:
        with PatchFileStore.open(self.path, write=write) as store:
            yield store


class SqlDesk(Desk):
    """The lifecycle tests' desk on a database: a new store per action, as the command line."""

    def __init__(self, url: str, folder: Path) -> None:
        super().__init__(folder / "orders.xlsx", folder / "task-orders")
        self.url = url

    @contextlib.contextmanager
    def open(self, write: bool = False) -> Iterator[Any]:
        yield sql_store(self.url)

    def state(self) -> Any:
        store = sql_store(self.url)
        return {table: store.read(table) for table in TABLES}


def _form(path: Path) -> Path:
    """Two new orders: one with a vague requirement (a check finding), one clean."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FORM_HEADER)
    for order_no, quality in (("SO-20", "按客户要求,待定?"), ("SO-21", "GB/T 3098.1")):
        writer.writerow(
            [
                order_no, RECEIVED.isoformat(), "email", OM, "C1", "Acme Machines", "Ann",
                "ann@example.com", SALES, quality, "cartons", "truck", 1, "P1", "Bolt",
                "M8x40", 200, "1.00", "2026-05-29", "Shanghai",
            ]
        )  # fmt: skip
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _typed_order() -> ChangeSet:
    """An order typed straight into the sheets, with cells no typed column can hold."""
    typed = ChangeSet()
    typed.append(
        "orders",
        {
            "order_no": "SO-22",
            "received_date": "2026-03-02",
            "channel": "phone",
            "customer_code": "C1",
            "customer_name": "Acme Machines",
            "contact": "Ann",
            "contact_info": "ann@example.com",
            "currency": "CNY",
            "quality_req": "GB/T 3098.1",
            "packaging_req": "cartons",
            "transport_req": "truck",
        },
    )
    typed.append(
        "lines",
        {
            "order_no": "SO-22",
            "line_no": 1,
            "product_code": "P1",
            "quantity": "two hundred",
            "unit_price": "1.005",
            "delivery_date": "soon",
            "delivery_place": "Shanghai",
        },
    )
    return typed


def drive(desk: Desk, folder: Path) -> list[Any]:
    """The actions, in order; each one's outcome as JSON, or its refusal's problem keys."""
    results: list[Any] = []

    def act(service: Any, *args: Any, **kwargs: Any) -> None:
        try:
            outcome: Outcome = desk(service, *args, **kwargs)
        except RuleError as exc:
            results.append(sorted((p.key, p.order_no or "") for p in exc.problems))
            return
        found = outcome.to_json("en")
        for item in [*found["problems"], *(p for o in found["orders"] for p in o["problems"])]:
            item.pop("row")  # a sheet row, or a row id
        # The desk's own folder (the form's path, the files written) named alike
        results.append(json.loads(json.dumps(found, default=str).replace(str(folder), "<desk>")))

    def decide(order_no: str, decisions: dict[Department, Decision]) -> None:
        for department in REVIEW_DEPARTMENTS:
            decision = decisions.get(department, Decision.PASS)
            comment = None if decision == Decision.PASS else "see the terms"
            act(review.record, order_no, department, decision, comment, user=USERS[department])

    act(receipt.receive, _form(folder / "form.csv"), user=OM)
    desk.type_rows(_typed_order())
    act(receipt.check, ["SO-20", "SO-21", "SO-22"], user=OM)
    # SO-1: a clean pass, released, made, delivered, accepted, closed
    act(review.start, "SO-1", user=OM)
    decide("SO-1", {})
    act(review.record, "SO-1", Department.SALES, Decision.PASS, None, user=SALES)  # refused
    act(review.conclude, "SO-1", user=OM)
    act(desk.release_service, "SO-1")
    desk.complete("SO-1")
    act(complaints.record_complaint, "SO-1", RECEIVED, "scratched heads", user=SALES)
    complaint = results[-1]["data"].get("complaint_no") if isinstance(results[-1], dict) else ""
    act(complaints.close_complaint, complaint or "-", RECEIVED, user=QUAL)
    act(closure.close, "SO-1", user=OM, report_no="QR-SO-1")
    # SO-2: a negotiation, its agreement, a second round
    act(review.start, "SO-2", user=OM)
    decide("SO-2", {Department.SALES: Decision.CONDITIONAL})
    act(review.conclude, "SO-2", user=OM)
    act(review.agree, "SO-2", "one week later", ["delivery_date@1=2026-05-08"], user=SALES)
    decide("SO-2", {})
    act(review.conclude, "SO-2", user=OM)
    # SO-3: released, then a change approved (the task order revised) and one rejected
    act(review.start, "SO-3", user=OM)
    decide("SO-3", {})
    act(review.conclude, "SO-3", user=OM)
    act(desk.release_service, "SO-3")
    desk.track("SO-3", TrackKind.PRODUCTION, quantity=10)
    act(changes.request, "SO-3", Department.CUSTOMER, "more", ["quantity=60"], user=SALES)
    act(changes.review, "CH-SO-3-01", "needed", "feasible", "+1 week", "none", "none", user=OM)
    for department in (Department.PRODUCTION, Department.PURCHASING):  # a quantity concerns them
        by = USERS[department]
        act(change_review.record, "CH-SO-3-01", department, Opinion.AGREE, "ok", user=by)
    act(changes.approve, "CH-SO-3-01", "go", desk.out_dir, user=MANAGER, base_dir=folder)
    act(changes.request, "SO-3", Department.SALES, "later", ["delivery_date=2026-06-30"],
        user=SALES)  # fmt: skip
    act(changes.review, "CH-SO-3-02", "wanted", "tight", "+4 weeks", "none", "none", user=OM)
    act(changes.reject, "CH-SO-3-02", "no capacity", user=MANAGER)
    act(
        desk.track_service,
        "SO-3",
        TrackKind.DELAY,
        cause="tooling",
        measures="second shift",
        expected=date(2026, 5, 20),
        user=PROD,
    )
    # SO-4: cancelled; SO-5: a rejection in review
    act(closure.cancel, "SO-4", "customer withdrew", user=OM)
    act(review.start, "SO-5", user=OM)
    decide("SO-5", {Department.TECHNICAL: Decision.REJECT})
    act(review.conclude, "SO-5", user=OM)
    act(closure.close, "SO-5", user=OM)  # refused
    act(statistics.refresh_dashboard, user=OM)
    return results


@pytest.fixture(params=BACKENDS, name="backend")
def backend_fixture(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run_on(backend: str, master_bytes: bytes, folder: Path, request: Any) -> tuple[Any, Path]:
    """Drive the actions on ``backend``; their results and the tables as a workbook."""
    folder.mkdir()
    book = folder / "orders.xlsx"
    book.write_bytes(master_bytes)
    if backend == "file":
        desk: Desk = Desk(book, folder / "task-orders")
    elif backend == "patch":
        desk = PatchDesk(book, folder / "task-orders")
    else:
        url = (
            f"sqlite:///{folder / 'orderdesk.db'}"
            if backend == "sqlite"
            else request.getfixturevalue("pg_url")
        )
        admin.import_workbook(book, url)
        desk = SqlDesk(url, folder)
    _bind(desk, folder)
    results = drive(desk, folder)
    problems = inquiry.verify
    if isinstance(desk, SqlDesk):
        problems = audit(desk.url)
        exported = folder / "export.xlsx"
        admin.export_workbook(desk.url, exported)
        dispose_all()
        return (results, problems), exported
    with desk.open() as store:
        problems = problems(store).problems
    return (results, problems), book


def _bind(desk: Desk, folder: Path) -> None:
    """Release and track with the desk's own folders and times."""
    from addin.services import release, tracking

    desk.release_service = lambda store, order_no, **kw: release.release(  # type: ignore[attr-defined]
        store, order_no, desk.out_dir, user=OM, base_dir=folder, **kw
    )
    desk.track_service = tracking.track  # type: ignore[attr-defined]


def tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows through the same reader, without their sheet rows, each cell as the
    rules read it (a cell that does not convert: as given)."""
    with FileStore.open(path) as store:
        return {key: [_plain(key, row) for row in store.read(key)] for key in TABLES}


def _plain(table: str, row: Row) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in row.values.items():
        try:
            found[key] = convert(TABLES[table], key, value)
        except CellError:
            found[key] = ("unreadable", value)
    return found


def marks(path: Path) -> dict[tuple[str, str], str]:
    """The notes OrderDesk put at cells, by sheet and cell."""
    wb = load_workbook(path)
    return {
        (ws.title, cell.coordinate): cell.comment.text
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.comment is not None
    }


@pytest.fixture(scope="module")
def on_file(master_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("contract") / "file"
    (results, problems), book = run_on("file", master_bytes, folder, None)
    return results, problems, tables(book), marks(book)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_same_actions_leave_the_same_tables(
    backend: str, on_file: Any, master_bytes: bytes, tmp_path: Path, request: Any
) -> None:
    (results, problems), exported = run_on(backend, master_bytes, tmp_path / backend, request)
    file_results, file_problems, file_tables, file_marks = on_file
    assert results == file_results
    assert problems == file_problems == []
    found = tables(exported)
    for key in TABLES:
        assert found[key] == file_tables[key], key
    # The check's findings shown at their cells alike.
    assert marks(exported) == file_marks


def chunked(path: Path) -> dict[str, int]:
    """Sheet part → how many chunks it is stored in, for the parts an index describes (and
    that index matches the part as stored)."""
    found: dict[str, int] = {}
    with PatchFileStore.open(path) as store:
        for sheet in store._sheets:
            partial = store._partial(sheet.part)
            if partial is not None:
                found[sheet.part] = len(partial.index.chunks)
    return found


@pytest.mark.parametrize("group", [None, 1, 300])
def test_the_patching_store_leaves_the_same_tables(
    group: int | None,
    on_file: Any,
    master_bytes: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The command line's store leaves what the reference store leaves: with its sheets whole,
    and stored in chunks of one row or of a few rows (every sheet of order rows, however
    small), so that each action reads and rewrites some chunks only."""
    if group is not None:
        monkeypatch.setattr(sheet_chunks, "PACK_FROM", 1)
        monkeypatch.setattr(sheet_chunks, "GROUP", group)
    (results, problems), book = run_on("patch", master_bytes, tmp_path / "patch", None)
    file_results, file_problems, file_tables, file_marks = on_file
    assert results == file_results
    assert problems == file_problems == []
    assert tables(book) == file_tables
    assert marks(book) == file_marks
    parts = chunked(book)
    if group is None:
        assert parts == {}
    else:  # the order tables' sheets, each in several groups of rows
        assert len(parts) >= 8 and min(parts.values()) >= 4, parts


def test_the_contract_covers_the_procedure(on_file: Any) -> None:
    """The actions did what the contract says (so an empty comparison cannot pass it)."""
    results, _, found, notes = on_file
    refused = [r for r in results if isinstance(r, list)]
    assert refused[0] == [("review.already_decided", "SO-1")]
    assert len(refused) == 2 and {o for _, o in refused[1]} == {"SO-5"}
    statuses = {row["order_no"]: row["status"] for row in found["orders"]}
    assert statuses["SO-1"] == "closed" and statuses["SO-4"] == "cancelled"
    assert statuses["SO-2"] == "review_passed" and statuses["SO-3"] == "in_production"
    assert [row["status"] for row in found["complaints"]] == ["closed"]
    assert [row["status"] for row in found["changes"]] == ["approved", "rejected"]
    checked = {row["order_no"]: row["findings"] for row in found["orders"]}
    assert "two hundred" in checked["SO-22"]  # a cell no typed column holds, reported
    assert checked["SO-20"] and checked["SO-21"] is not None
    assert any("two hundred" in note for note in notes.values())
