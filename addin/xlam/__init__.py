"""The Excel add-in file (OrderDesk.xlam): built from text sources, installed for Excel.

``build_addin(out_dir)`` writes the add-in; ``install()``, ``uninstall()`` and ``status()``
put it in Excel's startup folder (Windows, macOS) and return a result with a message key.
"""

from __future__ import annotations

from addin.xlam.build import build_addin
from addin.xlam.install import AddinResult, install, status, uninstall

__all__ = ["AddinResult", "build_addin", "install", "status", "uninstall"]
