"""Setting a database up and moving records in and out: ``orderdesk db init|upgrade|import|
export``. Each writes in one transaction, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl.utils import range_boundaries
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from addin.core import ledger as core_ledger
from addin.core.parse import parse_table
from addin.core.problems import Problem
from addin.core.schema import SCHEMA_VERSION, TABLES
from addin.i18n import Lang, normalize_lang
from workbook.sql import migrate, schema
from workbook.sql import url as urls
from workbook.sql.engine import engine_for
from workbook.sql.store import SqlStore, database_error, row_values
from workbook.sql.values import enum_value
from workbook.store import ChangeSet, Row, StoreError

CHAIN_PROBLEMS = frozenset(
    {"verify.duplicate", "verify.reordered", "verify.gap", "verify.edited", "verify.truncated"}
)
BATCH = 1000


@dataclass
class Moved:
    """What an import or export moved."""

    url: str  # without password
    rows: int
    orders: int
    ledger: int
    lang: Lang


def _engine(target: str) -> tuple[Engine, str]:
    url = urls.parse(target)
    return engine_for(url), urls.mask(target)


def _guard(engine_url: str) -> Any:
    """Database errors as StoreErrors, the URL shown without password."""

    class _Guard:
        def __enter__(self) -> None:
            return None

        def __exit__(self, kind: Any, exc: Any, tb: Any) -> bool:
            if isinstance(exc, SQLAlchemyError):
                raise database_error(exc, engine_url) from exc
            return False

    return _Guard()


def init(target: str, lang: Lang = "zh") -> tuple[str, str, bool]:
    """Create the schema and the rows a new master workbook starts with (settings, time
    limits, department mail). Returns (url, revision, created); an initialised database is
    left as it is."""
    engine, shown = _engine(target)
    with _guard(shown):
        found = migrate.current(engine)
        if found is not None:
            return shown, found, False
        from workbook.create import build_master_workbook
        from workbook.file_store import FileStore

        template = FileStore(Path("new.xlsx"), build_master_workbook(lang))
        rows = {key: template.read(key) for key in TABLES}
        migrate.upgrade(engine, then=lambda conn: fill(conn, rows, lang, None))
        return shown, migrate.current(engine) or "", True


def upgrade(target: str) -> tuple[str, str | None, str]:
    """Bring the schema to this version's: (url, revision before, revision after)."""
    engine, shown = _engine(target)
    with _guard(shown):
        before = migrate.current(engine)
        if before is None:
            raise StoreError("server.not_initialised", url=shown)
        migrate.upgrade(engine)
        return shown, before, migrate.current(engine) or ""


Marks = list[tuple[str, int, str, str]]  # (table, sheet row, column, note)


def fill(
    conn: Connection,
    rows: dict[str, list[Row]],
    lang: Lang,
    head: core_ledger.Chain | None,
    marks: Marks | None = None,
) -> None:
    """Replace every table's rows with ``rows`` (in their order), the findings' ``marks`` at
    their rows, and set the meta and head."""
    for key in TABLES:
        conn.execute(sa.delete(schema.TABLES[key]))
    conn.execute(sa.delete(schema.marks))
    conn.execute(sa.delete(schema.meta))
    conn.execute(sa.delete(schema.ledger_head))
    row_ids: dict[tuple[str, int], int] = {}
    for key, found in rows.items():
        values = [row_values(key, row.values, lang) for row in found]
        if key == "orders":
            for item in values:
                item["lock_version"] = 1
        table = schema.TABLES[key]
        insert = sa.insert(table).returning(table.c.row_id, sort_by_parameter_order=True)
        for start in range(0, len(values), BATCH):
            ids = conn.execute(insert, values[start : start + BATCH]).scalars().all()
            for row, row_id in zip(found[start : start + BATCH], ids, strict=True):
                row_ids[(key, row.row)] = row_id
    found_marks = [
        {"table_key": key, "row": row_ids[(key, row)], "column_key": column, "note": note}
        for key, row, column, note in marks or []
        if (key, row) in row_ids
    ]
    if found_marks:
        conn.execute(sa.insert(schema.marks), found_marks)
    conn.execute(
        sa.insert(schema.meta),
        [{"key": "schema", "value": str(SCHEMA_VERSION)}, {"key": "lang", "value": lang}],
    )
    head = head or core_ledger.Chain()
    conn.execute(sa.insert(schema.ledger_head).values(id=1, seq=head.seq, hash=head.hash))


def chain_problems(rows: dict[str, list[Row]]) -> list[Problem]:
    """The ledger chain's problems as ``orderdesk verify`` finds them (statuses aside: those
    move into the database as they are and verify reports them there alike)."""
    entries, _ = parse_table("ledger", rows["ledger"])
    settings, _ = parse_table("settings", rows["settings"])
    head = next((s.value for s in settings if s.key == core_ledger.HEAD_KEY), None) or None
    found = core_ledger.verify(entries, head, [])
    return [p for p in found if p.key in CHAIN_PROBLEMS]


def import_workbook(workbook: Path, target: str) -> Moved:
    """Move a master workbook's records into an empty database (initialised first when new).
    A broken ledger chain is refused with its problems (RuleError), nothing written."""
    from addin.core.problems import RuleError
    from workbook.open import open_workbook

    with open_workbook(workbook) as book:
        lang = book.lang
        rows = {key: book.read(key) for key in TABLES}
    problems = chain_problems(rows)
    if problems:
        raise RuleError(problems)
    marks = workbook_marks(workbook)
    entries, _ = parse_table("ledger", rows["ledger"])
    head = core_ledger.chain_end(entries)
    engine, shown = _engine(target)
    with _guard(shown):
        if migrate.current(engine) is None:
            migrate.upgrade(engine, then=lambda conn: fill(conn, {}, lang, None))
        migrate.ensure_current(engine, shown)
        with engine.connect() as conn, conn.execution_options(immediate=True).begin():
            orders, ledger_rows = (
                conn.execute(sa.select(sa.func.count()).select_from(schema.TABLES[key])).scalar()
                for key in ("orders", "ledger")
            )
            if orders or ledger_rows:
                raise StoreError("server.not_empty", url=shown, orders=orders, ledger=ledger_rows)
            fill(conn, rows, lang, head, marks)
    return Moved(
        shown, sum(map(len, rows.values())), len(rows["orders"]), len(rows["ledger"]), lang
    )


def workbook_marks(workbook: Path) -> Marks:
    """The findings OrderDesk shows at the cells of a workbook's tables (its own notes only)."""
    from openpyxl import load_workbook

    from workbook.cell_values import NOTE_HEADER, note_is_ours
    from workbook.file_store import FileStore

    book = FileStore(workbook, load_workbook(workbook, rich_text=False))
    found: Marks = []
    for key in TABLES:
        if TABLES[key].name not in book._found:  # a later table an older workbook lacks
            continue
        view = book._view(key)
        for column, index in view.columns.items():
            for (cell,) in view.ws.iter_rows(
                min_row=view.header_row + 1, max_row=view.last_row, min_col=index, max_col=index
            ):
                comment = cell.comment
                if comment is not None and note_is_ours(comment.author, comment.text):
                    note = comment.text.removeprefix(NOTE_HEADER).removeprefix("\n")
                    found.append((key, cell.row, column, note))
    return found


def export_workbook(target: str, workbook: Path, force: bool = False) -> Moved:
    """Write the database's records as a complete master workbook (tables, drop-downs,
    formats, the findings' marks); the caller refreshes its dashboard. A ledger chain the
    server finds broken is refused (RuleError), nothing written."""
    from workbook.create import build_master_workbook
    from workbook.file_store import FileStore
    from workbook.safe_save import save_workbook

    if workbook.exists() and not force:
        raise StoreError("store.exists", path=str(workbook))
    with SqlStore.open(target) as store:
        lang = store.lang
        rows = {key: store.read(key) for key in TABLES}
        with store.engine.connect() as conn:
            marks = conn.execute(sa.select(schema.marks).order_by(schema.marks.c.row_id)).all()
        server = store.ledger_problems()
    if server:  # re-chaining a broken keyed chain would hide what broke it
        from addin.core.problems import RuleError

        raise RuleError(server)
    if server is not None:  # the server's keyed chain becomes the file mode's own
        _rechain(rows)
    wb = build_master_workbook(lang)
    _clear_tables(wb, lang)
    book = FileStore(workbook, wb)
    changes = ChangeSet()
    position: dict[tuple[str, int], int] = {}
    for key, found in rows.items():
        first = book._view(key).header_row + 1
        for index, row in enumerate(found):
            position[(key, row.row)] = first + index
            values = {k: enum_value(TABLES[key], k, v) for k, v in row.values.items()}
            changes.append(key, values)
    for mark in marks:
        where = position.get((mark.table_key, mark.row))
        if where is not None:
            changes.mark(mark.table_key, where, mark.column_key, mark.note)
    book.apply(changes)
    save_workbook(wb, workbook, backup=force)
    return Moved(
        store.display_url,
        sum(map(len, rows.values())),
        len(rows["orders"]),
        len(rows["ledger"]),
        normalize_lang(lang),
    )


def _rechain(rows: dict[str, list[Row]]) -> None:
    """The ledger's hashes as the file mode chains them (the server keys its chain with a secret
    a workbook cannot check), and the settings' head with them. Rows stay in seq order."""
    chain = core_ledger.Chain()
    ledger_rows = sorted(rows["ledger"], key=lambda row: int(row.values.get("seq") or 0))
    rows["ledger"] = []
    for row in ledger_rows:
        fields = {k: v for k, v in row.values.items() if k not in ("seq", "hash")}
        rows["ledger"].append(Row(row.row, chain.next_row(fields)))
    rows["settings"] = [
        Row(row.row, {**row.values, "value": chain.head})
        if row.values.get("key") == core_ledger.HEAD_KEY
        else row
        for row in rows["settings"]
    ]


def _clear_tables(wb: Any, lang: Lang) -> None:
    """Empty the tables a new workbook starts with rows in (the database's rows replace them)."""
    for table in TABLES.values():
        ws = wb[table.sheet_title(lang)]
        lo = ws.tables[table.name]
        min_col, min_row, max_col, max_row = range_boundaries(lo.ref)
        for row in ws.iter_rows(
            min_row=min_row + 1, max_row=max_row, min_col=min_col, max_col=max_col
        ):
            for cell in row:
                cell.value = None
