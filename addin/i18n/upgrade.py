"""Messages of the workbook upgrade (columns and sheets added to an older master workbook)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "store.upgrade_blocked": (
        "工作表“{sheet}”的单元格 {cell} 有内容,无法在表右侧添加“{column}”列:请移走该内容后重试",
        "sheet '{sheet}': cell {cell} is not empty, so column '{column}' cannot be added at the "
        "table's right end; move that content and try again",
    ),
    "store.upgrade_sheet_taken": (
        "工作簿已有名为“{sheet}”的工作表，但其中没有表 {table}，无法添加该表：请重命名该工作表后重试",
        "the workbook has a sheet named '{sheet}' already, without the table {table}, so that "
        "table cannot be added; rename that sheet and try again",
    ),
    "store.needs_upgrade": (
        "工作簿缺少新版本的列(工作表“{sheet}”的“{column}”):请关闭工作簿,运行 orderdesk upgrade {path}",
        "the workbook lacks a newer column ('{column}' on sheet '{sheet}'): close it and run "
        "orderdesk upgrade {path}",
    ),
    "upgrade.done": (
        "已升级工作簿到版本 {version},添加了 {count} 列: {columns}",
        "workbook upgraded to version {version}, {count} columns added: {columns}",
    ),
    "upgrade.sheet_added": (
        "已添加工作表“{sheet}”(表 {table})",
        "sheet '{sheet}' added (table {table})",
    ),
    "upgrade.current": (
        "工作簿已是版本 {version},无需升级",
        "the workbook is at version {version} already: nothing to upgrade",
    ),
}
