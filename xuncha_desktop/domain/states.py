"""The states records move through, named once: services and screens compare with these, never with literals.

The values are the Chinese words stored in the `status` column and shown to people; their order is the order
of the workflow (lists, filters and statistics follow it).
"""

from __future__ import annotations

from typing import Final


class DraftState:
    """问题底稿: 承办人 drafts, 副组长 reviews, 组长 signs; the group meeting may merge or void it."""

    DRAFT: Final = "草稿"
    PENDING_REVIEW: Final = "待复核"
    PENDING_APPROVAL: Final = "待审签"
    SIGNED: Final = "已审签"
    MERGED: Final = "已归并"
    VOID: Final = "已作废"
    ALL: Final = (DRAFT, PENDING_REVIEW, PENDING_APPROVAL, SIGNED, MERGED, VOID)
    # Counted as a finding the group adopted (workload's 被采纳问题).
    ADOPTED: Final = (SIGNED, MERGED)


class DraftStep:
    """The steps written into a draft's sign-offs (the labels of its transitions in domain.workflows)."""

    SUBMIT: Final = "提交复核"
    REVIEW: Final = "复核通过"
    RETURN: Final = "退回修改"
    APPROVE: Final = "审签通过"
    EDITED_AFTER_SIGNOFF: Final = "审签后修改"
    ALL: Final = (SUBMIT, REVIEW, RETURN, APPROVE, EDITED_AFTER_SIGNOFF)


class LeadState:
    """问题线索: registered, judged by the group, disposal approved, transferred, answered, closed."""

    REGISTERED: Final = "已登记"
    JUDGED: Final = "已研判"
    PROPOSED: Final = "拟处置"
    TRANSFERRED: Final = "已移交"
    FED_BACK: Final = "已反馈"
    CLOSED: Final = "已销号"
    ALL: Final = (REGISTERED, JUDGED, PROPOSED, TRANSFERRED, FED_BACK, CLOSED)


class AppraisalState:
    """抽调干部考核: the 组长 recommends a grade, the office gives its 考核意见, the 领导小组 decides."""

    PENDING: Final = "待推荐"
    RECOMMENDED: Final = "已推荐"
    OPINION_GIVEN: Final = "已提出考核意见"
    APPROVED: Final = "已审定"
    ALL: Final = (PENDING, RECOMMENDED, OPINION_GIVEN, APPROVED)


class AppraisalStep:
    """The steps written into an appraisal's 考核记录 (the labels of its transitions in domain.workflows)."""

    RECOMMEND: Final = "推荐等次"
    OPINION: Final = "提出考核意见"
    APPROVE: Final = "审定等次"
    RETURN: Final = "退回"
    ALL: Final = (RECOMMEND, OPINION, APPROVE, RETURN)
