"""The openpyxl fallback never drops what users added (issue 12 item 2): a change set the
patching store cannot patch is refused, naming the sheet and what would be lost, when the
workbook holds pictures, shapes or rich text that openpyxl would drop or flatten."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter
from test_patch_store import (  # noqa: F401
    _add_picture,
    _orders_part,
    _put_cell,
    _rewrite_member,
    masters,
)

from addin.core.schema import TABLES
from addin.i18n import t
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet, StoreError

REMARKS = get_column_letter(TABLES["orders"].column_keys.index("remarks") + 1).encode()


def _shared_formula_master(path: Path) -> None:
    """A shared formula whose first cell is in the orders' remarks column (rows 2 to 4), its
    references relative."""

    def put(xml: bytes) -> bytes:
        master = b'<c r="' + REMARKS + b'2" t="str"><f t="shared" ref="' + REMARKS + b"2:"
        xml = _put_cell(xml, master + REMARKS + b'4" si="7">A2&amp;"!"</f><v>x</v></c>')
        for n in (3, 4):
            cell = b'<c r="%s%d" t="str"><f t="shared" si="7"/><v>x</v></c>' % (REMARKS, n)
            xml = _put_cell(xml, cell)
        return xml

    _rewrite_member(path, _orders_part(path), put)


def _array_formula(path: Path) -> None:
    """An array formula over the orders' remarks of rows 2 and 3: writing into it falls back."""

    def put(xml: bytes) -> bytes:
        first = b'<c r="' + REMARKS + b'2"><f t="array" ref="' + REMARKS + b"2:" + REMARKS
        xml = _put_cell(xml, first + b'3">{1;2}</f><v>1</v></c>')
        return _put_cell(xml, b'<c r="' + REMARKS + b'3"><v>2</v></c>')

    _rewrite_member(path, _orders_part(path), put)


def _sheet_part(path: Path, title: str) -> str:
    with PatchFileStore.open(path) as store:
        return next(s.part for s in store._sheets if s.title == title)


RUNS = b"<r><rPr><b/><sz val='11'/></rPr><t>bold</t></r><r><t xml:space='preserve'> plain</t></r>"
STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _add_rich_text(path: Path, title: str, how: str) -> None:
    """A cell (AZ1) of two runs, the first bold: an inline string, or a shared string as Excel
    writes it."""
    if how == "inline":
        cell = b'<c r="AZ1" t="inlineStr"><is>' + RUNS + b"</is></c>"
    else:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            strings = (
                package.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else None
            )
        if strings is None:
            main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            with zipfile.ZipFile(path, "a") as package:
                package.writestr("xl/sharedStrings.xml", b'<sst xmlns="' + main + b'"></sst>')
            _rewrite_member(
                path,
                "[Content_Types].xml",
                lambda xml: xml.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                    + STRINGS_TYPE
                    + b'"/></Types>',
                ),
            )
            _rewrite_member(
                path,
                "xl/_rels/workbook.xml.rels",
                lambda xml: xml.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSst" Type="'
                    + STRINGS_REL
                    + b'" Target="sharedStrings.xml"/></Relationships>',
                ),
            )
            strings = b"<sst></sst>"
        index = strings.count(b"<si>") + strings.count(b"<si ")
        _rewrite_member(
            path,
            "xl/sharedStrings.xml",
            lambda xml: xml.replace(b"</sst>", b"<si>" + RUNS + b"</si></sst>"),
        )
        cell = b'<c r="AZ1" t="s"><v>%d</v></c>' % index
    _rewrite_member(
        path, _sheet_part(path, title), lambda xml: xml.replace(b"</row>", cell + b"</row>", 1)
    )


def _refused(path: Path) -> StoreError:
    before = path.read_bytes()
    changes = ChangeSet()
    changes.update("orders", 3, "remarks", "inside the array")
    with pytest.raises(StoreError) as caught, PatchFileStore.open(path, write=True) as store:
        store.commit(changes)
    assert path.read_bytes() == before
    return caught.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pictures_anywhere_refuse_the_fallback(masters, tmp_path: Path, lang: str) -> None:  # noqa: F811
    path = tmp_path / "pictures.xlsx"
    shutil.copy(masters[lang], path)
    customers = TABLES["customers"].sheet_title(lang)
    _add_picture(path, customers)
    _array_formula(path)
    error = _refused(path)
    assert error.key == "store.fallback_pictures"
    assert error.params["sheet"] == customers
    for shown in ("zh", "en"):
        assert customers in t(error.key, shown, **error.params)


@pytest.mark.parametrize("how", ["inline", "shared"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rich_text_refuses_the_fallback(masters, tmp_path: Path, lang: str, how: str) -> None:  # noqa: F811
    path = tmp_path / "rich.xlsx"
    shutil.copy(masters[lang], path)
    products = TABLES["products"].sheet_title(lang)
    _add_rich_text(path, products, how)
    _array_formula(path)
    error = _refused(path)
    assert error.key == "store.fallback_rich_text"
    assert error.params["sheet"] == products


def test_without_pictures_or_rich_text_the_fallback_still_commits(masters, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "plain.xlsx"
    shutil.copy(masters["en"], path)
    _array_formula(path)
    changes = ChangeSet()
    changes.update("orders", 3, "remarks", "inside the array")
    with PatchFileStore.open(path, write=True) as store:
        store.commit(changes)
        assert (store.last_commit or "").startswith("openpyxl:")
    with PatchFileStore.open(path) as store:
        assert {r.row: r.values["remarks"] for r in store.read("orders")}[3] == "inside the array"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_refusals_say_what_cannot_be_kept(lang: str) -> None:
    for key in ("store.fallback_pictures", "store.fallback_rich_text"):
        text = t(key, lang, sheet="Kunden", detail="a shared formula")
        assert "Kunden" in text and "a shared formula" in text


def test_a_sheet_with_xml_comments_is_patched_keeping_pictures_and_rich_text(
    masters,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = tmp_path / "commented.xlsx"
    shutil.copy(masters["zh"], path)
    orders = TABLES["orders"].sheet_title("zh")
    _add_picture(path, orders)
    _add_rich_text(path, orders, "shared")
    _rewrite_member(
        path,
        _orders_part(path),
        lambda xml: xml.replace(b"<sheetData>", b"<!-- a tool's note --><sheetData>", 1),
    )
    with zipfile.ZipFile(path) as package:
        kept = {n: package.read(n) for n in package.namelist() if "drawing" in n or "media" in n}
        strings = package.read("xl/sharedStrings.xml")
    changes = ChangeSet()
    changes.update("orders", 2, "remarks", "patched")
    changes.append("orders", {"order_no": "SO-NEW"})
    with PatchFileStore.open(path, write=True) as store:
        store.commit(changes)
        assert store.last_commit == "patch"
    with zipfile.ZipFile(path) as package:
        assert {n: package.read(n) for n in kept} == kept
        assert package.read("xl/sharedStrings.xml") == strings
        sheet = package.read(_orders_part(path))
    assert b"<drawing" in sheet and b'r="AZ1" t="s"' in sheet
    _rewrite_member(  # a tool may write comments again: a search of the bytes must not misread
        path,
        _orders_part(path),
        lambda xml: xml.replace(b"<sheetData>", b"<!-- " + b"x" * 500 + b" --><sheetData>", 1),
    )
    with PatchFileStore.open(path) as store:
        found = store.read_where("orders", "order_no", "SO-NEW", lambda v: v == "SO-NEW")
        rows = {r.values["order_no"]: r for r in store.read("orders")}
    assert found is None or found == [rows["SO-NEW"]]
    assert rows["SO-NEW"].values["remarks"] is None
    assert "patched" in [r.values["remarks"] for r in rows.values()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overwriting_a_shared_formulas_first_cell_is_patched_keeping_the_others(
    masters,  # noqa: F811
    tmp_path: Path,
    lang: str,
) -> None:
    path = tmp_path / "shared.xlsx"
    shutil.copy(masters[lang], path)
    _add_picture(path, TABLES["orders"].sheet_title(lang))
    _shared_formula_master(path)
    with PatchFileStore.open(path) as store:
        before = {r.row: r.values["remarks"] for r in store.read("orders")}
    assert [before[n] for n in (2, 3, 4)] == ['=A2&"!"', '=A3&"!"', '=A4&"!"']
    changes = ChangeSet()
    changes.update("orders", 2, "remarks", "over the first cell")
    with PatchFileStore.open(path, write=True) as store:
        store.commit(changes)
        assert store.last_commit == "patch"
    with PatchFileStore.open(path) as store:
        after = {r.row: r.values["remarks"] for r in store.read("orders")}
    assert [after[n] for n in (2, 3, 4)] == ["over the first cell", '=A3&"!"', '=A4&"!"']
    with zipfile.ZipFile(path) as package:
        sheet = package.read(_orders_part(path))
        assert "xl/media/picture1.png" in package.namelist()
    assert b'si="7"' not in sheet and b'<f>A4&amp;"!"</f><v>x</v>' in sheet
