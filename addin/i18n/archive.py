"""Messages of archiving at closure (§8): deleting rows from the master, the archive action."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "store.cannot_delete": (
        "无法从工作表“{sheet}”删除行: {reason}。未写入任何内容",
        "rows cannot be deleted from sheet '{sheet}': {reason}; nothing was written",
    ),
    "store.delete_live": (
        "在 Excel 中打开的工作簿不能删除行: 请关闭工作簿,在命令行归档",
        "rows are not deleted from a workbook open in Excel: close it and archive from the "
        "command line",
    ),
    "store.delete_why.formulas": ("该表含有公式", "the sheet holds formulas"),
    "store.delete_why.merged": ("该表含有合并单元格", "the sheet holds merged cells"),
    "store.delete_why.hyperlinks": ("该表含有超链接", "the sheet holds hyperlinks"),
    "store.delete_why.drawings": ("该表含有图表或图片", "the sheet holds charts or pictures"),
    "store.delete_why.breaks": ("该表含有分页符", "the sheet holds page breaks"),
    "store.delete_why.tables": (
        "该表不止一个表格",
        "the sheet holds more than one table",
    ),
    "store.delete_why.notes": (
        "要删除的行及其下方有批注",
        "there are notes on or below the rows to delete",
    ),
    "store.delete_why.other": (
        "该表含有无法重新编号的内容",
        "the sheet holds content whose row references cannot be renumbered",
    ),
}
MESSAGES.update(
    {
        "setting.archive_after_months": (
            "结案或取消满此月数的订单可归档到年度归档工作簿",
            "Months after which closed or cancelled orders may be archived",
        ),
        "action.archive": ("归档", "archive"),
        "archive.details": (
            "{orders} 个订单和 {ledger} 条台账记录移入年度归档",
            "{orders} orders and {ledger} ledger rows moved to the yearly archives",
        ),
        "archive.done": (
            "截止 {cutoff}: 归档 {orders} 个订单、{ledger} 条台账记录",
            "before {cutoff}: {orders} orders and {ledger} ledger rows archived",
        ),
        "archive.dry_run": (
            "截止 {cutoff}: 将归档 {orders} 个订单、{ledger} 条台账记录(未写入)",
            "before {cutoff}: {orders} orders and {ledger} ledger rows would be archived "
            "(nothing written)",
        ),
        "archive.nothing": (
            "{cutoff} 之前没有可归档的记录",
            "nothing to archive before {cutoff}",
        ),
        "archive.is_archive": (
            "{path} 是归档工作簿: 只能查阅,不能在其上办理业务",
            "{path} is an archive workbook: it is read, never acted on",
        ),
        "archive.not_archive": (
            "{path} 已存在但不是归档工作簿,未写入任何内容",
            "{path} exists and is not an archive workbook; nothing was written",
        ),
        "archive.bad_period": (
            "归档期限应为正整数月数,而不是“{value}”",
            "the archiving period must be a whole number of months, not '{value}'",
        ),
        "archive.conflict": (
            "归档 {path} 中第 {seq} 号台账记录与主工作簿不同,未写入任何内容",
            "ledger row {seq} in archive {path} differs from the master's; nothing was written",
        ),
        "archive.unreadable": ("无法读取归档: {detail}", "the archive cannot be read: {detail}"),
        "archive.server": (
            "服务器模式的历年数据保存在数据库中,无需归档",
            "in server mode the years stay in the database: there is nothing to archive",
        ),
    }
)
MESSAGES.update(
    {
        "archive.missing": ("找不到归档 {path}", "archive {path} not found"),
        "archive.chain_start": (
            "归档 {path} 的台账链没有接上前一归档的结尾",
            "the ledger chain of archive {path} does not continue the previous archive's end",
        ),
        "archive.chain_end": (
            "归档 {path} 的台账结尾与主工作簿记录的不同",
            "the ledger of archive {path} does not end where the master recorded",
        ),
        "archive.base_mismatch": (
            "主工作簿的台账起点与最后一个归档 {path} 的结尾不同",
            "the master's ledger start differs from the end of the last archive {path}",
        ),
        "archive.in_archive": (
            "订单 {order_no} 已归档在 {path}",
            "order {order_no} is archived in {path}",
        ),
    }
)
