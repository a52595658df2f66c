"""The change notice names requester and impact, has sign-off boxes, and prints on one A4 page
with every text shown whole."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    refusal,
)
from mailtest.docs import cell_texts
from mailtest.server import PASSWORD, PASSWORD_ENV, make_certificate, running_server
from openpyxl import load_workbook
from soffice import require_soffice
from test_reminders import set_mail, smtp_settings
from test_task_order_file import pdf_pages

from addin.cli import main
from addin.core.enums import Department
from addin.core.problems import RuleError
from addin.services import changes, sending
from workbook.change_notice_file import _WIDTHS, lines_needed, render_change_notice
from workbook.pdf import to_pdf

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return make_certificate(tmp_path_factory.mktemp("tls"))


LONG = "客户仓库搬迁，需改为宁波北仑港交货，并同步调整包装为木箱、加贴英文唛头。" * 3


def notice(lang: str, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "company": "华东精密机械有限公司" if lang == "zh" else "East China Precision Co., Ltd.",
        "change_no": "CH-SO-1-01",
        "order_no": "SO-1",
        "customer_name": "Acme Machines",
        "version": 2,
        "reason": LONG,
        "requested_by": Department.CUSTOMER,
        "requester": "sara",
        "requested_at": datetime(2026, 3, 3, 9, 30),
        "impact": LONG,
        "changes": [
            {
                "line_no": 1,
                "field": "交货地点" if lang == "zh" else "Delivery place",
                "old": "上海市嘉定区安亭镇墨玉南路 888 号",
                "new": LONG,
            },
            {
                "line_no": 1,
                "field": "数量" if lang == "zh" else "Quantity",
                "old": "100",
                "new": "120",
            },
        ],
        "review": {
            "necessity": LONG,
            "feasibility": "ok",
            "impact_delivery": "+7 days",
            "impact_cost": "+2%",
            "impact_quality": "none",
        },
        "approved_by": "max",
        "approved_at": datetime(2026, 3, 4, 10, 0),
        "comment": LONG,
        "task_orders": ["TO-SO-1-1 rev.2"],
        "distribution": [
            Department.PRODUCTION,
            Department.TECHNICAL,
            Department.QUALITY,
            Department.PURCHASING,
        ],
        # the change review's opinions, in the sign-off boxes (sales: a box of its own)
        "opinions": {Department.PRODUCTION: LONG, Department.SALES: "Agree (sara)"},
        "lang": lang,
    }
    values.update(changes)
    return values


def test_an_approved_change_names_requester_impact_and_has_sign_off_boxes(desk: Desk) -> None:
    desk.released("SO-1")
    out = desk(changes.request, "SO-1", Department.CUSTOMER, "new warehouse",
               ["delivery_place=Ningbo"], impact="two more days by truck", user=SALES)  # fmt: skip
    change_no = out.data["change_no"]
    desk(changes.review, change_no, "n", "f", "d", "c", "q", user=OM)
    desk.opinions(change_no)
    approved = desk(changes.approve, change_no, None, desk.out_dir, user=MANAGER)
    path = next(p for p in approved.files if p.name.startswith("Change notice"))
    texts = cell_texts(path)
    requested = texts[texts.index("Requested by") + 1]
    assert requested.startswith("Customer: sara, 2026-03-02 ")
    assert texts[texts.index("Impact on execution") + 1] == "two more days by truck"
    start = texts.index("Receipt by the departments")
    # each box holds the department's opinion from the change review (delivery place:
    # production and sales are concerned); sales is not on the distribution, its box is added
    assert texts[start + 1 : start + 11] == [
        "Department",
        "Opinion in the change review",
        "Received (signature, date)",
        "Production",
        "Agree (pete): ok",
        "Technical",
        "Quality",
        "Purchasing",
        "Sales",
        "Agree (sara): ok",
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_text_has_the_height_it_needs(tmp_path: Path, lang: str) -> None:
    path = render_change_notice(notice(lang), tmp_path)
    ws = load_workbook(path).active
    merged = {r.min_row: r for r in ws.merged_cells.ranges if r.min_col > 1 or r.max_col > 1}
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            span = merged.get(cell.row)
            cols = "ABCD"
            if span is not None and span.min_col <= cell.column <= span.max_col:
                width = sum(_WIDTHS[cols[c - 1]] for c in range(span.min_col, span.max_col + 1))
            else:
                width = _WIDTHS[cell.column_letter]
            needed = lines_needed(cell.value, width) * 15.5
            height = ws.row_dimensions[cell.row].height
            assert height is not None and height >= needed, (cell.coordinate, cell.value)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_notice_prints_on_one_a4_page(tmp_path: Path, lang: str) -> None:
    require_soffice()
    pdf = to_pdf(render_change_notice(notice(lang), tmp_path / "xlsx"), tmp_path / "pdf")
    assert pdf_pages(pdf) == [(595, 842)]


# -- sent to the departments like a task order ------------------------------------------------
def approved_change(desk: Desk) -> str:
    desk.released("SO-1")
    out = desk(changes.request, "SO-1", Department.CUSTOMER, "more", ["quantity=120"], user=SALES)
    change_no = out.data["change_no"]
    desk(changes.review, change_no, "n", "f", "d", "c", "q", user=OM)
    desk.opinions(change_no)
    desk(changes.approve, change_no, None, desk.out_dir, user=MANAGER, base_dir=desk.path.parent)
    return change_no


def test_send_a_change_notice_through_smtp(
    desk: Desk, certificate: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    cert, key, ca = certificate
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", "127.0.0.1")
    change_no = approved_change(desk)
    ledger_before = len(desk.rows("ledger"))
    with running_server(cert, key, "starttls", ca) as server:
        set_mail(desk, **smtp_settings(server, ca))
        code = main(["send", str(desk.path), change_no, "--user", OM])
        (received,) = server.received
    assert code == 0, capsys.readouterr().err
    message = received.message()
    assert sorted(received.rcpt_tos) == sorted(
        f"{d.value}@example.com"
        for d in (Department.PRODUCTION, Department.TECHNICAL, Department.QUALITY,
                  Department.PURCHASING)
    )  # fmt: skip
    assert message["Subject"] == "[Change notice] CH-SO-1-01 · order SO-1 · Acme Machines"
    assert "  - Quantity: 100 → 120" in message.get_body(("plain",)).get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "Change notice CH-SO-1-01 SO-1.xlsx"
    texts = cell_texts(io.BytesIO(attachment.get_content()))
    assert "CH-SO-1-01" in texts and "Receipt by the departments" in texts
    (row,) = desk.rows("ledger")[ledger_before:]
    assert row.values["action"] == "send change notice"
    assert row.values["details"].startswith("change notice CH-SO-1-01 sent to ")
    assert desk.verify() == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_only_an_approved_change_has_a_notice_to_send(desk: Desk, lang: str) -> None:
    desk.released("SO-1")
    out = desk(changes.request, "SO-1", Department.CUSTOMER, "more", ["quantity=120"], user=SALES)
    change_no = out.data["change_no"]
    set_mail(desk, mail_transport="eml")
    with pytest.raises(RuleError) as caught:
        desk(sending.send_notice, change_no, desk.path.parent, user=OM)
    (problem,) = caught.value.problems
    assert (
        problem.format(lang)
        == {
            "en": "sheet 'Changes', row 2, column 'Status': change CH-SO-1-01 is 'Requested': only "
            "an approved change has a notice",
            "zh": "工作表“变更”，第 2 行，“状态”列：变更 CH-SO-1-01 状态为“已申请”，只有已批准的变更才有"
            "变更通知",
        }[lang]
    )
    assert refusal(desk, sending.send_notice, "CH-NONE", desk.path.parent, user=OM) == [
        "send.unknown_change"
    ]


def test_a_notice_sent_as_eml_and_a_dry_run(desk: Desk) -> None:
    change_no = approved_change(desk)
    set_mail(desk, mail_transport="eml", eml_dir="outbox")
    dry = desk(sending.send_notice, change_no, desk.path.parent, dry_run=True, user=OM)
    assert dry.data["dry_run"] is True and not (desk.path.parent / "outbox").exists()
    desk(sending.send_notice, change_no, desk.path.parent, user=OM)
    (eml,) = (desk.path.parent / "outbox").glob("*.eml")
    assert eml.name == "Change notice CH-SO-1-01 SO-1.eml"
