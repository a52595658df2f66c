"""Texts of the demo's history (``addin.demo.history``): causes, reasons and remarks."""

MESSAGES: dict[str, tuple[str, str]] = {
    "demo.history": (
        "历史: 过去 {months} 个月的 {orders} 个订单(含 {complaints} 起客户投诉)",
        "History: {orders} orders over the past {months} months ({complaints} customer complaints)",
    ),
    "history.source": ("启用前的历史订单导入", "history imported at go-live"),
    "history.carrier.sf": ("顺丰物流", "SF Express"),
    "history.carrier.deppon": ("德邦物流", "Deppon Logistics"),
    "history.carrier.own": ("自有车辆", "own truck"),
    "history.acceptance": ("客户签收无异议", "signed for by the customer, no remarks"),
    "history.material.item": ("原材料", "raw material"),
    "history.material.cause": ("供应商交货推迟", "supplier's delivery postponed"),
    # delay causes (the Pareto chart's bars) and the measures taken
    "history.delay.material": ("原材料短缺", "raw material shortage"),
    "history.delay.equipment": ("设备故障", "equipment failure"),
    "history.delay.process": ("工艺变更", "process change"),
    "history.delay.outsourcing": ("外协延误", "subcontractor delay"),
    "history.delay.customer": ("客户变更", "customer change"),
    "history.measures.material": ("调剂库存,催交供应商", "stock reallocated, supplier chased"),
    "history.measures.equipment": ("抢修设备,调整排产", "equipment repaired, schedule adjusted"),
    "history.measures.process": ("技术部下发新工艺卡", "new process sheet issued by technical"),
    "history.measures.outsourcing": ("派人驻厂跟催", "staff sent to the subcontractor"),
    "history.measures.customer": ("按客户新要求重新排产", "rescheduled to the customer's request"),
    # inspection reject causes
    "history.reject.burr": ("毛刺", "burrs"),
    "history.reject.dimension": ("尺寸超差", "dimension out of tolerance"),
    "history.reject.scratch": ("表面划伤", "surface scratches"),
    "history.reject.rust": ("锈蚀", "rust"),
    "history.reject.hardness": ("硬度不足", "hardness too low"),
    "history.rework": ("返工后复检合格", "passed after rework"),
    # review and cancellation
    "history.review.reject": ("技术要求超出现有工艺能力", "beyond our process capability"),
    "history.cancel.customer": ("客户取消采购计划", "the customer dropped the purchase"),
    "history.cancel.review": (
        "评审未通过,与客户协商取消",
        "review failed, cancelled with the customer",
    ),
    "history.cancel.price": ("价格未能达成一致", "no agreement on price"),
    # complaints
    "history.complaint.packaging": ("包装破损,部分产品磕碰", "damaged packaging, parts dented"),
    "history.complaint.dimension": (
        "来料检验发现尺寸超差",
        "dimensions out of tolerance at receipt",
    ),
    "history.complaint.late": ("交货延迟影响客户生产", "late delivery held up the customer's line"),
    "history.complaint.rust": ("产品表面锈蚀", "rust on the parts"),
    "history.complaint.documents": ("出厂检验报告缺失", "inspection report missing"),
}
