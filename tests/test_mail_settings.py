"""Mail settings from the settings sheet; the password from the environment or the keyring."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from addin.core.settings import DEFAULT_SETTINGS
from addin.mail import SETTING_KEYS, MailError, MailSettings


def test_default_settings_sheet_is_understood(tmp_path):
    values = dict(DEFAULT_SETTINGS)
    settings = MailSettings.from_settings(values, base_dir=tmp_path)
    assert settings.transport == values["mail_transport"]
    assert settings.sender == values["mail_from"]
    assert settings.host == values["smtp_host"]
    assert settings.effective_port == int(values["smtp_port"])
    assert settings.password_env == values["smtp_password_env"]
    assert Path(settings.eml_dir) == tmp_path / values["eml_dir"]
    # every key this module reads that the default sheet has maps to a field
    assert {k for k, _ in DEFAULT_SETTINGS} & set(SETTING_KEYS) >= {
        "mail_transport",
        "mail_from",
        "smtp_host",
        "smtp_port",
        "smtp_security",
        "smtp_user",
        "smtp_password_env",
        "eml_dir",
    }


def test_sheet_values_as_excel_gives_them():
    settings = MailSettings.from_settings(
        {"mail_transport": " SMTP ", "smtp_port": 465.0, "smtp_security": "TLS", "smtp_user": None}
    )
    assert (settings.transport, settings.port, settings.security) == ("smtp", 465, "tls")
    assert settings.user == ""
    assert MailSettings.from_settings({"smtp_security": "none"}).effective_port == 25
    assert MailSettings.from_settings({}).effective_port == 587


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"mail_transport": "pigeon"}, "mail_transport"),
        ({"smtp_port": "70000"}, "smtp_port"),
        ({"smtp_port": "abc"}, "smtp_port"),
        ({"smtp_security": "ssl3"}, "smtp_security"),
    ],
)
def test_bad_values_name_their_key(values, key):
    with pytest.raises(MailError) as caught:
        MailSettings.from_settings(values)
    assert caught.value.key == "mail.error.bad_setting"
    assert caught.value.params["key"] == key
    assert key in caught.value.message("zh")


def test_a_password_in_the_sheet_is_refused():
    with pytest.raises(MailError) as caught:
        MailSettings.from_settings({"smtp_password": "hunter2"})
    assert caught.value.key == "mail.error.password_in_workbook"
    assert "hunter2" not in caught.value.message("en")


def test_password_from_environment(monkeypatch):
    settings = MailSettings(user="u", password_env="ORDERDESK_TEST_PW")
    monkeypatch.delenv("ORDERDESK_TEST_PW", raising=False)
    assert settings.password() is None
    monkeypatch.setenv("ORDERDESK_TEST_PW", "from-env")
    assert settings.password() == "from-env"


def _fake_keyring(store: dict[tuple[str, str], str], error: Exception | None = None):
    module = types.ModuleType("keyring")

    def get_password(service: str, user: str) -> str | None:
        if error is not None:
            raise error
        return store.get((service, user))

    module.get_password = get_password  # type: ignore[attr-defined]
    return module


def test_password_from_keyring_after_environment(monkeypatch):
    store = {("orderdesk-smtp", "u"): "from-keyring"}
    monkeypatch.setitem(sys.modules, "keyring", _fake_keyring(store))
    monkeypatch.delenv("ORDERDESK_TEST_PW", raising=False)
    settings = MailSettings(
        user="u", password_env="ORDERDESK_TEST_PW", keyring_service="orderdesk-smtp"
    )
    assert settings.password() == "from-keyring"
    monkeypatch.setenv("ORDERDESK_TEST_PW", "from-env")
    assert settings.password() == "from-env"  # the environment wins
    assert MailSettings(user="other", keyring_service="orderdesk-smtp").password() is None


def test_keyring_absent_or_failing(monkeypatch):
    settings = MailSettings(user="u", keyring_service="orderdesk-smtp")
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed: import fails
    assert settings.password() is None
    broken = _fake_keyring({}, RuntimeError("No recommended backend was available"))
    monkeypatch.setitem(sys.modules, "keyring", broken)
    with pytest.raises(MailError) as caught:
        settings.password()
    assert caught.value.key == "mail.error.keyring"
    assert "No recommended backend" in caught.value.message("en")
