"""The task-order e-mail: subject and body per language, headers, attachments; .eml files;
recipients from the department map; Outlook through a stand-in COM layer."""

from __future__ import annotations

import io
import sys
import types
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from mailtest.docs import sample_doc
from openpyxl import load_workbook

from addin.core.enums import Department
from addin.mail import MailSettings, Outcome, build_message, recipients_for, send_task_order
from addin.mail.message import HEADER_TASK, body, subject
from workbook.task_order_file import render_task_order

TO = ["production@example.com", "quality@example.com"]


def test_subject_in_each_language():
    zh, en = sample_doc("zh"), sample_doc("en")
    assert subject(zh) == (
        "【生产任务单】TO-2024-0015 第1版 · 订单 SO-2024-0042 · 上海恒通自动化设备有限公司 · "
        "GB-6205 深沟球轴承 6205-2RS"
    )
    assert subject(en) == (
        "[Task order] TO-2024-0015 rev. 1 · order SO-2024-0042 · Hengtong Automation (Shanghai) · "
        "GB-6205 Deep groove ball bearing 6205-2RS"
    )


def test_body_carries_the_task_order_facts():
    text = body(sample_doc("zh"), ["a.xlsx", "a.pdf"])
    for line in (
        "任务单号：TO-2024-0015（第 1 版）",
        "订单号：SO-2024-0042",
        "客户：上海恒通自动化设备有限公司",
        "产品：GB-6205 深沟球轴承 6205-2RS",
        "数量：12,000 件",
        "交货期：2024-07-15",
        "生产批次：B2406-03",
        "附件：a.xlsx、a.pdf",
        "订单管理部门 王敏",
    ):
        assert line in text.splitlines()
    departments = "、".join(
        d.label("zh")
        for d in (
            Department.PRODUCTION,
            Department.TECHNICAL,
            Department.QUALITY,
            Department.PURCHASING,
        )
    )
    assert f"分发部门：{departments}" in text
    assert "作废" not in text  # the first revision replaces nothing

    revised = body(sample_doc("en", revision=2, batch="", due_date=None), ["a.xlsx"])
    assert "Task order: TO-2024-0015 (revision 2)" in revised
    assert "Production batch: —" in revised and "Due date: —" in revised
    assert "replaces all earlier revisions" in revised


def test_header_injection_is_flattened(tmp_path):
    doc = sample_doc("en", customer_name="ACME\r\nBcc: victim@example.com", task_no="T-1\nX: y")
    xlsx = render_task_order(doc, tmp_path)
    message = build_message(doc, TO, [xlsx], "orders@example.com")
    raw = message.as_bytes()
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert parsed["Bcc"] is None and parsed["X"] is None
    assert "ACME Bcc: victim@example.com" in parsed["Subject"]
    assert parsed[HEADER_TASK] == "T-1 X: y R1"


def test_eml_file_parses_and_holds_the_workbook(tmp_path):
    doc = sample_doc("zh", customer_name='客户/有"引号"')
    xlsx = render_task_order(doc, tmp_path / "files")
    settings = MailSettings(transport="eml", sender="orders@example.com")

    result = send_task_order(doc, [xlsx], TO, settings)

    assert result.ok and result.outcome is Outcome.WRITTEN
    assert result.accepted == TO and result.delivered == []  # written, not yet sent
    eml = Path(result.location)
    assert eml.is_file() and eml.suffix == ".eml" and eml.parent == xlsx.parent
    parsed = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert parsed["Subject"] == subject(doc)
    assert parsed["From"] == "orders@example.com"
    assert parsed["X-Unsent"] == "1"
    assert "交货期：2024-07-15" in parsed.get_body(("plain",)).get_content()
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_filename() == xlsx.name
    assert attachment.get_content() == xlsx.read_bytes()
    ws = load_workbook(io.BytesIO(attachment.get_content())).worksheets[0]
    assert "TO-2024-0015" in {c.value for row in ws.iter_rows() for c in row}
    assert result.report("zh")[0].startswith("production@example.com：已写入邮件文件")


def test_eml_second_write_keeps_the_first(tmp_path):
    doc = sample_doc("en")
    xlsx = render_task_order(doc, tmp_path)
    settings = MailSettings(transport="eml", eml_dir=str(tmp_path / "outbox"))

    first = send_task_order(doc, [xlsx], TO[:1], settings)
    second = send_task_order(doc, [xlsx], TO, settings, already_sent=set(first.accepted))

    assert first.location != second.location
    assert second.accepted == TO[1:] and second.skipped == TO[:1]
    written = {p.name for p in (tmp_path / "outbox").iterdir()}
    assert written == {Path(first.location).name, Path(second.location).name}
    assert Path(second.location).name == Path(first.location).stem + " (2).eml"
    parsed = BytesParser(policy=policy.default).parsebytes(Path(second.location).read_bytes())
    assert parsed["To"] == TO[1]
    assert parsed["From"] is None  # no sender configured: the mail client fills it in


def test_eml_folder_that_cannot_be_made(tmp_path):
    doc = sample_doc("en")
    xlsx = render_task_order(doc, tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")

    result = send_task_order(doc, [xlsx], TO, MailSettings(eml_dir=str(blocker / "sub")))

    assert result.error_key == "mail.error.eml_write" and result.accepted == []


def test_recipients_and_address_checks(tmp_path):
    dept_mail = {
        Department.PRODUCTION: ["prod@example.com", "lead@example.com"],
        Department.QUALITY: ["QA@example.com", "prod@example.com"],
        Department.PURCHASING: [],
    }
    addresses, missing = recipients_for(
        ["production", "质量", "purchasing", "technical"], dept_mail
    )
    assert addresses == ["prod@example.com", "lead@example.com", "QA@example.com"]
    assert missing == [Department.PURCHASING, Department.TECHNICAL]

    doc = sample_doc("en")
    xlsx = render_task_order(doc, tmp_path)
    settings = MailSettings(transport="eml")
    assert send_task_order(doc, [xlsx], [], settings).error_key == "mail.error.no_recipients"
    bad = send_task_order(doc, [xlsx], ["ok@example.com", "not an address"], settings)
    assert bad.error_key == "mail.error.bad_address"
    assert bad.error_params == {"address": "not an address"} and bad.accepted == []
    again = send_task_order(
        doc, [xlsx], ["A@Example.com", "a@example.com"], settings, {"a@EXAMPLE.com"}
    )
    assert again.ok and again.accepted == [] and again.skipped == ["A@Example.com"]


class _FakeOutlook:
    """Records the COM calls send_outlook makes (no Outlook on this machine)."""

    def __init__(self, fail: bool = False) -> None:
        self.items: list[types.SimpleNamespace] = []
        self.fail = fail

    def Dispatch(self, name: str):
        assert name == "Outlook.Application"
        return self

    def CreateItem(self, kind: int):
        assert kind == 0
        item = types.SimpleNamespace(attached=[], saved=False, sent=False)
        item.Attachments = types.SimpleNamespace(Add=item.attached.append)

        def send() -> None:
            if self.fail:
                raise RuntimeError("Outlook does not recognize one or more names.")
            item.sent = True

        item.Send = send
        item.Save = lambda: setattr(item, "saved", True)
        self.items.append(item)
        return item


@pytest.fixture
def fake_outlook(monkeypatch):
    outlook = _FakeOutlook()
    win32com = types.ModuleType("win32com")
    win32com.client = outlook  # type: ignore[attr-defined]
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "win32com", win32com)
    monkeypatch.setitem(sys.modules, "win32com.client", outlook)
    monkeypatch.setitem(sys.modules, "pythoncom", pythoncom)
    return outlook


@pytest.mark.parametrize(("mode", "outcome"), [("draft", Outcome.DRAFT), ("send", Outcome.QUEUED)])
def test_outlook_item(fake_outlook, tmp_path, mode, outcome):
    doc = sample_doc("zh")
    xlsx = render_task_order(doc, tmp_path)

    result = send_task_order(doc, [xlsx], TO, MailSettings(transport="outlook", outlook_mode=mode))

    assert result.ok and result.outcome is outcome and result.accepted == TO
    assert result.delivered == []  # Outlook has it; no server has confirmed anything
    (item,) = fake_outlook.items
    assert item.To == "; ".join(TO)
    assert item.Subject == subject(doc)
    assert "任务单号：TO-2024-0015（第 1 版）" in item.Body
    assert item.attached == [str(xlsx.resolve())]
    assert (item.sent, item.saved) == (mode == "send", mode == "draft")


def test_outlook_failure_and_absence(fake_outlook, tmp_path, monkeypatch):
    doc = sample_doc("en")
    xlsx = render_task_order(doc, tmp_path)
    fake_outlook.fail = True
    settings = MailSettings(transport="outlook", outlook_mode="send")

    failed = send_task_order(doc, [xlsx], TO, settings)
    assert failed.error_key == "mail.error.outlook_failed" and failed.accepted == []
    assert "recognize" in failed.error("en")

    monkeypatch.setitem(sys.modules, "win32com", None)  # import fails, as off Windows
    monkeypatch.setitem(sys.modules, "win32com.client", None)
    absent = send_task_order(doc, [xlsx], TO, settings)
    assert absent.error_key == "mail.error.outlook_unavailable"
