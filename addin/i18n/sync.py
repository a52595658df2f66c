"""Texts of the connected workbook: connecting, refreshing, the ribbon's refresh button."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "sync.connected": (
        "已将工作簿 {workbook} 连接到数据库 {url}。",
        "The workbook {workbook} is connected to the database {url}.",
    ),
    "sync.not_connected": (
        "工作簿 {workbook} 未连接数据库（先运行 orderdesk db connect 工作簿 数据库地址）。",
        "The workbook {workbook} is not connected to a database "
        "(run orderdesk db connect WORKBOOK URL first).",
    ),
    "sync.refreshed_whole": (
        "已从数据库 {url} 整体刷新（台账第 {seq} 行，{time}）：写入 {rows} 行。",
        "Refreshed whole from the database {url} (ledger row {seq}, {time}): {rows} row(s) "
        "written.",
    ),
    "sync.refreshed": (
        "已从数据库 {url} 刷新（台账第 {seq} 行，{time}）：{orders} 个订单、{ledger} 条台账记录、"
        "写入 {rows} 行。",
        "Refreshed from the database {url} (ledger row {seq}, {time}): {orders} order(s), "
        "{ledger} ledger row(s), {rows} row(s) written.",
    ),
    "sync.chain_broken": (
        "数据库的台账没有接续本工作簿上次看到的记录（第 {seq} 行）：已整体刷新工作簿。",
        "The database's ledger does not continue from the row this workbook last saw (row "
        "{seq}): the whole workbook was refreshed.",
    ),
    "sync.tables": ("已重写的主数据表：{tables}", "Master tables rewritten: {tables}"),
    "sync.status": (
        "OrderDesk：已于 {time} 从数据库刷新",
        "OrderDesk: refreshed from the database at {time}",
    ),
    "sync.sent": (
        "已在数据库中执行；工作簿已刷新。",
        "Done in the database; the workbook is refreshed.",
    ),
    "sync.new_order": (
        "已在数据库中新建订单 {order_no}；刷新后在“订单”表中填写其内容。",
        "Order {order_no} was created in the database; fill it in on the orders sheet once "
        "refreshed.",
    ),
    # the ribbon
    "ribbon.group.database": ("数据库", "Database"),
    "ribbon.btn_refresh.label": ("刷新", "Refresh"),
    "ribbon.btn_refresh.screentip": ("从数据库刷新", "Refresh from the database"),
    "ribbon.btn_refresh.supertip": (
        "从连接的数据库刷新本工作簿：只重写上次刷新以来有变动的订单行，台账不接续时整体刷新。",
        "Refresh this workbook from its database: only the rows of orders changed since the "
        "last refresh are rewritten; the whole workbook when the ledger does not continue.",
    ),
}
