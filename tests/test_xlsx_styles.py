"""The patching store's stylesheet: derived cell styles are found once, and stay right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbook import xlsx_styles
from workbook.create import create_master_workbook
from workbook.xlsx_package import Package
from workbook.xlsx_styles import Styles


def _styles(tmp_path: Path) -> Styles:
    path = tmp_path / "orders.xlsx"
    create_master_workbook(path, "en", force=True)
    package = Package(path.read_bytes())
    name = package.name("xl/styles.xml")
    assert name is not None
    return Styles(package.read(name))


def test_a_derived_style_is_computed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    styles = _styles(tmp_path)
    first = styles.derive(0, number_format="yyyy-mm-dd", quote_prefix=True)
    keyed = 0
    real_key = xlsx_styles._key

    def counting(el: object) -> bytes:
        nonlocal keyed
        keyed += 1
        return real_key(el)  # type: ignore[arg-type]

    monkeypatch.setattr(xlsx_styles, "_key", counting)
    # A bulk write asks the same few styles for every cell: no stylesheet search again.
    for _ in range(100):
        assert styles.derive(0, number_format="yyyy-mm-dd", quote_prefix=True) == first
    assert keyed == 0


def test_remembered_styles_are_what_searching_again_finds(tmp_path: Path) -> None:
    remembered, searched = _styles(tmp_path), _styles(tmp_path)
    asked: list[tuple[int, dict[str, Any]]] = [
        (0, {"number_format": "yyyy-mm-dd"}),
        (0, {"fill_rgb": "FFFFFF00"}),
        (0, {"font": (True, 14)}),
        (1, {"number_format": "0.00", "quote_prefix": True}),
        (0, {"no_fill": True}),
        (0, {"unlocked": True}),
        (0, {"number_format": "yyyy-mm-dd", "unlocked": True}),  # the same but unlocked
    ]
    plain = {
        "number_format": None,
        "quote_prefix": False,
        "fill_rgb": None,
        "no_fill": False,
        "unlocked": False,
    }
    # Asked twice, the stylesheet growing in between: each answer is the one a search of the
    # stylesheet as it is then gives.
    for style, kw in asked + asked:
        expected = searched._derive(style, **{**plain, "font": None, **kw})
        assert remembered.derive(style, **kw) == expected
    assert remembered.to_bytes() == searched.to_bytes()


def test_a_font_added_once_is_found_again(tmp_path: Path) -> None:
    styles = _styles(tmp_path)
    fonts = styles._container("fonts")
    assert fonts is not None
    before = len(fonts)
    # The new font is written with another namespace prefix than the file's: still the same.
    assert styles._font_id(True, 31) == styles._font_id(True, 31)
    assert styles._fill_id("FFFFFF00") == styles._fill_id("FFFFFF00")
    assert len(fonts) == before + 1
