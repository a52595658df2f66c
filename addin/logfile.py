"""The log file of OrderDesk: the full traceback of an unexpected error goes here, for the ribbon
and the command line alike, while the user sees one line naming this file."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

_handler: Any = None  # the log file's handler, once set up (the UDF server keeps one process)


def log_file() -> Path:
    return Path.home() / ".orderdesk" / "orderdesk.log"


def logger() -> Any:
    import logging
    import logging.handlers

    global _handler
    found = logging.getLogger("orderdesk")
    path = log_file()
    if _handler is None or Path(_handler.baseFilename) != path.resolve():
        if _handler is not None:
            found.removeHandler(_handler)
            _handler.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        _handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True
        )
        _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        found.addHandler(_handler)
        found.setLevel(logging.INFO)
        found.propagate = False  # nothing on stderr: RunPython would show it as an error
    return found


def log_exception(message: str, *args: object) -> Path:
    """The current exception's traceback, in the log file; the file's path."""
    with contextlib.suppress(Exception):  # no log (read-only home): nothing more to do
        logger().exception(message, *args)
        _handler.flush()
    return log_file()
