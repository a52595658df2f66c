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
    "receive.unclear_encoding": (
        "无法确定文件的编码,未接收: {path}。可接收 UTF-8、带 BOM 的 UTF-16 和"
        "简体中文 GBK。请在 Excel 中打开该文件,选择“文件 > 另存为”,保存类型选"
        "“CSV UTF-8(逗号分隔)(*.csv)”,然后重新接收。",
        "cannot tell the file's encoding for certain, nothing received: {path}. "
        "Accepted: UTF-8, UTF-16 with a byte-order mark, Simplified Chinese GBK. Open the file "
        "in Excel, choose File > Save As, file type 'CSV UTF-8 (Comma delimited) (*.csv)', and "
        "receive it again.",
    ),
    "store.below_totals": (
        "工作表“{sheet}”第 {row} 行(表格汇总行下方)不是空行: 新行插入汇总行上方时汇总行需下移,"
        "请先移走该行内容,工作簿未改动",
        "sheet '{sheet}', row {row} (below the table's total row) is not blank: new rows go above "
        "the total row, which moves down; clear that row first. The workbook is unchanged",
    ),
}
