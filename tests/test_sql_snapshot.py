"""Server mode reads an action's tables as of one moment: a commit made by another user while an
action reads is seen by none of its reads (``SqlStore.snapshot``, held by the action frame)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from contract.sql_fixtures import audit, db_url_fixture, master_db_fixture, sql_store  # noqa: F401
from lifecycle_fixtures import MANAGER, OM, SALES, T0, USERS, master_bytes_fixture  # noqa: F401

from addin.core.enums import REVIEW_DEPARTMENTS, ChangeStatus, Decision, Department, Opinion
from addin.core.forms import po_key
from addin.core.problems import RuleError
from addin.core.schema import TABLES
from addin.server_click import ServerStore
from addin.services import change_review, changes, review
from addin.services.inquiry import verify
from addin.services.snapshot import Snapshot
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.sql import admin
from workbook.sql.retry import retrying
from workbook.sql.store import SqlStore
from workbook.sql.sync import SyncState, refresh, table_contents
from workbook.sql.sync_views import FileView
from workbook.store import ChangeSet, Row

NEW_PO = "PO-LATE-9"


def _another_users_commit(url: str) -> None:
    """A new order SO-9 with a line, and the first customer renamed, by another store."""
    other = sql_store(url)
    customer = other.read("customers")[0]
    found = ChangeSet()
    found.update("customers", customer.row, "name", "Renamed Ltd")
    found.append("orders", {"order_no": "SO-9", "customer_po": NEW_PO, "customer_code": "C1"})
    found.append("lines", {"order_no": "SO-9", "line_no": 1, "product_code": "P1", "quantity": 5})
    other.commit(found)


def _views(store: Any) -> dict[str, Any]:
    """What each kind of read gives of the other user's commit."""

    def numbers(rows: list[Row] | None) -> set[str]:
        return {str(r.values.get("order_no")) for r in rows or []}

    def is_so9(value: Any) -> bool:
        return value == "SO-9"

    return {
        "customer": store.read("customers")[0].values["name"],
        "where": numbers(store.read_where("lines", "order_no", "SO-9", is_so9)),
        "open": "SO-9" in numbers(store.read_open("orders")),
        "po": numbers(store.read_po(po_key(NEW_PO))),
        "period": "SO-9" in numbers(store.read_period("orders", date(2026, 1, 1), None)),
    }


SEEN = {"customer": "Renamed Ltd", "where": {"SO-9"}, "open": True, "po": {"SO-9"}, "period": True}


def test_a_snapshot_does_not_see_a_commit_made_between_its_reads(master_db: str) -> None:
    store = sql_store(master_db)
    name = store.read("customers")[0].values["name"]
    with store.snapshot():
        first = store.read("orders")
        _another_users_commit(master_db)
        inside = _views(store)
        assert store.read("orders") == first
    assert inside == {"customer": name, "where": set(), "open": False, "po": set(), "period": False}
    assert _views(store) == SEEN  # the snapshot closed: the commit is seen


def test_a_connected_workbooks_action_reads_one_snapshot(master_db: str) -> None:
    """The connected workbook's store (the database seen through the view) gives the same."""
    sql = sql_store(master_db)
    server = ServerStore(sql, None, SyncState(master_db, 0))  # type: ignore[arg-type]
    with server.snapshot():
        server.read("orders")
        _another_users_commit(master_db)
        assert "SO-9" not in {r.values["order_no"] for r in server.read("orders")}
    assert "SO-9" in {r.values["order_no"] for r in server.read("orders")}


def test_an_action_left_unfinished_holds_no_view(master_db: str) -> None:
    """An action that is refused (or only reads) never commits: the reads after it see what
    was committed meanwhile, and a view left open is ended by the next one."""
    store = sql_store(master_db)
    with pytest.raises(RuleError):
        changes.approve(store, "CH-NONE", None, None, user=MANAGER)
    _another_users_commit(master_db)
    assert _views(store) == SEEN
    pool = store.engine.pool
    idle = pool.checkedout()  # type: ignore[attr-defined]
    left = store.snapshot()
    left.__enter__()  # never left
    store.read("orders")
    assert pool.checkedout() == idle + 1  # type: ignore[attr-defined]
    with store.snapshot():
        store.read("orders")
        assert pool.checkedout() == idle + 1  # type: ignore[attr-defined]
    assert pool.checkedout() == idle  # type: ignore[attr-defined]


# -- the approval race ------------------------------------------------------------------------
def _run(url: str, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return retrying(lambda: service(sql_store(url), *args, **kwargs))


def _reviewed_change(url: str) -> str:
    """SO-1 through its review, a change of quantity reviewed with every opinion given."""
    _run(url, review.start, "SO-1", user=OM)
    for department in REVIEW_DEPARTMENTS:
        user = USERS[department]
        _run(url, review.record, "SO-1", department, Decision.PASS, None, user=user)
    _run(url, review.conclude, "SO-1", user=OM)
    outcome = _run(
        url, changes.request, "SO-1", Department.CUSTOMER, "more", ["quantity=120"], user=SALES
    )
    change_no = str(outcome.data["change_no"])
    _run(url, changes.review, change_no, "needed", "feasible", "none", "none", "none", user=OM)
    for row in sql_store(url).read("change_reviews"):
        if row.values.get("change_no") == change_no and not row.values.get("opinion"):
            department = Department.parse(row.values["department"])
            user = USERS[department]  # type: ignore[index]
            _run(url, change_review.record, change_no, department, Opinion.AGREE, "ok", user=user)
    return change_no


class _Interleaved(SqlStore):
    """A store whose first read, once made, lets another user's action commit (once)."""

    meanwhile: Callable[[], Any] | None = None

    def read(self, table: str) -> list[Row]:
        rows = super().read(table)
        meanwhile, _Interleaved.meanwhile = _Interleaved.meanwhile, None
        if meanwhile is not None:
            meanwhile()
        return rows


def test_an_approval_racing_another_is_refused_as_already_decided(master_db: str) -> None:
    change_no = _reviewed_change(master_db)
    _Interleaved.meanwhile = lambda: _run(
        master_db, changes.approve, change_no, None, None, user=MANAGER
    )
    store = sql_store(master_db, _Interleaved)
    with pytest.raises(RuleError) as caught:
        retrying(lambda: changes.approve(store, change_no, None, None, user=MANAGER))
    found = [(p.key, p.params.get("change_no")) for p in caught.value.problems]
    print("refusal:", [p.format(lang) for p in caught.value.problems for lang in ("en", "zh")])
    assert found == [("change.already_decided", change_no)]
    (problem,) = caught.value.problems
    assert problem.format("en").endswith(f"change {change_no} is already decided ('Approved')")
    assert problem.format("zh").endswith(f"变更 {change_no} 已处理（“已批准”）")
    # the winner's approval alone was written
    (change,) = Snapshot(sql_store(master_db)).records("changes")
    assert change.status == ChangeStatus.APPROVED
    assert [line.quantity for line in Snapshot(sql_store(master_db)).lines["SO-1"]] == [120]
    assert not audit(master_db)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_verify_racing_a_commit_finds_nothing(master_db: str) -> None:
    """``verify`` reads the settings' head, the orders and the ledger as of one moment: an
    action committed between those reads is no finding. (PostgreSQL with the server's
    security checks the chain in one statement of its own.)"""
    _Interleaved.meanwhile = lambda: _run(master_db, review.start, "SO-2", user=OM)
    found = verify(sql_store(master_db, _Interleaved)).problems
    print("verify:", [p.format("en") for p in found])
    assert found == []
    assert not audit(master_db)  # and afterwards, with the new ledger row


def _contents(path: Path) -> dict[str, list[Any]]:
    with FileStore.open(path) as store:
        return {key: table_contents(key, store.read(key)) for key in TABLES}


def test_connecting_a_workbook_while_someone_commits_shows_one_moment(
    master_db: str, tmp_path: Path
) -> None:
    """A whole refresh reads the ledger and every table as of one moment: the view shows the
    database as of the ledger entry it records, and the next refresh brings the rest."""
    before, after = tmp_path / "before.xlsx", tmp_path / "after.xlsx"
    admin.export_workbook(master_db, before)
    view_path = create_master_workbook(tmp_path / "view.xlsx", "en")
    _Interleaved.meanwhile = lambda: _run(master_db, review.start, "SO-2", user=OM)
    with FileView.open(view_path) as view:
        done = refresh(sql_store(master_db, _Interleaved), view, SyncState(master_db), T0)
    assert _Interleaved.meanwhile is None  # the other user did commit meanwhile
    assert done.whole and done.state.seq == 16
    assert _contents(view_path) == _contents(before)
    with FileView.open(view_path) as view:
        done = refresh(sql_store(master_db), view, done.state, T0)
    assert done.orders == ["SO-2"] and done.state.seq == 17
    admin.export_workbook(master_db, after)
    assert _contents(view_path) == _contents(after)
