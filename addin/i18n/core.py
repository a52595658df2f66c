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
    "setting.ledger_head": (
        "台账校验链尾(系统维护,请勿修改)",
        "Ledger chain head (kept by OrderDesk; do not edit)",
    ),
    "setting.smtp_keyring_service": (
        "系统钥匙串中保存SMTP密码的服务名(可选)",
        "Keyring service holding the SMTP password (optional)",
    ),
    "setting.smtp_ca_file": (
        "额外信任的CA证书文件(可选)",
        "Extra CA certificate to trust (optional)",
    ),
    "setting.smtp_timeout": ("SMTP 超时(秒)", "SMTP timeout (seconds)"),
    "setting.outlook_mode": ("Outlook: draft 草稿 / send 直接发送", "Outlook: draft or send"),
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
    "store.table_absent": (
        "工作簿中没有表 {table}（由早于该表的版本创建），此操作需要它，未写入任何内容：请关闭工作簿，"
        "运行 orderdesk upgrade {path} 添加该表",
        "the workbook has no table {table} (it was made by a version before that table) and this "
        "action needs it; nothing was written: close the workbook and run orderdesk upgrade "
        "{path} to add it",
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
    "where.file": ("文件“{file}”", "file '{file}'"),
    # actions (ledger and messages)
    "action.receive": ("接收", "receive"),
    "action.check": ("初审", "check"),
    "action.none": ("无", "none"),
    # rules
    "rule.unknown_order": ("找不到订单 {order_no}", "no order {order_no} in the workbook"),
    "rule.status_forbids": (
        "订单 {order_no} 当前状态为“{status}”,不能执行“{action}”",
        "order {order_no} is '{status}': '{action}' is not allowed",
    ),
    # receive
    "receive.exists": (
        "订单 {order_no} 已在工作簿中(第 {row} 行)",
        "order {order_no} is already in the workbook (row {row})",
    ),
    "receive.empty": ("订单表为空: {file}", "the order form is empty: {file}"),
    "receive.missing_column": ("订单表缺少“{column}”列", "the order form has no '{column}' column"),
    "receive.details": ("{lines} 行,来源 {source}", "{lines} line(s) from {source}"),
    "receive.typed": ("在订单表中直接录入", "typed into the order sheet"),
    "receive.done": ("已接收 {count} 个订单", "{count} order(s) received"),
    # check
    "check.details": (
        "{blocking} 个问题,{advisory} 个评审提示",
        "{blocking} problem(s), {advisory} note(s) for the review",
    ),
    "check.clean": ("初审通过,无问题", "check passed, nothing found"),
    "check.missing": (
        "缺少必填信息,请与销售或客户确认",
        "missing: confirm with sales or the customer",
    ),
    "check.no_lines": ("订单没有产品明细", "the order has no product lines"),
    "check.delivery_before_receipt": (
        "第 {line_no} 行交货期早于接收日期 {received}",
        "line {line_no}: delivery date is before receipt ({received})",
    ),
    "check.unknown_customer": (
        "客户 {code} 不在客户表中",
        "customer {code} is not in the customer list",
    ),
    "check.customer_mismatch": (
        "客户名称“{name}”与客户代码 {code} 的登记名称“{listed}”不符,请与销售确认",
        "customer name '{name}' differs from '{listed}' listed for code {code}: confirm with sales",
    ),
    "check.inactive_customer": ("客户 {code} 已停用", "customer {code} is inactive"),
    "check.credit": (
        "客户未结订单金额 {total} 超过信用额度 {limit}",
        "customer's open orders {total} exceed the credit limit {limit}",
    ),
    "check.unknown_product": (
        "第 {line_no} 行: 产品 {code} 不在产品目录中",
        "line {line_no}: product {code} is not in the catalogue",
    ),
    "check.inactive_product": (
        "第 {line_no} 行: 产品 {code} 已停产",
        "line {line_no}: product {code} is no longer sold",
    ),
    "check.spec_mismatch": (
        "第 {line_no} 行: 规格“{spec}”与目录“{catalogue}”不符",
        "line {line_no}: spec '{spec}' differs from the catalogue's '{catalogue}'",
    ),
    "check.price_floor": (
        "第 {line_no} 行: 单价 {price} 低于最低价 {floor}",
        "line {line_no}: price {price} is below the floor {floor}",
    ),
    "check.min_qty": (
        "第 {line_no} 行: 数量 {qty} 低于起订量 {min}",
        "line {line_no}: quantity {qty} is below the minimum {min}",
    ),
    "check.lot_size": (
        "第 {line_no} 行: 数量 {qty} 不是批量 {lot} 的整数倍",
        "line {line_no}: quantity {qty} is not a multiple of the lot size {lot}",
    ),
    "check.lead_time": (
        "第 {line_no} 行: 生产周期 {days} 天,最早可交货日期 {earliest}",
        "line {line_no}: lead time is {days} days, earliest possible delivery {earliest}",
    ),
    "check.capacity": (
        "第 {line_no} 行: 产品组 {group} 在 {week} 周产能不足(剩余 {free}),需与生产协调,最早可行日期 {earliest}",
        "line {line_no}: group {group} has not enough capacity in the week of {week} ({free} free); coordinate with production, earliest feasible {earliest}",
    ),
    "check.vague_requirement": (
        "要求不明确: “{text}”,请与客户确认",
        "requirement is unclear: '{text}'; confirm with the customer",
    ),
    "check.for_review": (
        "特殊要求,请在评审中确认能否满足",
        "special requirement: confirm in the review that it can be met",
    ),
    # verify
    "verify.edited": ("台账第 {seq} 条被修改", "ledger entry {seq} was edited"),
    "verify.gap": (
        "台账缺少第 {expected} 条(下一条为 {seq}),有记录被删除",
        "ledger entries from {expected} are missing (next is {seq}): rows were deleted",
    ),
    "verify.reordered": (
        "台账第 {seq} 条顺序错乱(应为 {expected})",
        "ledger entry {seq} is out of order (expected {expected})",
    ),
    "verify.truncated": (
        "台账应到第 {head} 条,现只到第 {last} 条,末尾记录被删除",
        "the ledger should end at entry {head} but ends at {last}: rows were deleted",
    ),
    "verify.status_mismatch": (
        "订单 {order_no} 状态为“{cell}”,台账记录为“{ledger}”",
        "order {order_no} shows '{cell}' but its ledger says '{ledger}'",
    ),
    "verify.duplicate": ("台账第 {seq} 条重复出现", "ledger entry {seq} appears twice"),
    "verify.order_missing": (
        "台账记载的订单 {order_no} 已从订单表中删除",
        "order {order_no} has ledger entries but its row was deleted from the orders sheet",
    ),
    "verify.no_ledger": (
        "订单 {order_no} 有状态但无台账记录",
        "order {order_no} has a status but no ledger entry",
    ),
    "verify.ok": (
        "台账完整,{entries} 条记录,{orders} 个订单状态一致",
        "ledger intact: {entries} entries, {orders} orders agree with it",
    ),
    "verify.found": ("发现 {count} 个问题", "{count} problem(s) found"),
    # cli
    "cli.refused": ("操作被拒绝,工作簿未改动:", "Refused; the workbook is unchanged:"),
    "cli.nothing": ("没有需要处理的订单", "nothing to do"),
    "init.done": ("已创建主工作簿: {path}", "master workbook created: {path}"),
    "show.history": ("历史记录", "History"),
    # demo
    "demo.title": ("OrderDesk 演示", "OrderDesk demo"),
    "demo.workbook": ("主工作簿: {path}", "Master workbook: {path}"),
    "demo.statuses": ("订单状态:", "Orders by status:"),
    "demo.findings": ("初审发现的问题(按类型):", "Check findings by kind:"),
    "demo.dashboard": ("看板已刷新:{figures}", "Dashboard refreshed: {figures}"),
    "demo.mail": (
        "邮件: {task_orders} 张任务单经本机 SMTP 服务器发出,收到 {messages} 封邮件(共 {recipients} 个收件人),{readable_attachments} 个附件可打开",
        "Mail: {task_orders} task orders sent through a loopback SMTP server; {messages} messages arrived ({recipients} recipients), {readable_attachments} attachments open",
    ),
    "demo.next": (
        "用 Excel 打开 {path} 查看;试试: orderdesk show {path} <订单号>",
        "Open {path} in a spreadsheet program, or try: orderdesk show {path} <ORDER_NO>",
    ),
    # kinds of finding (demo summary, statistics)
    "kind.check.missing": ("信息缺失", "missing information"),
    "kind.check.no_lines": ("无产品明细", "no product lines"),
    "kind.check.delivery_before_receipt": ("交货期早于接收日", "delivery before receipt"),
    "kind.check.unknown_customer": ("未登记客户", "unknown customer"),
    "kind.check.customer_mismatch": ("客户名称不符", "customer name differs"),
    "kind.check.inactive_customer": ("停用客户", "inactive customer"),
    "kind.check.credit": ("超信用额度", "over credit limit"),
    "kind.check.unknown_product": ("目录外产品", "product not in catalogue"),
    "kind.check.inactive_product": ("停产产品", "product no longer sold"),
    "kind.check.spec_mismatch": ("规格不符", "spec differs from catalogue"),
    "kind.check.price_floor": ("低于最低价", "price below floor"),
    "kind.check.min_qty": ("低于起订量", "below minimum quantity"),
    "kind.check.lot_size": ("不符合批量", "not a multiple of the lot size"),
    "kind.check.lead_time": ("短于生产周期", "shorter than lead time"),
    "kind.check.capacity": ("产能不足", "over capacity"),
    "kind.check.vague_requirement": ("要求不明确", "unclear requirement"),
    "kind.check.for_review": ("特殊要求待评审", "special requirement for review"),
    "kind.error.not_int": ("非整数", "not a whole number"),
    "kind.error.not_number": ("非数字", "not a number"),
    "kind.error.not_date": ("非日期", "not a date"),
    "kind.error.not_choice": ("不在下拉列表", "not a listed choice"),
    "kind.error.min": ("数值过小", "value too small"),
    "kind.error.gt": ("数值过小", "value too small"),
    "kind.error.precision": ("小数位过多", "too many decimals"),
    "kind.error.required": ("必填为空", "required value missing"),
    "kind.error.invalid": ("无效值", "invalid value"),
    "kind.error.duplicate_order": ("订单号重复", "duplicated order number"),
    "kind.error.duplicate_line": ("行号重复", "duplicated line number"),
}
