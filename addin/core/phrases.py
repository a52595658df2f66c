"""Message parameters that are themselves text in the user's language.

A :class:`Problem`'s parameters are rendered when it is shown, in the language of the reader;
values with a ``label(lang)`` method are shown by that label. These two build such values: a
catalogue message (:class:`Phrase`) and a list of labelled values (:class:`Joined`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from addin.i18n import t


def shown(value: Any, lang: str) -> Any:
    label = getattr(value, "label", None)
    return label(lang) if callable(label) else value


@dataclass(frozen=True)
class Phrase:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        return t(self.key, lang, **{k: shown(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.label("en")


@dataclass(frozen=True)
class Joined:
    items: tuple[Any, ...]

    @classmethod
    def of(cls, items: Iterable[Any]) -> Joined:
        return cls(tuple(items))

    def label(self, lang: str) -> str:
        return t("list.sep", lang).join(str(shown(item, lang)) for item in self.items)

    def __str__(self) -> str:
        return self.label("en")
