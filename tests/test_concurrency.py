"""Twenty staff at once on PostgreSQL, each a separate process with its own database login:
some press the ribbon of their own connected workbook, some run the command line (see
:mod:`staff_sim`), on orders seeded at every stage, so that within the bounded run each stage
happens: reviews opened, decided and concluded, releases, tracking, changes' opinions and
approval, closure. Afterwards no action is lost, no refusal wrote anything, the ledger's chain
verifies, and every connected workbook, refreshed, equals an export of the database.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from lifecycle_fixtures import OM
from pg_server import admin_connect
from staff_sim import Run, Staff, Step, build_site, run_staff, staff_list

from addin.core.enums import REVIEW_DEPARTMENTS, ChangeStatus, OrderStatus
from addin.core.schema import TABLES
from addin.services import inquiry, review
from workbook.file_store import FileStore
from workbook.sql import admin, security
from workbook.sql.engine import dispose_all
from workbook.sql.store import SqlStore
from workbook.sql.sync import table_contents

WORKERS, BOOKS = 20, 8  # staff; of them with a connected workbook (the rest: command line)
SECONDS = 15.0  # how long they work at once (the whole test stays within a minute here)
LONGEST = 40.0  # and on, until every stage has happened once (a loaded machine is slow)
ORDERS = 6  # few checked: staff meet on the same orders
STAGED = 2  # orders seeded at each later stage (in review, passed, released, accepted, changing)
STAGES = {  # every stage of the procedure, each seeded so that it happens in the time
    "review_start",
    "review_record",
    "review_conclude",
    "release",
    "track",
    "change_opinion",
    "change_approve",
    "close",
}


@dataclass
class Site:
    url: str  # the owner's (who imported the records)
    logins: dict[str, str]  # staff member → their login's URL
    folder: Path

    def url_of(self, staff: Staff) -> str:
        return self.logins[staff.user]


@pytest.fixture
def roles(pg_server_url: str) -> Iterator[list[str]]:
    """Logins a test creates, dropped after its database (so set up before ``pg_url``)."""
    created: list[str] = []
    yield created
    dispose_all()
    with admin_connect(pg_server_url) as conn:
        for name in reversed(created):
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture
def site(roles: list[str], pg_url: str, tmp_path: Path) -> Site:
    """Orders checked and the staff on the roster, imported by the owner; one login per staff
    member, in the application role, mapped to their name in the settings."""
    staff = staff_list(WORKERS, BOOKS)
    admin.import_workbook(build_site(tmp_path / "site.xlsx", ORDERS, staff, STAGED), pg_url)
    logins: dict[str, str] = {}
    mapping = []
    with admin_connect(pg_url) as conn:
        for member in staff:
            name = f"od_t{uuid.uuid4().hex[:8]}_{member.user}"
            conn.execute(f'CREATE ROLE "{name}" LOGIN IN ROLE {security.DEFAULT_APP_ROLE}')
            roles.append(name)
            logins[member.user] = _login_url(pg_url, name)
            mapping.append(f"{name}={member.user}")
        conn.execute(
            "INSERT INTO od_settings (key, value) VALUES (%s, %s)",
            (security.LOGINS_KEY, "; ".join(mapping)),
        )
    return Site(pg_url, logins, tmp_path)


def _login_url(url: str, login: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{login}@{parts.hostname}:{parts.port}"))


def ledger_after(site: Site, seq: int) -> list[dict]:
    with SqlStore.open(site.url) as store:
        return [r.values for r in store.read("ledger") if int(r.values["seq"]) > seq]


def head_seq(site: Site) -> int:
    with SqlStore.open(site.url) as store:
        return max(int(r.values["seq"]) for r in store.read("ledger"))


def export(site: Site) -> dict[str, list]:
    path = site.folder / "export.xlsx"
    admin.export_workbook(site.url, path, force=True)
    with FileStore.open(path) as store:
        return {key: table_contents(key, store.read(key)) for key in TABLES}


def written(site: Site) -> dict[str, Counter]:
    """The rows each kind of action leaves, by who wrote them and what they name: a review
    decision, a tracking fact, a change's opinion, an approved change, a closed order."""
    with SqlStore.open(site.url) as store:
        rows = {key: [r.values for r in store.read(key)] for key in WRITTEN_TABLES}
    return {
        "review_record": Counter(
            (r["reviewer"], r["order_no"]) for r in rows["reviews"] if r.get("decision")
        ),
        "track": Counter((r["recorded_by"], r["order_no"]) for r in rows["tracking"]),
        "change_opinion": Counter(
            (r["reviewer"], r["change_no"]) for r in rows["change_reviews"] if r.get("opinion")
        ),
        "change_approve": Counter(
            (r["decided_by"], r["change_no"])
            for r in rows["changes"]
            if ChangeStatus.parse(r["status"]) == ChangeStatus.APPROVED
        ),
        "close": Counter(
            (r["order_no"],)
            for r in rows["orders"]
            if OrderStatus.parse(r["status"]) == OrderStatus.CLOSED
        ),
    }


WRITTEN_TABLES = ("reviews", "tracking", "change_reviews", "changes", "orders")


def check_nothing_lost(site: Site, run: Run, seq: int, before: dict[str, Counter]) -> None:
    """Every success has its ledger row and its rows; nothing else was written."""
    assert not run.errors, run.errors[0]
    done = [a for a in run.attempts if a.ok]
    ledger = ledger_after(site, seq)
    # every success appended one ledger row per order it reported, by its user: no more, no less
    assert Counter((r["user"], r["order_no"]) for r in ledger) == Counter(
        (a.user, no) for a in done for no in a.orders
    )
    after = written(site)
    for action, rows in after.items():
        expected = Counter(
            (a.target,) if action == "close" else (a.user, a.target)
            for a in done
            if a.action == action
        )
        assert rows - before[action] == expected, action
        assert before[action] - rows == Counter(), action  # nothing of the seed undone
    with SqlStore.open(site.url) as store:
        assert inquiry.verify(store).problems == []


def test_twenty_staff_at_once_lose_nothing(site: Site, capsys: pytest.CaptureFixture) -> None:
    seq, before = head_seq(site), written(site)
    staff = staff_list(WORKERS, BOOKS)
    wanted = tuple(sorted(STAGES))
    run = run_staff(site.url, site.folder, staff, SECONDS, site.url_of, None, wanted, LONGEST)
    check_nothing_lost(site, run, seq, before)
    done = [a for a in run.attempts if a.ok]
    actions = {a.action for a in done}
    refused = {a.action: a.detail for a in run.attempts if not a.ok}  # the last, by action
    assert actions == STAGES, (Counter((a.kind, a.action, a.ok) for a in run.attempts), refused)
    assert {a.kind for a in done} == {"book", "cli"}
    assert len(run.books) == BOOKS
    # the same rows (a view appends an order's new rows where its refreshes found them, so
    # rows of different orders may stand in another order than the database's)
    exported = {key: Counter(rows) for key, rows in export(site).items()}
    for book in run.books:
        with FileStore.open(book) as store:
            shown = {key: Counter(table_contents(key, store.read(key))) for key in TABLES}
        for key in TABLES:
            assert shown[key] == exported[key], (
                book,
                key,
                shown[key] - exported[key],
                exported[key] - shown[key],
            )
    with capsys.disabled():
        print(
            f"\n{WORKERS} staff, {run.seconds:.1f} s: {len(run.attempts)} attempts, "
            f"{len(done)} done ({len(done) / run.seconds:.1f}/s), "
            f"p50 {run.percentile(0.5):.2f} s, p95 {run.percentile(0.95):.2f} s; "
            f"done: {dict(Counter(a.action for a in done))}"
        )


def test_five_departments_recording_at_the_same_moment_all_succeed(site: Site) -> None:
    with SqlStore.open(site.url) as store:  # the owner, for order management
        review.start(store, "CO-0001", user=OM)
    seq, before = head_seq(site), written(site)
    staff = staff_list(WORKERS, BOOKS)
    deciders = [  # three from their workbooks, two from the command line
        next(s for s in staff if s.department == d and s.kind == ("book" if i < 3 else "cli"))
        for i, d in enumerate(REVIEW_DEPARTMENTS)
    ]
    assert {s.kind for s in deciders} == {"book", "cli"}
    step = Step("review_record", "CO-0001")
    run = run_staff(site.url, site.folder, deciders, 0, site.url_of, step=step)
    assert [a.ok for a in run.attempts] == [True] * 5, [a.detail for a in run.attempts]
    check_nothing_lost(site, run, seq, before)
    with SqlStore.open(site.url) as store:
        decided = {
            r.values["department"]
            for r in store.read("reviews")
            if r.values["order_no"] == "CO-0001" and r.values["decision"]
        }
    assert decided == {d.value for d in REVIEW_DEPARTMENTS}
