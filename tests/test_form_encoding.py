"""Which encodings an order form saved as CSV may be in (issue 12 item 8): UTF-8 with or without
its mark, UTF-16 with its mark, GBK only when that reading is certain; anything else refused
with how to save the file as UTF-8, never guessed ("Müller" read as "M黮ler")."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from foundation_fixtures import LANGS, cli, file_state, read, seeded_workbook

from addin.core.schema import TABLES
from addin.core.text_encoding import UnclearEncoding, decode_text
from addin.i18n import t

KEYS = ("order_no", "customer_name", "product_code", "quantity", "unit_price", "delivery_date")


def _form_text(lang: str, customer: str) -> str:
    header = []
    for key in KEYS:
        table = "orders" if key in ("order_no", "customer_name") else "lines"
        header.append(TABLES[table].column(key).label(table, lang))
    row = ["SO-ENC-1", customer, "P-1001", "10", "12.5", "2027-01-15"]
    return ",".join(header) + "\r\n" + ",".join(row) + "\r\n"


ACCEPTED = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with mark": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le with mark": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be with mark": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


@pytest.mark.parametrize("name", list(ACCEPTED))
@pytest.mark.parametrize("text", ["Müller GmbH, Zürich", "上海精密机械有限公司", "a\x00b"])
def test_unicode_encodings_are_read(name: str, text: str) -> None:
    assert decode_text(ACCEPTED[name](text)) == text


def test_gbk_is_read_when_certain() -> None:
    text = "客户名称,数量\r\n上海精密机械有限公司(华东),100\r\n"
    assert decode_text(text.encode("gbk")) == text


REFUSED = {
    "windows-1252": "Müller GmbH,10".encode("cp1252"),  # GBK would read "M黮ler"
    "windows-1252 pair": "Ñoño".encode("cp1252"),
    "gbk beyond gb2312": "王堃,10".encode("gbk"),  # certain only for the common set
    "utf-16 without mark": "Name,Qty\r\nMüller,10".encode("utf-16-le"),
    "utf-32 with mark": codecs.BOM_UTF32_LE + "Name".encode("utf-32-le"),
    "utf-16 damaged": codecs.BOM_UTF16_LE + b"\x00\xd8A\x00",
    "not text": bytes([0x81, 0x20, 0xFF, 0xFE, 0x30]) * 3,
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_uncertain_encodings_are_refused(name: str) -> None:
    with pytest.raises(UnclearEncoding):
        decode_text(REFUSED[name])


@pytest.mark.parametrize("lang", LANGS)
def test_receive_refuses_a_windows_1252_form_and_says_how_to_save_it(
    tmp_path: Path, lang: str
) -> None:
    workbook = seeded_workbook(tmp_path, lang)
    form = tmp_path / "form.csv"
    form.write_bytes(_form_text("en", "Müller GmbH").encode("cp1252"))
    before = file_state(workbook)
    result = cli("receive", workbook, form, "--lang", lang)
    assert result.code == 2
    assert result.err.strip() == t("receive.unclear_encoding", lang, path=str(form))
    assert "CSV UTF-8" in result.err
    assert file_state(workbook) == before
    assert read(workbook, "orders") == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(ACCEPTED))
def test_receive_reads_unicode_forms_faithfully(tmp_path: Path, lang: str, name: str) -> None:
    workbook = seeded_workbook(tmp_path, lang)
    form = tmp_path / "form.csv"
    form.write_bytes(ACCEPTED[name](_form_text(lang, "Müller GmbH 上海")))
    assert cli("receive", workbook, form, "--lang", lang).code == 0
    [order] = read(workbook, "orders")
    assert order.values["customer_name"] == "Müller GmbH 上海"


def test_receive_reads_a_gbk_form(tmp_path: Path) -> None:
    workbook = seeded_workbook(tmp_path, "zh")
    form = tmp_path / "form.csv"
    form.write_bytes(_form_text("zh", "上海精密机械有限公司").encode("gbk"))
    assert cli("receive", workbook, form).code == 0
    [order] = read(workbook, "orders")
    assert order.values["customer_name"] == "上海精密机械有限公司"
