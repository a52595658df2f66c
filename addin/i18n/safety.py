"""Messages of the file-safety and trust rules (issue 12): folders, bounds, fallbacks, mail."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "store.no_folder": (
        "文件夹不存在: {path}(请先创建)",
        "the folder does not exist: {path} (create it first)",
    ),
}
