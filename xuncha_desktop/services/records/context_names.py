"""Names of the rounds, groups and inspected units that records point to, read once per export."""

from __future__ import annotations

from dataclasses import dataclass, field

from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import GROUP, ROUND, TARGET
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace


@dataclass(frozen=True)
class ContextNames:
    rounds: dict[str, InspectionRound] = field(default_factory=dict)
    groups: dict[str, InspectionGroup] = field(default_factory=dict)
    targets: dict[str, TargetUnit] = field(default_factory=dict)

    def round(self, round_id: str) -> str:
        found = self.rounds.get(round_id)
        return found.name if found else ""

    def group(self, group_id: str) -> str:
        found = self.groups.get(group_id)
        return found.name if found else ""

    def target(self, target_id: str) -> str:
        found = self.targets.get(target_id)
        return found.name if found else ""


def load_context_names(ws: Workspace) -> ContextNames:
    """Rounds, groups and units number in the tens, so they are all read at once."""
    everything = ListQuery(limit=None)
    return ContextNames(
        rounds={r.id: r for r in RecordService[InspectionRound](ws, ROUND).list(everything)},
        groups={g.id: g for g in RecordService[InspectionGroup](ws, GROUP).list(everything)},
        targets={t.id: t for t in RecordService[TargetUnit](ws, TARGET).list(everything)},
    )
