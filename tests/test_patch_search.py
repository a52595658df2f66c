"""The patching store's search for one order's rows in a worksheet's bytes: what makes a sheet
unsearchable (its rows then read whole) and what does not.

A value the byte search could miss (split across rich-text runs, spelled as a character
reference, under a namespace declared inside the rows) or rows at other offsets than the part's
(XML comments, which parsing drops) make ``read_where`` answer None; text that merely looks like
markup (a cell holding "mergeCells") does not.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import master_bytes_fixture  # noqa: F401 - fixture
from test_snapshot import _awkward_workbook, _keep

from addin.core.schema import TABLES
from workbook.patch_store import PatchFileStore


def _rewrite_tracking(path: Path, edit: Callable[[bytes], bytes]) -> None:
    """Change the tracking sheet's part in place; every other member as it was."""
    with PatchFileStore.open(path) as store:
        part = store._found[TABLES["tracking"].name].sheet.part
    with zipfile.ZipFile(path) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in members:
            if info.filename == part:
                changed = edit(data)
                assert changed != data  # the edit applied
                data = changed
            new.writestr(info, data)


def _last(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        at = data.rfind(old)
        assert at >= 0, old
        return data[:at] + new + data[at + len(old) :]

    return edit


def _whole(path: Path, number: str) -> list[Any]:
    with PatchFileStore.open(path) as store:
        return [r for r in store.read("tracking") if _keep(number)(r.values.get("order_no"))]


@pytest.mark.parametrize(
    "edit",
    [
        _last(b"<is><t>SO-1</t></is>", b"<is><r><t>SO-</t></r><r><t>1</t></r></is>"),
        _last(b"<is><t>SO-1</t></is>", b"<is><t>&#83;O-1</t></is>"),
        _last(b"<sheetData>", b"<sheetData><!-- typed by hand -->"),
        _last(b"<row ", b'<row xmlns:x="urn:example" '),
    ],
    ids=["rich text runs", "a character reference", "an XML comment", "a namespace in a row"],
)
def test_a_sheet_the_search_could_misread_is_read_whole(
    master_bytes: bytes, tmp_path: Path, edit: Callable[[bytes], bytes]
) -> None:
    path = _awkward_workbook(master_bytes, tmp_path)
    _rewrite_tracking(path, edit)
    with PatchFileStore.open(path) as store:
        assert store.read_where("tracking", "order_no", "SO-1", _keep("SO-1")) is None
    assert any(r.values["quantity"] == "a few" for r in _whole(path, "SO-1"))


def test_text_that_looks_like_markup_leaves_the_sheet_searchable(
    master_bytes: bytes, tmp_path: Path
) -> None:
    path = _awkward_workbook(master_bytes, tmp_path)
    # A row whose kind reads "mergeCells": text, not merged cells.
    _rewrite_tracking(path, _last(b"<is><t>nonsense</t></is>", b"<is><t>mergeCells</t></is>"))
    for number in ["SO-1", "SO-9"]:
        with PatchFileStore.open(path) as store:
            found = store.read_where("tracking", "order_no", number, _keep(number))
        assert found is not None  # searched, not read whole
        assert found == _whole(path, number)
