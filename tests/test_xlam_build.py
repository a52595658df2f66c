"""The built OrderDesk.xlam: a valid package, a ribbon whose callbacks exist in the VBA project,
the VBA read back module by module, and LibreOffice loading the file.

What only Excel can prove (that it compiles the VBA, shows the ribbon and runs Python) is not
claimed here; see the README's add-in section.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser
from soffice import convert

from addin.core.schema import NAME_LANG
from addin.i18n import CATALOGUE, t
from addin.i18n import addin as addin_messages
from addin.i18n import complaints as complaint_messages
from addin.i18n import procedure as procedure_messages
from addin.i18n import sync as sync_messages
from addin.xlam import build_addin
from addin.xlam.build import (
    ADDIN_FILENAME,
    CONFIG_NAME,
    CUSTOMUI_SOURCE,
    VBA_SOURCES,
    installed_xlwings,
    own_sources,
    vba_modules,
)
from addin.xlam.entry import ENTRY
from addin.xlam.entry import MODULE_NAME as ENTRY_MODULE
from addin.xlam.labels import VBA_MESSAGES, ribbon_texts
from addin.xlam.vba_source import WORKBOOK_BASE, WORKSHEET_BASE, code_lines

CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
UI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ADDIN_CT = "application/vnd.ms-excel.addin.macroEnabled.main+xml"

BUTTONS = {
    "grp_receipt": ["btn_new_order", "btn_check"],
    "grp_review": ["btn_review_start", "btn_review_conclude"],
    "grp_release": ["btn_release", "btn_send_task"],
    "grp_tracking": ["btn_track", "btn_overdue", "btn_remind"],
    "grp_change": ["btn_change_request", "btn_change_approve", "btn_change_reject"],
    "grp_closure": ["btn_close", "btn_cancel"],
    "grp_complaint": ["btn_complaints"],
    "grp_statistics": ["btn_dashboard"],
    "grp_master": ["btn_master_check", "btn_deactivate"],
    "grp_database": ["btn_refresh"],
    "grp_tools": ["btn_verify", "btn_import_udfs", "btn_settings", "btn_help"],
}
CALLBACK_ATTRIBUTES = {
    "onLoad",
    "onAction",
    "getLabel",
    "getScreentip",
    "getSupertip",
    "getImage",
    "getEnabled",
    "getVisible",
    "getKeytip",
    "getDescription",
    "getShowLabel",
    "getSize",
    "getPressed",
}


@pytest.fixture(scope="module")
def xlam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def package(xlam: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(xlam) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def macros(xlam: Path) -> dict[str, str]:
    """Module name -> code, as oletools' olevba reads the built file."""
    parser = VBA_Parser(str(xlam))
    assert parser.detect_vba_macros()
    return {Path(name).stem: code for (_, _, name, code) in parser.extract_macros()}


# --- the package -----------------------------------------------------------------------------


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(package: dict[str, bytes], source: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of the relationships of ``source`` ("" for the package)."""
    rels = _rels_part(source) if source else "_rels/.rels"
    if rels not in package:
        return []
    base = posixpath.dirname(source)
    out = []
    for rel in ET.fromstring(package[rels]).iter(f"{REL_NS}Relationship"):
        assert rel.get("TargetMode") != "External"
        target = posixpath.normpath(posixpath.join(base, rel.attrib["Target"]))
        out.append((rel.attrib["Id"], rel.attrib["Type"], target))
    return out


def test_file_name(xlam: Path) -> None:
    assert xlam.name == ADDIN_FILENAME == "OrderDesk.xlam"


def test_every_part_has_a_content_type(package: dict[str, bytes]) -> None:
    types = ET.fromstring(package["[Content_Types].xml"])
    defaults = {d.attrib["Extension"].lower() for d in types.iter(f"{CT_NS}Default")}
    overrides = {
        o.attrib["PartName"]: o.attrib["ContentType"] for o in types.iter(f"{CT_NS}Override")
    }
    for part in package:
        if part == "[Content_Types].xml":
            continue
        extension = part.rsplit(".", 1)[-1].lower()
        assert f"/{part}" in overrides or extension in defaults, part
    assert set(overrides) <= {f"/{p}" for p in package}, "override of a missing part"
    assert overrides["/xl/workbook.xml"] == ADDIN_CT


def test_every_relationship_resolves_and_every_part_is_reachable(
    package: dict[str, bytes],
) -> None:
    reachable: set[str] = set()
    todo = [""]
    while todo:
        source = todo.pop()
        rels = _relationships(package, source)
        ids = [rel_id for rel_id, _, _ in rels]
        assert len(ids) == len(set(ids)), f"duplicate relationship ids in {source or 'package'}"
        for _, _, target in rels:
            assert target in package, f"{source or 'package'} -> missing {target}"
            if target not in reachable:
                reachable.add(target)
                todo.append(target)
    structural = {p for p in package if p == "[Content_Types].xml" or p.endswith(".rels")}
    assert set(package) - structural == reachable


def test_relationship_types(package: dict[str, bytes]) -> None:
    root = {typ.rsplit("/", 1)[-1]: target for _, typ, target in _relationships(package, "")}
    assert root["officeDocument"] == "xl/workbook.xml"
    # customUI in the 2009/07 namespace is linked with the 2007 ui/extensibility type
    extensibility = [
        target
        for _, typ, target in _relationships(package, "")
        if typ == "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
    ]
    assert extensibility == ["customUI/customUI14.xml"]
    workbook = {
        typ.rsplit("/", 1)[-1]: t for _, typ, t in _relationships(package, "xl/workbook.xml")
    }
    assert workbook["vbaProject"] == "xl/vbaProject.bin"


def test_xml_parts_are_well_formed(package: dict[str, bytes]) -> None:
    for name, data in package.items():
        if name.endswith((".xml", ".rels")):
            ET.fromstring(data)


def test_build_is_reproducible(xlam: Path, tmp_path: Path) -> None:
    assert build_addin(tmp_path).read_bytes() == xlam.read_bytes()


def test_workbook_code_names_match_document_modules(
    package: dict[str, bytes], macros: dict[str, str]
) -> None:
    workbook = ET.fromstring(package["xl/workbook.xml"])
    assert workbook.find(f"{MAIN_NS}workbookPr").attrib["codeName"] == "ThisWorkbook"
    sheet = ET.fromstring(package["xl/worksheets/sheet1.xml"])
    code_name = sheet.find(f"{MAIN_NS}sheetPr").attrib["codeName"]
    for name, base in (("ThisWorkbook", WORKBOOK_BASE), (code_name, WORKSHEET_BASE)):
        assert f'Attribute VB_Base = "{base}"' in macros[name]
    sheets = [s.attrib["name"] for s in workbook.iter(f"{MAIN_NS}sheet")]
    # xlwings reads settings from a sheet named "<name>.conf": ours ships inactive
    assert sheets == [f"_{CONFIG_NAME}.conf"]


# --- the ribbon ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ribbon(package: dict[str, bytes]) -> ET.Element:
    root = ET.fromstring(package["customUI/customUI14.xml"])
    assert root.tag == f"{UI_NS}customUI"
    assert package["customUI/customUI14.xml"] == CUSTOMUI_SOURCE.read_bytes()
    return root


def _procedures(code: str) -> set[str]:
    """Names of the public procedures of a module (what a ribbon callback may name)."""
    found = re.findall(
        r"^(?:Public\s+)?(?:Sub|Function)\s+([A-Za-z_][A-Za-z0-9_]*)", code, re.MULTILINE
    )
    return set(found)


def test_ribbon_ids_are_unique(ribbon: ET.Element) -> None:
    ids = [e.attrib["id"] for e in ribbon.iter() if "id" in e.attrib]
    assert len(ids) == len(set(ids))


def test_ribbon_groups_and_buttons(ribbon: ET.Element) -> None:
    tabs = list(ribbon.iter(f"{UI_NS}tab"))
    assert len(tabs) == 1
    groups = {
        group.attrib["id"]: [b.attrib["id"] for b in group.iter(f"{UI_NS}button")]
        for group in tabs[0].iter(f"{UI_NS}group")
    }
    assert groups == BUTTONS


def test_every_button_has_an_icon_tips_and_the_dispatching_action(ribbon: ET.Element) -> None:
    for button in ribbon.iter(f"{UI_NS}button"):
        attrs = button.attrib
        assert attrs.get("imageMso"), attrs["id"]
        assert attrs.get("onAction") == "OrderDeskAction", attrs["id"]
        for attribute in ("getLabel", "getScreentip", "getSupertip"):
            assert attribute in attrs, (attrs["id"], attribute)


def test_every_callback_names_a_procedure_in_the_built_project(
    ribbon: ET.Element, macros: dict[str, str]
) -> None:
    procedures = set().union(*(_procedures(code) for code in macros.values()))
    callbacks = {
        value
        for element in ribbon.iter()
        for attribute, value in element.attrib.items()
        if attribute in CALLBACK_ATTRIBUTES
    }
    assert callbacks, "the ribbon has no callbacks"
    for callback in callbacks:
        assert callback.split(".")[-1] in procedures, callback


def test_the_action_hands_the_button_id_to_python(macros: dict[str, str]) -> None:
    action = macros["OrderDeskRibbon"].split("Public Sub OrderDeskAction")[1].split("End Sub")[0]
    assert "RunPython ODButtonCommand(control.Id)" in action
    # xlwings' DLL of the built version is looked for first (Windows), with a message to
    # reinstall; Python then gets the built version (XLWINGS_VERSION) and checks it again
    assert action.index("ODXlwingsFound()") < action.index("RunPython")
    check = macros["OrderDeskRibbon"].split("Private Function ODXlwingsFound")[1]
    assert '"xlwings64-" & XLWINGS_VERSION & ".dll"' in check
    assert 'ODText("msg.xlwings_mismatch", ODLang())' in action
    load = macros["OrderDeskRibbon"].split("Public Sub OrderDeskRibbonLoad")[1].split("End Sub")[0]
    assert "If Not ODXlwingsFound() Then" in load  # and once at Excel's start


def test_the_entry_module_holds_the_command_template(macros: dict[str, str]) -> None:
    code = macros[ENTRY_MODULE]
    assert f'Private Const ENTRY As String = "{ENTRY}"' in code
    assert "Public Function ODButtonCommand(ByVal id As String) As String" in code
    for placeholder, value in (
        ("%ACTIVE%", "ODHex(ActiveWorkbook.Path)"),
        ("%ADDIN%", "ODHex(ThisWorkbook.Path)"),
        ("%XLWINGS%", "XLWINGS_VERSION"),
        ("%ID%", "id"),
    ):
        assert placeholder in ENTRY and f'"{placeholder}", {value})' in code
    assert all(ord(c) < 128 for c in code) and max(map(len, code.splitlines())) <= 1023
    # on macOS xlwings splits its AppleScript parameters at "|" and puts the command inside
    # a double-quoted shell string: none of those characters may be in it
    assert not set('|"$`\\!') & set(ENTRY)


# --- texts -----------------------------------------------------------------------------------


def test_every_ribbon_text_is_in_the_catalogue_in_both_languages() -> None:
    keys = ribbon_texts(CUSTOMUI_SOURCE.read_bytes())
    assert keys["tab_orderdesk.label"] == "ribbon.tab"
    assert keys["grp_receipt.label"] == "ribbon.group.receipt"
    assert keys["btn_check.screentip"] == "ribbon.btn_check.screentip"
    for key in [*keys.values(), *VBA_MESSAGES.values()]:
        zh, en = CATALOGUE[key]
        assert zh.strip() and en.strip(), key
    assert t("ribbon.tab", "zh") == "订单管理"
    assert t("ribbon.tab", "en") == "Orders"
    # and no ribbon text in the catalogue that the ribbon does not use
    areas = (
        addin_messages.MESSAGES,
        complaint_messages.MESSAGES,
        procedure_messages.MESSAGES,
        sync_messages.MESSAGES,
    )
    ribbon_keys = {k for messages in areas for k in messages if k.startswith("ribbon.")}
    assert ribbon_keys == set(keys.values())


def _decode_vba_text(expression: str) -> str:
    """What the generated VBA expression evaluates to (a literal or U("<hex>"))."""
    hex_match = re.fullmatch(r'U\("([0-9A-F]*)"\)', expression)
    if hex_match:
        return bytes.fromhex(hex_match.group(1)).decode("utf-16-be")
    literal = re.fullmatch(r'"((?:[^"]|"")*)"', expression)
    assert literal, expression
    return literal.group(1).replace('""', '"')


def test_generated_label_module_holds_the_catalogue_texts(macros: dict[str, str]) -> None:
    code = macros["ODLabels"]
    keys = {**ribbon_texts(CUSTOMUI_SOURCE.read_bytes()), **VBA_MESSAGES}
    for function, lang in (("ZhText", "zh"), ("EnText", "en")):
        body = code.split(f"Private Function {function}")[1].split("End Function")[0]
        cases = dict(re.findall(rf'^    Case "([^"]+)": {function} = (.+)$', body, re.MULTILINE))
        assert set(cases) == set(keys), lang
        for lookup, catalogue_key in keys.items():
            assert _decode_vba_text(cases[lookup].strip()) == t(catalogue_key, lang)
    assert all(ord(c) < 128 for c in code), "generated VBA must be ASCII"
    assert max(len(line) for line in code.splitlines()) <= 1023


def test_ribbon_callbacks_look_texts_up_by_control_id(macros: dict[str, str]) -> None:
    code = macros["OrderDeskRibbon"]
    assert 'ODText(control.Id & ".label", ODLang())' in code
    assert 'ODText(control.Id & ".screentip", ODLang())' in code
    assert 'ODText(control.Id & ".supertip", ODLang())' in code
    assert f'Names("{NAME_LANG}")' in code  # the name the workbook carries


# --- the VBA read back -----------------------------------------------------------------------


def test_vba_sources_are_ascii_exports() -> None:
    sources = own_sources()
    # every file of the folder is listed in the build, and nothing else
    assert sorted(p.name for p in sources) == sorted(p.name for p in VBA_SOURCES.iterdir())
    for path in sources:
        data = path.read_bytes()
        assert data.isascii(), path.name
        assert data.decode().splitlines()[0].startswith(("Attribute VB_Name", "VERSION 1.0 CLASS"))


def test_olevba_reads_each_source_module_back(macros: dict[str, str]) -> None:
    for path in own_sources():
        assert code_lines(macros[path.stem]) == code_lines(path.read_text()), path.name


def test_olevba_reads_xlwings_vba_back_with_our_project_name(macros: dict[str, str]) -> None:
    xlwings = installed_xlwings()
    shipped = (xlwings.package_dir / "xlwings_custom_addin.bas").read_text(encoding="cp1252")
    expected = code_lines(shipped.replace('= "myaddin"', f'= "{CONFIG_NAME}"'))
    assert code_lines(macros["xlwings"]) == expected
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings.version}"' in macros["xlwings"]
    dictionary = (xlwings.package_dir / "addin" / "Dictionary.cls").read_text(encoding="cp1252")
    assert code_lines(macros["Dictionary"]) == code_lines(dictionary)


def test_project_holds_exactly_the_expected_modules(macros: dict[str, str]) -> None:
    expected = {m.name for m in vba_modules()}
    assert set(macros) == expected
    assert expected == {
        "ThisWorkbook",
        "Sheet1",
        "xlwings",
        "Dictionary",
        "ODAppEvents",
        "OrderDeskRibbon",
        "ODLabels",
        "ODEntry",
    }


# --- LibreOffice -----------------------------------------------------------------------------


def _convert(xlam: Path, tmp_path: Path, target: str) -> Path:
    # LibreOffice's type detection does not know the add-in content type; name the filter.
    convert(
        target, [xlam], tmp_path / "out", tmp_path / "profile", infilter="Calc MS Excel 2007 XML"
    )
    converted = tmp_path / "out" / f"{xlam.stem}.{target}"
    assert converted.is_file() and converted.stat().st_size > 0
    return converted


def test_libreoffice_converts_the_addin_to_xlsx(xlam: Path, tmp_path: Path) -> None:
    converted = _convert(xlam, tmp_path, "xlsx")
    with zipfile.ZipFile(converted) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert f'name="_{CONFIG_NAME}.conf"' in workbook
    assert "Interpreter_Win" in strings and "Use UDF Server" in strings


def test_libreoffice_imports_every_vba_module(xlam: Path, tmp_path: Path) -> None:
    # Converting to ODS keeps the VBA modules LibreOffice imported as Basic/<project>/*.xml:
    # an independent reader of our dir stream, module streams and compression.
    converted = _convert(xlam, tmp_path, "ods")
    with zipfile.ZipFile(converted) as archive:
        names = set(archive.namelist())
        imported = {
            name.removeprefix("Basic/OrderDesk/").removesuffix(".xml")
            for name in names
            if name.startswith("Basic/OrderDesk/") and not name.endswith("script-lb.xml")
        }
        assert imported == {m.name for m in vba_modules()}
        ribbon_code = archive.read("Basic/OrderDesk/OrderDeskRibbon.xml").decode()
    assert "Public Sub OrderDeskAction(control As IRibbonControl)" in ribbon_code
