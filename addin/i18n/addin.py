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
            "把 OrderDesk 的工作表函数导入当前工作簿（仅限 Windows）。",
            "Import the OrderDesk worksheet functions into the active workbook (Windows only).",
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


MESSAGES: dict[str, tuple[str, str]] = {**_RIBBON, **_button_messages(), **_VBA, **_COMMANDS}
