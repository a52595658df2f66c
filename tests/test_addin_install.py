"""Installing the add-in: paths and settings for Windows and macOS, checked on any system by
injecting the platform and the home folder."""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from addin.i18n import t
from addin.xlam import install, status, uninstall
from addin.xlam.build import CONFIG_NAME, installed_xlwings, xlwings_module
from addin.xlam.install import (
    AddinResult,
    Environment,
    config_path,
    default_startup_dir,
    merge_config,
    startup_dir,
)

ALL_KEYS = (
    "addin.build.done",
    "addin.install.done",
    "addin.install.unsupported",
    "addin.install.locked",
    "addin.install.failed",
    "addin.uninstall.done",
    "addin.uninstall.not_installed",
    "addin.status.installed",
    "addin.status.not_installed",
)


def _env(tmp_path: Path, platform: str, **changes: object) -> Environment:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = Environment(
        platform=platform,
        home=home,
        executable="/opt/py/bin/python3",
        pythonpath="/srv/orderdesk",
        use_excel=False,
    )
    return replace(env, **changes)  # type: ignore[arg-type]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "OrderDesk.xlam"
    path.write_bytes(b"PK-not-really-a-zip")
    return path


def _config(env: Environment) -> dict[str, str]:
    lines = config_path(env).read_text(encoding="utf-8").splitlines()
    return dict(tuple(part.strip('"') for part in line.split('","')) for line in lines)


# --- paths -----------------------------------------------------------------------------------


def test_windows_paths(tmp_path: Path) -> None:
    env = _env(tmp_path, "win32")
    home = env.home
    assert default_startup_dir(env) == home / "AppData/Roaming/Microsoft/Excel/XLSTART"
    appdata = tmp_path / "roaming"
    assert default_startup_dir(replace(env, appdata=appdata)) == appdata / "Microsoft/Excel/XLSTART"
    # what xlwings' custom add-in VBA reads: %USERPROFILE%\.<PROJECT_NAME>\<PROJECT_NAME>.conf
    assert config_path(env) == home / ".orderdesk" / "orderdesk.conf"


def test_macos_paths(tmp_path: Path) -> None:
    env = _env(tmp_path, "darwin")
    home = env.home
    assert default_startup_dir(env) == home / (
        "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
    )
    assert config_path(env) == home / "Library/Containers/com.microsoft.Excel/Data/orderdesk.conf"


def test_config_paths_follow_the_xlwings_vba() -> None:
    # If xlwings changes where its VBA looks for the user config, config_path must follow.
    code = xlwings_module().code
    assert f'Public Const PROJECT_NAME As String = "{CONFIG_NAME}"' in code
    assert (
        'GetConfigFilePath = Environ("USERPROFILE") & "\\." & PROJECT_NAME & "\\" & '
        'PROJECT_NAME & ".conf"' in code
    )
    assert 'GetConfigFilePath = GetMacDir("$HOME", False) & "/" & PROJECT_NAME & ".conf"' in code


def test_startup_dir_asks_excel_only_when_allowed(tmp_path: Path) -> None:
    asked = tmp_path / "excel-says"
    env = _env(tmp_path, "win32")
    assert startup_dir(env, ask_excel=lambda: asked) == default_startup_dir(env)
    allowed = replace(env, use_excel=True)
    assert startup_dir(allowed, ask_excel=lambda: asked) == asked
    assert startup_dir(allowed, ask_excel=lambda: None) == default_startup_dir(env)
    pinned = replace(allowed, startup_dir=tmp_path / "pinned")
    assert startup_dir(pinned, ask_excel=lambda: asked) == tmp_path / "pinned"


def test_windows_prefers_the_windowless_interpreter(tmp_path: Path, source: Path) -> None:
    scripts = tmp_path / "venv" / "Scripts"
    scripts.mkdir(parents=True)
    (scripts / "python.exe").write_bytes(b"")
    env = _env(tmp_path, "win32", executable=str(scripts / "python.exe"))
    assert install(source, env).ok
    assert _config(env)["INTERPRETER_WIN"] == str(scripts / "python.exe")
    (scripts / "pythonw.exe").write_bytes(b"")
    assert install(source, env).ok
    assert _config(env)["INTERPRETER_WIN"] == str(scripts / "pythonw.exe")


# --- install, status, uninstall --------------------------------------------------------------


def test_install_status_uninstall_on_windows(tmp_path: Path, source: Path) -> None:
    env = _env(tmp_path, "win32")
    target = default_startup_dir(env) / "OrderDesk.xlam"

    before = status(env)
    assert (before.key, before.path) == ("addin.status.not_installed", target)

    result = install(source, env)
    assert result.ok and result.key == "addin.install.done"
    assert target.read_bytes() == source.read_bytes()
    assert result.params == {"path": str(target), "config": str(config_path(env))}
    assert _config(env) == {
        "INTERPRETER_WIN": "/opt/py/bin/python3",
        "PYTHONPATH": "/srv/orderdesk",
        "USE UDF SERVER": "True",
        "ADD_WORKBOOK_TO_PYTHONPATH": "False",
    }
    assert status(env).key == "addin.status.installed"

    removed = uninstall(env)
    assert removed.ok and removed.key == "addin.uninstall.done"
    assert not target.exists()
    assert not config_path(env).exists()  # nothing but our keys was in it
    assert status(env).key == "addin.status.not_installed"
    again = uninstall(env)
    assert (again.ok, again.key) == (False, "addin.uninstall.not_installed")


def test_install_on_macos_enables_runpython(tmp_path: Path, source: Path) -> None:
    env = _env(tmp_path, "darwin")
    result = install(source, env)
    assert result.ok
    assert (default_startup_dir(env) / "OrderDesk.xlam").is_file()
    version = installed_xlwings().version
    script = env.home / "Library/Application Scripts/com.microsoft.Excel"
    assert (script / f"xlwings-{version}.applescript").is_file()
    assert _config(env)["INTERPRETER_MAC"] == "/opt/py/bin/python3"
    assert "INTERPRETER_WIN" not in _config(env)


def test_install_builds_the_addin_when_no_file_is_given(tmp_path: Path) -> None:
    env = _env(tmp_path, "win32")
    result = install(env=env)
    assert result.ok, result.message("en")
    assert result.path is not None and result.path.read_bytes()[:2] == b"PK"


def test_settings_file_keeps_other_settings(tmp_path: Path, source: Path) -> None:
    env = _env(tmp_path, "win32")
    path = config_path(env)
    path.parent.mkdir(parents=True)
    path.write_text('"LICENSE_KEY","abc"\n"PYTHONPATH","C:\\old"\n\n', encoding="utf-8")
    assert install(source, env).ok
    assert _config(env) == {
        "LICENSE_KEY": "abc",
        "INTERPRETER_WIN": "/opt/py/bin/python3",
        "PYTHONPATH": "/srv/orderdesk",
        "USE UDF SERVER": "True",
        "ADD_WORKBOOK_TO_PYTHONPATH": "False",
    }
    assert uninstall(env).ok
    assert path.read_text(encoding="utf-8") == '"LICENSE_KEY","abc"\n'


def test_merge_config() -> None:
    existing = '"Use UDF Server","False"\n"OTHER","x"\nnot a setting line\n'
    merged = merge_config(existing, {"USE UDF SERVER": "True"}, {"use udf server"})
    assert merged == '"OTHER","x"\nnot a setting line\n"USE UDF SERVER","True"\n'
    assert merge_config('"A","1"\n', None, {"A"}) == ""


@pytest.mark.parametrize("platform", ["linux", "freebsd13", "cygwin"])
def test_other_systems_get_a_plain_message(tmp_path: Path, platform: str) -> None:
    env = _env(tmp_path, platform)
    for result in (install(env=env), uninstall(env), status(env)):
        assert (result.ok, result.key) == (False, "addin.install.unsupported")
        assert "Excel" in result.message("en") and "Excel" in result.message("zh")
    assert not any(env.home.iterdir())


def test_locked_target_reports_quit_excel(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _env(tmp_path, "win32")

    def locked(*_: object) -> None:
        raise PermissionError(13, "file in use")

    # the package re-exports install(), so reach the module itself through sys.modules
    monkeypatch.setattr(sys.modules["addin.xlam.install"].shutil, "copyfile", locked)
    result = install(source, env)
    assert (result.ok, result.key) == (False, "addin.install.locked")
    assert "Excel" in result.message("en")
    assert not config_path(env).exists()


def test_other_os_errors_report_the_error(tmp_path: Path, source: Path) -> None:
    env = _env(tmp_path, "win32")
    blocker = default_startup_dir(env)
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the folder should be")
    result = install(source, env)
    assert (result.ok, result.key) == (False, "addin.install.failed")
    assert result.params["error"]


def test_messages_exist_in_both_languages() -> None:
    params = {"path": "P", "config": "C", "platform": "linux", "error": "E"}
    for key in ALL_KEYS:
        zh, en = t(key, "zh", **params), t(key, "en", **params)
        assert zh and en and zh != en, key
    result = AddinResult(True, "addin.status.installed", {"path": "X.xlam", "config": "c"})
    assert "X.xlam" in result.message("zh") and "X.xlam" in result.message("en")


def test_current_environment_points_at_this_package() -> None:
    env = Environment.current()
    assert (Path(env.pythonpath) / "addin" / "xlam" / "install.py").is_file()
    assert shutil.which(env.executable) or Path(env.executable).is_file()
