"""Render one sheet of a workbook to PNG through LibreOffice: how the README's pictures are made.

    python docs/render_sheet.py WORKBOOK SHEET OUT.png [--dpi 110]

The sheet is printed as its page setup says (the dashboard: one A4 landscape page) from a copy
of the workbook that holds only that sheet; needs LibreOffice and poppler's ``pdftoppm``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from workbook.pdf import to_pdf


def render(workbook: Path, sheet: str, out: Path, dpi: int = 110) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        wb = load_workbook(workbook)
        for other in list(wb.sheetnames):
            if other != sheet:
                wb.remove(wb[other])
        only = Path(tmp) / "sheet.xlsx"
        wb.save(only)
        pdf = to_pdf(only, Path(tmp))
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(Path(tmp) / "page")],
            check=True,
        )
        shutil.copy(Path(tmp) / "page.png", out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("sheet")
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args(argv)
    print(render(args.workbook, args.sheet, args.out, args.dpi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
