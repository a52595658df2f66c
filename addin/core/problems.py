"""A problem found in the workbook, located at a sheet, row and column.

Row-reading errors, preliminary-check findings and action refusals all use this one type, so
every message the user sees names where to look in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from addin.core.schema import TABLES
from addin.i18n import t


@dataclass(frozen=True)
class Problem:
    key: str  # catalogue key of the message
    params: dict[str, Any] = field(default_factory=dict)
    table: str | None = None
    row: int | None = None
    column: str | None = None
    order_no: str | None = None
    source: str | None = None  # a file outside the workbook (an order form): named instead

    def message(self, lang: str) -> str:
        return t(self.key, lang, **{k: _param(v, lang) for k, v in self.params.items()})

    def where(self, lang: str) -> str:
        if self.table is None and self.source is None:
            return ""
        tbl = TABLES[self.table] if self.table else None
        if self.source is not None:
            parts = [t("where.file", lang, file=self.source)]
        else:
            assert tbl is not None
            parts = [t("where.sheet", lang, sheet=tbl.sheet_title(lang))]
        if self.row is not None:
            parts.append(t("where.row", lang, row=self.row))
        if self.column is not None:
            parts.append(
                t("where.column", lang, column=tbl.column(self.column).label(tbl.key, lang))
            )
        return t("where.sep", lang).join(parts)

    def format(self, lang: str) -> str:
        where = self.where(lang)
        colon = t("punct.colon", lang)
        return f"{where}{colon}{self.message(lang)}" if where else self.message(lang)

    def to_json(self, lang: str) -> dict[str, Any]:
        tbl = TABLES[self.table] if self.table else None
        return {
            "code": self.key,
            "order_no": self.order_no,
            "sheet": self.source or (tbl.sheet_title(lang) if tbl else None),
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "field": tbl.column(self.column).label(tbl.key, lang) if tbl and self.column else None,
            "message": self.message(lang),
        }


def _param(value: Any, lang: str) -> Any:
    label = getattr(value, "label", None)
    return label(lang) if callable(label) else value


class RuleError(Exception):
    """An action refused by a rule of the procedure: nothing is written."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(p.key for p in self.problems))

    def format(self, lang: str) -> str:
        return "\n".join(p.format(lang) for p in self.problems)
