"""Shared helpers of the foundation tests: workbooks, order forms, raw XML and the command line.

Import what a test module needs; pytest registers the fixtures imported into a module.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from addin.core.enums import Department, Role
from addin.core.schema import TABLES
from addin.demo.data import clean_order
from addin.demo.run import FLAWS, seed_workbook, write_form
from addin.i18n import t
from addin.services import receipt
from addin.services.context import Outcome, default_user
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.headers import map_headers
from workbook.store import ChangeSet, Row

LANGS = ("zh", "en")
TODAY = date(2026, 11, 28)
RECEIVED = TODAY - timedelta(days=2)
NOW = datetime(2026, 11, 28, 9, 30, 15)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


# -- workbooks -----------------------------------------------------------------------------
def new_workbook(directory: Path, lang: str = "zh", name: str = "master.xlsx") -> Path:
    return create_master_workbook(directory / name, lang)  # type: ignore[arg-type]


_SEEDED: dict[str, bytes] = {}
TESTER = "tester"  # on the seeded roster as order-management staff


def seeded_workbook(directory: Path, lang: str = "zh", name: str = "master.xlsx") -> Path:
    """A master workbook with the demo's customers, products, staff and capacity.

    Seeded once per language and copied: the tests change their copies only."""
    if lang not in _SEEDED:
        template = Path(tempfile.mkdtemp(prefix="seeded-")) / "master.xlsx"
        seed_workbook(template, lang, TODAY)
        # the tests' own actors (and the command line's default, the login name) receive and
        # check orders: order management's work (§2)
        with FileStore.open(template, write=True) as store:
            changes = ChangeSet()
            for actor in dict.fromkeys((TESTER, default_user())):
                changes.append(
                    "staff",
                    {"name": actor, "department": Department.ORDER_MGMT, "role": Role.STAFF},
                )
            store.commit(changes)
        _SEEDED[lang] = template.read_bytes()
    path = directory / name
    path.write_bytes(_SEEDED[lang])
    return path


def order_rows(
    order_no: str, *, lines: int = 2, seed: int = 7, received: date = RECEIVED
) -> list[dict[str, Any]]:
    """Order-form rows of one order that passes the preliminary check.

    Deliveries are put 60 days out (beyond every lead time of the catalogue), so a flaw that
    changes the product is judged on that flaw and not on the lead time of the product before.
    """
    rows = clean_order(random.Random(seed), order_no, received, lines=lines)
    for row in rows:
        row["delivery_date"] = received + timedelta(days=60)
    return rows


def flawed_rows(flaw: str, order_no: str, seed: int = 11) -> list[dict[str, Any]]:
    rows = order_rows(order_no, lines=2, seed=seed)
    FLAWS[flaw](rows)
    return rows


def write_order_form(path: Path, rows: list[dict[str, Any]], lang: str = "zh") -> Path:
    write_form(path, rows, lang)
    return path


def receive_rows(
    workbook: Path,
    rows: list[dict[str, Any]],
    lang: str = "zh",
    user: str = TESTER,
    now: datetime = NOW,
) -> Outcome:
    form = write_order_form(workbook.with_name(f"form-{len(rows)}-{lang}.csv"), rows, lang)
    with FileStore.open(workbook, write=True) as store:
        return receipt.receive(store, form, user=user, now=now)


def check(
    workbook: Path,
    order_nos: list[str] | None = None,
    user: str = TESTER,
    now: datetime = NOW,
) -> Outcome:
    with FileStore.open(workbook, write=True) as store:
        return receipt.check(store, order_nos, user=user, now=now)


def read(workbook: Path, table: str) -> list[Row]:
    with FileStore.open(workbook) as store:
        return store.read(table)


def read_all(workbook: Path) -> dict[str, list[Row]]:
    """Every table's rows, from one load of the file."""
    with FileStore.open(workbook) as store:
        return {table: store.read(table) for table in TABLES}


def row_of(workbook: Path, table: str, **match: Any) -> Row:
    found = [r for r in read(workbook, table) if all(r.values[k] == v for k, v in match.items())]
    assert len(found) == 1, (table, match, found)
    return found[0]


def file_state(path: Path) -> tuple[bytes, int]:
    """What 'nothing written' is compared on: the bytes and the modification time."""
    return path.read_bytes(), path.stat().st_mtime_ns


# -- editing a workbook as a user would (openpyxl, outside OrderDesk) -------------------------
def sheet(wb: Any, table: str) -> Any:
    """The worksheet of ``table`` in a workbook loaded with openpyxl (any language)."""
    for ws in wb.worksheets:
        if TABLES[table].name in ws.tables:
            return ws
    raise KeyError(table)


def column_index(ws: Any, table: str) -> dict[str, int]:
    """Column key → 1-based worksheet column, from the header row of the table."""
    lo = ws.tables[TABLES[table].name]
    first = ws[lo.ref.split(":")[0]].column
    headers = [c.value for c in ws[1]][first - 1 :]
    positions, missing = map_headers(TABLES[table], headers)
    assert not missing, missing
    return {key: first + pos for key, pos in positions.items()}


def cell(ws: Any, table: str, row: int, key: str) -> Any:
    return ws.cell(row=row, column=column_index(ws, table)[key])


def edit(path: Path, change: Callable[[Any], None]) -> None:
    """Load with openpyxl, let ``change`` edit the workbook, save in place."""
    wb = load_workbook(path)
    change(wb)
    wb.save(path)


def opened(path: Path) -> Any:
    return load_workbook(path)


def rewrite_ledger(path: Path, change: Callable[[list[list[Any]]], list[list[Any]]]) -> None:
    """Rewrite the ledger's rows as a person would in Excel (cut, paste, delete rows)."""

    def apply(wb: Any) -> None:
        ws = sheet(wb, "ledger")
        min_col, _, max_col, _ = range_boundaries(ws.tables[TABLES["ledger"].name].ref)
        count = len(read(path, "ledger"))
        rows = [
            [ws.cell(row=r, column=c).value for c in range(min_col, max_col + 1)]
            for r in range(2, count + 2)
        ]
        new = change(rows)
        for r in range(count):
            for c in range(min_col, max_col + 1):
                value = new[r][c - min_col] if r < len(new) else None
                ws.cell(row=r + 2, column=c).value = value

    edit(path, apply)


def set_cell(path: Path, table: str, row: int, key: str, value: Any) -> None:
    def apply(wb: Any) -> None:
        ws = sheet(wb, table)
        ws.cell(row=row, column=column_index(ws, table)[key]).value = value

    edit(path, apply)


# -- the saved XML -----------------------------------------------------------------------------
def sheet_part(path: Path, title: str) -> str:
    """The zip member holding the worksheet titled ``title``."""
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall(f"{{{PKG_REL_NS}}}Relationship")}
    for node in book.findall("m:sheets/m:sheet", NS):
        if node.get("name") == title:
            target = targets[node.get(f"{{{REL_NS}}}id")]
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(title)


def xml_cell(path: Path, title: str, ref: str) -> ET.Element | None:
    """The ``<c>`` element of cell ``ref`` on sheet ``title``, as saved."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read(sheet_part(path, title)))
    for node in root.iterfind(".//m:sheetData/m:row/m:c", NS):
        if node.get("r") == ref:
            return node
    return None


def xml_text(node: ET.Element, shared: list[str]) -> str | None:
    kind = node.get("t")
    if kind == "inlineStr":
        return "".join(x.text or "" for x in node.iterfind(".//m:t", NS))
    value = node.find("m:v", NS)
    if value is None:
        return None
    return shared[int(value.text or "0")] if kind == "s" else value.text


def shared_strings(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        if "xl/sharedStrings.xml" not in z.namelist():
            return []
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(x.text or "" for x in si.iterfind(".//m:t", NS)) for si in root]


def table_parts(path: Path) -> dict[str, ET.Element]:
    """ListObject name → its ``<table>`` element, from the saved package."""
    out: dict[str, ET.Element] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/tables/") and name.endswith(".xml"):
                root = ET.fromstring(z.read(name))
                out[root.get("displayName") or ""] = root
    return out


# -- messages ----------------------------------------------------------------------------------
def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def where(lang: str, table: str, row: int | None = None, column: str | None = None) -> str:
    """The location text a problem must carry, built from the catalogue."""
    parts = [t("where.sheet", lang, sheet=t(f"sheet.{TABLES[table].sheet}", lang))]
    if row is not None:
        parts.append(t("where.row", lang, row=row))
    if column is not None:
        parts.append(t("where.column", lang, column=t(f"col.{table}.{column}", lang)))
    return t("where.sep", lang).join(parts)


# -- the command line --------------------------------------------------------------------------
@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def cli(*args: Any) -> CliResult:
    """Run ``orderdesk`` in this process; argparse's own exits are caught as codes."""
    from addin.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return CliResult(code, out.getvalue(), err.getvalue())


# -- the demo ------------------------------------------------------------------------------------
_DEMOS: dict[str, tuple[Path, dict[str, Any]]] = {}


def build_demo(base: Path, lang: str) -> tuple[Path, dict[str, Any]]:
    """``orderdesk demo --json`` (run once per session and language): the master workbook and
    the printed summary. Copy the workbook before changing it.

    The foundation's demo: master data, a form with every channel and every flaw received,
    orders typed into the sheet, the preliminary check. The lifecycle paths the demo drives
    after that (review to closure, task orders, mail) take half a minute and belong to the
    lifecycle's tests; they are left out here to keep this suite fast."""
    if lang not in _DEMOS:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("addin.demo.run._lifecycle", lambda: None)
            result = cli("demo", "--out", base / f"demo-{lang}", "--lang", lang, "--json")
        assert result.code == 0, result.err
        summary = result.json
        _DEMOS[lang] = Path(summary["workbook"]), summary
    return _DEMOS[lang]


@pytest.fixture(scope="session")
def demo_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.getbasetemp(), "zh")[0]


@pytest.fixture(scope="session")
def demo_summary(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return build_demo(tmp_path_factory.getbasetemp(), "zh")[1]


def copy_of(source: Path, directory: Path, name: str | None = None) -> Path:
    """A copy of a master workbook, with the yearly archives it records (kept beside it, under
    the names the master records)."""
    target = directory / (name or source.name)
    shutil.copy2(source, target)
    for archive in source.parent.glob(f"{source.stem}-archive-*.xlsx"):
        if not archive.name.endswith(".bak.xlsx"):
            shutil.copy2(archive, directory / archive.name)
    return target
