"""What the workbook may choose in file mode (issue 12 item 13): the environment variable the
SMTP password comes from (``ORDERDESK_*`` only), and the files attached (the task-order folder
only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lifecycle_fixtures import Desk, desk_fixture, master_bytes_fixture, refusal  # noqa: F401
from test_mail_smtp import certificate, password, starttls_server  # noqa: F401
from test_sending import send, set_mail, task_row

from addin.i18n import t
from addin.mail import MailError, MailSettings
from addin.services import sending
from workbook.store import ChangeSet


@pytest.mark.parametrize(
    "name",
    ["HOME", "AWS_SECRET_ACCESS_KEY", "orderdesk_pw", "ORDERDESK", "ORDERDESK_", "X_ORDERDESK_PW"],
)
def test_only_orderdesk_variables_may_hold_the_password(name: str, monkeypatch) -> None:
    monkeypatch.setenv(name, "a secret of someone else")
    with pytest.raises(MailError) as caught:
        MailSettings.from_settings({"smtp_password_env": name})
    assert caught.value.key == "mail.error.password_env"
    assert caught.value.params == {"key": "smtp_password_env", "name": name}
    for lang in ("zh", "en"):
        assert name in caught.value.message(lang) and "ORDERDESK_" in caught.value.message(lang)
    with pytest.raises(ValueError):
        MailSettings(password_env=name)


def test_an_orderdesk_variable_is_read(monkeypatch) -> None:
    monkeypatch.setenv("ORDERDESK_SMTP_PASSWORD", "pw")
    settings = MailSettings.from_settings({"smtp_password_env": "ORDERDESK_SMTP_PASSWORD"})
    assert settings.password() == "pw"


def _point_file_at(desk: Desk, task_no: str, target: str) -> None:
    changes = ChangeSet()
    row = next(r for r in desk.rows("task_orders") if r.values["task_no"] == task_no)
    changes.update("task_orders", row.row, "file", target)
    desk.type_rows(changes)


@pytest.mark.parametrize("where", ["absolute", "relative", "up"])
def test_an_attachment_outside_the_task_order_folder_is_refused(desk: Desk, where: str) -> None:
    set_mail(desk, mail_transport="eml", eml_dir="outbox")
    desk.released("SO-1")
    secret = desk.path.parent / "secret.txt"
    secret.write_text("payroll")
    target = {
        "absolute": str(secret),
        "relative": "secret.txt",
        "up": "task-orders/../secret.txt",
    }[where]
    _point_file_at(desk, "TO-SO-1-1", target)
    assert refusal(desk, sending.send, "TO-SO-1-1", desk.path.parent) == ["send.file_outside"]
    assert not (desk.path.parent / "outbox").exists()


def test_a_link_in_the_task_order_folder_to_a_file_elsewhere_is_refused(desk: Desk) -> None:
    set_mail(desk, mail_transport="eml", eml_dir="outbox")
    desk.released("SO-1")
    secret = desk.path.parent / "secret.xlsx"
    secret.write_bytes(b"payroll")
    link = desk.out_dir / "link.xlsx"
    link.symlink_to(secret)
    _point_file_at(desk, "TO-SO-1-1", "task-orders/link.xlsx")
    assert refusal(desk, sending.send, "TO-SO-1-1", desk.path.parent) == ["send.file_outside"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_refusal_names_the_file_and_the_folder(lang: str) -> None:
    text = t("send.file_outside", lang, task_no="TO-1", file="/etc/passwd", folder="/x/task-orders")
    assert "/etc/passwd" in text and "/x/task-orders" in text and "TO-1" in text


def test_a_file_in_the_task_order_folder_is_sent(desk: Desk) -> None:
    set_mail(desk, mail_transport="eml", eml_dir="outbox")
    desk.released("SO-1")
    outcome = send(desk, "TO-SO-1-1")
    assert outcome.data["complete"]
    assert [Path(a).parent for a in outcome.data["attachments"]] == [desk.out_dir]
    assert task_row(desk, "TO-SO-1-1")["sent_via"] == "eml:written"


def test_the_password_goes_only_to_a_server_the_environment_names(
    starttls_server,  # noqa: F811
    monkeypatch,
) -> None:
    """A workbook naming another SMTP server does not get the password sent there."""
    from email.message import EmailMessage

    from addin.mail.transports import send_smtp

    message = EmailMessage()
    message["From"], message["Message-ID"] = "od@example.com", "<1@example.com>"
    settings = starttls_server.settings()
    for trusted in ("", "mail.example.com", "10.0.0.1, smtp.example.com"):
        monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", trusted)
        result = send_smtp(message, ["a@example.com"], settings)
        assert result.error_key == "mail.error.host_not_trusted"
        assert starttls_server.received == []
        for lang in ("zh", "en"):
            text = t(result.error_key, lang, **result.error_params)
            assert settings.host in text and "ORDERDESK_SMTP_HOSTS" in text
    monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", f"mail.example.com, {settings.host.upper()}")
    assert send_smtp(message, ["a@example.com"], settings).error_key is None
    assert len(starttls_server.received) == 1
