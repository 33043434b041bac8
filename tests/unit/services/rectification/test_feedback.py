"""巡察反馈 with its 整改任务 in one transaction: defaults from the settings, the 底稿 it may hand over,
and every refusal at its field with nothing saved."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from tests.builders import Context
from tests.unit.services.rectification.conftest import GIVEN_ON, feedback_for, other_unit, signed
from xuncha_desktop.domain.errors import ValidationError
from xuncha_desktop.domain.record_types import DRAFT, FEEDBACK, TASK
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.rectification import feedback as fb
from xuncha_desktop.services.rectification.settings import RectificationSettings, save_settings
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.revisions import RevisionWriter


def _count(ws: Workspace, rt: Any) -> int:
    return RecordService[Any](ws, rt).count(ListQuery(limit=None))


def test_signed_drafts_are_the_units_signed_ones_not_yet_fed_back(office: Workspace, octx: Context) -> None:
    a = signed(office, octx, "违规发放津补贴")
    b = signed(office, octx, "公务接待超标准")
    RecordService[Any](office, DRAFT).save(dataclasses.replace(a, id="", number="", status="待审签"))
    signed(office, other_unit(office, octx), "别的单位的问题")
    assert [d.id for d in fb.signed_drafts(office, octx.target.id)] == [a.id, b.id]
    fb.give_feedback(office, feedback_for(octx), draft_ids=[a.id])
    assert [d.id for d in fb.signed_drafts(office, octx.target.id)] == [b.id]


def test_feedback_opens_one_task_per_draft_with_due_dates_from_the_settings(
    office: Workspace, octx: Context
) -> None:
    a = signed(office, octx, "违规发放津补贴", category_l1="B2")
    b = signed(office, octx, "公务接待超标准", marking="秘密★1年")
    saved, tasks = fb.give_feedback(office, feedback_for(octx))
    assert saved.number.endswith("反馈-001") and saved.draft_ids == [a.id, b.id]
    assert saved.plan_due_on == date(2025, 7, 1)  # 15 working days after Tuesday 10 June
    assert saved.report_due_on == date(2025, 9, 10)
    assert [(t.draft_id, t.issue, t.feedback_id) for t in tasks] == [
        (a.id, "违规发放津补贴", saved.id),
        (b.id, "公务接待超标准", saved.id),
    ]
    assert {t.responsible_unit for t in tasks} == {"清河县财政局党组"}
    assert {t.due_on for t in tasks} == {date(2025, 9, 10)}
    assert {t.status for t in tasks} == {"未启动"}
    assert tasks[0].category == "聚焦群众身边不正之风和腐败问题"  # the label of B2, not its code
    assert tasks[1].marking == "秘密★1年"
    assert [t.number[-6:] for t in tasks] == ["整改-001", "整改-002"]


def test_other_settings_give_other_defaults_and_a_given_task_deadline_wins(
    office: Workspace, octx: Context
) -> None:
    save_settings(office, RectificationSettings(plan_due_working_days=5, report_due_months=1))
    signed(office, octx, "违规发放津补贴")
    saved, tasks = fb.give_feedback(office, feedback_for(octx), task_due_on=date(2025, 8, 31))
    assert (saved.plan_due_on, saved.report_due_on) == (date(2025, 6, 17), date(2025, 7, 10))
    assert [t.due_on for t in tasks] == [date(2025, 8, 31)]


def test_dates_typed_in_are_kept(office: Workspace, octx: Context) -> None:
    saved, tasks = fb.give_feedback(office, feedback_for(octx, plan_due_on=date(2025, 6, 30)), draft_ids=[])
    assert saved.plan_due_on == date(2025, 6, 30) and tasks == []


def _refused(ws: Workspace, feedback: Any, **kw: Any) -> list[tuple[str, str]]:
    before = (_count(ws, FEEDBACK), _count(ws, TASK))
    with pytest.raises(ValidationError) as caught:
        fb.give_feedback(ws, feedback, **kw)
    assert (_count(ws, FEEDBACK), _count(ws, TASK)) == before  # nothing saved
    return [(e.field, e.message) for e in caught.value.errors]


def test_a_task_deadline_before_the_feedback_date_is_refused(office: Workspace, octx: Context) -> None:
    signed(office, octx, "违规发放津补贴")
    errors = _refused(office, feedback_for(octx), task_due_on=date(2025, 6, 9))
    assert errors == [("task_due_on", "整改时限不能早于反馈日期")]
    errors = _refused(office, feedback_for(octx, report_due_on=date(2025, 6, 1)))
    assert errors[0][0] == "report_due_on" and "不能早于反馈日期" in errors[0][1]


def test_a_draft_of_another_unit_unsigned_or_handed_over_already_is_refused(
    office: Workspace, octx: Context
) -> None:
    foreign = signed(office, other_unit(office, octx), "别的单位的问题")
    errors = _refused(office, feedback_for(octx), draft_ids=[foreign.id])
    assert errors == [("draft_ids", f"问题底稿“{foreign.number}”属于清河县教育局党组，不能反馈给本单位")]
    pending = RecordService[Any](office, DRAFT).save(
        dataclasses.replace(foreign, id="", number="", target_id=octx.target.id, status="待审签")
    )
    assert _refused(office, feedback_for(octx), draft_ids=[pending.id])[0][1].endswith(
        "尚未审签（待审签），不能反馈"
    )
    own = signed(office, octx, "违规发放津补贴")
    first, _ = fb.give_feedback(office, feedback_for(octx), draft_ids=[own.id])
    errors = _refused(office, feedback_for(octx), draft_ids=[own.id])
    assert errors == [("draft_ids", f"问题底稿“{own.number}”已在反馈“{first.number}”中反馈")]


def test_domain_errors_and_cross_record_errors_come_together(office: Workspace, octx: Context) -> None:
    foreign = signed(office, other_unit(office, octx), "别的单位的问题")
    errors = _refused(office, feedback_for(octx, form="电话"), draft_ids=[foreign.id])
    assert [f for f, _ in errors] == ["form", "draft_ids"]


def test_a_failure_on_the_last_task_write_leaves_nothing(
    office: Workspace, octx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    for title in ("违规发放津补贴", "公务接待超标准", "政府采购不规范"):
        signed(office, octx, title)
    real = RevisionWriter.write
    tasks_written: list[str] = []

    def failing(self: RevisionWriter, rt: Any, record: Any, **kw: Any) -> str | None:
        if rt.key == TASK.key:
            tasks_written.append(record.id)
            if len(tasks_written) == 3:
                raise OSError("磁盘已满")
        return real(self, rt, record, **kw)

    monkeypatch.setattr(RevisionWriter, "write", failing)
    with pytest.raises(OSError):
        fb.give_feedback(office, feedback_for(octx))
    monkeypatch.setattr(RevisionWriter, "write", real)
    assert len(tasks_written) == 3
    assert (_count(office, FEEDBACK), _count(office, TASK)) == (0, 0)
    assert len(fb.signed_drafts(office, octx.target.id)) == 3  # still waiting to be fed back
    saved, tasks = fb.give_feedback(office, feedback_for(octx))  # and the same step works again
    assert len(tasks) == 3 and saved.given_on == GIVEN_ON


def test_saving_a_feedback_again_opens_tasks_only_for_added_drafts(office: Workspace, octx: Context) -> None:
    a = signed(office, octx, "违规发放津补贴")
    saved, _ = fb.give_feedback(office, feedback_for(octx), draft_ids=[a.id])
    b = signed(office, octx, "公务接待超标准")
    received = fb.save_feedback(
        office,
        dataclasses.replace(saved, draft_ids=[a.id, b.id], plan_received_on=date(2025, 6, 25)),
    )
    assert received.plan_received_on == date(2025, 6, 25)
    tasks = RecordService[Any](office, TASK).list(ListQuery(limit=None))
    assert sorted(t.draft_id for t in tasks) == sorted([a.id, b.id])
