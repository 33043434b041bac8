"""The demo builder: deterministic, complete (every workflow state), valid, linked, cancellable, and its text
banks leave no template slots behind."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.builders import PASSPHRASE
from tests.unit.services.demo.reading import all_records, strings
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import FOUR_FOCUSES, FOUR_IMPLEMENTATIONS
from xuncha_desktop.domain.codec import to_body
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import (
    ALL_RECORD_TYPES,
    ATTACHMENT,
    DRAFT,
    MAIN_RECORD_TYPES,
)
from xuncha_desktop.services.demo import text as demo_text
from xuncha_desktop.services.demo.build import DemoSummary, build_demo
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.record_service import next_number
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.statistics import workspace_figures
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.tables import audit_log, sync_revision

NUMBER = re.compile(r"^2025-3轮-[12]组-(谈话|底稿|线索|画像|鉴定|信访)-\d{3,}$")


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
            for r in all_records(ws, rt)
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
            [
                AttachmentService(ws).data(a.sha256)
                for a in sorted(all_records(ws, ATTACHMENT), key=lambda a: a.id)
            ]
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
        titles = {d.title for d in all_records(workspace, DRAFT)}
        assert titles != {d.title for d in all_records(other, DRAFT)}
    finally:
        other.close()


# -- completeness ----------------------------------------------------------------------------------------
def test_counts_follow_the_requested_shares(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, summary = demo
    assert summary.records == 200  # the 信访件 and the 底稿 one went into on top
    assert (summary.interviews, summary.drafts, summary.leads, summary.evaluations) == (90, 51, 36, 24)
    assert (summary.petitions, summary.petition_drafts) == (6, 1)
    assert summary.rounds == 1 and summary.groups == 2 and 6 <= summary.targets <= 8
    assert 12 <= summary.members <= 14 and summary.appraisals == summary.members == summary.users
    assert 5 <= summary.attachments <= 8
    stats = workspace_figures(ws).as_json()
    assert (stats["interviews"], stats["drafts"], stats["leads"], stats["petitions"]) == (90, 51, 36, 6)
    assert stats["portraits"] == 24 and stats["appraisals"] == summary.members
    assert stats["links"] == summary.links and stats["users"] == summary.users + 1


# -- validity, numbers, links, attachments ------------------------------------------------------------
def test_every_record_is_valid_and_dated_no_later_than_today(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    today = date.today()
    for rt in ALL_RECORD_TYPES:
        for record in all_records(ws, rt):
            assert rt.validate(record, today) == [], (rt.key, record.number)
            for value in to_body(record).values():
                if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    assert date.fromisoformat(value) <= today


def test_numbers_are_unique_per_type_and_follow_the_numbering_service(
    demo: tuple[Workspace, DemoSummary],
) -> None:
    ws, _ = demo
    for rt in MAIN_RECORD_TYPES:
        records = all_records(ws, rt)
        numbers = [r.number for r in records]
        assert len(set(numbers)) == len(numbers) and all(NUMBER.match(n) for n in numbers)
        with ws.engine.connect() as conn:  # the next number the service would hand out continues the series
            for group_id in {r.group_id for r in records}:
                sample = next(r for r in records if r.group_id == group_id)
                count = sum(r.group_id == group_id for r in records)
                assert next_number(conn, rt, sample).endswith(f"-{count + 1:03d}")


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
        for record in all_records(ws, rt):
            for text in strings(to_body(record)):
                assert "{" not in text and "}" not in text, (record.number, text)
                assert not text.startswith("["), (record.number, text)


@pytest.mark.parametrize("category", [c.code for c in FOUR_IMPLEMENTATIONS + FOUR_FOCUSES])
def test_every_category_and_unit_kind_has_fitting_issue_text(category: str) -> None:
    rng = random.Random(category)
    for kind in vocab.UNIT_KINDS:
        for _ in range(6):
            words = demo_text.issue(rng, category, demo_text.target_unit(rng, kind))
            assert 0 < len(words["title"]) <= 40
            assert words["amount_yuan"] >= 0 and words["evidence"] and words["basis"].count("《") >= 1
            for text in strings(words):
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


def _by_id(record: Any) -> str:
    return str(record.id)
