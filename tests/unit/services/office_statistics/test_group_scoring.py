"""巡察组质效评估: every line of every group computed by hand on a small round, the ranking, the scheme's
versions, and a published result that stays as it was when the scheme changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE, Context, draft, lead, make_context, sign_in_as
from xuncha_desktop.domain.errors import ValidationError, WorkflowError
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, TargetUnit, User
from xuncha_desktop.domain.record_types import DRAFT, GROUP, LEAD, MEMBER, ROUND, TARGET, USER
from xuncha_desktop.services.office_statistics import group_scoring as gs
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.scoring import SchemeItem
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

TODAY = date(2025, 9, 1)
END = date(2025, 5, 31)  # 撤离日期


def _save(ws: Workspace, rt: Any, record: Any) -> Any:
    return RecordService[Any](ws, rt).save(record)


def _signoff(step: str, day: str) -> dict[str, Any]:
    return {
        "step": step,
        "by": "王组长",
        "role": "组长",
        "at": f"{day}T10:00:00",
        "content_hash": "",
        "opinion": "",
    }


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    yield ws
    ws.close()


@pytest.fixture
def round_ctx(office: Workspace) -> tuple[Context, Context]:
    return build_round(office)


def build_round(office: Workspace) -> tuple[Context, Context]:
    """Group 2 (3 members, 2 units) and group 1 (1 member, 1 unit), 撤离 on END."""
    a = make_context(office)
    rnd = _save(office, ROUND, dataclasses.replace(a.round, end_on=END))
    a = Context(rnd, _save(office, GROUP, dataclasses.replace(a.group, special_reports=2)), a.target)
    _save(office, TARGET, TargetUnit(round_id=rnd.id, group_id=a.group.id, name="清河县教育局党组"))
    for name in ("张一", "张二", "张三"):
        _save(office, MEMBER, GroupMember(group_id=a.group.id, name=name))
    g1 = _save(office, GROUP, InspectionGroup(round_id=rnd.id, ordinal=1, name="第1巡察组"))
    u1 = _save(office, TARGET, TargetUnit(round_id=rnd.id, group_id=g1.id, name="清河县水利局党组"))
    _save(office, MEMBER, GroupMember(group_id=g1.id, name="李一"))
    b = Context(rnd, g1, u1)
    # group 2: 一般 (empty severity) ×2, one 立行立改; 重大 ×1 signed late; a returned draft (twice); a
    # voided one (not counted, its return is); two transferred leads, one case opened, one overdue.
    _save(
        office,
        DRAFT,
        draft(
            a, title="一", status="已审签", immediate_fix=True, signoffs=[_signoff("审签通过", "2025-05-01")]
        ),
    )
    _save(office, DRAFT, draft(a, title="二", status="已归并"))
    _save(
        office,
        DRAFT,
        draft(a, title="三", status="已审签", severity="重大", signoffs=[_signoff("审签通过", "2025-06-02")]),
    )
    _save(
        office,
        DRAFT,
        draft(
            a,
            title="四",
            status="草稿",
            signoffs=[_signoff("退回修改", "2025-04-01"), _signoff("退回修改", "2025-04-03")],
        ),
    )
    _save(office, DRAFT, draft(a, title="五", status="已作废", signoffs=[_signoff("退回修改", "2025-04-02")]))
    _save(office, LEAD, lead(a, transfer_on=date(2025, 4, 1), case_opened=True, feedback_on=date(2025, 6, 1)))
    _save(office, LEAD, lead(a, transfer_on=date(2025, 5, 1)))
    _save(office, LEAD, lead(a))  # not transferred
    # group 1: one 较重, one 一般 signed on time.
    _save(
        office,
        DRAFT,
        draft(b, title="六", status="已审签", severity="较重", signoffs=[_signoff("审签通过", "2025-05-31")]),
    )
    return a, b


SCHEME = gs.GroupScheme(
    version="测试-1",
    items=(
        SchemeItem("issues_general", "一般问题", 1),
        SchemeItem("issues_serious", "较重问题", 2),
        SchemeItem("issues_major", "重大问题", 4),
        SchemeItem("immediate_fixes", "立行立改", 0.5),
        SchemeItem("leads_transferred", "移交问题线索", 3),
        SchemeItem("cases_opened", "线索立案", 2),
        SchemeItem("special_reports", "专题报告", 2),
        SchemeItem("drafts_returned", "底稿退回修改", -0.5, 1),
        SchemeItem("drafts_late", "底稿逾期审签", -1),
        SchemeItem("leads_overdue", "线索反馈超期", -1),
        SchemeItem("per_member", "按组员人数折算", 1),
        SchemeItem("per_unit", "按被巡察单位数折算", 0.5),
    ),
    base=10,
)


def _lines(s: gs.GroupScore) -> dict[str, tuple[float, float]]:
    return {line.label: (line.value, line.points) for line in s.lines}


def test_each_line_of_each_group_computed_by_hand(
    office: Workspace, round_ctx: tuple[Context, Context]
) -> None:
    a, b = round_ctx
    ranked = gs.score_round(office, a.round.id, SCHEME, today=TODAY)
    g2 = next(s for s in ranked if s.group_id == a.group.id)
    g1 = next(s for s in ranked if s.group_id == b.group.id)
    # group 2: 一般 2 (一, 二: merged counts, empty severity = 一般), 重大 1, 立行立改 1, leads 2, case 1,
    # reports 2, returns 3 × -0.5 = -1.5 capped at -1, late: 三 (signed 06-02) and 四 (unsigned after
    # END) = 2, overdue: the lead of 05-01 (05-01 + 92 days = 08-01 < 09-01, no feedback) = 1.
    lines = _lines(g2)
    assert lines["基础分"] == (10, 10)
    assert lines["一般问题"] == (2, 2) and lines["较重问题"] == (0, 0) and lines["重大问题"] == (1, 4)
    assert lines["立行立改"] == (1, 0.5)
    assert lines["移交问题线索"] == (2, 6) and lines["线索立案"] == (1, 2) and lines["专题报告"] == (2, 4)
    assert (
        lines["底稿退回修改"] == (3, -1)
        and lines["底稿逾期审签"] == (2, -2)
        and lines["线索反馈超期"] == (1, -1)
    )
    subtotal = 2 + 4 + 0.5 + 6 + 2 + 4 - 1 - 2 - 1  # 14.5
    assert lines["计分项小计"][0] == subtotal
    # averages: members (3 + 1) / 2 = 2, units (2 + 1) / 2 = 1.5
    f_member = 2 / 3
    after_member = round(subtotal + round(subtotal * (f_member - 1), 2), 2)
    assert lines["按组员人数折算"][1] == round(subtotal * (f_member - 1), 2)
    f_unit = (1.5 / 2) ** 0.5
    assert lines["按被巡察单位数折算"][1] == round(after_member * (f_unit - 1), 2)
    assert g2.score == round(10 + after_member + round(after_member * (f_unit - 1), 2), 2)
    # group 1: 较重 1 → 2 points; factors 2/1 = 2 and (1.5/1) ** 0.5
    lines1 = _lines(g1)
    assert lines1["较重问题"] == (1, 2) and lines1["底稿逾期审签"] == (0, 0)
    after1 = 2 + 2 * (2 - 1)
    f1 = 1.5**0.5
    assert g1.score == round(10 + after1 + round(after1 * (f1 - 1), 2), 2)
    assert [s.rank for s in ranked] == [1, 2] and ranked[0].score >= ranked[1].score
    assert all(s.scheme_version == "测试-1" for s in ranked)
    explained = next(x.explanation for x in g2.lines if x.label == "按组员人数折算")
    assert "本组组员 3 人" in explained and "平均 2.00 人" in explained


def test_a_negative_total_counts_as_zero_and_no_members_is_not_scaled(
    office: Workspace, round_ctx: tuple[Context, Context]
) -> None:
    a, _b = round_ctx
    harsh = gs.GroupScheme(
        "严", (SchemeItem("drafts_late", "底稿逾期审签", -10), SchemeItem("per_member", "按组员人数折算", 1))
    )
    empty = _save(office, GROUP, InspectionGroup(round_id=a.round.id, ordinal=3, name="第3巡察组"))
    ranked = gs.score_round(office, a.round.id, harsh, today=TODAY)
    g2 = next(s for s in ranked if s.group_id == a.group.id)
    assert g2.score == 0 and g2.lines[-1].label == "最低分"
    g3 = next(s for s in ranked if s.group_id == empty.id)
    assert _lines(g3)["按组员人数折算"] == (1.0, 0.0) and "未登记组员" in g3.lines[-1].explanation


def test_publishing_keeps_the_result_when_the_scheme_changes(
    office: Workspace, round_ctx: tuple[Context, Context]
) -> None:
    a, _b = round_ctx
    result = gs.publish(office, a.round.id, gs.DEFAULT_SCHEME.version, today=TODAY)
    before = gs.score_round(office, a.round.id, gs.DEFAULT_SCHEME, today=TODAY)
    assert [float(g["score"]) for g in result.groups] == [s.score for s in before]
    changed = dataclasses.replace(
        gs.DEFAULT_SCHEME, version="2025-1", items=(SchemeItem("issues_general", "一般问题", 50),)
    )
    gs.save_scheme(office, changed)
    assert gs.load_scheme(office).version == "2025-1"
    assert gs.scheme_versions(office) == ["默认-1", "2025-1"]
    now = gs.score_round(office, a.round.id, today=TODAY)
    assert [s.score for s in now] != [s.score for s in before]
    shown = gs.published(office, a.round.id)
    assert [r.id for r in shown] == [result.id]
    kept = gs.from_groups(shown[0])
    assert [(s.group_name, s.score, s.rank) for s in kept] == [
        (s.group_name, s.score, s.rank) for s in before
    ]
    assert [x.explanation for x in kept[0].lines] == [x.explanation for x in before[0].lines]
    second = gs.publish(office, a.round.id, "2025-1", today=TODAY)
    assert [r.id for r in gs.published(office, a.round.id)] == [second.id, result.id]
    assert {r.scheme_version for r in gs.published(office, a.round.id)} == {"默认-1", "2025-1"}
    [entry] = AuditLog(office).list(AuditQuery(action="group_scheme"))
    assert "2025-1" in entry.summary


def test_a_saved_version_is_never_changed_and_only_the_admin_publishes(
    office: Workspace, round_ctx: tuple[Context, Context]
) -> None:
    a, _b = round_ctx
    with pytest.raises(ValidationError, match="版本"):
        gs.save_scheme(office, dataclasses.replace(gs.DEFAULT_SCHEME, base=5))
    with pytest.raises(ValidationError, match="折算权重"):
        gs.save_scheme(office, gs.GroupScheme("x", (SchemeItem("per_unit", "按被巡察单位数折算", 2),)))
    _save(office, USER, User(login="leader", display_name="王组长", role="组长"))
    leader = sign_in_as(office, "leader")
    with pytest.raises(WorkflowError, match="巡察办管理员"):
        gs.publish(leader, a.round.id, gs.DEFAULT_SCHEME.version, today=TODAY)


def test_late_rule(round_ctx: tuple[Context, Context]) -> None:
    a, _b = round_ctx
    signed = draft(a, status="已审签", signoffs=[_signoff("审签通过", "2025-06-01")])
    assert gs.is_late(signed, END, TODAY) and not gs.is_late(signed, None, TODAY)
    assert not gs.is_late(draft(a, status="待审签"), END, date(2025, 5, 31))
    assert gs.is_late(draft(a, status="待审签"), END, date(2025, 6, 1))
    assert not gs.is_late(draft(a, status="已作废"), END, TODAY)
