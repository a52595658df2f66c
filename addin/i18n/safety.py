"""Messages of the file-safety and trust rules (issue 12): folders, bounds, fallbacks, mail."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "store.no_folder": (
        "文件夹不存在: {path}(请先创建)",
        "the folder does not exist: {path} (create it first)",
    ),
    "store.fallback_pictures": (
        "未保存:此更改需整本重写工作簿({detail}),这会丢失工作表“{sheet}”中的图片或形状。"
        "工作簿未改动;请在 Excel 中操作",
        "not saved: this change needs the whole workbook rewritten ({detail}), which would lose "
        "the pictures or shapes on sheet '{sheet}'. The workbook is unchanged; make the change "
        "in Excel",
    ),
    "store.fallback_rich_text": (
        "未保存:此更改需整本重写工作簿({detail}),这会丢失工作表“{sheet}”中带格式文字(部分加粗、"
        "变色等)的格式。工作簿未改动;请在 Excel 中操作",
        "not saved: this change needs the whole workbook rewritten ({detail}), which would lose "
        "the formatting of rich text (bold or coloured parts of a cell) on sheet '{sheet}'. The "
        "workbook is unchanged; make the change in Excel",
    ),
    "cli.date_range": (
        "日期 {value} 超出可统计的范围({first} 至 {last})",
        "the date {value} is outside the range the figures can count ({first} to {last})",
    ),
    "cli.internal_error": (
        "OrderDesk 内部错误(程序缺陷),未完成;详情已写入日志: {log}",
        "OrderDesk met an internal error (a defect) and stopped; the details are in the log: {log}",
    ),
    "receive.not_a_file": ("“{path}”不是文件", "'{path}' is not a file"),
    "receive.too_large": (
        "订单表单 {file} 超过 {limit} 字节,请拆分后分批导入",
        "the order form {file} is larger than {limit} bytes: split it and receive the parts",
    ),
    "receive.too_many_rows": (
        "订单表单 {file} 超过 {limit} 行,请拆分后分批导入",
        "the order form {file} has more than {limit} rows: split it and receive the parts",
    ),
    "receive.too_many_columns": (
        "订单表单 {file} 在第 {limit} 列之后还有内容,请删除多余的列",
        "the order form {file} has content beyond column {limit}: delete the extra columns",
    ),
    "receive.field_too_long": (
        "订单表单 {file} 第 {row} 行有一个值超过 {limit} 个字符",
        "the order form {file} has a value longer than {limit} characters in row {row}",
    ),
    "mail.error.password_env": (
        "设置 {key} 只能指定以 ORDERDESK_ 开头的环境变量(大写字母、数字、下划线),不能是“{name}”",
        "the setting {key} may name only an environment variable ORDERDESK_... (capital letters, "
        "digits, underscores), not '{name}'",
    ),
    "mail.error.host_not_trusted": (
        "不向 SMTP 服务器 {host} 发送密码:本机环境变量 {env} 未列出该服务器(由 IT 设置,逗号分隔)",
        "the password is not sent to the SMTP server {host}: this computer's environment "
        "variable {env} does not list it (set by IT, comma separated)",
    ),
    "send.file_outside": (
        "任务单 {task_no} 的文件“{file}”不在任务单文件夹 {folder} 中,不能作为附件发送",
        "task order {task_no}: the file '{file}' is not in the task-order folder {folder}; "
        "it cannot be attached",
    ),
}
