"""Messages of the foundation: workbook, store, reading errors, receipt, check, ledger, CLI."""

MESSAGES: dict[str, tuple[str, str]] = {
    "workbook.title": ("OrderDesk 订单管理主工作簿", "OrderDesk master workbook"),
    "dashboard.title": ("订单统计", "Order statistics"),
    "dashboard.empty": ("点击“刷新统计”生成。", "Click 'Refresh dashboard' to fill."),
    "validation.title": ("输入无效", "Invalid entry"),
    "validation.error": ("请从下拉列表中选择。", "Please choose a value from the list."),
    # settings notes
    "setting.company": ("公司名称(任务单抬头)", "Company name (task-order header)"),
    "setting.currency": ("默认币种", "Default currency"),
    "setting.credit_check": ("是否检查客户信用额度", "Check customer credit limit (yes/no)"),
    "setting.change_approver_roles": (
        "可批准变更的角色(逗号分隔)",
        "Roles that may approve changes (comma separated)",
    ),
    "setting.holidays": ("非工作日(逗号分隔日期)", "Non-working days (comma separated dates)"),
    "setting.task_order_dir": ("任务单文件夹(相对主工作簿)", "Task-order folder (beside workbook)"),
    "setting.mail_transport": ("发送方式: smtp / eml / outlook", "Transport: smtp / eml / outlook"),
    "setting.mail_from": ("发件人地址", "Sender address"),
    "setting.smtp_host": ("SMTP 服务器", "SMTP server"),
    "setting.smtp_port": ("SMTP 端口", "SMTP port"),
    "setting.smtp_security": ("加密: starttls / tls / none", "Security: starttls / tls / none"),
    "setting.smtp_user": ("SMTP 用户名", "SMTP user name"),
    "setting.smtp_password_env": (
        "保存SMTP密码的环境变量名(密码不写入工作簿)",
        "Environment variable holding the SMTP password (never stored here)",
    ),
    "setting.eml_dir": ("eml 文件输出文件夹", "Folder for .eml files"),
    # where
    "where.sheet": ("工作表“{sheet}”", "sheet '{sheet}'"),
    "where.row": ("第 {row} 行", "row {row}"),
    "where.column": ("“{column}”列", "column '{column}'"),
    "where.sep": ("，", ", "),
    # reading errors
    "error.required": ("必填项为空", "required value is missing"),
    "error.not_int": ("“{value}”不是整数", "'{value}' is not a whole number"),
    "error.not_number": ("“{value}”不是数字", "'{value}' is not a number"),
    "error.not_date": (
        "“{value}”不是日期(应为 2026-12-31)",
        "'{value}' is not a date (use 2026-12-31)",
    ),
    "error.not_choice": ("“{value}”不在下拉列表中", "'{value}' is not one of the listed choices"),
    "error.min": ("“{value}”不能小于 {limit}", "'{value}' must not be less than {limit}"),
    "error.gt": ("“{value}”必须大于 {limit}", "'{value}' must be greater than {limit}"),
    "error.precision": (
        "金额最多 {places} 位小数",
        "at most {places} decimal places for this currency",
    ),
    "error.invalid": ("“{value}”无效: {detail}", "'{value}' is not valid: {detail}"),
    "error.duplicate_order": (
        "订单号 {order_no} 重复(另见第 {other} 行)",
        "order number {order_no} appears twice (also row {other})",
    ),
    "error.duplicate_line": (
        "订单 {order_no} 的行号 {line_no} 重复",
        "line {line_no} of order {order_no} appears twice",
    ),
    "error.orphan_line": (
        "订单明细对应的订单 {order_no} 不存在",
        "no order {order_no} for this line",
    ),
    # store
    "store.exists": (
        "文件已存在: {path}(如需覆盖请加 --force)",
        "file exists: {path} (use --force to overwrite)",
    ),
    "store.not_found": ("找不到工作簿: {path}", "workbook not found: {path}"),
    "store.not_xlsx": (
        "不是有效的 Excel 工作簿(.xlsx): {path}",
        "not a valid Excel workbook (.xlsx): {path}",
    ),
    "store.not_master": (
        "不是 OrderDesk 主工作簿(缺少表“{table}”): {path}",
        "not an OrderDesk master workbook (table '{table}' is missing): {path}",
    ),
    "store.newer_schema": (
        "工作簿版本 {found} 比本程序({supported})新,请升级 OrderDesk",
        "the workbook's schema version {found} is newer than this OrderDesk ({supported}): upgrade",
    ),
    "store.missing_column": (
        "工作表“{sheet}”缺少“{column}”列",
        "sheet '{sheet}' has no column '{column}'",
    ),
    "store.open_in_excel": (
        "工作簿正在被 Excel 或其他程序打开({owner}),请关闭后重试: {path}",
        "the workbook is open in Excel or another program ({owner}); close it and try again: {path}",
    ),
    "store.locked": (
        "另一个 OrderDesk 操作正在使用该工作簿,请稍后重试: {path}",
        "another OrderDesk action is using the workbook; try again shortly: {path}",
    ),
    "store.write_failed": (
        "保存失败,工作簿未改动: {detail}",
        "saving failed, the workbook is unchanged: {detail}",
    ),
    "store.unknown_column": (
        "程序错误: 表 {table} 没有列 {column}",
        "internal error: table {table} has no column {column}",
    ),
}
