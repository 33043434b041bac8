"""demo drafts: every workflow state, with a consistent 承办人 → 副组长复核 → 组长审签 chain."""

from __future__ import annotations

from datetime import date

from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.issue_drafts import SIGNOFF_STEPS
from xuncha_desktop.domain.record_types import (
    DRAFT,
    MEMBER,
)
from xuncha_desktop.services.demo.build import DemoSummary
from xuncha_desktop.services.workspace import Workspace


def test_drafts_are_in_every_state_with_a_consistent_signoff_chain(
    demo: tuple[Workspace, DemoSummary],
) -> None:
    ws, _ = demo
    roles = {m.name: m.role for m in all_records(ws, MEMBER)}
    drafts = all_records(ws, DRAFT)
    assert {d.status for d in drafts} == set(vocab.DRAFT_STATES)
    edited = [d for d in drafts if d.edited_after_signoff]
    assert edited and all(d.status == "待复核" for d in edited)
    for d in drafts:
        steps = [s["step"] for s in d.signoffs]
        assert set(steps) <= set(SIGNOFF_STEPS)
        by = {s["step"]: s for s in d.signoffs}
        for s in d.signoffs:
            assert roles[s["by"]] == s["role"] and len(s["content_hash"]) == 64
            assert date.fromisoformat(s["at"][:10]) >= d.prepared_on
        if d.status == "待复核" and not d.edited_after_signoff:
            assert steps == ["提交复核"]
        if d.status in ("待审签", "已审签", "已归并") or d.edited_after_signoff:
            assert steps[:2] == ["提交复核", "复核通过"] and d.review_opinion
            assert by["复核通过"]["role"] == "副组长" and by["复核通过"]["by"] != d.preparer
        if d.status == "已审签" or d.edited_after_signoff:
            assert by["审签通过"]["role"] == "组长" and d.approval_opinion
        if d.edited_after_signoff:
            assert steps[-1] == "审签后修改"
            assert by["审签后修改"]["content_hash"] != by["审签通过"]["content_hash"]
        if d.status == "已审签":
            assert steps[-1] == "审签通过" and d.group_meeting_opinion
        if d.status == "已作废":
            assert "退回修改" in steps and d.group_meeting_opinion
        if not d.signoffs:
            assert d.status == "草稿" and not d.review_opinion and not d.approval_opinion
