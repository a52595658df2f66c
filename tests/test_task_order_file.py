"""The task-order workbook: content, one-page A4 print set-up, safe file names, the PDF copy."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mailtest.docs import cell_texts, sample_doc
from openpyxl import load_workbook
from soffice import require_soffice

from addin.core.enums import Department
from addin.i18n import t
from workbook.pdf import PdfError, find_soffice, to_pdf
from workbook.task_order_file import render_task_order, safe_filename, task_order_filename

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)}
WINDOWS_RESERVED |= {f"LPT{i}" for i in range(10)}


def assert_portable(name: str, max_bytes: int = 120) -> None:
    """What Windows, macOS and Linux all accept as one file name."""
    assert name and len(name.encode("utf-8")) <= max_bytes
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f\x7f]', name)
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name)
    assert name == name.rstrip(". ") and not name.startswith((".", " "))
    assert name.split(".")[0].rstrip(" ").upper() not in WINDOWS_RESERVED
    assert name not in (".", "..")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_shows_the_task_order(tmp_path, lang):
    doc = sample_doc(lang)
    path = render_task_order(doc, tmp_path)

    assert path.parent == tmp_path and path.suffix == ".xlsx"
    assert path.name == task_order_filename(doc)
    ws = load_workbook(path).worksheets[0]
    assert ws.title == t("taskorder.sheet", lang)
    values = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    for expected in (
        doc.company,
        t("taskorder.title", lang),
        doc.task_no,
        t("taskorder.revision_value", lang, revision=1),
        doc.order_no,
        doc.customer_name,
        doc.product_code,
        doc.product_name,
        doc.spec,
        12000,
        datetime(2024, 7, 15),
        doc.batch,
        doc.quality_req,
        doc.packaging_req,
        doc.transport_req,
        doc.issued_by,
        datetime(2024, 6, 12, 9, 30),
        t("taskorder.sign.issued_by", lang),
        t("taskorder.col.received_by", lang),
    ):
        assert expected in values, expected
    for paragraph in doc.review_notes.split("\n"):
        assert paragraph in values
    for dept in (
        Department.PRODUCTION,
        Department.TECHNICAL,
        Department.QUALITY,
        Department.PURCHASING,
    ):
        assert dept.label(lang) in values
    quantity = next(c for row in ws.iter_rows() for c in row if c.value == 12000)
    assert quantity.number_format == f'#,##0 "{doc.unit}"'
    due = next(c for row in ws.iter_rows() for c in row if c.value == datetime(2024, 7, 15))
    assert due.number_format == "yyyy-mm-dd"


def test_print_setup_is_one_a4_page(tmp_path):
    ws = load_workbook(render_task_order(sample_doc("zh"), tmp_path)).worksheets[0]
    assert ws.page_setup.paperSize == 9  # A4 in the file format
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert ws.print_area == f"'{ws.title}'!$A$1:$D${ws.max_row}"
    assert ws.print_title_rows == "$1:$4"
    assert "TO-2024-0015" in ws.oddFooter.left.text and "&P" in ws.oddFooter.right.text


def test_distribution_and_revision(tmp_path):
    first = render_task_order(sample_doc("en", distribution=["production", "质量"]), tmp_path)
    second = render_task_order(sample_doc("en", revision=2), tmp_path)
    assert first != second and first.exists() and second.exists()
    assert "_R1_" in first.name and "_R2_" in second.name
    texts = cell_texts(first)
    assert Department.QUALITY.label("en") in texts
    assert Department.PURCHASING.label("en") not in texts
    assert "Rev. 2" in cell_texts(second)


def test_hostile_input_stays_text_and_in_folder(tmp_path):
    doc = sample_doc(
        "en",
        order_no="../../SO:1*?&B",
        task_no="CON",
        customer_name='=HYPERLINK("http://x")\x07 <A&B> / "C" \\ | ',
        review_notes="\x00start\r\nsecond line",
        unit='pc"s\\',
        quantity=Decimal("12.5"),
    )
    path = render_task_order(doc, tmp_path / "out")
    assert path.parent == tmp_path / "out"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [path.name]  # no temp file left
    assert_portable(path.name)
    ws = load_workbook(path).worksheets[0]
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row if c.value is not None}
    customer = next(c for c in cells.values() if str(c.value).startswith("=HYPERLINK"))
    assert customer.data_type == "s"  # text, not a formula
    assert "\x07" not in customer.value
    assert {"start", "second line"} <= {c.value for c in cells.values()}
    quantity = next(c for c in cells.values() if c.value == 12.5)
    assert quantity.number_format == '#,##0.### "pcs"'
    assert "SO:1*?&&B" in ws.oddFooter.left.text  # "&" is a footer code: doubled to print as is


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SO-2024/0042", "SO-2024_0042"),
        ('a<b>c:d"e/f\\g|h?i*j', "a_b_c_d_e_f_g_h_i_j"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("Com1 ", "_Com1"),
        ("LPT9.report", "_LPT9.report"),
        ("CONSOLE", "CONSOLE"),
        ("  name. . ", "name"),
        ("...", "_"),
        ("", "_"),
        ("tab\there\nnewline", "tab_here_newline"),
        ("zero\u200bwidth\u202eRTL", "zero_width_RTL"),
        ("客户：上海/恒通", "客户：上海_恒通"),
    ],
)
def test_safe_filename_cases(name, expected):
    assert safe_filename(name) == expected
    assert_portable(safe_filename(name, ".xlsx"))


def test_safe_filename_bounds_bytes_and_keeps_suffix():
    long = "上海恒通自动化设备有限公司" * 20
    name = safe_filename(long, ".xlsx")
    assert name.endswith(".xlsx") and len(name.encode("utf-8")) <= 120
    assert name.startswith("上海恒通")
    assert len(safe_filename("x" * 500, max_bytes=50).encode()) == 50


@given(st.text(max_size=300), st.sampled_from(["", ".xlsx", ".pdf", ".eml"]))
def test_safe_filename_always_portable(name, suffix):
    result = safe_filename(name, suffix)
    assert result.endswith(suffix)
    assert_portable(result)


def test_any_customer_name_makes_a_file(tmp_path):
    doc = sample_doc("zh", customer_name="AUX", order_no="PRN", task_no=" ./ ")
    path = render_task_order(doc, tmp_path)
    assert path.is_file() and path.parent == tmp_path
    assert_portable(path.name)


# --- PDF ------------------------------------------------------------------------------------------


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, read from the PDF's page objects."""
    data = pdf.read_bytes()
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", data)
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    sizes = {(round(float(b[2]) - float(b[0])), round(float(b[3]) - float(b[1]))) for b in boxes}
    assert len(sizes) == 1, sizes
    return [next(iter(sizes))] * len(pages)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_copy_is_one_a4_page(tmp_path, lang):
    require_soffice()
    xlsx = render_task_order(sample_doc(lang), tmp_path)
    pdf = to_pdf(xlsx, tmp_path)
    assert pdf == tmp_path / f"{xlsx.stem}.pdf"
    assert pdf_pages(pdf) == [(595, 842)]  # A4 portrait in points


def test_pdf_long_notes_still_fit_one_page(tmp_path):
    require_soffice()
    notes = "\n".join(f"{i}. " + "生产前须与技术部门确认工艺文件的版本。" * 4 for i in range(25))
    doc = sample_doc("zh", review_notes=notes, distribution=[d.value for d in Department])
    pdf = to_pdf(render_task_order(doc, tmp_path / "x"), tmp_path / "pdf")
    assert pdf.parent == tmp_path / "pdf"
    assert pdf_pages(pdf) == [(595, 842)]


def test_pdf_errors(tmp_path, monkeypatch):
    xlsx = render_task_order(sample_doc("en"), tmp_path)

    monkeypatch.setattr("workbook.pdf.find_soffice", lambda: None)
    with pytest.raises(PdfError) as caught:
        to_pdf(xlsx, tmp_path)
    assert caught.value.key == "taskorder.pdf.no_soffice"
    assert "LibreOffice" in caught.value.message("zh")

    with pytest.raises(PdfError) as caught:
        to_pdf(tmp_path / "missing.xlsx", tmp_path, soffice="/bin/true")
    assert caught.value.key == "taskorder.pdf.source_missing"


def _script(folder: Path, body: str) -> str:
    path = folder / "fake-soffice"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a shell script")
def test_pdf_timeout_and_silent_failure(tmp_path):
    xlsx = render_task_order(sample_doc("en"), tmp_path)

    hung = _script(tmp_path, "sleep 60 & wait")  # a child too, as soffice starts soffice.bin
    with pytest.raises(PdfError) as caught:
        to_pdf(xlsx, tmp_path, timeout=1, soffice=hung)
    assert caught.value.key == "taskorder.pdf.timeout"
    assert caught.value.params["seconds"] == 1

    quiet = _script(tmp_path, "echo 'Error: source file could not be loaded'; exit 0")
    (tmp_path / f"{xlsx.stem}.pdf").write_bytes(b"%PDF-1.4 stale copy")
    with pytest.raises(PdfError) as caught:
        to_pdf(xlsx, tmp_path, soffice=quiet)
    assert caught.value.key == "taskorder.pdf.failed"
    assert "could not be loaded" in caught.value.params["detail"]
    assert not (tmp_path / f"{xlsx.stem}.pdf").exists()  # the stale copy was not taken as output


def test_find_soffice_honours_the_environment(tmp_path, monkeypatch):
    fake = _script(tmp_path, "exit 0")
    monkeypatch.setenv("ORDERDESK_SOFFICE", fake)
    assert find_soffice() == fake
    monkeypatch.setenv("ORDERDESK_SOFFICE", str(tmp_path / "nowhere"))
    assert find_soffice() is None


def test_dates_render_as_dates(tmp_path):
    doc = sample_doc("en", due_date=date(2025, 1, 31), issued_at=None)
    ws = load_workbook(render_task_order(doc, tmp_path)).worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert datetime(2025, 1, 31) in values


# --- unique names whatever their length (issue 12) -----------------------------------------------
LONG_ORDER = "SO-" + "上海恒通自动化设备有限公司年度框架协议" * 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_long_order_numbers_give_each_line_and_revision_its_own_file(tmp_path, lang):
    docs = [
        sample_doc(lang, order_no=LONG_ORDER, task_no=f"TO-{LONG_ORDER}-{line}", revision=rev)
        for line in (1, 2)
        for rev in (1, 2)
    ]
    names = [task_order_filename(doc) for doc in docs]
    assert len(set(names)) == len(docs)
    for name in names:
        assert_portable(name)
        assert name.startswith(
            t("taskorder.file_stem", lang, task_no="", order_no="", revision="", customer="")[:5]
        )
    paths = [render_task_order(doc, tmp_path) for doc in docs]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    for doc, path in zip(docs, paths, strict=True):
        texts = cell_texts(path)
        assert (
            doc.task_no in texts
            and t("taskorder.revision_value", lang, revision=doc.revision) in texts
        )


def test_names_that_differ_only_in_what_a_file_name_cannot_hold_stay_apart():
    a = sample_doc("en", order_no="SO/1", task_no="TO-SO/1-1")
    b = sample_doc("en", order_no="SO:1", task_no="TO-SO:1-1")
    assert task_order_filename(a) != task_order_filename(b)
    assert task_order_filename(sample_doc("en", order_no="SO-1", task_no="TO-SO-1-1")).startswith(
        "TaskOrder_TO-SO-1-1_SO-1_R"
    )


def test_a_cut_name_keeps_its_beginning_and_a_short_hash():
    long = "上海恒通自动化设备有限公司" * 20
    a, b = safe_filename(long + "甲", ".xlsx"), safe_filename(long + "乙", ".xlsx")
    assert a != b and a.startswith("上海恒通") and len(a.encode()) <= 120
    assert re.search(r"~[0-9a-f]{8}\.xlsx$", a)
    assert safe_filename("short", ".xlsx") == "short.xlsx"
