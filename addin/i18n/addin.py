"""Texts of the Excel add-in: the ribbon (built into the add-in's VBA at build time), the few
messages its VBA shows itself, and the results of ``orderdesk addin build|install|...``.

Ribbon keys: ``ribbon.tab``, ``ribbon.group.<stage>``, ``ribbon.<button id>.label|screentip|
supertip``; the button ids are those of ``addin/xlam/customUI.xml``.
"""

from __future__ import annotations

_RIBBON: dict[str, tuple[str, str]] = {
    "ribbon.tab": ("订单管理", "Orders"),
    "ribbon.group.receipt": ("订单接收", "Receipt"),
    "ribbon.group.review": ("订单评审", "Review"),
    "ribbon.group.release": ("订单下达", "Release"),
    "ribbon.group.tracking": ("订单跟踪", "Tracking"),
    "ribbon.group.change": ("订单变更", "Change"),
    "ribbon.group.closure": ("订单结案", "Closure"),
    "ribbon.group.statistics": ("统计分析", "Statistics"),
    "ribbon.group.tools": ("工具", "Tools"),
}

# button id -> (label, screentip, supertip), each (zh, en)
_BUTTONS: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    "btn_new_order": (
        ("新建订单", "New order"),
        ("新建订单", "New order"),
        (
            "登记收到的客户订单：渠道、接收人、客户、产品明细和特殊要求。",
            "Record a customer order as received: channel, receiver, customer, product lines "
            "and special requirements.",
        ),
    ),
    "btn_check": (
        ("初步审核", "Check"),
        ("初步审核", "Preliminary check"),
        (
            "检查所选订单是否完整准确、符合销售政策和产品目录、交货期是否在产能之内，"
            "并列出需要补充的信息。",
            "Check the selected order: complete and accurate, within the sales policy and the "
            "product catalogue, delivery date within capacity; lists what is missing.",
        ),
    ),
    "btn_review_start": (
        ("发起评审", "Start review"),
        ("发起订单评审", "Start an order review"),
        (
            "为所选订单开启一轮评审，请销售、生产、技术、质量和采购部门给出意见。",
            "Open a review round for the selected order and ask sales, production, technical, "
            "quality and purchasing for their judgement.",
        ),
    ),
    "btn_review_conclude": (
        ("评审结论", "Conclude review"),
        ("记录评审结论", "Record the review outcome"),
        (
            "汇总各部门意见并记录结论：通过；与客户协商后重新评审；或取消、变更订单。",
            "Collect the departments' judgements and record the outcome: passed, renegotiate "
            "and review again, or cancel or change the order.",
        ),
    ),
    "btn_release": (
        ("下达任务单", "Release"),
        ("下达生产任务单", "Release the production task order"),
        (
            "根据评审结果生成生产任务单：产品、规格型号、数量、交货期、质量要求和生产批次。",
            "Generate the production task order from the review result: product, "
            "specification, quantity, delivery date, quality requirements and batch.",
        ),
    ),
    "btn_send_task": (
        ("发送任务单", "Send task order"),
        ("发送生产任务单", "Send the task order"),
        (
            "将任务单工作簿通过邮件同时发送给生产、技术、质量和采购部门。",
            "E-mail the task-order workbook to production, technical, quality and purchasing "
            "at the same time.",
        ),
    ),
    "btn_track": (
        ("跟踪台账", "Tracking"),
        ("订单跟踪台账", "Order tracking ledger"),
        (
            "查看订单跟踪台账：下达时间、生产进度、检验状态和发货时间。",
            "Show the tracking ledger: release time, production progress, inspection status "
            "and shipping time.",
        ),
    ),
    "btn_overdue": (
        ("逾期预警", "Overdue"),
        ("逾期和风险订单", "Overdue and at-risk orders"),
        (
            "列出已经逾期或可能逾期的订单，以及原因、措施和预计恢复日期。",
            "List the orders that are overdue or at risk, with cause, measures and expected "
            "recovery date.",
        ),
    ),
    "btn_change_request": (
        ("变更申请", "Change request"),
        ("订单变更申请", "Order change request"),
        (
            "填写订单变更申请表：变更原因、变更内容和对订单执行的影响。",
            "Fill in a change request: reason, content and impact on the order's execution.",
        ),
    ),
    "btn_change_approve": (
        ("批准变更", "Approve"),
        ("批准变更", "Approve the change"),
        (
            "批准所选变更申请，保留订单原版本并发出变更通知。",
            "Approve the selected change request, keep the order's earlier version and issue "
            "the change notice.",
        ),
    ),
    "btn_change_reject": (
        ("驳回变更", "Reject"),
        ("驳回变更", "Reject the change"),
        (
            "驳回所选变更申请并记录理由。",
            "Reject the selected change request and record why.",
        ),
    ),
    "btn_close": (
        ("订单结案", "Close order"),
        ("订单结案", "Close the order"),
        (
            "产品全部生产、检验合格、发货、交付并经客户验收后，结案并归档订单资料。",
            "Close and archive the order once all products are made, inspected and passed, "
            "shipped, delivered and accepted by the customer.",
        ),
    ),
    "btn_cancel": (
        ("取消订单", "Cancel order"),
        ("取消订单", "Cancel the order"),
        (
            "取消所选订单并记录原因，例如评审发现重大问题并已与客户协商一致。",
            "Cancel the selected order and record why, for example a major problem found in "
            "review and agreed with the customer.",
        ),
    ),
    "btn_dashboard": (
        ("统计看板", "Dashboard"),
        ("订单统计与分析", "Order statistics and analysis"),
        (
            "订单数量、销售额、产品结构、交货期达成率、质量合格率和客户投诉率。",
            "Order count, sales amount, product mix, on-time delivery rate, quality pass rate "
            "and complaint rate.",
        ),
    ),
    "btn_verify": (
        ("校验", "Verify"),
        ("校验工作簿", "Verify the workbook"),
        (
            "检查主工作簿的表格结构和数据是否完整一致。",
            "Check the master workbook's tables and data for completeness and consistency.",
        ),
    ),
    "btn_import_udfs": (
        ("导入函数", "Functions"),
        ("导入工作表函数", "Import worksheet functions"),
        (
            "把 OrderDesk 的工作表函数导入 OrderDesk 加载项，供所有工作簿使用（仅限 Windows）。",
            "Import the OrderDesk worksheet functions into the OrderDesk add-in, for every "
            "workbook (Windows only).",
        ),
    ),
    "btn_settings": (
        ("设置", "Settings"),
        ("OrderDesk 设置", "OrderDesk settings"),
        (
            "语言、邮件和其他 OrderDesk 设置。",
            "Language, e-mail and other OrderDesk settings.",
        ),
    ),
    "btn_help": (
        ("帮助", "Help"),
        ("OrderDesk 帮助", "OrderDesk help"),
        (
            "打开 OrderDesk 使用说明。",
            "Open the OrderDesk user guide.",
        ),
    ),
}

_VBA: dict[str, tuple[str, str]] = {
    "addin.vba.no_workbook": (
        "请先打开或新建一个工作簿。",
        "Open or create a workbook first.",
    ),
    "addin.vba.xlwings_mismatch": (
        "OrderDesk 加载项所依赖的 xlwings 版本在本机找不到（xlwings 可能已升级）。"
        "请运行 orderdesk addin install，然后重新启动 Excel。",
        "The xlwings version the OrderDesk add-in was built for is not found on this PC "
        "(xlwings may have been upgraded). Run orderdesk addin install, then restart Excel.",
    ),
}

# What the ribbon's buttons report (addin/ribbon.py). Keys are ``addin.ribbon.*``: every
# ``ribbon.*`` key is a text the ribbon XML asks for, built into the add-in's VBA.
_RIBBON_MESSAGES: dict[str, tuple[str, str]] = {
    "addin.ribbon.title": ("OrderDesk · {label}", "OrderDesk · {label}"),
    "addin.ribbon.progress": (
        "OrderDesk:{done}/{total} {item}",
        "OrderDesk: {done}/{total} {item}",
    ),
    "addin.ribbon.more": ("……另有 {count} 行未显示", "… {count} more line(s) not shown"),
    "addin.ribbon.unexpected": (
        "发生意外错误，操作未完成。详细信息已写入日志文件：{log}",
        "An unexpected error stopped the action. The details are in the log file: {log}",
    ),
    "addin.ribbon.unknown_button": (
        "加载项与 OrderDesk 版本不一致（未知按钮“{id}”）。请重新安装加载项：orderdesk addin install",
        "The add-in does not match OrderDesk (unknown button '{id}'). Reinstall the add-in: "
        "orderdesk addin install",
    ),
    "addin.ribbon.select_orders": (
        "请先选中订单：在{sheets}工作表中选中订单所在的行",
        "select the order(s) first: their rows in the {sheets} sheet",
    ),
    "addin.ribbon.hidden_rows": (
        "所选范围内有 {count} 行被隐藏（如被筛选），未作处理；只处理了“{sheet}”中可见的行。",
        "{count} row(s) of the selection are hidden (e.g. by a filter) and were left alone; "
        "only the visible rows of '{sheet}' were acted on.",
    ),
    "addin.ribbon.select_changes": (
        "请先在“{sheet}”工作表中选中变更申请所在的行",
        "select the change requests' rows in sheet '{sheet}' first",
    ),
    "addin.ribbon.select_tasks": (
        "请先选中生产任务单（“{sheet}”工作表中的行）或订单",
        "select the task orders (rows of sheet '{sheet}') or their orders first",
    ),
    "addin.ribbon.no_current_task": (
        "订单 {order_no} 没有现行的生产任务单，请先下达",
        "order {order_no} has no current task order: release it first",
    ),
    "addin.ribbon.save_first": (
        "请先保存工作簿：任务单、变更通知等文件存放在工作簿所在的文件夹中",
        "save the workbook first: task orders and change notices go in its folder",
    ),
    "addin.ribbon.reason_in_remarks": (
        "请在“备注”中写明取消原因，再点击“取消订单”",
        "type the reason in Remarks, then press Cancel order again",
    ),
    "addin.ribbon.agreement_in_remarks": (
        "订单正在与客户协商：请在“备注”中写明协商达成的内容，再点击“发起评审”",
        "the order is in negotiation: type what was agreed with the customer in Remarks, then "
        "press Start review again",
    ),
    "addin.ribbon.new_order": (
        "已新增订单 {order_no}（“{sheet}”工作表第 {row} 行）。请填写客户、渠道、联系人和要求，"
        "在“{lines}”工作表中按此订单号逐行填写产品明细，然后点击“初步审核”。",
        "Order {order_no} added (sheet '{sheet}', row {row}). Fill in the customer, channel, "
        "contact and requirements, type its product lines in sheet '{lines}' with this order "
        "number, then press Check.",
    ),
    "addin.ribbon.no_pending_tracking": (
        "没有待记录的跟踪事实。请在“{sheet}”工作表中逐行填写（“{column}”留空），再点击本按钮。",
        "No tracking facts are waiting. Type each as a row in sheet '{sheet}' (leave "
        "'{column}' blank), then press this button again.",
    ),
    "addin.ribbon.no_pending_changes": (
        "没有待提交的变更申请。请在“{sheet}”工作表中逐行填写订单号、申请部门、原因、"
        "变更内容（每行一项“字段=新值”）和影响（“{column}”留空），再点击本按钮。",
        "No change requests are waiting. Type each as a row in sheet '{sheet}': order number, "
        "requesting department, reason, content (one FIELD=VALUE per line) and impact (leave "
        "'{column}' blank), then press this button again.",
    ),
    "addin.ribbon.dashboard": (
        "统计已写入工作表“{sheet}”。{summary}",
        "Dashboard written to sheet '{sheet}'. {summary}",
    ),
    "addin.ribbon.settings": (
        "这是“{sheet}”工作表：语言、邮件、人员名单、时限等设置。修改单元格后，下一次操作即按新设置执行。",
        "This is sheet '{sheet}': language, e-mail, staff roster, time limits. Edit the cells; "
        "the next action uses them.",
    ),
    "addin.ribbon.help": (
        "OrderDesk 按公司《客户订单管理办法》办理订单：接收 → 初步审核 → 评审 → 下达 → 执行与跟踪 → "
        "变更 → 结案。\n"
        "• 按钮作用于所选的行：在订单、明细、评审、任务单、跟踪、变更等工作表中选中订单所在的行"
        "（可多选）。\n"
        "• 需要填写的内容直接写在工作表中：评审意见写在评审表，跟踪事实和变更申请逐行写在各自的表中"
        "（记录时间、变更单号留空），取消原因和协商结果写在订单的“备注”中。\n"
        "• 被拒绝的操作不改动工作簿，并指明需要更正的单元格。\n"
        "使用说明：{readme}\n日志文件：{log}",
        "OrderDesk runs the company's customer-order procedure: receipt → preliminary check → "
        "review → release → execution and tracking → change → closure.\n"
        "• Buttons act on the selected rows: select the orders' rows in the orders, lines, "
        "reviews, task orders, tracking or changes sheet (several at once if you like).\n"
        "• What an action needs is typed into the sheets: review decisions in the reviews sheet, "
        "tracking facts and change requests as rows of their sheets (leave 'Recorded at' and "
        "'Change no.' blank), a cancellation's reason or a negotiation's agreement in the "
        "order's Remarks.\n"
        "• A refused action changes nothing and names the cells to correct.\n"
        "User guide: {readme}\nLog file: {log}",
    ),
    "addin.ribbon.readme_elsewhere": (
        "OrderDesk 安装包中的 README.md（pip show orderdesk 显示安装位置）",
        "README.md of the OrderDesk package (pip show orderdesk shows where it is installed)",
    ),
    "addin.ribbon.xlwings_mismatch": (
        "OrderDesk 加载项是为 xlwings {built} 生成的，而本机 Python 中的 xlwings 是 {installed}。"
        "请运行 orderdesk addin install，然后重新启动 Excel。",
        "The OrderDesk add-in was built for xlwings {built}, but the Python it runs has xlwings "
        "{installed}. Run orderdesk addin install, then restart Excel.",
    ),
    "addin.ribbon.udfs_windows_only": (
        "工作表函数需要 Windows 上的 Excel；在本系统（{platform}）上无法导入。其他按钮不受影响。",
        "Worksheet functions need Excel on Windows; they cannot be imported on this system "
        "({platform}). The other buttons work as usual.",
    ),
    "addin.ribbon.udfs_imported": (
        "已将工作表函数（{module}）导入并保存到加载项“{addin}”：本机 Excel 打开的每个工作簿都可使用，"
        "工作簿本身无需改存为其他格式。",
        "The worksheet functions ({module}) are imported into the add-in '{addin}' and saved "
        "with it: every workbook opened in this Excel can use them, as it is.",
    ),
    "addin.ribbon.udfs_no_addin": (
        "加载项“{addin}”未在本 Excel 中打开，无法导入工作表函数。请运行 orderdesk addin install，"
        "然后重新启动 Excel。",
        "The add-in '{addin}' is not open in this Excel, so the worksheet functions cannot be "
        "imported. Run orderdesk addin install, then restart Excel.",
    ),
    "addin.ribbon.udfs_failed": (
        "无法导入工作表函数：{error}。请在 Excel 信任中心启用“信任对 VBA 工程对象模型的访问”后重试。",
        'The worksheet functions could not be imported: {error}. Enable "Trust access to the VBA '
        "project object model\" in Excel's Trust Center and try again.",
    ),
}

_COMMANDS: dict[str, tuple[str, str]] = {
    "addin.build.done": ("已生成加载项：{path}", "Add-in built: {path}"),
    "addin.install.done": (
        "OrderDesk 加载项已安装到 {path}，设置已写入 {config}。请重新启动 Excel。",
        "OrderDesk add-in installed at {path}; settings written to {config}. Restart Excel.",
    ),
    "addin.install.unsupported": (
        "OrderDesk 加载项需要 Windows 或 macOS 上的 Microsoft Excel，无法在本系统（{platform}）"
        "上安装；命令行功能仍可使用。",
        "The OrderDesk add-in needs Microsoft Excel on Windows or macOS and cannot be installed "
        "on this system ({platform}); the command line still works.",
    ),
    "addin.install.locked": (
        "无法写入 {path}：请先退出 Excel，然后重试。",
        "Cannot write {path}: quit Excel and try again.",
    ),
    "addin.install.failed": ("安装失败：{error}", "Installation failed: {error}"),
    "addin.uninstall.done": (
        "已卸载 OrderDesk 加载项（{path}）。请重新启动 Excel。",
        "OrderDesk add-in removed ({path}). Restart Excel.",
    ),
    "addin.uninstall.not_installed": (
        "OrderDesk 加载项未安装（{path} 不存在）。",
        "The OrderDesk add-in is not installed ({path} does not exist).",
    ),
    "addin.status.installed": (
        "OrderDesk 加载项已安装：{path}（设置文件：{config}）。",
        "The OrderDesk add-in is installed: {path} (settings file: {config}).",
    ),
    "addin.status.not_installed": (
        "OrderDesk 加载项未安装；运行 orderdesk addin install 将安装到 {path}。",
        "The OrderDesk add-in is not installed; orderdesk addin install puts it at {path}.",
    ),
}


def _button_messages() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for button, (label, screentip, supertip) in _BUTTONS.items():
        out[f"ribbon.{button}.label"] = label
        out[f"ribbon.{button}.screentip"] = screentip
        out[f"ribbon.{button}.supertip"] = supertip
    return out


MESSAGES: dict[str, tuple[str, str]] = {
    **_RIBBON,
    **_button_messages(),
    **_VBA,
    **_RIBBON_MESSAGES,
    **_COMMANDS,
}
