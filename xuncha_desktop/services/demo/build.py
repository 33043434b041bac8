"""A realistic, deterministic demo workspace: one round of 清河县's inspection with two groups, several units,
interviews, drafts in every workflow state, leads in every state and disposal, evaluations and attachments.

build_demo() fills an empty workspace in one transaction; a Cancelled from the progress leaves it unchanged.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import framework_version
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import (
    Attachment,
    GroupMember,
    InspectionGroup,
    InspectionRound,
    Person,
    TargetUnit,
    User,
)
from xuncha_desktop.domain.record_types import (
    APPRAISAL,
    ATTACHMENT,
    DRAFT,
    EVALUATION,
    GROUP,
    INTERVIEW,
    LEAD,
    LINK,
    MEMBER,
    PERSON,
    PETITION,
    ROUND,
    TARGET,
    USER,
    RecordType,
)
from xuncha_desktop.services.demo import text as text
from xuncha_desktop.services.demo.attachments import demo_files
from xuncha_desktop.services.demo.drafts import DraftMaker
from xuncha_desktop.services.demo.leads import LeadMaker
from xuncha_desktop.services.demo.petitions import demo_petitions, petition_into_draft
from xuncha_desktop.services.demo.records import ROUND_END, ROUND_START, GroupCtx, UnitCtx, new_uuid
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.blobs import put_blob
from xuncha_desktop.storage.revisions import RevisionWriter

BATCH = 2000
SHARES = (("interviews", 0.45), ("drafts", 0.25), ("leads", 0.18))  # the rest are 画像 (evaluations)
GROUP_NAMES = ("县委第一巡察组", "县委第二巡察组")
MESSAGES = {
    ROUND.key: "正在建立巡察轮次",
    GROUP.key: "正在建立巡察组",
    MEMBER.key: "正在登记巡察组成员",
    USER.key: "正在建立用户",
    TARGET.key: "正在登记被巡察单位",
    PERSON.key: "正在登记人员",
    INTERVIEW.key: "正在生成个别谈话记录",
    LEAD.key: "正在生成问题线索",
    DRAFT.key: "正在生成问题底稿",
    EVALUATION.key: "正在生成干部画像",
    APPRAISAL.key: "正在生成巡察干部鉴定",
    ATTACHMENT.key: "正在写入附件",
    LINK.key: "正在写入记录关联",
    PETITION.key: "正在登记信访件",
}


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each type the demo wrote (drafts: with the one a 信访件 went into)."""

    rounds: int = 0
    groups: int = 0
    members: int = 0
    users: int = 0
    targets: int = 0
    persons: int = 0
    interviews: int = 0
    drafts: int = 0
    leads: int = 0
    evaluations: int = 0
    appraisals: int = 0
    attachments: int = 0
    links: int = 0

    petitions: int = 0

    @property
    def records(self) -> int:
        """The main records asked for with `records` (appraisals are extra: one per member; so are the
        信访件 and the 底稿 one of them went into)."""
        return self.interviews + self.drafts - self.petition_drafts + self.leads + self.evaluations

    @property
    def petition_drafts(self) -> int:
        """The 底稿 a 信访件 went into (the demo puts one in once it has two or more 信访件)."""
        return 1 if self.petitions > 1 else 0


class Generator(LeadMaker, DraftMaker):
    """Every record maker of the demo, sharing one rng and one context."""


def split_records(records: int) -> dict[str, int]:
    """≈45 % interviews, 25 % drafts, 18 % leads, the rest 画像."""
    counts = {key: round(records * share) for key, share in SHARES}
    counts["interviews"] -= max(0, sum(counts.values()) - records)
    counts["evaluations"] = records - sum(counts.values())
    return counts


def _members(gen: Generator, group: InspectionGroup, names: list[str], sexes: list[str]) -> list[GroupMember]:
    rng = gen.rng
    size = len(names)
    deputies = 2 if size == 7 or rng.random() < 0.4 else 1
    roles = ["组长"] + ["副组长"] * deputies + ["组员"] * (size - 2 - deputies) + ["联络员"]
    out = []
    for i, (name, role, sex) in enumerate(zip(names, roles, sexes, strict=True)):
        staffing = (
            "专职"
            if role in ("组长", "联络员") or (role == "副组长" and i == 1 and rng.random() < 0.5)
            else "抽调"
        )
        duty = {"组长": "综合", "联络员": "综合"}.get(role) or vocab.MEMBER_DUTIES[i % 3]
        home, post = text.member_home(rng, staffing)
        born = (1967, 1975) if role == "组长" else (1968, 1996)
        out.append(
            GroupMember(
                id=gen.new_id(),
                group_id=group.id,
                name=name,
                role=role,
                staffing=staffing,
                home_unit=home,
                home_post=post,
                duty=duty,
                gender=sex,
                birth_month=text.birth_month(rng, *born),
                political_status="中共党员",
                start_on=ROUND_START,
                end_on=ROUND_END,
            )
        )
    return out


def _groups(gen: Generator) -> None:
    rng = gen.rng
    sizes = [rng.randint(6, 7) for _ in GROUP_NAMES]
    sexes = [["男" if i == 0 else text.gender(rng, 0.4) for i in range(n)] for n in sizes]
    names = text.distinct_names(rng, sum(sizes), [s for group in sexes for s in group])
    start = 0
    for ordinal, (label, size) in enumerate(zip(GROUP_NAMES, sizes, strict=True), start=1):
        group = InspectionGroup(id=gen.new_id(), round_id=gen.round.id, ordinal=ordinal, name=label)
        members = _members(gen, group, names[start : start + size], sexes[ordinal - 1])
        gen.groups.append(GroupCtx(group, members))
        start += size


def unit_person(
    gen: Generator, target: TargetUnit, unit: dict[str, Any], post: dict[str, str], order: int
) -> Person:
    rng = gen.rng
    sex = text.gender(rng, 0.2 if order == 1 else 0.35)
    if order:
        status = "中共党员"
    else:
        status = rng.choices(("中共党员", "群众", "共青团员", "无党派人士"), (65, 25, 5, 5))[0]
    return Person(
        id=gen.new_id(),
        target_id=target.id,
        name=text.person_name(rng, sex),
        gender=sex,
        birth_month=text.birth_month(rng, 1965, 1984 if order else 1998),
        political_status=status,
        unit=unit["short"],
        post=post["post"],
        rank=post["cadre_rank"],
        is_leadership=bool(order),
        leadership_order=order,
    )


def _units(gen: Generator, interviews: int) -> None:
    rng = gen.rng
    count = rng.randint(6, 8)
    kinds = list(vocab.UNIT_KINDS)
    rng.shuffle(kinds)
    kinds = kinds[:count] + ["县直部门"] * (count - len(kinds))
    used: set[str] = set()
    staff_size = 6 + min(interviews // (count * 3), 300)  # a unit has a few hundred staff at most
    for index, kind in enumerate(kinds):
        short, name = rng.choice([u for u in text.all_units(kind) if u[0] not in used])
        used.add(short)
        unit = text.unit_from(kind, short, name)
        group = gen.groups[index % len(gen.groups)]
        target = TargetUnit(
            id=gen.new_id(), round_id=gen.round.id, group_id=group.group.id, name=name, kind=kind
        )
        leaders, portfolios = [], {}
        for rank in range(rng.randint(3, 5)):
            post = text.leader_post(rng, kind, rank, unit)
            person = unit_person(gen, target, unit, post, rank + 1)
            leaders.append(person)
            portfolios[person.id] = post["portfolio"]
        staff = [unit_person(gen, target, unit, text.staff_post(rng, kind), 0) for _ in range(staff_size)]
        gen.units.append(UnitCtx(target, unit, group, leaders, staff, portfolios))


class Sink:
    """Validates records and writes them in batches, reporting progress and honouring Cancel in between."""

    def __init__(self, writer: RevisionWriter, progress: Progress, total: int, today: date) -> None:
        self.writer, self.progress, self.total, self.today = writer, progress, total, today
        self.done = 0
        self.counts: dict[str, int] = {}

    def write(self, rt: RecordType, records: Iterable[Any]) -> None:
        batch: list[Any] = []
        for record in records:
            batch.append(record)
            if len(batch) >= BATCH:
                self._flush(rt, batch)
                batch = []
        if batch:
            self._flush(rt, batch)
        self.counts.setdefault(rt.key, 0)

    def _flush(self, rt: RecordType, batch: list[Any]) -> None:
        self.progress.check_cancelled()
        for record in batch:
            errors = rt.validate(record, self.today)
            if errors:
                raise XunchaError(f"演示数据有误（{rt.label} {record.number}）：{errors[0].message}")
        self.writer.write_new_many(rt, batch)
        self.writer.audit.flush(self.writer.conn)  # keep memory flat for large demos
        self.counts[rt.key] = self.counts.get(rt.key, 0) + len(batch)
        self.done = min(self.total, self.done + len(batch))
        self.progress.report(self.done, self.total, MESSAGES.get(rt.key, f"正在写入{rt.label}"))


def _attachments(gen: Generator, sink: Sink, files: list[Any], targets: list[tuple[str, str]]) -> None:
    """The files as blobs (like AttachmentService.add) plus their Attachment records and draft links."""
    records = []
    for file, (record_type, record_id) in zip(files, targets, strict=False):
        digest = put_blob(sink.writer.conn, file.data, file.mime)
        attachment = Attachment(
            id=gen.new_id(),
            record_type=record_type,
            record_id=record_id,
            sha256=digest,
            file_name=file.file_name,
            mime=file.mime,
            size=len(file.data),
            note=file.note,
        )
        records.append(attachment)
        if record_type == "draft":
            gen.link("attachment", attachment.id, "draft", record_id, "佐证材料")
    sink.write(ATTACHMENT, records)


def build_demo(
    ws: Workspace, *, seed: int = 1, records: int = 200, progress: Progress | None = None
) -> DemoSummary:
    """Fill the empty workspace `ws` with a demo round.

    `records` main records (≈45 % 个别谈话记录, 25 % 问题底稿, 18 % 问题线索, 12 % 干部画像) plus one
    巡察干部鉴定 per group member, the context they live in, 5–8 attachments and the links between
    records. The same seed gives the same content and numbers.
    """
    if records < 0:
        raise XunchaError("演示记录份数不能为负数")
    progress = progress or NullProgress()
    rng = random.Random(seed)
    today = date.today()
    counts = split_records(records)
    gen = Generator(
        rng,
        today,
        InspectionRound(
            id=new_uuid(rng),
            name="2025年第三轮巡察",
            year=2025,
            ordinal=3,
            kind="常规",
            start_on=min(ROUND_START, today),
            end_on=min(ROUND_END, today),
            framework="四个落实",
            framework_version=framework_version("四个落实"),
        ),
    )
    _groups(gen)
    _units(gen, counts["interviews"])
    members = [m for g in gen.groups for m in g.members]
    users = [
        User(id=gen.new_id(), login=m.name, display_name=m.name, role=m.role, member_id=m.id) for m in members
    ]
    persons = [p for u in gen.units for p in (*u.leaders, *u.staff)]
    files = []
    if counts["drafts"] or counts["interviews"]:
        shorts = [u.text["short"] for u in gen.units]
        files = demo_files(rng, shorts, list(GROUP_NAMES), rng.randint(5, 8))
    for index, file in enumerate(files[: counts["drafts"]]):
        source = "调阅资料" if file.mime == "text/plain" else "调阅资料（扫描件）"
        digest = hashlib.sha256(file.data).hexdigest()
        item = {"name": file.file_name, "source": source, "pages": 1, "evidence_no": ""}
        unit = next(i for i, u in enumerate(gen.units) if u.text["short"] == file.unit)
        gen.attach_to[index] = (unit, [item | {"interview_id": "", "attachment_sha256": digest}])
    context = 1 + len(gen.groups) + 2 * len(members) + len(gen.units) + len(persons)
    sink_total = context + records + len(members) + len(files)
    with ws.writing() as writer:
        sink = Sink(writer, progress, sink_total, today)
        sink.write(ROUND, [gen.round])
        sink.write(GROUP, [g.group for g in gen.groups])
        sink.write(MEMBER, members)
        sink.write(USER, users)
        sink.write(TARGET, [u.target for u in gen.units])
        sink.write(PERSON, persons)
        sink.write(INTERVIEW, gen.interviews(counts["interviews"]))
        leads = list(gen.leads(counts["leads"]))
        sink.write(LEAD, leads)
        sink.write(DRAFT, gen.drafts(counts["drafts"]))
        sink.write(EVALUATION, gen.evaluations(counts["evaluations"]))
        sink.write(APPRAISAL, gen.appraisals())
        petitions = min(6, records // 10)
        sink.write(PETITION, demo_petitions(gen, leads, petitions - 1 if petitions > 1 else petitions))
        if petitions > 1:  # one more, put into a 底稿 through the disposal service (a draft and a link more)
            petition_into_draft(gen, writer)
            for rt in (PETITION, DRAFT, LINK):
                sink.counts[rt.key] = sink.counts.get(rt.key, 0) + 1
        interviews = [("interview", i[0]) for u in gen.units for i in u.interviews]
        targets = [("draft", gen.attached[i]) for i in sorted(gen.attached)] + interviews
        _attachments(gen, sink, files, targets)
        sink.write(LINK, gen.links)
    return DemoSummary(**{name: sink.counts.get(rt.key, 0) for name, rt in _SUMMARY_TYPES.items()})


_SUMMARY_TYPES = {
    "rounds": ROUND,
    "groups": GROUP,
    "members": MEMBER,
    "users": USER,
    "targets": TARGET,
    "persons": PERSON,
    "interviews": INTERVIEW,
    "drafts": DRAFT,
    "leads": LEAD,
    "evaluations": EVALUATION,
    "appraisals": APPRAISAL,
    "attachments": ATTACHMENT,
    "links": LINK,
    "petitions": PETITION,
}
