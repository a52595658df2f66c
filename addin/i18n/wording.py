"""Messages worded for people, not programs: a line's field, the inspection progress, times."""

MESSAGES: dict[str, tuple[str, str]] = {
    "punct.colon": ("：", ": "),  # between a name and what it names
    "change.field_of_line": ("第 {line} 行{field}", "{field} (line {line})"),
    "change.assignment_words": ("{field}改为 {value}", "{field} to {value}"),
    "receive.form_not_found": ("找不到订单表文件：{path}", "order form not found: {path}"),
    "receive.form_not_xlsx": (
        "订单表不是有效的 Excel 文件（.xlsx）：{path}",
        "the order form is not a valid Excel file (.xlsx): {path}",
    ),
}
