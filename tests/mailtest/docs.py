"""Sample task orders in both languages."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from workbook.task_order_file import TaskOrderDoc


def sample_doc(lang: str = "zh", **changes: Any) -> TaskOrderDoc:
    zh = lang == "zh"
    doc = TaskOrderDoc(
        company="华东精密机械有限公司" if zh else "East China Precision Machinery Co., Ltd.",
        task_no="TO-2024-0015",
        order_no="SO-2024-0042",
        revision=1,
        customer_name="上海恒通自动化设备有限公司" if zh else "Hengtong Automation (Shanghai)",
        product_code="GB-6205",
        product_name="深沟球轴承 6205-2RS" if zh else "Deep groove ball bearing 6205-2RS",
        spec="25×52×15 mm, C3",
        quantity=12000,
        unit="件" if zh else "pcs",
        due_date=date(2024, 7, 15),
        batch="B2406-03",
        quality_req="按 GB/T 307.1 P5 级检验；每批抽检 AQL 0.65。"
        if zh
        else "Inspect to GB/T 307.1 class P5; AQL 0.65 per batch.",
        packaging_req="彩盒，每箱 200 件。" if zh else "Colour box, 200 pcs per carton.",
        transport_req="汽运，防潮。" if zh else "By truck, keep dry.",
        review_notes="1. 密封件改用客户指定供应商。\n2. 钢球 6 月 20 日前到货。"
        if zh
        else "1. Seals from the supplier the customer named.\n2. Balls arrive by 20 June.",
        issued_by="王敏" if zh else "Wang Min",
        issued_at=datetime(2024, 6, 12, 9, 30),
        lang=lang,
    )
    return dataclasses.replace(doc, **changes)


def cell_texts(path) -> list[str]:
    """Every non-blank cell of the workbook's first sheet, as text."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.worksheets[0]
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
