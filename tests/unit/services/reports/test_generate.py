"""The use case: a report by the file's suffix, written atomically with one audit entry (file name only),
nothing left behind on cancel or a bad suffix, one report per unit of a round (units that cannot have it
named, not fatal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import make_context
from tests.output_helpers import RecordingProgress
from tests.report_builders import SIGNED, TODAY, report_world
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import TARGET
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.reports.generate import REPORT_KINDS, file_name, generate, generate_for_units
from xuncha_desktop.services.reports.sources import find_unit, units_of_round
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace


def test_kinds_are_the_four_reports():
    assert REPORT_KINDS == ("inspection", "top-leader", "feedback", "approval")


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_report_is_written_and_audited(workspace: Workspace, tmp_path: Path, suffix: str):
    world = report_world(workspace)
    target = tmp_path / f"清河县报告{suffix}"
    result = generate(workspace, "inspection", target, target_id=world.unit.id, today=TODAY)
    assert result.path == target and target.stat().st_size > 0 and result.records == len(SIGNED)
    assert not list(tmp_path.glob("*.part"))
    assert (result.pages > 0) == (suffix == ".pdf") and (result.template is not None) == (suffix == ".docx")
    [entry] = AuditLog(workspace).list(AuditQuery(action="report"))
    assert (entry.action_label, entry.summary) == (
        "生成报告",
        f"生成巡察报告初稿（依据 5 条记录）：“清河县报告{suffix}”",
    )


def test_a_wrong_suffix_is_refused_before_anything_is_read(workspace: Workspace, tmp_path: Path):
    with pytest.raises(XunchaError, match=r"扩展名应为 \.docx 或 \.pdf"):
        generate(workspace, "inspection", tmp_path / "报告.txt", target_id="nothing")


def test_cancel_leaves_no_file(workspace: Workspace, tmp_path: Path):
    world = report_world(workspace)
    out = tmp_path / "输出"
    out.mkdir()
    with pytest.raises(Cancelled):
        generate(
            workspace,
            "inspection",
            out / "报告.docx",
            target_id=world.unit.id,
            progress=RecordingProgress(cancel_at=2),
        )
    assert list(out.iterdir()) == []
    assert AuditLog(workspace).list(AuditQuery(action="report")) == []


def test_approval_needs_a_draft_and_unit_reports_a_unit(workspace: Workspace, tmp_path: Path):
    with pytest.raises(XunchaError, match="须指定问题底稿"):
        generate(workspace, "approval", tmp_path / "审批单.docx")
    with pytest.raises(XunchaError, match="须指定被巡察单位"):
        generate(workspace, "feedback", tmp_path / "反馈.docx")


def test_one_report_per_unit_of_a_round(workspace: Workspace, tmp_path: Path):
    world = report_world(workspace)
    second = RecordService[TargetUnit](workspace, TARGET).save(
        TargetUnit(round_id=world.ctx.round.id, group_id=world.ctx.group.id, name="清河县水利局党组")
    )
    units = units_of_round(workspace, world.ctx.round.id)
    assert [u.name for u in units] == ["清河县水利局党组", "清河县财政局党组"]  # by name
    progress = RecordingProgress()
    batch = generate_for_units(
        workspace, "top-leader", [u.id for u in units], tmp_path, ".docx", today=TODAY, progress=progress
    )
    assert [r.path.name for r in batch.written] == ["清河县财政局党组-一把手专题材料.docx"]
    assert [name for name, _why in batch.skipped] == [second.name]
    assert progress.reports[-1] == (2, 2, "")
    inspection = generate_for_units(
        workspace, "inspection", [u.id for u in units], tmp_path, ".pdf", today=TODAY
    )
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(
        file_name(u.name, "inspection", ".pdf") for u in units
    )
    assert len(inspection.written) == 2 and not inspection.skipped


def test_cancel_between_units_keeps_the_finished_ones(workspace: Workspace, tmp_path: Path):
    world = report_world(workspace)
    other = make_context(workspace, year=2026, ordinal=1)
    ids = [world.unit.id, other.target.id]
    out = tmp_path / "输出"
    out.mkdir()

    class CancelAtSecondUnit(RecordingProgress):
        def check_cancelled(self) -> None:
            if any(done == 1 for done, _total, _message in self.reports):
                raise Cancelled

    with pytest.raises(Cancelled):
        generate_for_units(workspace, "inspection", ids, out, ".docx", progress=CancelAtSecondUnit())
    assert [p.name for p in out.iterdir()] == ["清河县财政局党组-巡察报告初稿.docx"]


def test_a_unit_name_in_two_rounds_needs_the_round(workspace: Workspace):
    world = report_world(workspace)
    later = make_context(workspace, year=2026, ordinal=1)
    with pytest.raises(XunchaError, match="请用 --round 指定轮次名称"):
        find_unit(workspace, "清河县财政局党组")
    assert find_unit(workspace, "清河县财政局党组", later.round.name).id == later.target.id
    assert find_unit(workspace, world.unit.id).id == world.unit.id


def test_file_names_have_no_characters_windows_forbids():
    assert file_name('县"第一"/党组 办', "feedback", ".docx") == "县_第一_党组_办-巡察反馈意见.docx"
    assert file_name("乙", "inspection", ".pdf") == "乙-巡察报告初稿.pdf"
