"""`plan import`: a plan workbook checked whole, then written in one transaction, or not at all.

Every row is read into the record it is (workbook_rows), each record checked by its own validator, the plan as
the workbook would leave it checked by domain.plan_rules.check_plan (names, one group per cadre and per unit
in a round, unique logins) and for 回避 (a conflict needs the row's 回避说明, which is then audited). Any
problem rejects the whole workbook and every problem is reported with its sheet, row and column."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import GroupMember, TargetUnit
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.plan_rules import PlanSnapshot, avoidance_conflicts, check_plan
from xuncha_desktop.domain.record_types import CADRE, MEMBER, PARTY_ORGANIZATION
from xuncha_desktop.services.plan.plan_service import AVOIDANCE_OVERRIDE
from xuncha_desktop.services.plan.plan_snapshot import load_snapshot
from xuncha_desktop.services.plan.workbook_read import (
    CADRES,
    GROUPS,
    MEMBERS,
    ORGS,
    ROUNDS,
    SHEETS,
    UNITS,
    RowError,
    read_plan_workbook,
)
from xuncha_desktop.services.plan.workbook_rows import (
    PLAN_TYPES,
    Built,
    Existing,
    Indexes,
    build_cadres,
    build_groups,
    build_members,
    build_orgs,
    build_rounds,
    build_units,
)
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

PLAN_IMPORT = "plan_import"  # audit action of an import
_SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


@dataclass(frozen=True)
class PlanImportReport:
    """Records the import created, updated and left unchanged (all 0 when rejected), and every problem."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rejected(self) -> bool:
        return bool(self.errors)

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [dataclasses.asdict(e) for e in self.errors],
        }


def check_office(ws: Workspace, what: str) -> None:
    if not ws.info.is_office:
        raise XunchaError(f"{what}只能在巡察办工作库中进行（本工作库是{ws.info.role_label}）")


def load_existing(ws: Workspace) -> Existing:
    with ws.engine.connect() as conn:
        plan = load_snapshot(conn)
    orgs = RecordService[PartyOrganization](ws, PARTY_ORGANIZATION).iterate(ListQuery(limit=None))
    cadres = RecordService[Cadre](ws, CADRE).iterate(ListQuery(limit=None))
    return Existing(plan, {o.id: o for o in orgs}, {c.id: c for c in cadres})


def _planned(built: Built) -> tuple[PlanSnapshot, set[str]]:
    """The plan as the workbook would leave it, and the ids of the records the workbook gives."""
    old = built.existing.plan
    plan = PlanSnapshot(
        dict(old.rounds), dict(old.groups), dict(old.members), dict(old.targets), dict(old.users)
    )
    changed: set[str] = set()
    for key in ("round", "group", "member", "target", "user"):
        for record in built.records[key].values():
            plan.put(record)
            changed.add(record.id)
    return plan, changed


def _check_rules(built: Built, plan: PlanSnapshot, changed: set[str]) -> None:
    for problem in check_plan(plan, changed):
        row, _sheet = built.origin[problem.record_id]
        built.field_error(row, problem.field, problem.message)


def _check_avoidance(built: Built, plan: PlanSnapshot) -> list[tuple[GroupMember, list[str]]]:
    """回避 conflicts of the members and units the workbook gives: an error where the member's 回避说明 is
    empty, else an override to audit when it is new. Returns the overrides."""
    units: dict[str, list[TargetUnit]] = defaultdict(list)
    for unit in plan.targets.values():
        units[unit.group_id].append(unit)
    overrides: list[tuple[GroupMember, list[str]]] = []
    for member in plan.members.values():
        cadre = built.current(CADRE.key, member.cadre_id) if member.cadre_id else None
        given = member.id in built.origin
        checked = (
            units[member.group_id] if given else [u for u in units[member.group_id] if u.id in built.origin]
        )
        reasons = avoidance_conflicts(cadre, checked) if cadre and checked else []
        if not reasons:
            continue
        if member.avoidance_override.strip():
            stored = built.stored(MEMBER.key, member.id)
            if stored is None or stored.avoidance_override != member.avoidance_override:
                overrides.append((member, reasons))
        elif given:
            row, _sheet = built.origin[member.id]
            built.error(
                row, "override", "；".join(reasons) + "。须回避；如确需安排，请在“回避说明”中写明理由"
            )
        else:
            for unit in checked:
                row, _sheet = built.origin[unit.id]
                built.error(
                    row,
                    "unit",
                    "；".join(avoidance_conflicts(cadre, [unit]))  # type: ignore[arg-type]
                    + f"。须回避；如确需安排，请在“{MEMBERS}”工作表中为{member.name}填写“回避说明”",
                )
    return overrides


def build_plan(ws: Workspace, path: Path, today: date) -> tuple[Built, list[tuple[GroupMember, list[str]]]]:
    """The workbook read and checked against the workspace; nothing written."""
    sheets, shape_errors = read_plan_workbook(path)
    built = Built(load_existing(ws), today, errors=shape_errors)
    if shape_errors:
        return built, []
    index = Indexes(built.existing)
    build_orgs(built, index, sheets[ORGS].rows)
    build_cadres(built, index, sheets[CADRES].rows)
    build_rounds(built, index, sheets[ROUNDS].rows)
    build_groups(built, index, sheets[GROUPS].rows)
    build_members(built, index, sheets[MEMBERS].rows)
    build_units(built, index, sheets[UNITS].rows)
    plan, changed = _planned(built)
    _check_rules(built, plan, changed)
    overrides = _check_avoidance(built, plan)
    return built, overrides


def _sorted(errors: Sequence[RowError]) -> list[RowError]:
    """One reason per cell (a member's role outside the list is its user's too), by sheet and row."""
    first: dict[tuple[str, int, str], RowError] = {}
    for error in errors:
        first.setdefault((error.sheet, error.row, error.column), error)
    return sorted(first.values(), key=lambda e: (_SHEET_ORDER.get(e.sheet, 99), e.row))


def _split(built: Built) -> tuple[dict[str, list[Any]], dict[str, list[Any]], int]:
    new: dict[str, list[Any]] = defaultdict(list)
    updated: dict[str, list[Any]] = defaultdict(list)
    unchanged = 0
    for rt in PLAN_TYPES:
        for record in built.records[rt.key].values():
            stored = built.stored(rt.key, record.id)
            if stored is None:
                new[rt.key].append(record)
            elif stored != record:
                updated[rt.key].append(record)
            else:
                unchanged += 1
    # A pool or master-list entry a member or unit links to is counted too when the workbook leaves it as it
    # is, so a workbook imported twice reports as unchanged what it first created.
    for key, link, ref in (("member", "cadre_id", "cadre"), ("target", "org_id", "party_org")):
        linked = {getattr(r, link) for r in built.records[key].values() if getattr(r, link)}
        unchanged += sum(
            1 for rid in linked if rid not in built.records[ref] and built.stored(ref, rid) is not None
        )
    return new, updated, unchanged


def import_plan(
    ws: Workspace, path: Path, *, dry_run: bool = False, today: date | None = None
) -> PlanImportReport:
    """Create or update the plan from the workbook at `path`. With any bad row nothing is written and the
    report lists every problem; `dry_run` checks and counts without writing. One transaction, audited."""
    check_office(ws, "导入计划工作簿")
    if ws.user.role != vocab.OFFICE_ADMIN:
        raise XunchaError(f"只有{vocab.OFFICE_ADMIN}可以导入计划工作簿（当前用户为{ws.user.role}）")
    path = Path(path)
    built, overrides = build_plan(ws, path, today or date.today())
    if built.errors:
        return PlanImportReport(errors=_sorted(built.errors), dry_run=dry_run)
    new, updated, unchanged = _split(built)
    report = PlanImportReport(
        sum(map(len, new.values())), sum(map(len, updated.values())), unchanged, dry_run=dry_run
    )
    if dry_run or not (new or updated):
        return report
    with ws.writing() as writer:
        for rt in PLAN_TYPES:
            writer.write_new_many(rt, new[rt.key])
            for record in updated[rt.key]:
                writer.write(rt, record)
        for member, reasons in overrides:
            writer.log(
                AVOIDANCE_OVERRIDE,
                MEMBER.key,
                member.id,
                member=member.name,
                group=built.current("group", member.group_id).name,
                reason=member.avoidance_override,
                conflicts="；".join(reasons),
            )
        writer.log(
            PLAN_IMPORT, file=path.name, created=report.created, updated=report.updated, unchanged=unchanged
        )
    return report
