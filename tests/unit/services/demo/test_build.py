"""The demo builder: deterministic, complete (every workflow state), valid, linked, cancellable, and its text
banks leave no template slots behind."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.builders import PASSPHRASE
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import FOUR_FOCUSES, FOUR_IMPLEMENTATIONS
from xuncha_desktop.domain.codec import to_body
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.issue_drafts import SIGNOFF_STEPS
from xuncha_desktop.domain.lead_registrations import is_overdue
from xuncha_desktop.domain.organization import LINK_KINDS
from xuncha_desktop.domain.record_types import (
    ALL_RECORD_TYPES,
    ATTACHMENT,
    DRAFT,
    INTERVIEW,
    LEAD,
    LINK,
    MAIN_RECORD_TYPES,
    MEMBER,
    RecordType,
)
from xuncha_desktop.services.demo import text as demo_text
from xuncha_desktop.services.demo.build import DemoSummary, build_demo
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.record_service import ListQuery, RecordService, next_number
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.statistics import workspace_figures
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.tables import audit_log, sync_revision

NUMBER = re.compile(r"^2025-3轮-[12]组-(谈话|底稿|线索|画像|鉴定)-\d{3,}$")


def _all(ws: Workspace, rt: RecordType) -> list[Any]:
    return RecordService(ws, rt).list(ListQuery(limit=None))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, DemoSummary]]:
    """One demo of 200 records shared by the read-only tests (built once: it takes a second)."""
    path = tmp_path_factory.mktemp("demo") / "演示.xcdb"
    ws = Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap())
    summary = build_demo(ws, seed=1, records=200)
    yield ws, summary
    ws.close()


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.cancel_after = cancel_after

    def report(self, done: int, total: int, message: str = "") -> None:
        self.reports.append((done, total, message))

    def check_cancelled(self) -> None:
        if self.cancel_after is not None and len(self.reports) >= self.cancel_after:
            raise Cancelled


# -- determinism ------------------------------------------------------------------------------------------
def _content(ws: Workspace) -> dict[str, list[Any]]:
    """Every record's number, id and body, except the user each new workspace starts with."""
    return {
        rt.key: sorted(
            (r.number, r.id, str(to_body(r)))
            for r in _all(ws, rt)
            if not (rt.key == "user" and r.id == ws.user.id)
        )
        for rt in ALL_RECORD_TYPES
    }


def test_the_same_seed_gives_the_same_content_and_numbers(workspace: Workspace, tmp_path: Path) -> None:
    other = Workspace.create(tmp_path / "第二个.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    try:
        assert build_demo(workspace, seed=7, records=60) == build_demo(other, seed=7, records=60)
        first, second = _content(workspace), _content(other)
        files = [
            [AttachmentService(ws).data(a.sha256) for a in sorted(_all(ws, ATTACHMENT), key=lambda a: a.id)]
            for ws in (workspace, other)
        ]
    finally:
        other.close()
    assert first == second and files[0] == files[1]  # the drawn scans too, byte for byte
    assert all(first[rt.key] for rt in MAIN_RECORD_TYPES) and files[0]


def test_another_seed_gives_other_content(workspace: Workspace, tmp_path: Path) -> None:
    other = Workspace.create(tmp_path / "第二个.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    try:
        build_demo(workspace, seed=1, records=30)
        build_demo(other, seed=2, records=30)
        titles = {d.title for d in _all(workspace, DRAFT)}
        assert titles != {d.title for d in _all(other, DRAFT)}
    finally:
        other.close()


# -- completeness ----------------------------------------------------------------------------------------
def test_counts_follow_the_requested_shares(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, summary = demo
    assert summary.records == 200
    assert (summary.interviews, summary.drafts, summary.leads, summary.evaluations) == (90, 50, 36, 24)
    assert summary.rounds == 1 and summary.groups == 2 and 6 <= summary.targets <= 8
    assert 12 <= summary.members <= 14 and summary.appraisals == summary.members == summary.users
    assert 5 <= summary.attachments <= 8
    stats = workspace_figures(ws).as_json()
    assert (stats["interviews"], stats["drafts"], stats["leads"]) == (90, 50, 36)
    assert stats["portraits"] == 24 and stats["appraisals"] == summary.members
    assert stats["links"] == summary.links and stats["users"] == summary.users + 1


def test_drafts_are_in_every_state_with_a_consistent_signoff_chain(
    demo: tuple[Workspace, DemoSummary],
) -> None:
    ws, _ = demo
    roles = {m.name: m.role for m in _all(ws, MEMBER)}
    drafts = _all(ws, DRAFT)
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


def test_leads_are_in_every_state_and_disposal_with_the_facts_of_each_stage(
    demo: tuple[Workspace, DemoSummary],
) -> None:
    ws, _ = demo
    leads = _all(ws, LEAD)
    assert {x.status for x in leads} == set(vocab.LEAD_STATES)
    assert {x.proposed_disposal for x in leads} >= set(vocab.LEAD_DISPOSALS)
    assert any(x.anonymous for x in leads) and any(x.on_site_transfer for x in leads)
    assert any(is_overdue(x, date.today()) for x in leads)
    for x in leads:
        stage = vocab.LEAD_STATES.index(x.status)
        assert bool(x.group_opinion) == (stage >= 1)
        assert bool(x.transfer_on) == (stage >= 3) == bool(x.receiver)
        assert bool(x.feedback_on) == (stage >= 4) == bool(x.outcome)
        assert x.closed == (stage == 5)
        if stage >= 3:
            assert x.proposed_disposal in vocab.TRANSFER_DISPOSALS and x.leader_approver
        if x.on_site_transfer:
            assert x.transfer_on is not None and x.transfer_on <= date(2025, 11, 7)


# -- validity, numbers, links, attachments ------------------------------------------------------------
def test_every_record_is_valid_and_dated_no_later_than_today(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    today = date.today()
    for rt in ALL_RECORD_TYPES:
        for record in _all(ws, rt):
            assert rt.validate(record, today) == [], (rt.key, record.number)
            for value in to_body(record).values():
                if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    assert date.fromisoformat(value) <= today


def test_numbers_are_unique_per_type_and_follow_the_numbering_service(
    demo: tuple[Workspace, DemoSummary],
) -> None:
    ws, _ = demo
    for rt in MAIN_RECORD_TYPES:
        records = _all(ws, rt)
        numbers = [r.number for r in records]
        assert len(set(numbers)) == len(numbers) and all(NUMBER.match(n) for n in numbers)
        with ws.engine.connect() as conn:  # the next number the service would hand out continues the series
            for group_id in {r.group_id for r in records}:
                sample = next(r for r in records if r.group_id == group_id)
                count = sum(r.group_id == group_id for r in records)
                assert next_number(conn, rt, sample).endswith(f"-{count + 1:03d}")


def test_links_and_evidence_point_at_existing_records(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    ids = {rt.key: {r.id for r in _all(ws, rt)} for rt in (INTERVIEW, DRAFT, LEAD, ATTACHMENT)}
    links = _all(ws, LINK)
    for link in links:
        assert LINK_KINDS[(link.from_type, link.to_type)] == link.kind
        assert link.from_id in ids[link.from_type] and link.to_id in ids[link.to_type]
    kinds = {link.kind for link in links}
    assert {"线索来源", "佐证材料", "关联线索"} <= kinds
    sources: dict[str, int] = {}
    for link in links:
        if link.kind == "线索来源":
            sources[link.to_id] = sources.get(link.to_id, 0) + 1
    leads = _all(ws, LEAD)
    assert all(n == 1 for n in sources.values())
    assert {x.id for x in leads if x.source == "个别谈话"} == set(sources)
    evidence = [e for d in _all(ws, DRAFT) for e in d.evidence]
    assert any(e["interview_id"] for e in evidence)
    assert all(e["interview_id"] in ids["interview"] for e in evidence if e["interview_id"])
    assert check_workspace(ws) == []


def test_attachments_are_real_files_readable_from_the_blob_store(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    service = AttachmentService(ws)
    attachments = _all(ws, ATTACHMENT)
    contents = {a.file_name: service.data(a.sha256) for a in attachments}
    assert any(data.startswith(b"\x89PNG\r\n\x1a\n") for data in contents.values())
    texts = [data.decode("utf-8") for name, data in contents.items() if name.endswith(".txt")]
    assert texts and all("调阅资料清单" in t for t in texts)
    drafts = {d.id: d for d in _all(ws, DRAFT)}
    for a in attachments:
        assert a.size == len(contents[a.file_name])
        if a.record_type == "draft":  # listed in the evidence of the draft it belongs to
            shas = {e["attachment_sha256"] for e in drafts[a.record_id].evidence}
            assert a.sha256 in shas


# -- cancel, empty, progress --------------------------------------------------------------------------------
def _footprint(ws: Workspace) -> tuple[int, int, dict[str, Any]]:
    with ws.engine.connect() as conn:
        revisions = conn.execute(select(func.count()).select_from(sync_revision)).scalar_one()
        audits = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    stats = workspace_figures(ws).as_json()
    stats.pop("workspace")
    return revisions, audits, stats


@pytest.mark.parametrize("cancel_after", [0, 3, 12])
def test_cancel_leaves_the_workspace_unchanged(workspace: Workspace, cancel_after: int) -> None:
    before = _footprint(workspace)
    progress = Recorder(cancel_after=cancel_after)
    with pytest.raises(Cancelled):
        build_demo(workspace, records=150, progress=progress)
    assert len(progress.reports) == cancel_after
    assert _footprint(workspace) == before
    assert check_workspace(workspace) == []


def test_progress_is_reported_in_order_up_to_the_total(workspace: Workspace) -> None:
    progress = Recorder()
    build_demo(workspace, records=40, progress=progress)
    done = [d for d, _, _ in progress.reports]
    assert done == sorted(done) and all(0 < d <= t for d, t, _ in progress.reports)
    assert progress.reports[-1][0] == progress.reports[-1][1]
    assert all(message.startswith("正在") for _, _, message in progress.reports)


def test_zero_records_gives_the_context_only(workspace: Workspace) -> None:
    summary = build_demo(workspace, records=0)
    assert summary.records == 0 and summary.attachments == 0 and summary.links == 0
    assert summary.rounds == 1 and summary.targets >= 6 and summary.appraisals == summary.members
    assert check_workspace(workspace) == []


def test_negative_record_counts_are_refused(workspace: Workspace) -> None:
    with pytest.raises(XunchaError, match=r"^演示记录份数不能为负数$"):
        build_demo(workspace, records=-1)


# -- the text -----------------------------------------------------------------------------------------------
def test_no_template_slot_is_left_in_any_text(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    for rt in MAIN_RECORD_TYPES:
        for record in _all(ws, rt):
            for text in _strings(to_body(record)):
                assert "{" not in text and "}" not in text, (record.number, text)
                assert not text.startswith("["), (record.number, text)


def test_interviews_are_question_and_answer_records(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    for talk in _all(ws, INTERVIEW):
        lines = talk.content.split("\n")
        assert lines[0].startswith("问：") and "保密" in lines[0]
        assert lines[-1].startswith("答：") and lines[-2].startswith("问：")
        assert all(line.startswith(("问：", "答：")) for line in lines)
        assert 6 <= sum(line.startswith("问：") for line in lines) <= 12
        assert talk.interviewer != talk.recorder and talk.notice_given


@pytest.mark.parametrize("category", [c.code for c in FOUR_IMPLEMENTATIONS + FOUR_FOCUSES])
def test_every_category_and_unit_kind_has_fitting_issue_text(category: str) -> None:
    rng = random.Random(category)
    for kind in vocab.UNIT_KINDS:
        for _ in range(6):
            words = demo_text.issue(rng, category, demo_text.target_unit(rng, kind))
            assert 0 < len(words["title"]) <= 40
            assert words["amount_yuan"] >= 0 and words["evidence"] and words["basis"].count("《") >= 1
            for text in _strings(words):
                assert "{" not in text and "}" not in text and not text.startswith("[")


def test_text_functions_are_deterministic() -> None:
    unit = demo_text.target_unit(random.Random(3), "医院")
    first = [
        demo_text.issue(random.Random(5), "A2.4", unit),
        demo_text.interview(random.Random(5), "王明", "院长", unit),
    ]
    again = [
        demo_text.issue(random.Random(5), "A2.4", unit),
        demo_text.interview(random.Random(5), "王明", "院长", unit),
    ]
    assert first == again
