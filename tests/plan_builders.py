"""Builders of an office plan for tests: one round with two groups and their target units, and cadres of the
人才库 (used by the plan services' tests and any test that needs an office plan)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.services.plan.cadre_pool import CadrePool
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.workspace import Workspace


@dataclass(frozen=True)
class Plan:
    """One round with two groups; the first inspects 清河县财政局, the second 清河县教育局."""

    service: PlanService
    pool: CadrePool
    round: InspectionRound
    group: InspectionGroup
    other_group: InspectionGroup
    target: TargetUnit

    def cadre(self, name: str = "张建国", **kw: Any) -> Cadre:
        values: dict[str, Any] = dict(
            name=name, gender="男", birth_month="1978-05", home_unit="清河县审计局", home_post="科长"
        )
        values.update(kw)
        return self.pool.save(Cadre(**values))


def make_plan(ws: Workspace, *, year: int = 2025, ordinal: int = 1) -> Plan:
    service = PlanService(ws)
    rnd = service.save(InspectionRound(name=f"{year}年第{ordinal}轮巡察", year=year, ordinal=ordinal))
    group = service.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    other = service.save(InspectionGroup(round_id=rnd.id, ordinal=2, name="第二巡察组"))
    target = service.save(
        TargetUnit(round_id=rnd.id, group_id=group.id, name="清河县财政局", kind="县直部门")
    )
    service.save(TargetUnit(round_id=rnd.id, group_id=other.id, name="清河县教育局", kind="县直部门"))
    return Plan(service, CadrePool(ws), rnd, group, other, target)
