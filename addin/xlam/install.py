"""Install, uninstall and report the OrderDesk add-in for Excel on Windows and macOS.

It follows ``xlwings addin install -f PATH`` (xlwings/cli.py): close the add-in in any running
Excel, copy the file into the user's XLSTART folder (asking Excel for it through xlwings when
it can), and on macOS put xlwings' AppleScript where Excel may run it. It then writes the
xlwings settings the add-in's VBA reads from the user config file of our custom add-in
(``~/.orderdesk/orderdesk.conf`` on Windows, Excel's sandbox folder on macOS): the Python to
run, the PYTHONPATH holding the ``addin`` package, and the UDF server, which keeps one Python
process alive between clicks (Windows; macOS always starts Python per call).

Everything that depends on the machine comes in through :class:`Environment`, so the path
logic is tested on any system.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from addin.i18n import t
from addin.xlam.build import ADDIN_FILENAME, CONFIG_NAME, build_addin, installed_xlwings

System = Literal["windows", "mac"]

MAC_OFFICE_STARTUP = (
    "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
)
MAC_EXCEL_DATA = "Library/Containers/com.microsoft.Excel/Data"
MAC_APPLESCRIPT_DIR = "Library/Application Scripts/com.microsoft.Excel"


@dataclass(frozen=True)
class AddinResult:
    """What an add-in command did: ``ok``, a catalogue ``key`` and its ``params``."""

    ok: bool
    key: str
    params: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)


@dataclass(frozen=True)
class Environment:
    """The machine as the installer sees it."""

    platform: str  # a sys.platform value
    home: Path
    executable: str  # the Python that Excel will start
    pythonpath: str  # the folder that holds the ``addin`` package
    appdata: Path | None = None  # Windows %APPDATA%; default home/AppData/Roaming
    startup_dir: Path | None = None  # Excel's XLSTART; None: ask Excel, else the default
    use_excel: bool = True  # may we talk to Excel (through xlwings)?
    ansi_encoding: str = "utf-8"  # encoding VBA reads the config file in

    @classmethod
    def current(cls) -> Environment:
        appdata = os.environ.get("APPDATA")
        return cls(
            platform=sys.platform,
            home=Path.home(),
            executable=sys.executable,
            pythonpath=str(Path(__file__).resolve().parents[2]),
            appdata=Path(appdata) if appdata else None,
            ansi_encoding=_ansi_encoding(),
        )

    @property
    def system(self) -> System | None:
        if self.platform.startswith("win"):
            return "windows"
        if self.platform == "darwin":
            return "mac"
        return None


def _ansi_encoding() -> str:
    # VBA's Open/Input read files in the Windows ANSI code page ("mbcs"); "mbcs" exists only
    # on Windows Python. macOS paths are read as they are: UTF-8.
    try:
        codecs.lookup("mbcs")
    except LookupError:
        return "utf-8"
    return "mbcs"


def default_startup_dir(env: Environment) -> Path:
    """The user's XLSTART folder where Excel normally has it."""
    if env.system == "windows":
        appdata = env.appdata or env.home / "AppData" / "Roaming"
        return appdata / "Microsoft" / "Excel" / "XLSTART"
    if env.system == "mac":
        return env.home / MAC_OFFICE_STARTUP
    raise ValueError(f"no Excel on {env.platform}")


def _excel_startup_dir() -> Path | None:
    """Excel's own startup path, asked through xlwings (may start Excel invisibly)."""
    try:
        from xlwings.cli import get_addin_dir

        return Path(get_addin_dir())
    except Exception:  # no Excel, or it would not answer: fall back to the usual folder
        return None


def startup_dir(
    env: Environment, ask_excel: Callable[[], Path | None] = _excel_startup_dir
) -> Path:
    if env.startup_dir is not None:
        return env.startup_dir
    if env.use_excel:
        found = ask_excel()
        if found is not None:
            return found
    return default_startup_dir(env)


def config_path(env: Environment) -> Path:
    """The user config file xlwings' custom add-in VBA reads (its GetConfigFilePath)."""
    if env.system == "windows":
        return env.home / f".{CONFIG_NAME}" / f"{CONFIG_NAME}.conf"
    if env.system == "mac":
        return env.home / MAC_EXCEL_DATA / f"{CONFIG_NAME}.conf"
    raise ValueError(f"no Excel on {env.platform}")


def interpreter(env: Environment) -> str:
    """The Python for Excel; on Windows pythonw.exe when there is one (no console window)."""
    if env.system == "windows":
        exe = Path(env.executable)
        windowless = exe.with_name("pythonw.exe")
        if exe.name.lower() == "python.exe" and windowless.exists():
            return str(windowless)
    return env.executable


def config_entries(env: Environment) -> dict[str, str]:
    """Our settings. ``ADD_WORKBOOK_TO_PYTHONPATH`` off: xlwings would put the workbook's and
    the add-in's folders first on sys.path, where folders named like our packages would shadow
    them (for the UDF server's worksheet functions too; the buttons' command drops them anyway,
    see ``entry.py``)."""
    key = "INTERPRETER_WIN" if env.system == "windows" else "INTERPRETER_MAC"
    return {
        key: interpreter(env),
        "PYTHONPATH": env.pythonpath,
        "USE UDF SERVER": "True",
        "ADD_WORKBOOK_TO_PYTHONPATH": "False",
    }


_CONFIG_LINE = re.compile(r'^"([^"]*)"\s*,')


def merge_config(existing: str, entries: dict[str, str] | None, remove: set[str]) -> str:
    """The config file text with the ``remove`` keys dropped and ``entries`` appended.

    The format is VBA's ``Write #``: one ``"KEY","VALUE"`` line per setting; other lines stay.
    """
    drop = {k.upper() for k in remove}
    kept = []
    for line in existing.splitlines():
        match = _CONFIG_LINE.match(line)
        if not line.strip() or (match and match.group(1).upper() in drop):
            continue
        kept.append(line)
    kept += [f'"{k}","{v}"' for k, v in (entries or {}).items()]
    return "".join(f"{line}\n" for line in kept)


def _unsupported(env: Environment) -> AddinResult:
    return AddinResult(False, "addin.install.unsupported", {"platform": env.platform})


def _close_in_excel(env: Environment) -> None:
    """Close the add-in in every running Excel, as xlwings does before replacing it."""
    if not env.use_excel:
        return
    try:
        import xlwings as xw

        for app in xw.apps:
            try:
                app.books[ADDIN_FILENAME].close()
            except Exception:  # not open in this Excel
                continue
    except Exception:  # no Excel running, or xlwings cannot reach it
        return


def _write_config(env: Environment, entries: dict[str, str] | None) -> Path:
    path = config_path(env)
    existing = path.read_text(encoding=env.ansi_encoding) if path.exists() else ""
    text = merge_config(existing, entries, set(config_entries(env)))
    if text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding=env.ansi_encoding)
    elif path.exists():
        path.unlink()
    return path


def _install_applescript(env: Environment) -> None:
    """macOS: RunPython goes through xlwings' AppleScript (xlwings runpython install)."""
    xlwings = installed_xlwings()
    script = xlwings.package_dir / f"xlwings-{xlwings.version}.applescript"
    target = env.home / MAC_APPLESCRIPT_DIR
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(script, target / script.name)


def install(source: Path | None = None, env: Environment | None = None) -> AddinResult:
    """Install the add-in (built now unless ``source`` is given) and write its settings."""
    env = env or Environment.current()
    if env.system is None:
        return _unsupported(env)
    target = startup_dir(env) / ADDIN_FILENAME
    try:
        with tempfile.TemporaryDirectory() as tmp:
            built = Path(source) if source is not None else build_addin(Path(tmp))
            _close_in_excel(env)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built, target)
        if env.system == "mac":
            _install_applescript(env)
        config = _write_config(env, config_entries(env))
    except PermissionError:
        return AddinResult(False, "addin.install.locked", {"path": str(target)}, target)
    except OSError as exc:
        return AddinResult(False, "addin.install.failed", {"error": str(exc)}, target)
    return AddinResult(
        True, "addin.install.done", {"path": str(target), "config": str(config)}, target
    )


def uninstall(env: Environment | None = None) -> AddinResult:
    """Remove the add-in from the startup folder and our keys from the settings file."""
    env = env or Environment.current()
    if env.system is None:
        return _unsupported(env)
    target = startup_dir(env) / ADDIN_FILENAME
    if not target.exists():
        return AddinResult(False, "addin.uninstall.not_installed", {"path": str(target)}, target)
    try:
        _close_in_excel(env)
        target.unlink()
        _write_config(env, None)
    except PermissionError:
        return AddinResult(False, "addin.install.locked", {"path": str(target)}, target)
    except OSError as exc:
        return AddinResult(False, "addin.install.failed", {"error": str(exc)}, target)
    return AddinResult(True, "addin.uninstall.done", {"path": str(target)}, target)


def status(env: Environment | None = None) -> AddinResult:
    """Whether the add-in is in the startup folder, and where."""
    env = env or Environment.current()
    if env.system is None:
        return _unsupported(env)
    target = startup_dir(env) / ADDIN_FILENAME
    if target.exists():
        params = {"path": str(target), "config": str(config_path(env))}
        return AddinResult(True, "addin.status.installed", params, target)
    return AddinResult(True, "addin.status.not_installed", {"path": str(target)}, target)
