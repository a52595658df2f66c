"""Messages of the change review's department opinions (issue 11 item 5, DOMAIN §7)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "action.change_opinion": ("变更评审意见", "change opinion"),
    "notice.col.opinion": ("评审意见", "Opinion in the change review"),
    "demo.change_opinion": ("本部门可以执行", "our department can carry it out"),
    "sheet.change_reviews": ("变更评审", "Change reviews"),
    "col.change_reviews.change_no": ("变更单号", "Change no."),
    "col.change_reviews.order_no": ("订单号", "Order no."),
    "col.change_reviews.department": ("部门", "Department"),
    "col.change_reviews.points": ("评审要点", "Points to judge"),
    "col.change_reviews.opinion": ("部门意见", "Opinion"),
    "col.change_reviews.reviewer": ("评审人", "Reviewer"),
    "col.change_reviews.comment": ("说明", "Comment"),
    "col.change_reviews.decided_at": ("评审时间", "Decided at"),
    "enum.Opinion.agree": ("同意", "Agree"),
    "enum.Opinion.conditional": ("有条件同意", "Agree with conditions"),
    "enum.Opinion.disagree": ("不同意", "Disagree"),
    "change_review.points": ("评审变更:{fields}", "judge the change of {fields}"),
    "change_review.missing": (
        "变更 {change_no} 尚缺{department}的评审意见",
        "change {change_no} still needs the opinion of {department}",
    ),
    "change_review.reviewer_not_in_department": (
        "评审人“{reviewer}”不是{department}的人员",
        "reviewer '{reviewer}' is not on the staff of {department}",
    ),
    "change_review.comment_required": (
        "{department}的意见为“{opinion}”,须写明说明",
        "{department}'s opinion '{opinion}' needs a comment",
    ),
    "change_review.disagrees": (
        "{department}不同意变更 {change_no}({comment}),不能批准:请驳回,或另行申请变更",
        "{department} disagrees with change {change_no} ({comment}): it cannot be approved;"
        " reject it or file a new request",
    ),
    "change_review.not_concerned": (
        "变更 {change_no} 不涉及{department}(涉及的部门:{concerned})",
        "change {change_no} does not concern {department} (concerned: {concerned})",
    ),
    "change_review.already_recorded": (
        "{department}已对变更 {change_no} 提出意见“{opinion}”(评审人:{reviewer})",
        "{department} already gave its opinion on change {change_no}: '{opinion}'"
        " (reviewer: {reviewer})",
    ),
    "change_review.recorded": (
        "变更 {change_no}:{department}意见“{opinion}”{comment}",
        "change {change_no}: {department}'s opinion '{opinion}'{comment}",
    ),
    "change_review.recorded_short": (
        "已记录{department}对变更 {change_no} 的意见",
        "{department}'s opinion on change {change_no} recorded",
    ),
    "change_review.notice_opinion": (
        "{opinion}({reviewer}){comment}",
        "{opinion} ({reviewer}){comment}",
    ),
}
