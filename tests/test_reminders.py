"""Reminders: each department is mailed what waits for it, through the tests' loopback SMTP
server; only the departments reached get a ledger row."""

from __future__ import annotations

import json
from datetime import date
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest
from lifecycle_fixtures import (
    OM,
    PROD,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    refusal,
)
from mailtest.server import PASSWORD, PASSWORD_ENV, USER, make_certificate, running_server

from addin.cli import main
from addin.core.enums import Decision, Department
from addin.core.problems import RuleError
from addin.services import changes, reminders, review
from workbook.store import ChangeSet

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

TODAY = date(2026, 3, 20)  # the checks of 2026-03-02 are past the review's three working days
ADDRESSES = {d: f"{d.value}@example.com" for d in Department if d != Department.CUSTOMER}


def set_mail(desk: Desk, blank: Department | None = None, **settings: str) -> None:
    typed = ChangeSet()
    for row in desk.rows("dept_mail"):
        department = Department.parse(row.values["department"])
        address = "" if department == blank else ADDRESSES[department]  # type: ignore[index]
        typed.update("dept_mail", row.row, "emails", address)
    rows = {r.values["key"]: r.row for r in desk.rows("settings")}
    for key, value in settings.items():
        typed.update("settings", rows[key], "value", value)
    desk.type_rows(typed)


def waiting_work(desk: Desk) -> None:
    """SO-1 in review with sales and production decided; SO-2 released, its task order unsent;
    SO-3 with a change requested; the other orders checked long ago (review overdue)."""
    desk(review.start, "SO-1", user=OM)
    desk(review.record, "SO-1", Department.SALES, Decision.PASS, None, user=SALES)
    desk(review.record, "SO-1", Department.PRODUCTION, Decision.PASS, None, user=PROD)
    desk.released("SO-2")
    desk(changes.request, "SO-3", Department.CUSTOMER, "more", ["quantity=50"], user=SALES)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def smtp_settings(server: Any, ca: Any) -> dict[str, str]:
    return {
        "mail_transport": "smtp",
        "smtp_host": "127.0.0.1",
        "smtp_port": str(server.port),
        "smtp_security": "starttls",
        "smtp_user": USER,
        "smtp_password_env": PASSWORD_ENV,
        "smtp_ca_file": str(ca),
        "mail_from": USER,
    }


def remind(desk: Desk, **kwargs: Any) -> Any:
    kwargs.setdefault("today", TODAY)
    return desk(reminders.remind, desk.path.parent, user=OM, **kwargs)


def test_each_department_gets_what_waits_for_it(
    desk: Desk, certificate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key, ca = certificate
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", "127.0.0.1")
    waiting_work(desk)
    ledger_before = len(desk.rows("ledger"))
    with running_server(cert, key, "starttls", ca) as server:
        set_mail(desk, **smtp_settings(server, ca))
        outcome = remind(desk)
        mails = {r.rcpt_tos[0]: r.message() for r in server.received}
    assert outcome.data["complete"] is True
    # sales decided and nothing else waits for it: no mail; production owes SO-3's change its
    # opinion (it decided SO-1's review)
    assert sorted(mails) == [
        "order_mgmt@example.com",
        "production@example.com",
        "purchasing@example.com",
        "quality@example.com",
        "technical@example.com",
    ]
    quality = mails["quality@example.com"]
    assert quality["Subject"] == "[Reminder] 示例制造有限公司 · Quality · 1 item(s) · 2026-03-20"
    assert quality.get_content().replace("\r\n", "\n") == (
        "Quality: as of 2026-03-20, these wait for you.\n\n"
        "Review decisions due (1)\n"
        "  - order SO-1, review round 1: your department's decision\n\n"
        "Please act on them in the master workbook.\nRegards,\n"
        "Order management (OrderDesk reminder)\n"
    )
    body = mails["order_mgmt@example.com"].get_content().replace("\r\n", "\n")
    assert "Overdue or at risk (8)\n" in body
    assert "  - order SO-4: review past its time limit (11 working day(s) late)\n" in body
    assert "  - change CH-SO-3-01 (order SO-3) to review" in body
    assert "  - task order TO-SO-2-1 rev. 1 (order SO-2) not sent yet" in body
    assert "SO-2: review" not in body  # released: its review is done
    ledger = desk.rows("ledger")[ledger_before:]
    assert [r.values["details"].split(",")[0] for r in ledger] == [
        "reminded Order management of 11 item(s)",
        "reminded Production of 1 item(s)",
        "reminded Technical of 1 item(s)",
        "reminded Quality of 1 item(s)",
        "reminded Purchasing of 2 item(s)",
    ]
    assert desk.verify() == []


def test_a_refused_department_is_not_recorded(
    desk: Desk, certificate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key, ca = certificate
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", "127.0.0.1")
    waiting_work(desk)
    ledger_before = len(desk.rows("ledger"))
    with running_server(cert, key, "starttls", ca) as server:
        set_mail(desk, **smtp_settings(server, ca))
        server.refuse_rcpt["quality@example.com"] = "550 mailbox unavailable"
        outcome = remind(desk)
        # the command line exits 1 when a department was not reached
        argv = ["remind", str(desk.path), "--date", "2026-03-20", "--user", OM]
        assert main(argv) == 1
    assert outcome.data["complete"] is False
    assert [p.key for p in outcome.problems] == ["remind.refused"]
    assert outcome.problems[0].message("en") == (
        "Quality's address quality@example.com was refused (550 mailbox unavailable)"
    )
    details = [r.values["details"] for r in desk.rows("ledger")[ledger_before:]]
    assert len(details) == 8 and not any("Quality" in d for d in details)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_department_without_address_refuses_the_whole_reminder(desk: Desk, lang: str) -> None:
    waiting_work(desk)
    set_mail(desk, blank=Department.QUALITY, mail_transport="eml")
    assert refusal(desk, reminders.remind, desk.path.parent, TODAY, user=OM) == ["send.no_address"]
    with pytest.raises(RuleError) as caught:
        remind(desk)
    assert (
        caught.value.problems[0].format(lang)
        == {
            "en": "sheet 'Settings', column 'E-mails (; separated)': the settings give no e-mail "
            "address for Quality",
            "zh": "工作表“设置”，“邮箱(分号分隔)”列：设置表中“质量”部门没有邮箱",
        }[lang]
    )
    assert not list(desk.path.parent.glob("**/*.eml"))


def test_from_the_command_line_dry_run_then_eml(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    waiting_work(desk)
    set_mail(desk, mail_transport="smtp", eml_dir="outbox")
    wb = str(desk.path)
    before = desk.path.read_bytes()
    code = main(["remind", wb, "--date", "2026-03-20", "--dry-run", "--user", OM, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["data"]["dry_run"] is True
    assert data["data"]["departments"]["quality"] == {
        "recipients": ["quality@example.com"],
        "items": [{"kind": "review", "order_no": "SO-1"}],
    }
    assert desk.path.read_bytes() == before, "a dry run writes nothing"
    code = main(
        ["remind", wb, "--date", "2026-03-20", "--via", "eml", "--user", OM, "--lang", "zh"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "质量：1 项 → quality@example.com" in out
    emls = sorted(p.name for p in (desk.path.parent / "outbox").glob("*.eml"))
    assert emls == [
        "reminder-2026-03-20-order_mgmt.eml",
        "reminder-2026-03-20-production.eml",
        "reminder-2026-03-20-purchasing.eml",
        "reminder-2026-03-20-quality.eml",
        "reminder-2026-03-20-technical.eml",
    ]
    raw = (desk.path.parent / "outbox" / "reminder-2026-03-20-quality.eml").read_bytes()
    message = BytesParser(policy=policy.default).parsebytes(raw)
    # the mail is in the workbook's language (English here), as task-order mails are
    assert message["Subject"] == "[Reminder] 示例制造有限公司 · Quality · 1 item(s) · 2026-03-20"
    assert "  - order SO-1, review round 1: your department's decision" in message.get_content()


def test_nothing_waiting_sends_nothing(desk: Desk) -> None:
    set_mail(desk, mail_transport="eml")
    outcome = remind(desk, today=date(2026, 3, 2))  # the day of the checks: nothing late yet
    assert outcome.lines("en") == ["    Nothing waits as of 2026-03-02: no reminder sent"]
    assert outcome.data["departments"] == {}


def test_the_demo_mails_reminders_through_its_loopback_server(desk: Desk) -> None:
    from addin.demo.mail import mail_reminders

    waiting_work(desk)
    set_mail(desk)
    ledger_before = len(desk.rows("ledger"))
    # SO-3's change owes production's and purchasing's opinions: two items more than before
    assert mail_reminders(desk.path, OM, TODAY) == {"departments": 5, "items": 16, "messages": 5}
    assert len(desk.rows("ledger")) == ledger_before + 5
    settings = {r.values["key"]: r.values["value"] for r in desk.rows("settings")}
    assert settings["mail_transport"] == "eml"  # set back: the server ends with the demo


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_delivery_at_risk_goes_to_three_departments_as_expected_lateness(lang: str) -> None:
    from addin.core.phrases import Phrase
    from addin.core.reminders import waiting
    from addin.core.timenodes import Late

    risk = Late("SO-9", "delivery_risk", Phrase("overdue.risk_lead_time", {"line_no": 1,
                "days": 21, "ready": "2026-05-04"}), 3, "days")  # fmt: skip
    found = waiting({}, {}, [], [], [risk])
    assert list(found) == [Department.ORDER_MGMT, Department.SALES, Department.PRODUCTION]
    (item,) = found[Department.SALES]
    assert item.what.key == "remind.at_risk"
    assert item.label(lang).endswith(
        {"en": "(expected 3 day(s) late)", "zh": "（预计晚 3 天）"}[lang]
    )


# -- change opinions and approval (issue 11 items 5 and 10) -------------------------------------
CHANGE_MAILS = {
    "en": {
        "opinion": "Production: as of 2026-03-20, these wait for you.\n\n"
        "Change opinions due (1)\n"
        "  - change CH-SO-3-01 (order SO-3): your department's opinion\n\n"
        "Please act on them in the master workbook.\nRegards,\n"
        "Order management (OrderDesk reminder)\n",
        "owed": "  - change CH-SO-3-01 (order SO-3) reviewed, still waiting for the opinions of "
        "Purchasing\n",
        "approve": "  - change CH-SO-3-01 (order SO-3): every opinion in, to approve or reject "
        "(approvers: max)\n",
    },
    "zh": {
        "opinion": "生产：截至 2026-03-20，以下事项等待处理。\n\n"
        "待填写的变更评审意见（1）\n"
        "  - 变更 CH-SO-3-01（订单 SO-3）：请填写本部门的变更评审意见\n\n",
        "owed": "  - 变更 CH-SO-3-01（订单 SO-3）已评审，尚缺 采购 的意见\n",
        "approve": "  - 变更 CH-SO-3-01（订单 SO-3）意见已齐，待批准或驳回（可批准人：max）\n",
    },
}


@pytest.fixture(scope="module")
def zh_master(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from lifecycle_fixtures import build_master

    return build_master(tmp_path_factory.mktemp("zh") / "master.xlsx", "zh").read_bytes()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_concerned_departments_are_reminded_of_their_change_opinions_then_the_approvers(
    lang: str,
    master_bytes: bytes,
    zh_master: bytes,
    tmp_path: Any,
    certificate: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A quantity change concerns production and purchasing: each is mailed the opinion it
    owes until it records it; once every opinion is in, the approvers' department is mailed,
    naming them."""
    from addin.core.enums import Opinion
    from addin.services import change_review

    path = tmp_path / "orders.xlsx"
    path.write_bytes(master_bytes if lang == "en" else zh_master)
    desk = Desk(path, tmp_path / "task-orders")
    cert, key, ca = certificate
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("ORDERDESK_SMTP_HOSTS", "127.0.0.1")
    desk(changes.request, "SO-3", Department.CUSTOMER, "more", ["quantity=50"], user=SALES)
    texts = CHANGE_MAILS[lang]

    def mailed() -> dict[str, str]:
        with running_server(cert, key, "starttls", ca) as server:
            set_mail(desk, **smtp_settings(server, ca))
            remind(desk)
            return {
                r.rcpt_tos[0]: r.message().get_content().replace("\r\n", "\n")
                for r in server.received
            }

    first = mailed()
    assert texts["opinion"] in first["production@example.com"]
    assert texts["opinion"].split("\n\n")[1] in first["purchasing@example.com"]
    assert "technical@example.com" not in first  # not concerned by a quantity

    desk(change_review.record, "CH-SO-3-01", Department.PRODUCTION, Opinion.AGREE, None,
         user=PROD)  # fmt: skip
    desk(changes.review, "CH-SO-3-01", "needed", "feasible", "none", "none", "none", user=OM)
    second = mailed()
    assert "production@example.com" not in second  # nothing else waits for production
    assert "CH-SO-3-01" in second["purchasing@example.com"]
    assert texts["owed"] in second["order_mgmt@example.com"]
    assert texts["approve"] not in second["order_mgmt@example.com"]

    desk.opinions("CH-SO-3-01")
    third = mailed()
    assert "purchasing@example.com" not in third
    assert texts["approve"] in third["order_mgmt@example.com"]  # max is its manager


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_approval_waits_go_to_the_approvers_but_not_the_requester(lang: str) -> None:
    from addin.core.enums import ChangeStatus, OrderStatus, Role
    from addin.core.models import ChangeRequest, Order, StaffMember
    from addin.core.reminders import waiting

    order = Order.model_construct(order_no="SO-9", status=OrderStatus.RELEASED)
    change = ChangeRequest.model_construct(
        change_no="CH-9", order_no="SO-9", status=ChangeStatus.REVIEWED, requester="Ann"
    )
    staff = [
        StaffMember.model_construct(name="Ann", department=Department.SALES, role=Role.MANAGER),
        StaffMember.model_construct(
            name="Dan", department=Department.PRODUCTION, role=Role.DIRECTOR
        ),
    ]
    found = waiting({"SO-9": order}, {}, [change], [], [], {}, staff)
    assert list(found) == [Department.PRODUCTION]  # Ann filed it: she may not approve it
    (item,) = found[Department.PRODUCTION]
    assert item.kind == "change" and "Dan" in item.label(lang)
    # the requester the only approver: order management is reminded to have it decided
    alone = waiting({"SO-9": order}, {}, [change], [], [], {}, staff[:1])
    (item,) = alone[Department.ORDER_MGMT]
    assert item.what.key == "remind.change_decide"
    # an opinion still owed: that department is reminded, and nobody is asked to approve
    owed = waiting({"SO-9": order}, {}, [change], [], [], {"CH-9": [Department.QUALITY]}, staff)
    assert [w.kind for w in owed[Department.QUALITY]] == ["opinion"]
    assert owed[Department.ORDER_MGMT][0].what.key == "remind.change_opinions_owed"
    assert Department.PRODUCTION not in owed
