"""Every message the lifecycle uses is in the catalogue, in Chinese and English, with the same
placeholders in both."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from addin.i18n import CATALOGUE, has
from addin.i18n.lifecycle import MESSAGES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *sorted((ROOT / "addin" / "services").glob("*.py")),
    *sorted((ROOT / "addin" / "core").glob("*.py")),
    ROOT / "addin" / "commands" / "lifecycle.py",
    ROOT / "addin" / "demo" / "paths.py",
    ROOT / "workbook" / "change_notice_file.py",
]
AREAS = (
    "review", "release", "track", "tracking", "closure", "close", "cancel", "change", "role",
    "overdue", "stage", "notice", "demo", "rule", "list",
)  # fmt: skip
KEY = re.compile("[\"']((?:" + "|".join(AREAS) + r")\.[a-z_]+(?:\.[a-z_]+)*)[\"']")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_say_the_same_things(key: str) -> None:
    zh, en = MESSAGES[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en), key


def test_every_key_in_the_code_is_in_the_catalogue() -> None:
    found = {
        (path.name, key)
        for path in SOURCES
        for key in KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert len(found) > 100  # the pattern does find the code's keys
    missing = [
        f"{name}: {key}"
        for name, key in sorted(found)
        if not has(key) and not any(k.startswith(key + ".") for k in CATALOGUE)
    ]
    assert missing == []


@pytest.mark.parametrize("prefix", ["review.next.", "track.details.", "stage.", "overdue.kind."])
def test_keys_built_at_run_time_exist(prefix: str) -> None:
    from addin.core.enums import OrderStatus, TrackKind
    from addin.core.timenodes import STAGES

    wanted = {
        "review.next.": [s.value for s in (OrderStatus.REVIEW_PASSED, OrderStatus.NEGOTIATING,
                                           OrderStatus.REJECTED)],
        "track.details.": [k.value for k in TrackKind] + ["shortage"],
        "stage.": [*STAGES, "change_review"],
        "overdue.kind.": ["stage", "delivery_late", "delivery_risk"],
    }[prefix]  # fmt: skip
    assert [w for w in wanted if not has(prefix + w)] == []
