"""The command every ribbon button runs, in a real Python process with sys.path as xlwings
leaves it: the master workbook's folder and the add-in's folder (XLSTART) first, each with the
``.zip`` xlwings adds beside the file, and the current directory (``python -c``) being the
workbook's folder. Folders named like OrderDesk's packages there must not be imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings

import addin
import workbook
from addin.xlam.entry import entry_command


def _decoys(tmp_path: Path) -> tuple[Path, Path]:
    share, xlstart = tmp_path / "share", tmp_path / "XLSTART"
    for folder, package in ((share, "addin"), (share, "workbook"), (xlstart, "udfs")):
        (folder / package).mkdir(parents=True)
        (folder / package / "__init__.py").write_text(
            f"raise SystemExit('decoy {package} imported')\n", encoding="utf-8"
        )
    (share / "master.xlsx").write_bytes(b"")
    return share, xlstart


def _run_as_xlwings_does(
    share: Path, xlstart: Path, command: str, home: Path, server: bool
) -> list[str]:
    # What xlwings.utils.prepare_sys_path adds (its set() gives them in any order: the worst
    # is taken here), then the button's command: as `python -c` runs it (macOS, no UDF
    # server) or as the UDF server's XLPy.Exec does, exec(stmt, None, None) in a method.
    front = [str(p) for p in (share, share / "master.zip", xlstart, xlstart / "OrderDesk.zip")]
    run = f"Server().Exec({command!r})" if server else command
    code = "\n".join(
        [
            "import sys",
            f"sys.path[0:0] = {front!r}",
            "class Server:",
            "    def Exec(self, stmt):",
            "        exec(stmt, None, None)",
            run,
            "import addin, workbook, udfs",
            "print(addin.__file__, workbook.__file__, udfs.__file__, sep='\\n')",
        ]
    )
    env = {**os.environ, "HOME": str(home), "USERPROFILE": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=share, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("server", [False, True])
def test_a_decoy_package_beside_the_workbook_is_not_imported(tmp_path: Path, server: bool) -> None:
    share, xlstart = _decoys(tmp_path)
    command = entry_command(str(share), str(xlstart), "btn_help", xlwings.__version__)
    printed = _run_as_xlwings_does(share, xlstart, command, tmp_path, server)
    ours = Path(addin.__file__).parent.parent
    assert printed == [
        str(Path(addin.__file__)),
        str(Path(workbook.__file__)),
        str(ours / "udfs" / "__init__.py"),
    ]
    # the button ran: with no Excel here, its failure is in the log, not a traceback
    assert "btn_help" in (tmp_path / ".orderdesk" / "orderdesk.log").read_text("utf-8")


def test_without_the_entry_the_decoy_wins(tmp_path: Path) -> None:
    """The setting above is one where the bug shows: the plain import takes the decoy."""
    share, xlstart = _decoys(tmp_path)
    code = "import addin.ribbon;addin.ribbon.run('btn_help')"
    front = [share, share / "master.zip", xlstart, xlstart / "OrderDesk.zip"]
    prelude = f"import sys;sys.path[0:0]={[str(p) for p in front]!r};"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code], cwd=share, capture_output=True, text=True
    )
    assert result.returncode != 0 and "decoy addin imported" in result.stderr


def test_paths_travel_as_utf16_hex(tmp_path: Path) -> None:
    folder = tmp_path / "订单 'O\\Desk\""
    command = entry_command(str(folder), "", "btn_check", "0.37.8")
    assert str(folder) not in command and "'" + folder.name not in command
    assert command.endswith("import addin.ribbon;addin.ribbon.run('btn_check','0.37.8')")
    hex_text = str(folder).encode("utf-16-be").hex().upper()
    assert f"('{hex_text}','')" in command
