"""Rounds, groups and their members, inspected units, persons, users: the context every record lives in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.classification import FRAMEWORKS
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec


@dataclass(frozen=True)
class InspectionRound:
    """巡察轮次."""

    id: str = ""
    number: str = fields.number(searchable=False)
    name: str = ""
    year: int = 0
    ordinal: int = 1
    kind: str = "常规"
    start_on: date | None = None
    end_on: date | None = None
    framework: str = "四个聚焦"
    framework_version: str = ""
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_round(r: InspectionRound, today: date) -> list[FieldError]:
    c = Checker()
    c.required("name", r.name, "轮次名称")
    if not 2000 <= r.year <= 2100:
        c.add("year", "年度应在 2000 至 2100 之间")
    if not 1 <= r.ordinal <= 99:
        c.add("ordinal", "轮次序号应在 1 至 99 之间")
    c.one_of("kind", r.kind, vocab.ROUND_KINDS, "巡察类型", optional=False)
    c.one_of("framework", r.framework, FRAMEWORKS, "问题分类体系", optional=False)
    c.order("end_on", r.start_on, r.end_on, "结束日期不能早于开始日期")
    return c.errors


@dataclass(frozen=True)
class InspectionGroup:
    """巡察组 (one group of one round)."""

    id: str = ""
    number: str = fields.number(searchable=False)
    round_id: str = fields.round_ref()
    ordinal: int = 1
    name: str = ""
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_group(g: InspectionGroup, today: date) -> list[FieldError]:
    c = Checker()
    c.required("round_id", g.round_id, "所属轮次")
    if not 1 <= g.ordinal <= 99:
        c.add("ordinal", "组别序号应在 1 至 99 之间")
    c.required("name", g.name, "巡察组名称")
    return c.errors


@dataclass(frozen=True)
class GroupMember:
    """巡察组成员: role in the group, 专职 or 抽调, and home unit."""

    id: str = ""
    number: str = fields.number(searchable=False)
    group_id: str = fields.group_ref()
    name: str = ""
    role: str = "组员"
    staffing: str = "抽调"
    home_unit: str = ""
    home_post: str = ""
    duty: str = ""
    gender: str = fields.gender()
    birth_month: str = fields.birth_month()
    political_status: str = fields.political_status("中共党员")
    start_on: date | None = None
    end_on: date | None = None
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_member(m: GroupMember, today: date) -> list[FieldError]:
    c = Checker()
    c.required("group_id", m.group_id, "所属巡察组")
    c.required("name", m.name, "姓名")
    c.max_len("name", m.name, 20, "姓名")
    c.one_of("role", m.role, vocab.MEMBER_ROLES, "组内职务", optional=False)
    c.one_of("staffing", m.staffing, vocab.STAFFING_KINDS, "人员类别", optional=False)
    c.one_of("duty", m.duty, vocab.MEMBER_DUTIES, "组内分工")
    c.one_of("gender", m.gender, vocab.GENDERS, "性别")
    c.month("birth_month", m.birth_month, "出生年月")
    c.one_of("political_status", m.political_status, vocab.POLITICAL_STATUSES, "政治面貌")
    c.order("end_on", m.start_on, m.end_on, "离组日期不能早于进组日期")
    return c.errors


@dataclass(frozen=True)
class TargetUnit:
    """被巡察单位（党组织）."""

    id: str = ""
    number: str = fields.number(searchable=False)
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    name: str = ""
    kind: str = "县直部门"
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_target(t: TargetUnit, today: date) -> list[FieldError]:
    c = Checker()
    c.required("round_id", t.round_id, "所属轮次")
    c.required("name", t.name, "被巡察单位名称")
    c.max_len("name", t.name, 60, "被巡察单位名称")
    c.one_of("kind", t.kind, vocab.UNIT_KINDS, "单位类型", optional=False)
    return c.errors


@dataclass(frozen=True)
class Person:
    """A person met in the work: a leader of the inspected unit, an interviewee or a reported person."""

    id: str = ""
    number: str = fields.number(searchable=False)
    target_id: str = fields.target_ref()
    name: str = ""
    gender: str = fields.gender()
    birth_month: str = fields.birth_month()
    political_status: str = fields.political_status()
    unit: str = ""
    post: str = ""
    rank: str = ""
    is_leadership: bool = False
    leadership_order: int = 0
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_person(p: Person, today: date) -> list[FieldError]:
    c = Checker()
    c.required("name", p.name, "姓名")
    c.max_len("name", p.name, 20, "姓名")
    c.one_of("gender", p.gender, vocab.GENDERS, "性别")
    c.month("birth_month", p.birth_month, "出生年月")
    c.one_of("political_status", p.political_status, vocab.POLITICAL_STATUSES, "政治面貌")
    c.one_of("rank", p.rank, vocab.CADRE_RANKS, "职级")
    return c.errors


@dataclass(frozen=True)
class User:
    """A local account of this workspace; its role decides what it may see and sign."""

    id: str = ""
    number: str = fields.number(searchable=False)
    login: str = ""
    display_name: str = ""
    role: str = "组员"
    member_id: str = ""
    active: bool = True
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_user(u: User, today: date) -> list[FieldError]:
    c = Checker()
    c.required("login", u.login, "登录名")
    c.required("display_name", u.display_name, "姓名")
    c.one_of("role", u.role, vocab.USER_ROLES, "角色", optional=False)
    return c.errors


@dataclass(frozen=True)
class Attachment:
    """A file attached to a record; the bytes live in the blob store under their SHA-256."""

    id: str = ""
    number: str = fields.number(searchable=False)
    record_type: str = ""
    record_id: str = spec("", "", indexed=True)
    sha256: str = ""
    file_name: str = ""
    mime: str = ""
    size: int = 0
    note: str = ""
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_attachment(a: Attachment, today: date) -> list[FieldError]:
    c = Checker()
    c.required("record_id", a.record_id, "所属记录")
    c.required("file_name", a.file_name, "文件名")
    if len(a.sha256) != 64:
        c.add("sha256", "附件校验值无效")
    return c.errors


LINK_KINDS = {
    ("interview", "lead"): "线索来源",
    ("interview", "draft"): "佐证材料",
    ("draft", "lead"): "关联线索",
    ("attachment", "draft"): "佐证材料",
}


@dataclass(frozen=True)
class RecordLink:
    """A navigable link between two records, e.g. interview → lead (线索来源)."""

    id: str = ""
    number: str = fields.number(searchable=False)
    from_type: str = ""
    from_id: str = spec("", "", indexed=True)
    to_type: str = ""
    to_id: str = spec("", "", indexed=True)
    kind: str = ""
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_link(link: RecordLink, today: date) -> list[FieldError]:
    c = Checker()
    if (link.from_type, link.to_type) not in LINK_KINDS:
        c.add("to_type", f"不能从“{link.from_type}”关联到“{link.to_type}”")
    c.required("from_id", link.from_id, "关联来源")
    c.required("to_id", link.to_id, "关联目标")
    if link.from_id and link.from_id == link.to_id:
        c.add("to_id", "记录不能关联到自身")
    return c.errors


@dataclass(frozen=True)
class DictionaryEntry:
    """One entry of a versioned classification dictionary (四个落实, 四个聚焦 …)."""

    id: str = ""
    number: str = fields.number(searchable=False)
    framework: str = ""
    version: str = ""
    code: str = ""
    label: str = ""
    parent_code: str = ""
    sort_order: int = 0
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_dictionary_entry(e: DictionaryEntry, today: date) -> list[FieldError]:
    c = Checker()
    c.required("framework", e.framework, "分类体系")
    c.required("version", e.version, "版本")
    c.required("code", e.code, "编码")
    c.required("label", e.label, "名称")
    return c.errors
