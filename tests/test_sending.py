"""Sending a released task order from the workbook: recorded only as far as it went."""

from __future__ import annotations

import io
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from lifecycle_fixtures import Desk, desk_fixture, master_bytes_fixture, refusal  # noqa: F401
from mailtest.server import (
    PASSWORD,
    PASSWORD_ENV,
    USER,
    free_port,
    make_certificate,
    running_server,
)
from openpyxl import load_workbook

from addin.core.enums import Department
from addin.services import sending
from workbook.store import ChangeSet

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

ADDRESSES = {
    Department.PRODUCTION: "production@example.com",
    Department.TECHNICAL: "technical@example.com; tech.lead@example.com",
    Department.QUALITY: "quality@example.com",
    Department.PURCHASING: "purchasing@example.com",
}
ALL = [
    "production@example.com",
    "technical@example.com",
    "tech.lead@example.com",
    "quality@example.com",
    "purchasing@example.com",
]


def set_mail(desk: Desk, **settings: str) -> None:
    changes = ChangeSet()
    for row in desk.rows("dept_mail"):
        department = Department.parse(row.values["department"])
        changes.update("dept_mail", row.row, "emails", ADDRESSES.get(department, ""))  # type: ignore[arg-type]
    rows = {r.values["key"]: r.row for r in desk.rows("settings")}
    for key, value in settings.items():
        changes.update("settings", rows[key], "value", value)
    desk.type_rows(changes)


def task_row(desk: Desk, task_no: str) -> dict:
    return next(r.values for r in desk.rows("task_orders") if r.values["task_no"] == task_no)


def send(desk: Desk, task_no: str, **kwargs):
    return desk(sending.send, task_no, desk.path.parent, user="olga", **kwargs)


def test_eml_send_is_recorded_and_a_second_send_has_nothing_left(desk: Desk) -> None:
    set_mail(desk, mail_transport="eml", eml_dir="outbox")
    desk.released("SO-1")
    outcome = send(desk, "TO-SO-1-1")
    assert outcome.data["complete"] and sorted(outcome.data["accepted"]) == sorted(ALL)
    [eml] = outcome.files
    message = BytesParser(policy=policy.default).parsebytes(Path(eml).read_bytes())
    assert "TO-SO-1-1" in message["Subject"]
    [attachment] = [p for p in message.iter_attachments()]
    assert attachment.get_filename().endswith(".xlsx")
    row = task_row(desk, "TO-SO-1-1")
    assert row["sent_to"].split("; ") == ALL and row["sent_via"] == "eml:written"
    assert not desk.verify()
    before = desk.path.read_bytes()
    again = send(desk, "TO-SO-1-1")
    assert again.data["accepted"] == [] and sorted(again.data["skipped"]) == sorted(ALL)
    assert desk.path.read_bytes() == before  # nothing new to record


def test_dry_run_writes_nothing(desk: Desk) -> None:
    set_mail(desk, mail_transport="eml")
    desk.released("SO-1")
    before = desk.path.read_bytes()
    outcome = send(desk, "TO-SO-1-1", dry_run=True)
    assert outcome.data["recipients"] == ALL and outcome.data["dry_run"]
    assert desk.path.read_bytes() == before


def test_refusals_change_nothing(desk: Desk) -> None:
    set_mail(desk, mail_transport="eml")
    assert refusal(desk, sending.send, "TO-NOPE", desk.path.parent) == ["send.unknown_task"]
    desk.released("SO-1")
    changes = ChangeSet()
    for row in desk.rows("dept_mail"):
        if Department.parse(row.values["department"]) == Department.QUALITY:
            changes.update("dept_mail", row.row, "emails", "")
    desk.type_rows(changes)
    assert refusal(desk, sending.send, "TO-SO-1-1", desk.path.parent) == ["send.no_address"]


def test_missing_attachment_is_refused(desk: Desk) -> None:
    set_mail(desk, mail_transport="eml")
    desk.released("SO-1")
    (desk.path.parent / task_row(desk, "TO-SO-1-1")["file"]).unlink()
    assert refusal(desk, sending.send, "TO-SO-1-1", desk.path.parent) == [
        "mail.error.attachment_missing"
    ]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


def test_smtp_partial_send_then_completion(desk: Desk, certificate, monkeypatch) -> None:
    cert, key, ca = certificate
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", "127.0.0.1")
    with running_server(cert, key, "starttls", ca) as server:
        set_mail(
            desk,
            mail_transport="smtp",
            smtp_host="127.0.0.1",
            smtp_port=str(server.port),
            smtp_security="starttls",
            smtp_user=USER,
            smtp_password_env=PASSWORD_ENV,
            smtp_ca_file=str(ca),
            mail_from=USER,
        )
        desk.released("SO-2")
        server.refuse_rcpt["quality@example.com"] = "550 mailbox unavailable"
        first = send(desk, "TO-SO-2-1")
        assert not first.data["complete"]
        assert first.data["refused"] == {"quality@example.com": "550 mailbox unavailable"}
        assert [p.key for p in first.problems] == ["send.recipient_refused"]
        recorded = task_row(desk, "TO-SO-2-1")["sent_to"].split("; ")
        assert "quality@example.com" not in recorded and len(recorded) == 4
        [received] = server.received
        attachment = next(received.message().iter_attachments())
        sheet = load_workbook(io.BytesIO(attachment.get_content())).active
        assert any("TO-SO-2-1" in str(c.value) for row in sheet.iter_rows() for c in row if c.value)

        server.refuse_rcpt.clear()
        second = send(desk, "TO-SO-2-1")
        assert second.data["complete"] and second.data["accepted"] == ["quality@example.com"]
        assert server.received[-1].rcpt_tos == ["quality@example.com"]
        assert task_row(desk, "TO-SO-2-1")["sent_to"].split("; ") == [
            *recorded,
            "quality@example.com",
        ]
        assert not desk.verify()


def test_unreachable_server_records_nothing(desk: Desk, monkeypatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", "127.0.0.1")
    set_mail(
        desk,
        mail_transport="smtp",
        smtp_host="127.0.0.1",
        smtp_port=str(free_port()),
        smtp_user=USER,
        smtp_password_env=PASSWORD_ENV,
        smtp_timeout="3",
    )
    desk.released("SO-1")
    keys = refusal(desk, sending.send, "TO-SO-1-1", desk.path.parent)
    assert keys == ["mail.error.unreachable"]
    assert not task_row(desk, "TO-SO-1-1")["sent_to"]
