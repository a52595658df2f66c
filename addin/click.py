"""One press of a ribbon button: what it knows (the workbook, its store, who acts, when, the
selection) and what it says (the lines of its one message box). Shared by the ribbon's buttons
(:mod:`addin.ribbon`) and their server-mode path (:mod:`addin.server_click`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.core.problems import Problem, RuleError
from addin.core.schema import ORDER_TABLES, TABLES
from addin.i18n import t
from workbook.store import Row
from workbook.xlwings_selection import read_selection
from workbook.xlwings_store import XlwingsStore

if TYPE_CHECKING:
    import xlwings as xw

    from addin.services.context import Outcome

MAX_LINES = 40  # of one message box; the rest is counted, not shown


# -- what one press knows and says -------------------------------------------------------------
@dataclass
class Report:
    """The lines of the one message box, and whether anything was refused or failed."""

    lang: str
    lines: list[str] = field(default_factory=list)
    critical: bool = False  # something refused, failed or overdue: the box warns
    # Where a problem is shown, when its rows are not the sheet's (a connected workbook).
    locate: Callable[[Problem], Problem] | None = None

    def say(self, *lines: str) -> None:
        self.lines.extend(lines)

    def fail(self, text: str) -> None:
        self.critical = True
        self.lines.append(text)

    def refused(self, subject: str | None, error: RuleError) -> None:
        self.critical = True
        heading = t("cli.refused", self.lang)
        colon = t("punct.colon", self.lang)
        self.lines.append(f"{subject}{colon}{heading}" if subject else heading)
        problems = [self.locate(p) for p in error.problems] if self.locate else error.problems
        self.lines.extend(f"    - {p.format(self.lang)}" for p in problems)

    def outcome(self, outcome: Outcome) -> None:
        self.lines.extend(outcome.lines(self.lang))

    def text(self) -> str:
        if len(self.lines) <= MAX_LINES:
            return "\n".join(self.lines)
        hidden = len(self.lines) - MAX_LINES + 1
        shown = self.lines[: MAX_LINES - 1]
        return "\n".join([*shown, t("addin.ribbon.more", self.lang, count=hidden)])


@dataclass
class Click:
    """One press of a button: the master workbook, its store, who acts, when, the report."""

    book: xw.Book
    store: XlwingsStore
    user: str
    now: datetime
    report: Report
    hidden_said: bool = False  # the note on hidden rows, once per press

    @property
    def lang(self) -> str:
        return self.store.lang

    def each(self, items: list[str], action: Callable[[str], Outcome | None]) -> None:
        """One service call per item; a refusal is reported and the batch goes on (an action
        that reports itself returns None). Progress shows in Excel's status bar when there is
        more than one."""
        for index, item in enumerate(items, start=1):
            if len(items) > 1:
                text = t(
                    "addin.ribbon.progress", self.lang, done=index, total=len(items), item=item
                )
                self.store.status(text)
            try:
                outcome = action(item)
            except RuleError as exc:
                self.report.refused(item, exc)
                continue
            if outcome is not None:
                self.report.outcome(outcome)

    def progress(self, items: Iterable[Any]) -> Iterator[Any]:
        """A service's own loop, counted in the status bar."""
        listed = list(items)
        for index, item in enumerate(listed, start=1):
            order_no = getattr(item, "order_no", "")
            text = t(
                "addin.ribbon.progress", self.lang, done=index, total=len(listed), item=order_no
            )
            self.store.status(text)
            yield item

    # -- the selection ------------------------------------------------------------------------
    def selected(self) -> tuple[str | None, list[Row]]:
        """The table under the selection and its visible rows that the selection touches
        (bounded by the table's rows: a whole sheet selected is its table). Rows hidden by a
        filter are left alone, and the report says how many."""
        selection = read_selection(self.book)
        if selection is None or not selection.areas:
            return None, []
        table = self.store.table_at(selection.sheet, selection.areas[0][2])
        if table is None:
            return None, []
        touched = [r for r in self.store.read(table) if selection.touches(r.row)]
        rows = [r for r in touched if selection.shows(r.row)]
        hidden = len(touched) - len(rows)
        if hidden and not self.hidden_said:
            self.hidden_said = True
            sheet = self.store.sheet_title(table)
            self.report.say(t("addin.ribbon.hidden_rows", self.lang, count=hidden, sheet=sheet))
        return table, rows

    def orders(self, required: bool = True) -> list[str]:
        """The order numbers of the selected rows, in sheet order, each once."""
        table, rows = self.selected()
        found = _values(rows, "order_no") if table in ORDER_TABLES else []
        if not found and required:
            sheets = t("list.sep", self.lang).join(
                TABLES[k].sheet_title(self.lang) for k in ORDER_TABLES
            )
            raise RuleError(Problem("addin.ribbon.select_orders", {"sheets": sheets}))
        return found

    def order_row(self, order_no: str) -> Row | None:
        return next(
            (r for r in self.store.read("orders") if _text(r.values.get("order_no")) == order_no),
            None,
        )

    def folder(self) -> Path:
        """The master workbook's folder (files are kept beside it); refuse an unsaved one."""
        path = Path(self.book.fullname)
        if not path.is_absolute() or not path.parent.is_dir():
            raise RuleError(Problem("addin.ribbon.save_first"))
        return path.parent

    def out_dir(self) -> Path:
        """Where task orders and change notices go, as the command line puts them."""
        from addin.commands.lifecycle import task_order_dir

        self.folder()  # refuses an unsaved workbook
        return task_order_dir(Path(self.book.fullname), self.store)

    def activate(self, title: str) -> None:
        self.book.sheets[title].activate()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _values(rows: list[Row], key: str) -> list[str]:
    return list(dict.fromkeys(v for r in rows if (v := _text(r.values.get(key)))))
