"""The SQL store: rows read back as the workbook's cells parse, one transaction per commit,
stale views refused, contention retried, the ledger chained in commit order."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from contract.sql_fixtures import audit, db_url_fixture, master_db_fixture, sql_store  # noqa: F401
from lifecycle_fixtures import (  # noqa: F401 - fixtures
    OM,
    USERS,
    master_bytes_fixture,
    memory_store,
)

from addin.core.enums import REVIEW_DEPARTMENTS, Decision, OrderStatus
from addin.core.parse import parse_row
from addin.i18n import t
from addin.services import review
from addin.services.snapshot import Snapshot
from workbook.sql import schema
from workbook.sql.retry import retrying
from workbook.sql.store import Contention, SqlStore, StaleView
from workbook.store import ChangeSet, StoreError

AWKWARD_LINE = {
    "order_no": " SO-9 ",
    "line_no": "one",  # not a number: kept as typed, reported by the check
    "product_code": "P1",
    "spec": "  M8x40\t",
    "quantity": "abc",
    "unit_price": Decimal("12.345"),  # more places than the currency has: a finding
    "delivery_date": "next week",
    "delivery_place": "=Shanghai",
    "produced_qty": 3.0,
    "passed_qty": True,
}


def _parsed(table: str, values: dict[str, Any]) -> tuple[Any, list[tuple]]:
    record, problems = parse_row(table, 0, values, {"currency": "CNY"})
    dump = record.model_dump(exclude={"row"}) if record is not None else None
    return dump, [(p.key, p.column, p.params, p.order_no) for p in problems]


def test_rows_read_back_parse_as_the_workbook_cells(master_db: str, master_bytes: bytes) -> None:
    changes = ChangeSet()
    changes.append("lines", AWKWARD_LINE)
    book = memory_store(master_bytes)
    book.commit(changes)
    store = sql_store(master_db)
    store.commit(changes)
    from_book = book.read("lines")[-1].values
    from_db = store.read("lines")[-1].values
    assert _parsed("lines", from_db) == _parsed("lines", from_book)
    # Nothing coerced: the cells a typed column cannot hold are kept as given.
    assert from_db["quantity"] == "abc" and from_db["line_no"] == "one"
    assert from_db["delivery_date"] == "next week" and from_db["passed_qty"] is True
    assert from_db["spec"] == "  M8x40\t" and from_db["unit_price"] == Decimal("12.345")


def test_values_keep_their_types(master_db: str) -> None:
    store = sql_store(master_db)
    changes = ChangeSet()
    changes.append(
        "capacity", {"product_group": "gears", "week_start": date(2026, 3, 2), "capacity_qty": 7}
    )
    changes.append(
        "customers", {"customer_code": "C9", "name": "Nine", "credit_limit": Decimal("0.125")}
    )
    store.commit(changes)
    assert store.read("capacity")[-1].values == {
        "product_group": "gears",
        "week_start": date(2026, 3, 2),
        "capacity_qty": 7,
    }
    assert store.read("customers")[-1].values["credit_limit"] == Decimal("0.125")


def test_enums_stored_as_their_values(master_db: str) -> None:
    """The database is language-neutral: a status is its value, never a label."""
    with sql_store(master_db).engine.connect() as conn:
        statuses = set(conn.execute(sa.select(schema.TABLES["orders"].c.status)).scalars())
    assert statuses == {OrderStatus.CHECKED.value}


def _decide(url: str, department: Any, cls: type[SqlStore] = SqlStore) -> Any:
    return review.record(
        sql_store(url, cls), "SO-1", department, Decision.PASS, None, user=USERS[department]
    )


def _started(url: str) -> None:
    review.start(sql_store(url), "SO-1", user=OM)


def _tables(url: str) -> dict[str, list]:
    store = sql_store(url)
    return {key: store.read(key) for key in ("orders", "reviews", "ledger", "settings")}


class _Together(SqlStore):
    """A store whose first commit in each thread waits until every contender has decided (a
    retry, deciding anew, does not wait again)."""

    barrier: threading.Barrier
    waited = threading.local()

    def commit(self, changes: ChangeSet, expected_versions: dict[str, int] | None = None) -> None:
        if not getattr(self.waited, "done", False):
            self.waited.done = True
            self.barrier.wait(timeout=30)
        super().commit(changes, expected_versions)


def _at_once(actions: list[Callable[[], Any]]) -> list[Any]:
    """Run the actions in threads; each one's result or exception."""
    results: list[Any] = [None] * len(actions)

    def run(i: int) -> None:
        try:
            results[i] = actions[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_deciding_on_the_same_order_one_wins(master_db: str) -> None:
    _started(master_db)
    _Together.barrier = threading.Barrier(2)
    before = _tables(master_db)
    sales, production = REVIEW_DEPARTMENTS[:2]
    results = _at_once(
        [lambda: _decide(master_db, d, _Together) for d in (sales, production)]  # noqa: B023
    )
    stale = [r for r in results if isinstance(r, StaleView)]
    done = [r for r in results if not isinstance(r, Exception)]
    assert len(stale) == 1 and len(done) == 1, results
    after = _tables(master_db)
    # The loser wrote nothing: one decision and one ledger row more, the winner's.
    decided = [r for r in after["reviews"] if r.values["decision"] is not None]
    assert len(decided) == 1
    assert len(after["ledger"]) == len(before["ledger"]) + 1
    winner = decided[0].values["reviewer"]
    assert stale[0].params["order_no"] == "SO-1" and stale[0].params["user"] == winner
    assert not audit(master_db)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stale_view_message(lang: str) -> None:
    exc = StaleView("SO-1", "pete", datetime(2026, 3, 2, 10, 5, 7))
    text = t(exc.key, lang, **exc.params)
    assert "SO-1" in text and "pete" in text and "2026-03-02 10:05:07" in text
    assert ("刷新" if lang == "zh" else "refresh and try again") in text


def test_five_departments_at_once_all_succeed(master_db: str) -> None:
    _started(master_db)
    _Together.barrier = threading.Barrier(len(REVIEW_DEPARTMENTS))
    results = _at_once(
        [lambda d=d: retrying(lambda: _decide(master_db, d, _Together)) for d in REVIEW_DEPARTMENTS]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    store = sql_store(master_db)
    reviews = [r.values for r in store.read("reviews") if r.values["order_no"] == "SO-1"]
    assert sorted(r["decision"] for r in reviews) == ["pass"] * len(REVIEW_DEPARTMENTS)
    seqs = [r.values["seq"] for r in store.read("ledger")]
    assert seqs == list(range(1, len(seqs) + 1))
    assert not audit(master_db)


def test_versions_a_workbook_saw_are_compared(master_db: str) -> None:
    _started(master_db)
    reader = sql_store(master_db)
    Snapshot(reader).orders.get("SO-1")
    seen = reader.version_of("SO-1")
    _decide(master_db, REVIEW_DEPARTMENTS[0])  # someone else acts on SO-1 meanwhile
    store = sql_store(master_db)
    store.expected_versions = {"SO-1": seen}
    before = _tables(master_db)
    with pytest.raises(StaleView) as caught:
        review.record(
            store, "SO-1", REVIEW_DEPARTMENTS[1], Decision.PASS, user=USERS[REVIEW_DEPARTMENTS[1]]
        )
    assert not caught.value.retryable  # the user must refresh the workbook and decide again
    assert _tables(master_db) == before
    attempts = []
    with pytest.raises(StaleView):
        retrying(lambda: attempts.append(1) or (_ for _ in ()).throw(caught.value))
    assert attempts == [1]


def test_retrying_is_bounded() -> None:
    calls: list[int] = []

    def busy() -> None:
        calls.append(1)
        raise Contention("could not serialize access")

    with pytest.raises(Contention):
        retrying(busy, attempts=4, sleep=lambda _: None)
    assert len(calls) == 4
    calls.clear()
    outcomes = iter([Contention("deadlock detected"), StaleView("SO-1", "x", None), "done"])

    def flaky() -> str:
        calls.append(1)
        found = next(outcomes)
        if isinstance(found, Exception):
            raise found
        return found

    assert retrying(flaky, sleep=lambda _: None) == "done" and len(calls) == 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_database_not_initialised(db_url: str, lang: str) -> None:
    with pytest.raises(StoreError) as caught, SqlStore.open(db_url):
        pass
    assert caught.value.key == "server.not_initialised"
    text = t(caught.value.key, lang, **caught.value.params)
    assert "orderdesk db init" in text


# -- processes on PostgreSQL ---------------------------------------------------------------
def _review_orders(url: str, orders: list[str]) -> int:
    """One process: review orders through, each action retried as the command line does."""
    done = 0
    for order_no in orders:
        retrying(lambda o=order_no: review.start(sql_store(url), o, user=OM))
        for department in REVIEW_DEPARTMENTS:
            retrying(
                lambda o=order_no, d=department: review.record(
                    sql_store(url), o, d, Decision.PASS, user=USERS[d]
                )
            )
        retrying(lambda o=order_no: review.conclude(sql_store(url), o, user=OM))
        done += 7
    return done


@pytest.fixture(name="pg_master")
def pg_master_fixture(pg_url: str, master_bytes: bytes, tmp_path: Path) -> str:
    from workbook.sql import admin

    path = tmp_path / "import.xlsx"
    path.write_bytes(master_bytes)
    admin.import_workbook(path, pg_url)
    return pg_url


def test_ledger_stays_linear_under_concurrent_processes(pg_master: str) -> None:
    before = len(sql_store(pg_master).read("ledger"))
    groups = [["SO-1", "SO-2"], ["SO-3", "SO-4"], ["SO-5", "SO-6"], ["SO-7", "SO-8"]]
    context = multiprocessing.get_context("spawn")
    with context.Pool(len(groups)) as pool:
        done = sum(pool.starmap(_review_orders, [(pg_master, g) for g in groups]))
    store = sql_store(pg_master)
    ledger = store.read("ledger")
    assert len(ledger) == before + done
    assert [r.values["seq"] for r in ledger] == list(range(1, len(ledger) + 1))
    assert not audit(pg_master)
    snap = Snapshot(store)
    assert {o.status for o in snap.orders.values()} == {OrderStatus.REVIEW_PASSED}


class _DriverError(Exception):
    def __init__(self, sqlstate: str | None, text: str) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "text", "key"),
    [
        ("40001", "could not serialize access due to concurrent update", "server.busy"),
        ("40P01", "deadlock detected", "server.busy"),
        (None, "database is locked", "server.busy"),
        (None, "connection refused", "server.unreachable"),
        ("23505", "duplicate key value violates unique constraint", "server.constraint"),
        ("42P01", "relation does not exist", "server.db_error"),
    ],
)
def test_database_errors_become_messages(sqlstate: str | None, text: str, key: str) -> None:
    from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

    from workbook.sql.store import database_error

    kind = {"23505": IntegrityError, "42P01": ProgrammingError}.get(
        sqlstate or "", OperationalError
    )
    found = database_error(kind("SELECT 1", {}, _DriverError(sqlstate, text)), "sqlite:///x.db")
    assert found.key == key
    assert bool(getattr(found, "retryable", False)) == (key == "server.busy")
    for lang in ("zh", "en"):
        assert text in t(found.key, lang, **found.params)
