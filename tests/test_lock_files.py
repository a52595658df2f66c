"""No lock file is left beside the workbook after a command ends (issue 11 item 12), and the
lock still keeps two actions apart while they run."""

from __future__ import annotations

from pathlib import Path

import pytest
from foundation_fixtures import LANGS, cli, order_rows, seeded_workbook, write_order_form

from workbook.safe_save import lock_path, process_lock
from workbook.store import StoreError


@pytest.mark.parametrize("lang", LANGS)
def test_commands_leave_no_lock_file(tmp_path: Path, lang: str) -> None:
    workbook = seeded_workbook(tmp_path, lang)
    form = write_order_form(tmp_path / "form.csv", order_rows("SO1", lines=1), lang)
    before = {p.name for p in tmp_path.iterdir()}
    assert cli("receive", workbook, form, "--lang", lang).code == 0
    assert cli("check", workbook, "--lang", lang).code in (0, 1)
    assert cli("receive", workbook, form, "--lang", lang).code == 1  # refused: no lock left either
    left = {p.name for p in tmp_path.iterdir()} - before
    assert left == {"master.bak.xlsx"}, left


def test_the_lock_keeps_actions_apart_and_goes_away(tmp_path: Path) -> None:
    workbook = seeded_workbook(tmp_path)
    with process_lock(workbook):
        assert lock_path(workbook).exists()
        with pytest.raises(StoreError) as refused, process_lock(workbook):
            pass
        assert refused.value.key == "store.locked"
        assert lock_path(workbook).exists()  # the refused one did not remove the holder's lock
    assert not lock_path(workbook).exists()
    with process_lock(workbook):  # and the next action takes it
        assert lock_path(workbook).exists()
    assert not lock_path(workbook).exists()
