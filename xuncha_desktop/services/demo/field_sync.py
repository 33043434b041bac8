"""The field demo with its sync story (`demo`): besides the records, open conflicts of each kind in 冲突处理
and another laptop's package waiting in a folder beside the workspace, so every view has something.

Everything travels as it would in the field, through the sync services: a throw-away office holds the demo
round (build_demo) and provisions the demo laptop for both groups; a member of the first group works on
their own laptop at the same time as the demo laptop, and importing their package opens the conflicts; a
member of the second group records a few talks and leads whose package is left to be imported by hand."""

from __future__ import annotations

import dataclasses
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.issue_drafts import SIGNED
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup
from xuncha_desktop.domain.record_types import DRAFT, GROUP, INTERVIEW, LEAD, MEMBER, RecordType
from xuncha_desktop.services import sync
from xuncha_desktop.services.demo.build import DemoSummary, build_demo
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.records.conflicts import ConflictService
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

WAITING_FOLDER = "待导入工作包"
README = "演示说明.txt"
CODE = "DEMO-2025-0301"  # the throw-away office's one-time code (its packages are never kept)
STEPS = 6  # after the records: provisioning, the member's edits, the second group's package
SHARE = 100  # progress is reported in hundredths: the records first half, the sync story the rest


class _FirstHalf:
    """The records' progress as the first half of the demo's."""

    def __init__(self, outer: Progress) -> None:
        self._outer = outer

    def report(self, done: int, total: int, message: str = "") -> None:
        self._outer.report(done * SHARE // (2 * max(total, 1)), SHARE, message)

    def check_cancelled(self) -> None:
        self._outer.check_cancelled()


def _step(progress: Progress, step: int, message: str) -> None:
    progress.check_cancelled()
    progress.report(SHARE // 2 + step * SHARE // (2 * STEPS), SHARE, message)


@dataclass(frozen=True)
class FieldDemo:
    summary: DemoSummary
    conflicts: dict[str, int]  # open conflicts by kind (soft, hard, delete_edit)
    waiting: Path | None  # the second group's package to import, or None (a demo without records)
    readme: Path


def build_field_demo(
    ws: Workspace,
    *,
    seed: int = 1,
    records: int = 200,
    progress: Progress | None = None,
    folder: Path | None = None,
) -> FieldDemo:
    """Fill the empty field workspace `ws` with the demo round, its conflicts and a waiting package (in
    `folder`, default 待导入工作包 beside the workspace), and write the 演示说明 the user reads there."""
    progress = progress or NullProgress()
    folder = folder or ws.path.parent / WAITING_FOLDER
    if not records:  # the context alone: no records to be in conflict or to send
        summary = build_demo(ws, seed=seed, records=0, progress=progress)
        return FieldDemo(summary, {}, None, _write_readme(folder, ws, {}, None))
    with tempfile.TemporaryDirectory(prefix="xuncha-demo-") as tmp:
        root = Path(tmp)
        office = _workspace(root / "巡察办.xcdb", office=True)
        try:
            summary = build_demo(office, seed=seed, records=records, progress=_FirstHalf(progress))
            groups = _groups(office)
            _step(progress, 0, "正在生成巡察办配置包")
            packages = [_provision(office, root, g) for g in groups]
        finally:
            office.close()
        _step(progress, 1, "正在配置演示工作库（巡察办配置包）")
        for package in packages:
            _import(ws, [package], root, code=CODE)
        waiting = None
        if len(groups) >= 2:
            _step(progress, 3, "正在模拟组员在另一台电脑上的修改")
            _conflicts(ws, root, groups[0], packages[0])
            _step(progress, 5, "正在生成另一巡察组的工作包")
            waiting = _waiting_package(ws, root, groups[1], packages[1], folder)
    discard_a_duplicate(ws)
    conflicts = open_conflicts(ws)
    readme = _write_readme(folder, ws, conflicts, waiting)
    _step(progress, STEPS, "演示工作库已生成")
    return FieldDemo(summary, conflicts, waiting, readme)


# -- the other workspaces of the story -------------------------------------------------------------------
def _workspace(path: Path, *, office: bool = False, user: str = "", role: str = "") -> Workspace:
    # Throw-away workspaces: a random passphrase nobody needs and the cheap key derivation.
    return Workspace.create(
        path, secrets.token_hex(16), office=office, user_name=user, role=role, kdf=KdfParams.cheap()
    )


def _groups(office: Workspace) -> list[InspectionGroup]:
    return sorted(RecordService[InspectionGroup](office, GROUP).list(), key=lambda g: g.ordinal)


def _provision(office: Workspace, root: Path, group: InspectionGroup) -> Path:
    package = root / f"配置-{group.ordinal}.xcpkg"
    sync.provision_package(office, package, group_id=group.id, code=CODE)
    return package


def _import(ws: Workspace, packages: list[Path], root: Path, *, code: str | None = None) -> None:
    # Backups before these imports would only fill the demo's folder with copies of a workspace being made.
    for attempt in range(3):
        reports = sync.import_packages(ws, packages, code=code, backup_dir=root / "备份")
        refused = [r for r in reports if r.status not in ("imported", "already_imported")]
        # The code is ours and right: a refusal of it means age judged the key derivation too slow for
        # this machine at this moment (a busy machine), which another try gets past.
        if not refused or not code or attempt == 2:
            break
    if refused:
        raise XunchaError(f"演示工作包未能导入：{refused[0].error}")


def _member(ws: Workspace, group: InspectionGroup, role: str) -> GroupMember:
    members = RecordService[GroupMember](ws, MEMBER).list(
        ListQuery(filters={"group_id": group.id}, limit=None)
    )
    return next((m for m in members if m.role == role), members[-1])


def _laptop(root: Path, source: Workspace, group: InspectionGroup, package: Path) -> Workspace:
    """A member's laptop of `group`, provisioned like the demo's."""
    member = _member(source, group, "组员")
    laptop = _workspace(root / f"{member.name}.xcdb", user=member.name, role="组员")
    _import(laptop, [package], root, code=CODE)
    return laptop


# -- conflicts: the same records changed on two laptops ----------------------------------------------------
def _of_group(
    ws: Workspace, rt: RecordType, group: InspectionGroup, keep: Callable[[Any], bool]
) -> list[Any]:
    found = RecordService[Any](ws, rt).list(ListQuery(filters={"group_id": group.id}, limit=None))
    return [r for r in found if keep(r)]


def _edit(ws: Workspace, rt: RecordType, record_id: str, **changes: Any) -> None:
    service = RecordService[Any](ws, rt)
    service.save(dataclasses.replace(service.stored(record_id), **changes))


def _conflicts(ws: Workspace, root: Path, group: InspectionGroup, package: Path) -> None:
    """Edit on the demo laptop and on a member's laptop, then import the member's package: one conflict
    of each kind (soft, hard, delete_edit)."""
    talks = _of_group(ws, INTERVIEW, group, lambda r: True)
    drafts = _of_group(ws, DRAFT, group, lambda r: r.status != SIGNED)
    leads = _of_group(ws, LEAD, group, lambda r: True)
    if len(talks) < 2 or not drafts or not leads:
        return
    soft, gone, hard, lead = talks[0], talks[1], drafts[0], leads[0]
    laptop = _laptop(root, ws, group, package)
    try:
        # soft: each side changed a different field of the same talk
        _edit(ws, INTERVIEW, soft.id, location=f"{soft.location}（改在小会议室）")
        _edit(laptop, INTERVIEW, soft.id, outline=f"{soft.outline}\n补充：了解“三重一大”事项决策情况。")
        # hard: the same field changed differently on both
        _edit(ws, DRAFT, hard.id, title=f"{hard.title}（组长修改）")
        _edit(laptop, DRAFT, hard.id, title=f"{hard.title}（组员修改）")
        _edit(ws, LEAD, lead.id, summary=f"{lead.summary}\n组长补充：已调取相关账目。")
        _edit(laptop, LEAD, lead.id, summary=f"{lead.summary}\n组员补充：当事人已退还部分款项。")
        # delete_edit: moved to the recycle bin here, edited there
        RecordService[Any](ws, INTERVIEW).delete(gone.id)
        _edit(laptop, INTERVIEW, gone.id, content=f"{gone.content}\n（谈话后补记：被谈话人补充了情况说明。）")
        out = root / "组员工作包.xcpkg"
        sync.export_package(laptop, out)
    finally:
        laptop.close()
    _import(ws, [out], root)


# -- the second group's package, left to be imported --------------------------------------------------------
def _waiting_package(ws: Workspace, root: Path, group: InspectionGroup, package: Path, folder: Path) -> Path:
    """A member of the second group records two more talks and a lead on their laptop; their package waits
    in `folder` (the demo laptop holds that group's key from its provisioning, so it opens without a code)."""
    laptop = _laptop(root, ws, group, package)
    try:
        member = laptop.user.display_name
        talks = RecordService[Any](laptop, INTERVIEW)
        shown = _of_group(laptop, INTERVIEW, group, lambda r: True)[:2]
        for index, talk in enumerate(shown, start=1):
            copy = talks.duplicate(talk.id)
            note = f"（{member}第 {index} 次补充谈话）"
            talks.save(dataclasses.replace(copy, content=note + copy.content))
        leads = RecordService[Any](laptop, LEAD)
        for lead in _of_group(laptop, LEAD, group, lambda r: True)[:1]:
            copy = leads.duplicate(lead.id)
            leads.save(dataclasses.replace(copy, summary=f"{member}新登记：{copy.summary}"))
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"{group.name}-{member}-{date.today():%Y%m%d}.xcpkg"
        sync.export_package(laptop, out)
    finally:
        laptop.close()
    return out


def discard_a_duplicate(ws: Workspace) -> None:
    """Something in 回收站: a talk entered twice by mistake, its copy moved to the recycle bin (a real
    save and delete; the demo's own records all stay)."""
    talks = RecordService[Any](ws, INTERVIEW)
    first = talks.list(ListQuery(limit=1))
    if first:
        copy = talks.save(talks.duplicate(first[0].id))
        talks.delete(copy.id)


def open_conflicts(ws: Workspace) -> dict[str, int]:
    """Open conflicts by kind."""
    counts: dict[str, int] = {}
    for conflict in ConflictService(ws).list_open():
        counts[conflict.kind] = counts.get(conflict.kind, 0) + 1
    return counts


KIND_LABELS = {"soft": "自动合并待确认", "hard": "同一栏目两边改法不同", "delete_edit": "一边删除、一边修改"}


def _write_readme(folder: Path, ws: Workspace, conflicts: dict[str, int], waiting: Path | None) -> Path:
    """What the demo holds beyond the records, where to find it and what to try, for the person exploring."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "巡察现场工作台 · 演示工作库说明",
        "",
        f"演示工作库：{ws.path.name}（登录名：{ws.user.login}）",
        "本工作库模拟巡察组组长的电脑：两个巡察组的谈话、底稿、线索、干部评价都已由巡察办配置到本机。",
        "",
        "一、冲突处理",
    ]
    if conflicts:
        total = sum(conflicts.values())
        lines.append(
            f"组员在自己的电脑上修改了与本机相同的记录，其工作包已导入本机，产生 {total} 个待处理的冲突："
        )
        lines += [f"  · {KIND_LABELS.get(kind, kind)}：{n} 个" for kind, n in sorted(conflicts.items())]
        lines.append("打开“冲突处理”页面，逐个查看两边的内容，选择保留哪一边或合并后确认。")
    else:
        lines.append("（本演示工作库没有冲突。）")
    lines += ["", "二、待导入的工作包"]
    if waiting is not None:
        lines += [
            f"本文件夹中的“{waiting.name}”是另一巡察组组员电脑导出的工作包，尚未导入。",
            "菜单“文件 → 导入工作包…”，选择该文件即可预览并导入（无需配置码，本机已有该组的密钥）；",
            "导入后可在“个别谈话记录”和“问题线索登记”中看到新增的记录。",
        ]
    else:
        lines.append("（本演示工作库没有待导入的工作包。）")
    lines += [
        "",
        "三、回收站",
        "一条重复录入的谈话记录已移入“回收站”，可在该页面恢复或查看。",
        "",
        "删除演示工作库所在的文件夹即可重新生成。",
        "",
    ]
    readme = folder / README
    readme.write_text("\n".join(lines), encoding="utf-8")
    return readme
