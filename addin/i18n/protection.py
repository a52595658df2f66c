"""Messages of sheet protection (the master workbook's sheets of records)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "upgrade.protected": (
        "已保护工作表(无密码,输入列未锁定):{sheets}",
        "sheets protected (no password, input columns left unlocked): {sheets}",
    ),
}
