"""The office demo's inputs of the statistics that no field record carries (domain README §5.1): each
group's 专题报告 and 意见建议, each unit's 调阅资料, 走访核查 and 测评问卷, each 底稿's 严重程度 and, for a
立行立改 issue with money involved, the 挽回经济损失 recovered while the group was on site.

They draw from a random source of their own (seeded from the demo's seed), so adding them changed none of
the records the demo made before."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.organization import InspectionGroup, TargetUnit
from xuncha_desktop.domain.states import DraftState
from xuncha_desktop.services.demo.text.weights import pick, table

SEVERITIES = table(vocab.ISSUE_SEVERITIES, (62, 28, 10))


def figures_rng(seed: int) -> random.Random:
    return random.Random(f"office-figures-{seed}")


def group_outputs(rng: random.Random, group: InspectionGroup, finished: bool) -> InspectionGroup:
    """A finished round's group wrote its 专题报告 and 意见建议; one on site has a few so far."""
    reports = rng.randint(1, 3) if finished else rng.randint(0, 1)
    advice = rng.randint(4, 12) if finished else rng.randint(0, 4)
    return dataclasses.replace(group, special_reports=reports, recommendations=advice)


def unit_work(rng: random.Random, unit: TargetUnit, finished: bool) -> TargetUnit:
    """调阅资料, 走访核查 and 测评问卷 at a unit (the 测评 is held once the group has been there a while)."""
    scale = 1.0 if finished else 0.5
    return dataclasses.replace(
        unit,
        files_read=int(rng.randint(30, 120) * scale),
        site_visits=int(rng.randint(3, 12) * scale),
        questionnaires=rng.randint(40, 160) if finished or rng.random() < 0.5 else 0,
    )


def draft_outcome(rng: random.Random, draft: IssueDraft, state: str) -> dict[str, Any]:
    """Every 底稿 gets a 严重程度; an adopted 立行立改 issue with money involved often got some back. The
    fields as a dict, to be set before the 底稿 is signed (its sign-offs hash them)."""
    recovered = Decimal("0")
    if state in DraftState.ADOPTED and draft.immediate_fix and draft.amount_yuan > 0 and rng.random() < 0.8:
        recovered = Decimal(int(draft.amount_yuan * Decimal(str(rng.uniform(0.3, 1.0)))))
    return {"severity": pick(rng, SEVERITIES), "amount_recovered_yuan": recovered}
