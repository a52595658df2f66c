"""Messages about what a cell or an input file can hold: text length, file encodings."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error.too_long": (
        "文字过长: {length} 个字符,Excel 单元格最多 {limit} 个字符",
        "text too long: {length} characters, an Excel cell holds at most {limit}",
    ),
    "error.too_long_sheet": (
        "工作表“{sheet}”第 {row} 行第 {column} 列: 文字过长: {length} 个字符,"
        "Excel 单元格最多 {limit} 个字符",
        "sheet '{sheet}', row {row}, column {column}: text too long: {length} characters, "
        "an Excel cell holds at most {limit}",
    ),
}
