"""Text an .xlsx cannot hold as it is (issue 12 item 10): a NUL and other control characters, and
text that looks like an escape (``_x0041_``), are written per the OOXML rule (``_xHHHH_``, a
literal ``_x`` as ``_x005F_x``) and read back identically through every store."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from foundation_fixtures import LANGS, cli, order_rows, read, seeded_workbook, write_order_form
from hypothesis import given
from hypothesis import strategies as st
from soffice import convert

from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet
from workbook.xlwings_store import XlwingsStore
from workbook.xstring import escape, unescape

# What Excel reads from a worksheet's text: every _xHHHH_ is the character HHHH.
_EXCEL_READS = re.compile("_x([0-9A-Fa-f]{4})_")
TRICKY = [
    "a\x00b",
    "_x0041_",
    "_x005F_x0041_",
    "x_x_",
    "\x01\x1f\x0b\x0c",
    "tab\tline\nz",
    "_x0041",
    "A_x\x00",
    "__x0000_",
    "_X0041_",
]
STORES = {"patch": PatchFileStore, "file": FileStore}


def excel_reads(xml_text: str) -> str:
    return _EXCEL_READS.sub(lambda m: chr(int(m.group(1), 16)), xml_text)


@given(st.text())
def test_escape_is_what_excel_reads_back(text: str) -> None:
    written = escape(text)
    assert re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", written) is None
    assert excel_reads(written) == text
    assert unescape(written) == text


def test_escapes_as_the_standard_writes_them() -> None:
    assert escape("a\x00b") == "a_x0000_b"
    assert escape("_x0041_") == "_x005F_x0041_"
    assert escape("plain_text x") == "plain_text x"


def _ledger_rows(values: list[str]) -> ChangeSet:
    changes = ChangeSet()
    for seq, value in enumerate(values, start=1):
        changes.append("ledger", {"seq": seq, "details": value})
    return changes


def _details(path: Path) -> dict[str, list[str]]:
    found = {}
    for name, store in STORES.items():
        with store.open(path) as opened:
            found[name] = [r.values["details"] for r in opened.read("ledger")]
    return found


def _sheet_texts(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(
            package.read(n).decode("utf-8") for n in package.namelist() if n.startswith("xl/")
        )


@pytest.mark.parametrize("kind", list(STORES))
def test_file_stores_keep_control_characters_and_escapes(tmp_path: Path, kind: str) -> None:
    path = seeded_workbook(tmp_path)
    with STORES[kind].open(path, write=True) as store:
        store.commit(_ledger_rows(TRICKY))
    assert _details(path) == {"patch": TRICKY, "file": TRICKY}
    xml = _sheet_texts(path)
    assert "a_x0000_b" in xml and "_x005F_x0041_" in xml and "\x00" not in xml


def test_marks_keep_control_characters(tmp_path: Path) -> None:
    path = seeded_workbook(tmp_path)
    with PatchFileStore.open(path, write=True) as store:
        store.commit(_ledger_rows(["x"]))
        row = store.read("ledger")[0].row
    for kind, store_type in STORES.items():
        changes = ChangeSet()
        changes.mark("ledger", row, "details", f"'\x00' {kind} _x0041_")
        with store_type.open(path, write=True) as store:
            store.commit(changes)
        with FileStore.open(path) as store:
            comment = (
                store._view("ledger")
                .ws.cell(row=row, column=store._view("ledger").columns["details"])
                .comment
            )
            assert unescape(comment.text).endswith(f"'\x00' {kind} _x0041_")


def test_the_excel_store_round_trip(new_master_book, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book = new_master_book()
    XlwingsStore(book).commit(_ledger_rows(TRICKY))
    assert [r.values["details"] for r in XlwingsStore(book).read("ledger")] == TRICKY
    book.save()
    path = Path(book.fullname)
    assert _details(path) == {"patch": TRICKY, "file": TRICKY}


def test_libreoffice_reads_and_writes_them_back(tmp_path: Path) -> None:
    path = seeded_workbook(tmp_path)
    # LibreOffice decodes an escape of an escape twice ("_x005F_x0041_" comes back as
    # "_x0041_"), unlike Excel and the standard: that one value is left out here.
    values = [v for v in TRICKY if v != "_x005F_x0041_"]
    with PatchFileStore.open(path, write=True) as store:
        store.commit(_ledger_rows(values))
    saved = convert("xlsx", [path], tmp_path / "lo", tmp_path / "profile")[0]
    with zipfile.ZipFile(saved) as package:
        assert "xl/sharedStrings.xml" in package.namelist()  # LibreOffice's own writing
    assert _details(saved) == {"patch": values, "file": values}


@pytest.mark.parametrize("lang", LANGS)
def test_receive_keeps_a_nul_from_the_order_form(tmp_path: Path, lang: str) -> None:
    workbook = seeded_workbook(tmp_path, lang)
    rows = order_rows("SO1", lines=1)
    rows[0]["packaging_req"] = "box\x00_x0041_"
    form = write_order_form(tmp_path / "form.csv", rows, lang)
    assert cli("receive", workbook, form, "--lang", lang).code == 0
    [order] = read(workbook, "orders")
    assert order.values["packaging_req"] == "box\x00_x0041_"
