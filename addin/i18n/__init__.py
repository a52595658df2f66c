"""The message catalogue: every user-facing text, in Simplified Chinese and English.

The catalogue's entries are kept in a few modules by area (``core``, ``lifecycle``, ...), each a
dict ``MESSAGES = {key: (zh, en)}``; they are merged here into one catalogue, and a key defined
twice is an error at import time. Call :func:`t` for text; ``lang`` is ``"zh"`` or ``"en"``.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Literal

from addin.i18n.punctuation import DATA_KEYS, full_width

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

_AREAS = (
    "core",
    "schema_labels",
    "lifecycle",
    "addin",
    "mail",
    "stats",
    "dashboard",
    "complaints",
    "report",
    "history",
    "safety",
    "procedure",
    "records",
    "server",
    "server_security",
    "sync",
    "values",
    "usage",
    "wording",
    "archive",
    "upgrade",
    "change_review",
    "protection",
)


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in _AREAS:
        try:
            module = importlib.import_module(f"{__name__}.{area}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{area}":
                raise
            continue
        for key, pair in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} defined twice (area {area})")
            zh, en = pair
            if area != "schema_labels" and not key.startswith(DATA_KEYS):
                zh = full_width(zh)  # one punctuation style for every Chinese message
            merged[key] = (zh, en)
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _merge()


def normalize_lang(lang: str | None) -> Lang:
    """Map user input ("zh", "zh-CN", "EN", None) to a supported language."""
    if lang and lang.lower().startswith("en"):
        return "en"
    return "zh" if lang is None or lang.lower().startswith("zh") else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``.

    An unknown key raises KeyError: a missing message is a bug the tests must catch.
    """
    zh, en = CATALOGUE[key]
    text = en if normalize_lang(lang) == "en" else zh
    if not params:
        return text
    return text.format(
        **{k: time_text(v) if isinstance(v, datetime) else v for k, v in params.items()}
    )


TIME_FORMAT = "%Y-%m-%d %H:%M"  # how every message shows a time: 2026-12-02 18:25


def time_text(value: datetime) -> str:
    return value.strftime(TIME_FORMAT)


def has(key: str) -> bool:
    return key in CATALOGUE
