"""Build ``OrderDesk.xlam`` from the text sources in this folder.

Sources: ``customUI.xml`` (the ribbon), ``vba/*.bas`` and ``vba/*.cls`` (our VBA), the VBA that
the installed xlwings ships for custom add-ins (``xlwings_custom_addin.bas``, and its Mac
``Dictionary`` class), the message catalogue (ribbon texts, generated into ``ODLabels``) and
the buttons' Python command (``entry.py``, generated into ``ODEntry``).
The package is written with fixed timestamps and a fixed project id, so the same sources give
the same bytes.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import zipfile
from dataclasses import dataclass
from pathlib import Path

from addin.xlam import parts
from addin.xlam.entry import entry_module
from addin.xlam.labels import labels_module
from addin.xlam.ovba import Module, vba_project_bin
from addin.xlam.vba_source import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    document_module,
    module_from_export,
)

HERE = Path(__file__).resolve().parent
CUSTOMUI_SOURCE = HERE / "customUI.xml"
VBA_SOURCES = HERE / "vba"
# Listed, not globbed: a file missing from an installed package then fails the build
# instead of leaving the project without a module its other modules use.
VBA_SOURCE_FILES = ("OrderDeskRibbon.bas", "ODAppEvents.cls")

ADDIN_FILENAME = "OrderDesk.xlam"
VBA_PROJECT_NAME = "OrderDesk"
# xlwings' PROJECT_NAME: names the config file (~/.orderdesk/orderdesk.conf on Windows) and
# the add-in's config sheet ("orderdesk.conf"); renaming it is xlwings' documented way to
# white-label a custom add-in, and keeps our settings apart from the xlwings add-in's own.
CONFIG_NAME = "orderdesk"
PROJECT_ID = "{5B0E7C62-3D41-4F8A-9C2E-0D7A1F6B4E93}"

_XLWINGS_PROJECT_LINE = 'Public Const PROJECT_NAME As String = "myaddin"'

# Template of the add-in's (inactive) config sheet, as in xlwings' quickstart add-in.
CONFIG_SHEET_ROWS: list[tuple[str, str | bool]] = [
    ("Interpreter_Win", ""),
    ("Interpreter_Mac", ""),
    ("PYTHONPATH", ""),
    ("Conda Path", ""),
    ("Conda Env", ""),
    ("UDF Modules", ""),
    ("Debug UDFs", False),
    ("Use UDF Server", True),
    ("Show Console", False),
]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class XlwingsVba:
    version: str
    package_dir: Path


def installed_xlwings() -> XlwingsVba:
    """Where the installed xlwings is, found without importing it (no Excel needed)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise RuntimeError("xlwings is not installed: pip install xlwings")
    return XlwingsVba(importlib.metadata.version("xlwings"), Path(spec.origin).parent)


def xlwings_module(xlwings: XlwingsVba | None = None) -> Module:
    """xlwings' custom add-in VBA (RunPython and its config lookup), named for OrderDesk.

    Its DLL declarations name the installed xlwings version, so the add-in must be built
    against the xlwings of the Python that Excel will run.
    """
    xlwings = xlwings or installed_xlwings()
    text = (xlwings.package_dir / "xlwings_custom_addin.bas").read_text(encoding="cp1252")
    if text.count(_XLWINGS_PROJECT_LINE) != 1:
        raise RuntimeError(f"xlwings {xlwings.version}: PROJECT_NAME line not found; check it")
    text = text.replace(
        _XLWINGS_PROJECT_LINE, _XLWINGS_PROJECT_LINE.replace("myaddin", CONFIG_NAME)
    )
    return module_from_export(text)


def dictionary_module(xlwings: XlwingsVba | None = None) -> Module:
    """The Dictionary class xlwings' VBA uses on macOS (no Scripting.Dictionary there)."""
    xlwings = xlwings or installed_xlwings()
    path = xlwings.package_dir / "addin" / "Dictionary.cls"
    return module_from_export(path.read_text(encoding="cp1252"))


def own_sources() -> list[Path]:
    paths = [VBA_SOURCES / name for name in VBA_SOURCE_FILES]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"VBA sources missing from {VBA_SOURCES}: {', '.join(missing)}")
    return paths


def own_modules() -> list[Module]:
    modules = []
    for path in own_sources():
        text = path.read_text(encoding="ascii")  # ASCII only: the same under every code page
        module = module_from_export(text)
        if module.name != path.stem:
            raise ValueError(f"{path.name}: VB_Name {module.name!r} differs from the file name")
        modules.append(module)
    return modules


def vba_modules(customui_xml: bytes | None = None) -> list[Module]:
    """Every module of the add-in's VBA project, in project order."""
    customui_xml = customui_xml if customui_xml is not None else CUSTOMUI_SOURCE.read_bytes()
    xlwings = installed_xlwings()
    return [
        document_module("ThisWorkbook", WORKBOOK_BASE),
        document_module(parts.SHEET_CODENAME, WORKSHEET_BASE),
        xlwings_module(xlwings),
        dictionary_module(xlwings),
        *own_modules(),
        labels_module(customui_xml),
        entry_module(),
    ]


def _version() -> str:
    try:
        return importlib.metadata.version("orderdesk")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def package_parts() -> dict[str, bytes]:
    """Part name -> bytes, for every part of the add-in package."""
    customui = CUSTOMUI_SOURCE.read_bytes()
    modules = vba_modules(customui)
    vba = vba_project_bin(modules, name=VBA_PROJECT_NAME, project_id=PROJECT_ID)
    text_parts = {
        "[Content_Types].xml": parts.content_types(),
        "_rels/.rels": parts.package_rels(),
        "docProps/core.xml": parts.core_properties(VBA_PROJECT_NAME),
        "docProps/app.xml": parts.app_properties(_version()),
        "xl/workbook.xml": parts.workbook(f"_{CONFIG_NAME}.conf"),
        "xl/_rels/workbook.xml.rels": parts.workbook_rels(),
        "xl/worksheets/sheet1.xml": parts.config_sheet(CONFIG_SHEET_ROWS),
        "xl/styles.xml": parts.styles(),
    }
    out = {name: text.encode("utf-8") for name, text in text_parts.items()}
    out[parts.CUSTOMUI_PART] = customui
    out["xl/vbaProject.bin"] = vba
    return out


def build_addin(out_dir: Path) -> Path:
    """Write ``OrderDesk.xlam`` into ``out_dir`` (created if missing) and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_FILENAME
    contents = package_parts()
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():  # [Content_Types].xml first, as Office writes it
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    partial.replace(target)
    return target
