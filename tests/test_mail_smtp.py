"""Sending task orders to a real SMTP server on loopback, with TLS and login."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from mailtest.docs import sample_doc
from mailtest.server import PASSWORD, PASSWORD_ENV, free_port, make_certificate, running_server
from openpyxl import load_workbook

from addin.core.enums import Department
from addin.i18n import t
from addin.mail import Outcome, send_task_order
from addin.mail.message import subject
from workbook.task_order_file import render_task_order

# the implicit-TLS test server offers AUTH without aiosmtpd seeing STARTTLS, which it warns about
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

TO = ["production@example.com", "technical@example.com", "quality@example.com"]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", "127.0.0.1")  # IT trusts the loopback server


@pytest.fixture(params=["starttls", "tls"])
def server(request, certificate, password):
    cert, key, ca = certificate
    with running_server(cert, key, request.param, ca) as mail:
        yield mail


@pytest.fixture
def starttls_server(certificate, password):
    cert, key, ca = certificate
    with running_server(cert, key, "starttls", ca) as mail:
        yield mail


def _task_order(tmp_path: Path, lang: str):
    doc = sample_doc(lang)
    return doc, render_task_order(doc, tmp_path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_message_arrives_with_headers_body_and_workbook(server, tmp_path, lang):
    doc, xlsx = _task_order(tmp_path, lang)

    result = send_task_order(doc, [xlsx], TO, server.settings(), already_sent=set())

    assert result.ok, result.error("en")
    assert result.outcome is Outcome.SENT
    assert result.accepted == TO and result.delivered == TO
    assert len(server.received) == 1
    got = server.received[0]
    assert got.mail_from == server.settings().sender
    assert got.rcpt_tos == TO
    message = got.message()
    assert message["Subject"] == subject(doc)
    assert doc.task_no in message["Subject"] and doc.customer_name in message["Subject"]
    assert [a.strip() for a in message["To"].split(",")] == TO
    assert message["Message-ID"] == result.message_id
    body = message.get_body(("plain",)).get_content()
    for text in (
        doc.task_no,
        doc.order_no,
        doc.customer_name,
        doc.product_name,
        "12,000 " + doc.unit,
        "2024-07-15",
        doc.batch,
        Department.QUALITY.label(lang),
    ):
        assert text in body
    greeting = t("mail.body", lang).split("\n")[0]
    assert body.startswith(greeting)

    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == xlsx.name
    wb = load_workbook(io.BytesIO(attachment.get_content()))
    cells = {c.value for row in wb.worksheets[0].iter_rows() for c in row}
    assert {doc.task_no, doc.order_no, doc.customer_name, doc.quantity} <= cells


def test_pdf_copy_goes_along(starttls_server, tmp_path):
    doc, xlsx = _task_order(tmp_path, "en")
    pdf = tmp_path / (xlsx.stem + ".pdf")
    pdf.write_bytes(b"%PDF-1.4 stand-in")

    result = send_task_order(doc, [xlsx, pdf], TO[:1], starttls_server.settings())

    assert result.ok
    message = starttls_server.received[0].message()
    types = [(a.get_filename(), a.get_content_type()) for a in message.iter_attachments()]
    assert types == [
        (xlsx.name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (pdf.name, "application/pdf"),
    ]


def test_refused_recipient_reported_and_second_send_completes(starttls_server, tmp_path):
    doc, xlsx = _task_order(tmp_path, "zh")
    starttls_server.refuse_rcpt["quality@example.com"] = "550 5.1.1 Mailbox unavailable"

    first = send_task_order(doc, [xlsx], TO, starttls_server.settings())

    assert not first.ok and first.error_key is None
    assert first.delivered == ["production@example.com", "technical@example.com"]
    assert first.refused == {"quality@example.com": "550 5.1.1 Mailbox unavailable"}
    assert starttls_server.received[0].rcpt_tos == first.delivered
    lines = first.report("en")
    assert "quality@example.com: refused (550 5.1.1 Mailbox unavailable)" in lines
    assert any(line.startswith("production@example.com: sent") for line in lines)
    assert "2 done, 1 refused" in first.summary("en")

    starttls_server.refuse_rcpt.clear()
    second = send_task_order(doc, [xlsx], TO, starttls_server.settings(), set(first.delivered))

    assert second.ok
    assert second.delivered == ["quality@example.com"]
    assert second.skipped == first.delivered
    assert starttls_server.received[1].rcpt_tos == ["quality@example.com"]
    assert starttls_server.received[1].message()["To"] == "quality@example.com"

    third = send_task_order(doc, [xlsx], TO, starttls_server.settings(), set(TO))
    assert third.ok and third.accepted == [] and len(starttls_server.received) == 2
    assert third.summary("en") == t("mail.summary.nothing_left", "en", task_no=doc.task_no)


def test_every_recipient_refused_sends_nothing(starttls_server, tmp_path):
    doc, xlsx = _task_order(tmp_path, "en")
    for address in TO[:2]:
        starttls_server.refuse_rcpt[address] = "550 No such user"

    result = send_task_order(doc, [xlsx], TO[:2], starttls_server.settings())

    assert result.error_key == "mail.error.all_refused"
    assert result.accepted == [] and set(result.refused) == set(TO[:2])
    assert starttls_server.received == []


def test_message_refused_at_data_is_not_reported_sent(starttls_server, tmp_path):
    doc, xlsx = _task_order(tmp_path, "en")
    starttls_server.refuse_data = "554 5.7.1 Message rejected as spam"

    result = send_task_order(doc, [xlsx], TO, starttls_server.settings())

    assert result.error_key == "mail.error.data_refused"
    assert "554 5.7.1 Message rejected as spam" in result.error("en")
    assert result.accepted == [] and result.delivered == []
    assert result.report("en") == [f"{a}: not sent" for a in TO]


def test_wrong_password_is_login_refused(starttls_server, tmp_path, monkeypatch):
    doc, xlsx = _task_order(tmp_path, "en")
    monkeypatch.setenv(PASSWORD_ENV, "wrong")

    result = send_task_order(doc, [xlsx], TO, starttls_server.settings())

    assert result.error_key == "mail.error.login_refused"
    assert result.error_params["user"] == starttls_server.settings().user
    assert result.error_params["reason"].startswith("535")
    assert result.accepted == [] and starttls_server.received == []
    assert "refused the login" in result.summary("en")


def test_no_password_anywhere(starttls_server, tmp_path, monkeypatch):
    doc, xlsx = _task_order(tmp_path, "zh")
    monkeypatch.delenv(PASSWORD_ENV)

    result = send_task_order(doc, [xlsx], TO, starttls_server.settings())

    assert result.error_key == "mail.error.no_password"
    assert PASSWORD_ENV in result.error("zh")
    assert starttls_server.received == []


def test_server_unreachable(tmp_path, password, certificate):
    doc, xlsx = _task_order(tmp_path, "en")
    from addin.mail import MailSettings

    port = free_port()  # nothing listens there
    settings = MailSettings(
        transport="smtp", host="127.0.0.1", port=port, user="u", password_env=PASSWORD_ENV,
        sender="orders@example.com", timeout=5,
    )  # fmt: skip

    result = send_task_order(doc, [xlsx], TO, settings)

    assert result.error_key == "mail.error.unreachable"
    assert result.error_params["port"] == port
    assert result.accepted == []
    assert f"127.0.0.1:{port}" in result.error("en")


def test_untrusted_certificate_is_a_tls_error(server, tmp_path):
    doc, xlsx = _task_order(tmp_path, "en")

    result = send_task_order(doc, [xlsx], TO, server.settings(ca_file=""))

    assert result.error_key == "mail.error.tls"
    assert "CERTIFICATE_VERIFY_FAILED" in result.error_params["reason"]
    assert server.received == []


def test_server_without_starttls(certificate, password, tmp_path):
    cert, key, ca = certificate
    doc, xlsx = _task_order(tmp_path, "en")
    with running_server(cert, key, "plain", ca) as plain:
        result = send_task_order(doc, [xlsx], TO, plain.settings())
        assert result.error_key == "mail.error.starttls_unsupported"
        assert plain.received == []


def test_login_over_plain_connection_is_refused_here(starttls_server, tmp_path):
    doc, xlsx = _task_order(tmp_path, "en")

    result = send_task_order(doc, [xlsx], TO, starttls_server.settings(security="none"))

    assert result.error_key == "mail.error.login_needs_tls"
    assert starttls_server.received == []


def test_missing_attachment_sends_nothing(starttls_server, tmp_path):
    doc, xlsx = _task_order(tmp_path, "zh")
    gone = tmp_path / "gone.pdf"

    result = send_task_order(doc, [xlsx, gone], TO, starttls_server.settings())

    assert result.error_key == "mail.error.attachment_missing"
    assert result.error_params == {"file": str(gone)}
    assert result.accepted == [] and starttls_server.received == []
    assert str(gone) in result.summary("zh")


def test_sender_missing(starttls_server, tmp_path):
    doc, xlsx = _task_order(tmp_path, "en")

    result = send_task_order(doc, [xlsx], TO, starttls_server.settings(sender=""))

    assert result.error_key == "mail.error.no_sender"
    assert starttls_server.received == []
