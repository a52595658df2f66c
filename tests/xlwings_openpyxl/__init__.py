"""xlwings without Excel, for tests: an xlwings engine over openpyxl.

Code under test uses xlwings as it would against Excel (``xw.Book(path)``, ``book.sheets``,
``sheet.tables``, ``range.value``, ``range.note`` ...): xlwings' own front end runs, and this
package's engine (:mod:`xlwings_openpyxl.engine`) stands where COM and Excel would be. Use the
fixtures in :mod:`xlwings_openpyxl.fixtures`.
"""

from __future__ import annotations

from typing import Any

import xlwings

from xlwings_openpyxl.engine import ENGINE_NAME, Call, Engine, book_impl

__all__ = ["ENGINE", "ENGINE_NAME", "Call", "Engine", "activate", "book_impl", "deactivate"]

ENGINE = Engine()


def activate() -> Any:
    """Register the engine with xlwings (once) and make it the active one; return the engine
    that was active before."""
    if ENGINE_NAME not in xlwings.engines.engines_by_name:
        xlwings.engines.add(xlwings.Engine(impl=ENGINE))
    previous = xlwings.engines.active
    xlwings.engines[ENGINE_NAME].activate()
    return previous


def deactivate(previous: Any = None) -> None:
    """Close every book of the engine and give xlwings back its previous active engine."""
    ENGINE.reset()
    xlwings.engines.active = previous
    if hasattr(xlwings.Book, "_mock_caller"):
        del xlwings.Book._mock_caller  # set by book.set_mock_caller() in a test
