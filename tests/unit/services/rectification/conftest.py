"""An office workspace with a round, a group, a unit and signed 底稿, for the rectification services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE, Context, draft, make_context
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import DRAFT, TARGET
from xuncha_desktop.domain.rectification import RectificationFeedback
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

GIVEN_ON = date(2025, 6, 10)  # a Tuesday


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    yield ws
    ws.close()


@pytest.fixture
def octx(office: Workspace) -> Context:
    return make_context(office)


def signed(ws: Workspace, ctx: Context, title: str, **kw: Any) -> IssueDraft:
    """A 底稿 written as signed (已审签) directly, as an import from a laptop would bring it."""
    return RecordService[IssueDraft](ws, DRAFT).save(draft(ctx, title=title, status="已审签", **kw))


def other_unit(ws: Workspace, ctx: Context, name: str = "清河县教育局党组") -> Context:
    unit = RecordService[TargetUnit](ws, TARGET).save(
        TargetUnit(round_id=ctx.round.id, group_id=ctx.group.id, name=name, kind="县直部门")
    )
    return Context(ctx.round, ctx.group, unit)


def feedback_for(ctx: Context, **kw: Any) -> RectificationFeedback:
    values: dict[str, Any] = dict(given_on=GIVEN_ON, form="集中反馈", given_by="县委巡察办 王主任")
    values.update(kw)
    return RectificationFeedback(**ctx.scope, **values)
