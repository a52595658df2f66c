"""Issue 11 item 5: receive and check are order management's (§2), the receiver is the acting
user, and a change's requester does not approve it (four eyes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    SALES,
    T0,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
    mem_fixture,  # noqa: F401 - fixture
    order_form,
)

from addin.cli import main
from addin.core.enums import Department
from addin.core.problems import RuleError
from addin.services import changes, receipt
from workbook.create import create_master_workbook
from workbook.file_store import FileStore


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[Path, Path]:
    from lifecycle_fixtures import master_changes

    path = tmp_path / "master.xlsx"
    create_master_workbook(path, "en")
    with FileStore.open(path, write=True) as store:
        store.commit(master_changes())
    return path, order_form(tmp_path / "form.csv")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_only_order_management_receives(fresh: tuple[Path, Path], lang: str) -> None:
    path, form = fresh
    before = path.read_bytes()
    with FileStore.open(path, write=True) as store, pytest.raises(RuleError) as caught:
        receipt.receive(store, form, user=SALES, now=T0)
    (problem,) = caught.value.problems
    assert (problem.key, problem.table, problem.column) == (
        "role.wrong_department",
        "staff",
        "department",
    )
    message = problem.format(lang)
    assert "sara" in message
    assert ("Order management" in message) if lang == "en" else ("订单管理" in message)
    assert path.read_bytes() == before


def test_only_order_management_checks_from_the_command_line(
    fresh: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, form = fresh
    assert main(["receive", str(path), str(form), "--user", OM]) == 0
    capsys.readouterr()
    for lang in ("en", "zh"):
        code = main(["check", str(path), "--user", SALES, "--json", "--lang", lang])
        refused = json.loads(capsys.readouterr().out)["refused"]
        assert code == 1
        assert [p["code"] for p in refused] == ["role.wrong_department"]
    code = main(["check", str(path), "--user", "nobody", "--json"])
    assert code == 1
    assert json.loads(capsys.readouterr().out)["refused"][0]["code"] == "role.not_in_roster"
    assert main(["check", str(path), "--user", OM]) == 0


def test_the_receiver_is_the_acting_user(fresh: tuple[Path, Path]) -> None:
    path, form = fresh
    text = form.read_text(encoding="utf-8").replace(f",{OM},", ",sara,")
    form.write_text(text, encoding="utf-8")
    with FileStore.open(path, write=True) as store:
        receipt.receive(store, form, user=MANAGER, now=T0)
    with FileStore.open(path) as store:
        first = store.read("orders")[0].values
    assert first["received_by"] == MANAGER
    assert first["remarks"] == "receiver named on the form: sara"  # kept, not dropped


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "max filed the change request CH-SO-1-01 and cannot also approve it"),
        ("zh", "max 提出了变更申请 CH-SO-1-01，不能再批准它"),
    ],
)
def test_the_requester_does_not_approve_the_change(mem: Desk, lang: str, text: str) -> None:
    outcome = mem(
        changes.request, "SO-1", Department.CUSTOMER, "more", ["quantity=120"], user=MANAGER
    )
    change_no = outcome.data["change_no"]
    mem(changes.review, change_no, "a", "b", "c", "d", "e", user=OM)
    mem.opinions(change_no)
    before = mem.state()
    with pytest.raises(RuleError) as caught:
        mem(changes.approve, change_no, None, None, user=MANAGER)
    (problem,) = caught.value.problems
    assert (problem.key, problem.table, problem.column) == (
        "role.own_change",
        "changes",
        "requester",
    )
    assert text in problem.format(lang)
    assert mem.state() == before
