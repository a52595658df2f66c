"""One punctuation style in Chinese output (issue 11 item 12): full-width, in every message;
the texts a workbook holds as data (headers, sheet names, choices) are left as they are."""

from __future__ import annotations

import importlib
import re

import pytest

from addin.core.problems import Problem
from addin.i18n import _AREAS, CATALOGUE, t
from addin.i18n.punctuation import DATA_KEYS, full_width

CJK = re.compile("[\u4e00-\u9fff]")
PLACEHOLDERS = re.compile(r"\{[^{}]*\}|%\([^)]*\)[a-z]|\d:\d|:(?=//)")


def _messages() -> list[tuple[str, str]]:
    return [(k, zh) for k, (zh, _) in CATALOGUE.items() if not k.startswith(DATA_KEYS)]


def test_every_chinese_message_uses_full_width_punctuation() -> None:
    mixed = [
        (key, zh)
        for key, zh in _messages()
        if CJK.search(zh) and re.search(r"[,;:()!?]", PLACEHOLDERS.sub("", zh))
    ]
    assert mixed == []


def test_data_texts_are_kept_as_the_workbook_holds_them() -> None:
    for area in _AREAS:
        module = importlib.import_module(f"addin.i18n.{area}")
        for key, (zh, en) in module.MESSAGES.items():
            if area == "schema_labels" or key.startswith(DATA_KEYS):
                assert CATALOGUE[key] == (zh, en), key


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("保存失败,工作簿未改动: {detail}", "保存失败，工作簿未改动：{detail}"),
        ("第 {n} 行 (共 {total} 行)", "第 {n} 行（共 {total} 行）"),
        ("刷新于 18:25, 请查看 http://x", "刷新于 18:25，请查看 http://x"),
        ("%(prog)s: 错误: %(message)s\n", "%(prog)s：错误：%(message)s\n"),
        ("{value:.0%} 完成", "{value:.0%} 完成"),
        ("ready: no Chinese here", "ready: no Chinese here"),
    ],
)
def test_the_rule(written: str, shown: str) -> None:
    assert full_width(written) == shown


def test_a_finding_is_joined_to_its_place_in_the_style_of_its_language() -> None:
    problem = Problem("error.required", {}, "orders", 3, "customer_name")
    assert problem.format("zh") == problem.where("zh") + "：" + t("error.required", "zh")
    assert problem.format("en") == problem.where("en") + ": " + t("error.required", "en")
