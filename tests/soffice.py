"""LibreOffice for the tests: found as the product finds it, required when CI is set."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from workbook.pdf import find_soffice

# Calc's CSV export of every sheet (the trailing -1), UTF-8 (76), comma separated.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def require_soffice() -> str:
    """The soffice program; a missing one fails the test under CI and skips it elsewhere."""
    found = find_soffice()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required when CI is set, and it is missing")
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    return found


def convert(
    to: str,
    files: list[Path],
    out: Path,
    profile: Path,
    infilter: str | None = None,
    timeout: int = 300,
) -> list[Path]:
    """LibreOffice headless loads each file and saves it as ``to`` into ``out``; fails on any
    error it reports. Returns what ``out`` then holds."""
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            require_soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Error" not in done.stderr and "error" not in done.stdout.lower(), output
    return sorted(out.iterdir())
