"""Running an action again when the database asked for it: a stale view the store read itself,
a serialization failure, a deadlock or a busy SQLite file. The whole action runs again on a
fresh snapshot, a bounded number of times, after a short random wait (so two contenders do not
meet again at once). Anything else, and a stale view a connected workbook saw, is raised.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from workbook.store import StoreError

T = TypeVar("T")
ATTEMPTS = 8
BASE_DELAY = 0.02  # seconds; doubled on each try, with jitter


def retryable(exc: BaseException) -> bool:
    return isinstance(exc, StoreError) and bool(getattr(exc, "retryable", False))


def retrying(
    action: Callable[[], T],
    attempts: int | None = None,
    base_delay: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``action()``, run again while it fails retryably, at most ``attempts`` times in all
    (default :data:`ATTEMPTS`, waits from :data:`BASE_DELAY`)."""
    attempts = ATTEMPTS if attempts is None else attempts
    base_delay = BASE_DELAY if base_delay is None else base_delay
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except StoreError as exc:
            if not retryable(exc) or attempt == attempts:
                raise
            sleep(random.uniform(0, base_delay * 2 ** (attempt - 1)))
    raise AssertionError("unreachable")
