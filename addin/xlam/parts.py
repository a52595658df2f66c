"""The OOXML parts of the add-in package other than the ribbon XML and the VBA project.

The workbook is as small as Excel accepts: one worksheet, the template of xlwings' add-in
configuration sheet, named ``_<name>.conf`` so that it is inactive (xlwings only reads a
sheet called ``<name>.conf``; IT renames it to pin settings inside the add-in for everyone).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

ADDIN_MAIN_CT = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
VBA_CT = "application/vnd.ms-office.vbaProject"
CORE_CT = "application/vnd.openxmlformats-package.core-properties+xml"
APP_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"

REL_OFFICE_DOCUMENT = f"{REL_NS}/officeDocument"
REL_WORKSHEET = f"{REL_NS}/worksheet"
REL_STYLES = f"{REL_NS}/styles"
REL_EXTENDED = f"{REL_NS}/extended-properties"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
# customUI in the 2009/07 namespace (Office 2010+) is linked with the "2007" relationship type.
REL_CUSTOMUI = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CUSTOMUI_PART = "customUI/customUI14.xml"
SHEET_CODENAME = "Sheet1"


def content_types() -> str:
    overrides = {
        "/xl/workbook.xml": ADDIN_MAIN_CT,
        "/xl/worksheets/sheet1.xml": WORKSHEET_CT,
        "/xl/styles.xml": STYLES_CT,
        "/docProps/core.xml": CORE_CT,
        "/docProps/app.xml": APP_CT,
    }
    items = [
        f'<Default Extension="rels" ContentType="{RELS_CT}"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
        f'<Default Extension="bin" ContentType="{VBA_CT}"/>',
    ]
    items += [f'<Override PartName="{p}" ContentType="{ct}"/>' for p, ct in overrides.items()]
    return f'{XML_DECL}<Types xmlns="{CT_NS}">{"".join(items)}</Types>'


def relationships(rels: list[tuple[str, str]]) -> str:
    """A relationships part; ``rels`` is a list of (type, target), ids rId1, rId2, ..."""
    items = [
        f'<Relationship Id="rId{i}" Type="{rel_type}" Target="{target}"/>'
        for i, (rel_type, target) in enumerate(rels, start=1)
    ]
    return f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{"".join(items)}</Relationships>'


def package_rels() -> str:
    return relationships(
        [
            (REL_OFFICE_DOCUMENT, "xl/workbook.xml"),
            (REL_CORE, "docProps/core.xml"),
            (REL_EXTENDED, "docProps/app.xml"),
            (REL_CUSTOMUI, CUSTOMUI_PART),
        ]
    )


def workbook_rels() -> str:
    return relationships(
        [
            (REL_WORKSHEET, "worksheets/sheet1.xml"),
            (REL_STYLES, "styles.xml"),
            (REL_VBA, "vbaProject.bin"),
        ]
    )


def workbook(sheet_name: str) -> str:
    # codeName ties the workbook to the ThisWorkbook document module of the VBA project.
    return (
        f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<workbookPr codeName="ThisWorkbook"/>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def config_sheet(rows: list[tuple[str, str | bool]]) -> str:
    """The worksheet holding xlwings settings: keys in column A, values in column B."""
    cells = []
    for r, (key, value) in enumerate(rows, start=1):
        row = [f'<c r="A{r}" t="inlineStr"><is><t>{escape(key)}</t></is></c>']
        if isinstance(value, bool):
            row.append(f'<c r="B{r}" t="b"><v>{int(value)}</v></c>')
        elif value:
            row.append(f'<c r="B{r}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        cells.append(f'<row r="{r}">{"".join(row)}</row>')
    return (
        f'{XML_DECL}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f'<sheetPr codeName="{SHEET_CODENAME}"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<cols><col min="1" max="1" width="18" customWidth="1"/></cols>'
        f"<sheetData>{''.join(cells)}</sheetData>"
        "</worksheet>"
    )


def styles() -> str:
    return (
        f'{XML_DECL}<styleSheet xmlns="{MAIN_NS}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def core_properties(title: str) -> str:
    return (
        f"{XML_DECL}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>OrderDesk</dc:creator>"
        "</cp:coreProperties>"
    )


def app_properties(version: str) -> str:
    return (
        f"{XML_DECL}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>OrderDesk {escape(version)}</Application><DocSecurity>0</DocSecurity>"
        "</Properties>"
    )
