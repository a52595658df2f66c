"""A PDF copy of a workbook through LibreOffice in headless mode.

Each conversion runs LibreOffice with a fresh, throw-away user profile, so it neither waits for
nor disturbs a LibreOffice the user has open, and conversions can run side by side. A conversion
that hangs is stopped after ``timeout`` seconds, with every process it started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from addin.i18n import t

ENV_SOFFICE = "ORDERDESK_SOFFICE"  # the path of soffice, where it is not on PATH
DEFAULT_TIMEOUT = 180.0  # seconds; a first start with a new profile takes a few

_KNOWN_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/opt/libreoffice/program/soffice",
)


class PdfError(RuntimeError):
    """A PDF copy could not be made; ``key`` and ``params`` give the catalogue message."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


def find_soffice() -> str | None:
    """The LibreOffice executable: $ORDERDESK_SOFFICE, then PATH, then the usual install places."""
    configured = os.environ.get(ENV_SOFFICE, "").strip()
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _KNOWN_PLACES if Path(p).is_file()), None)


def to_pdf(
    xlsx: Path | str,
    out_dir: Path | str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    soffice: str | None = None,
) -> Path:
    """Convert ``xlsx`` to ``out_dir/<same stem>.pdf`` and return that path.

    The workbook's page setup (print area, paper, fit to page) decides the pages. Raises
    :class:`PdfError` when LibreOffice is missing, fails, times out or writes no PDF.
    """
    source = Path(xlsx)
    if not source.is_file():
        raise PdfError("taskorder.pdf.source_missing", file=str(source))
    exe = soffice or find_soffice()
    if not exe:
        raise PdfError("taskorder.pdf.no_soffice")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{source.stem}.pdf"
    target.unlink(missing_ok=True)  # never mistake an old copy for this conversion's output

    with tempfile.TemporaryDirectory(prefix="orderdesk-lo-") as profile:
        command = [
            exe,
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder.resolve()),
            str(source.resolve()),
        ]
        code, output = _run(command, timeout, source)

    if not target.is_file() or target.read_bytes()[:5] != b"%PDF-":
        detail = " ".join(output.split())[-500:] or "no PDF written"
        raise PdfError("taskorder.pdf.failed", file=source.name, code=code, detail=detail)
    return target


def _run(command: list[str], timeout: float, source: Path) -> tuple[int, str]:
    """Run ``command``; on timeout end it and all it started (soffice forks soffice.bin)."""
    new_group: dict[str, object] = (
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
        if sys.platform == "win32"
        else {"start_new_session": True}
    )
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **new_group,  # type: ignore[call-overload]
        )
    except OSError as exc:
        raise PdfError("taskorder.pdf.failed", file=source.name, code="-", detail=str(exc)) from exc
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(process)
        process.communicate()
        raise PdfError("taskorder.pdf.timeout", file=source.name, seconds=round(timeout)) from None
    return process.returncode, out.decode(errors="replace")


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.kill()
