"""Messages of server mode: the SQL store, its URLs and the ``orderdesk db`` commands."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "store.stale": (
        "订单 {order_no} 已被 {user} 于 {time} 修改, 请刷新后重试 (未写入任何内容)",
        "order {order_no} was changed by {user} at {time}: refresh and try again "
        "(nothing was written)",
    ),
    "server.busy": (
        "数据库因同时进行的另一操作拒绝了本操作, 请重试 (未写入任何内容): {detail}",
        "the database turned the action down for another one at the same moment; try again "
        "(nothing was written): {detail}",
    ),
    "server.bad_url": (
        "无法识别的数据库地址: {url} (应为 postgresql://… 或 sqlite:///…)",
        "not a database URL: {url} (expected postgresql://… or sqlite:///…)",
    ),
    "server.sqlite_memory": (
        "SQLite 数据库必须是一个文件: {url}",
        "a SQLite database must be a file: {url}",
    ),
    "server.sqlite_network": (
        "SQLite 数据库文件不能放在网络驱动器上 ({fs}): {path}。多人共用请使用 PostgreSQL 服务器, "
        "或把文件放在本机磁盘上",
        "a SQLite database file cannot be on a network drive ({fs}): {path}. Use a PostgreSQL "
        "server for several users, or keep the file on a local disk",
    ),
    "server.not_initialised": (
        "数据库尚未初始化: {url} (请先运行 orderdesk db init)",
        "the database is not initialised: {url} (run orderdesk db init first)",
    ),
    "server.needs_upgrade": (
        "数据库结构版本较旧 ({found}): {url} (请运行 orderdesk db upgrade)",
        "the database's schema is older ({found}): {url} (run orderdesk db upgrade)",
    ),
    "server.newer_schema": (
        "数据库结构版本 {found} 比本程序新: {url} (请升级 OrderDesk)",
        "the database's schema {found} is newer than this program: {url} (upgrade OrderDesk)",
    ),
    "server.unreachable": (
        "无法连接数据库 {url}: {detail}",
        "cannot connect to the database {url}: {detail}",
    ),
    "server.db_error": ("数据库 {url} 出错: {detail}", "database error at {url}: {detail}"),
    "server.constraint": (
        "数据库拒绝了该写入 (重复的编号或键): {detail}",
        "the database refused the write (a number or key already exists): {detail}",
    ),
    "server.row_missing": (
        "表 {table} 中第 {row} 行已不存在, 请刷新后重试",
        "row {row} of table {table} no longer exists: refresh and try again",
    ),
    "server.db_and_workbook": (
        "请只给出工作簿或 --db 之一, 不要同时给出",
        "give either the workbook or --db, not both",
    ),
    "server.not_empty": (
        "数据库 {url} 已有记录 ({orders} 个订单, {ledger} 行台账), 导入只能导入到空数据库",
        "the database {url} already holds records ({orders} orders, {ledger} ledger rows): "
        "import needs an empty database",
    ),
    "db.init_done": (
        "数据库已初始化: {url} (结构 {revision}, 语言 {lang})",
        "database initialised: {url} (schema {revision}, language {lang})",
    ),
    "db.already": (
        "数据库已初始化: {url} (结构 {revision})",
        "the database is already initialised: {url} (schema {revision})",
    ),
    "db.upgrade_done": (
        "数据库结构已升级: {url} ({before} → {after})",
        "database schema upgraded: {url} ({before} → {after})",
    ),
    "db.import_done": (
        "已导入 {workbook} → {url}: {rows} 行, 其中 {orders} 个订单, 台账 {ledger} 行 (链已校验)",
        "imported {workbook} → {url}: {rows} rows, {orders} orders, {ledger} ledger rows "
        "(chain verified)",
    ),
    "db.import_refused": (
        "工作簿的台账链已损坏, 未导入任何内容:",
        "the workbook's ledger chain is broken; nothing was imported:",
    ),
    "db.export_done": (
        "已导出 {url} → {workbook}: {rows} 行, 其中 {orders} 个订单",
        "exported {url} → {workbook}: {rows} rows, {orders} orders",
    ),
    "db.import_unreadable": (
        "工作簿 {table} 表第 {row} 行无法存入数据库: {detail}",
        "row {row} of table {table} cannot be stored in the database: {detail}",
    ),
}
