"""Realistic master data and orders for the demo, the benchmark and the tests.

Deterministic (seeded): the same call gives the same workbook. Orders come as order-form rows
(one row per line, see addin.services.order_form), so the demo goes through ``receive`` like a
real form would.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from addin.core.checks import week_start
from addin.core.enums import Channel, Department, Role, YesNo

CUSTOMERS: tuple[tuple[str, str, str, str, str, int, YesNo], ...] = (
    ("C001", "上海华东机械有限公司", "王建国", "021-5566 7788", "上海市嘉定区安亭镇", 2_000_000, YesNo.YES),
    ("C002", "苏州精工自动化设备厂", "李明", "0512-6688 1234", "苏州工业园区星湖街", 1_500_000, YesNo.YES),
    ("C003", "宁波海天汽配有限公司", "陈芳", "0574-8765 4321", "宁波市北仑区", 3_000_000, YesNo.YES),
    ("C004", "Bosch Powertrain Wuxi", "Anna Schmidt", "anna.schmidt@example.com", "Wuxi New District", 5_000_000, YesNo.YES),
    ("C005", "广州南方电机厂", "黄伟", "020-3344 5566", "广州市番禺区", 800_000, YesNo.YES),
    ("C006", "天津北洋重工", "赵强", "022-2211 3344", "天津市滨海新区", 10_000, YesNo.YES),
    ("C007", "重庆长江摩托配件厂", "刘洋", "023-6677 8899", "重庆市九龙坡区", 1_000_000, YesNo.NO),
    ("C008", "Hanwha Precision Kunshan", "Kim Min-jun", "mj.kim@example.com", "Kunshan Development Zone", 2_500_000, YesNo.YES),
)  # fmt: skip

# code, name, spec, group, unit, list price, floor, lot, min qty, lead days, active
PRODUCTS: tuple[tuple[str, str, str, str, str, str, str, int, int, int, YesNo], ...] = (
    ("P100", "六角头螺栓", "M8x40 8.8级", "紧固件", "件", "0.85", "0.70", 500, 1000, 14, YesNo.YES),
    ("P101", "六角头螺栓", "M10x50 10.9级", "紧固件", "件", "1.60", "1.35", 500, 1000, 14, YesNo.YES),
    ("P110", "法兰螺母", "M8 镀锌", "紧固件", "件", "0.40", "0.32", 1000, 2000, 10, YesNo.YES),
    ("P200", "深沟球轴承", "6204-2RS", "轴承", "套", "12.50", "10.80", 100, 100, 21, YesNo.YES),
    ("P201", "深沟球轴承", "6306-ZZ", "轴承", "套", "28.00", "24.50", 50, 100, 21, YesNo.YES),
    ("P210", "圆锥滚子轴承", "30205", "轴承", "套", "35.00", "30.00", 50, 50, 28, YesNo.YES),
    ("P300", "齿轮轴", "m2 z18 40Cr", "传动件", "件", "185.00", "160.00", 10, 20, 35, YesNo.YES),
    ("P310", "同步带轮", "HTD5M-30T", "传动件", "件", "68.00", "58.00", 20, 20, 28, YesNo.YES),
    ("P400", "液压油缸", "HOB50x100", "液压件", "台", "1280.00", "1150.00", 1, 5, 42, YesNo.YES),
    ("P410", "齿轮泵", "CBN-E310", "液压件", "台", "860.00", "760.00", 1, 5, 30, YesNo.YES),
    ("P500", "铸铁阀体", "DN50 PN16", "铸件", "件", "320.00", "280.00", 10, 10, 45, YesNo.YES),
    ("P900", "旧款联轴器", "LX3", "传动件", "件", "150.00", "120.00", 10, 10, 30, YesNo.NO),
)  # fmt: skip

WEEKLY_CAPACITY = {"紧固件": 400_000, "轴承": 20_000, "传动件": 1_500, "液压件": 120, "铸件": 800}

STAFF: tuple[tuple[str, Department, Role, str], ...] = (
    ("周敏", Department.ORDER_MGMT, Role.MANAGER, "zhou.min@example.com"),
    ("孙丽", Department.ORDER_MGMT, Role.STAFF, "sun.li@example.com"),
    ("吴刚", Department.SALES, Role.STAFF, "wu.gang@example.com"),
    ("郑爽", Department.SALES, Role.MANAGER, "zheng.shuang@example.com"),
    ("冯涛", Department.PRODUCTION, Role.MANAGER, "feng.tao@example.com"),
    ("陈静", Department.TECHNICAL, Role.STAFF, "chen.jing@example.com"),
    ("褚卫", Department.QUALITY, Role.STAFF, "chu.wei@example.com"),
    ("卫东", Department.PURCHASING, Role.STAFF, "wei.dong@example.com"),
    ("蒋华", Department.ORDER_MGMT, Role.DIRECTOR, "jiang.hua@example.com"),
)

DEPT_MAIL: dict[Department, str] = {
    Department.PRODUCTION: "production@example.com",
    Department.TECHNICAL: "technical@example.com",
    Department.QUALITY: "quality@example.com",
    Department.PURCHASING: "purchasing@example.com",
    Department.SALES: "sales@example.com",
    Department.ORDER_MGMT: "orders@example.com",
}

FORM_COLUMNS = (
    "order_no", "received_date", "channel", "received_by", "customer_code", "customer_name",
    "contact", "contact_info", "sales_rep", "currency", "quality_req", "packaging_req",
    "transport_req", "line_no", "product_code", "product_name", "spec", "quantity", "unit_price",
    "delivery_date", "delivery_place",
)  # fmt: skip

QUALITY = ("按 GB/T 3098.1 检验", "出厂检验报告随货", "PPAP 三级提交", "", "", "")
PACKAGING = ("纸箱+托盘", "防锈油+塑料袋", "木箱包装", "")
TRANSPORT = ("汽运,送货上门", "客户自提", "快递", "")
PLACES = ("上海嘉定仓库", "苏州工业园区", "宁波北仑港", "无锡新区工厂", "广州番禺", "天津滨海")
REPS = ("吴刚", "郑爽")


def master_rows() -> dict[str, list[dict[str, Any]]]:
    """Rows for customers, products, staff and department mail."""
    return {
        "customers": [
            dict(
                zip(
                    (
                        "customer_code",
                        "name",
                        "contact",
                        "contact_info",
                        "address",
                        "credit_limit",
                        "active",
                    ),
                    c,
                    strict=True,
                )
            )
            | {"currency": "CNY"}
            for c in CUSTOMERS
        ],
        "products": [
            {
                "product_code": p[0],
                "name": p[1],
                "spec": p[2],
                "product_group": p[3],
                "unit": p[4],
                "list_price": Decimal(p[5]),
                "price_floor": Decimal(p[6]),
                "lot_size": p[7],
                "min_qty": p[8],
                "lead_time_days": p[9],
                "active": p[10],
            }
            for p in PRODUCTS
        ],
        "staff": [{"name": n, "department": d, "role": r, "email": e} for n, d, r, e in STAFF],
    }


def capacity_rows(start: date, weeks: int = 26) -> list[dict[str, Any]]:
    first = week_start(start)
    return [
        {"product_group": group, "week_start": first + timedelta(weeks=w), "capacity_qty": qty}
        for w in range(weeks)
        for group, qty in WEEKLY_CAPACITY.items()
    ]


def clean_order(
    rng: random.Random, order_no: str, received: date, lines: int = 3
) -> list[dict[str, Any]]:
    """Form rows of one order that passes the preliminary check."""
    customer = rng.choice([c for c in CUSTOMERS if c[6] == YesNo.YES and c[5] >= 500_000])
    products = rng.sample([p for p in PRODUCTS if p[10] == YesNo.YES], lines)
    head = {
        "order_no": order_no,
        "received_date": received,
        "channel": rng.choice(list(Channel)),
        "received_by": rng.choice(REPS),
        "customer_code": customer[0],
        "customer_name": customer[1],
        "contact": customer[2],
        "contact_info": customer[3],
        "sales_rep": rng.choice(REPS),
        "currency": "CNY",
        "quality_req": rng.choice(QUALITY),
        "packaging_req": rng.choice(PACKAGING),
        "transport_req": rng.choice(TRANSPORT),
    }
    rows = []
    for number, p in enumerate(products, start=1):
        lot, minimum, lead = p[7], p[8], p[9]
        quantity = max(minimum, lot * rng.randint(1, 4))
        quantity = -(-quantity // lot) * lot
        price = Decimal(p[5]) * Decimal(rng.choice(("1.00", "0.98", "0.95", "1.02")))
        rows.append(
            head
            | {
                "line_no": number,
                "product_code": p[0],
                "product_name": p[1],
                "spec": p[2],
                "quantity": quantity,
                "unit_price": price.quantize(Decimal("0.01")),
                "delivery_date": received + timedelta(days=lead + rng.randint(7, 40)),
                "delivery_place": rng.choice(PLACES),
            }
        )
    return rows


def form_value(value: Any, lang: str) -> Any:
    label = getattr(value, "label", None)
    return label(lang) if callable(label) else value
