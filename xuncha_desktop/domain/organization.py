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
    name: str = spec("轮次名称", "")
    year: int = spec("年度", 0)
    ordinal: int = spec("轮次序号", 1)
    kind: str = spec("巡察类型", "常规", short="类型")
    start_on: date | None = spec("进驻日期", None)
    end_on: date | None = spec("撤离日期", None)
    framework: str = spec("问题分类体系", "四个聚焦")
    framework_version: str = spec("分类体系版本", "")
    # A 回头看 round revisits the units of an earlier round and re-checks their rectification.
    earlier_round_id: str = spec("回头看所针对的轮次", "", added_in=5)
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
    if r.kind == "回头看" and not r.earlier_round_id:
        c.add("earlier_round_id", "回头看轮次须指明所针对的前一轮巡察")
    if r.earlier_round_id and r.earlier_round_id == r.id:
        c.add("earlier_round_id", "回头看不能针对本轮自身")
    return c.errors


@dataclass(frozen=True)
class InspectionGroup:
    """巡察组 (one group of one round)."""

    id: str = ""
    number: str = fields.number(searchable=False)
    round_id: str = fields.round_ref("所属轮次")
    ordinal: int = spec("组别序号", 1)
    name: str = spec("巡察组名称", "")
    # What the group produced besides its records (domain README §5.1, §5.2): counted in the statistics and
    # the scoring of groups.
    special_reports: int = spec("专题报告（份）", 0, short="专题报告", added_in=6)
    recommendations: int = spec("意见建议（条）", 0, short="意见建议", added_in=6)
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_group(g: InspectionGroup, today: date) -> list[FieldError]:
    c = Checker()
    c.required("round_id", g.round_id, "所属轮次")
    if not 1 <= g.ordinal <= 99:
        c.add("ordinal", "组别序号应在 1 至 99 之间")
    for name, label in (("special_reports", "专题报告份数"), ("recommendations", "意见建议条数")):
        if getattr(g, name) < 0:
            c.add(name, f"{label}不能为负数")
    c.required("name", g.name, "巡察组名称")
    return c.errors


@dataclass(frozen=True)
class GroupMember:
    """巡察组成员: role in the group, 专职 or 抽调, and home unit."""

    id: str = ""
    number: str = fields.number(searchable=False)
    group_id: str = fields.group_ref("所属巡察组")
    name: str = spec("姓名", "")
    role: str = spec("组内职务", "组员", short="角色")
    staffing: str = spec("人员类别", "抽调")
    home_unit: str = spec("原单位", "")
    home_post: str = spec("原职务", "")
    duty: str = spec("组内分工", "")
    gender: str = fields.gender()
    birth_month: str = fields.birth_month()
    political_status: str = fields.political_status("中共党员")
    start_on: date | None = spec("进组日期", None)
    end_on: date | None = spec("离组日期", None)
    # The 人才库 entry this member is (domain.cadre_pool): the pool's history is read from these links.
    cadre_id: str = spec("人才库人员", "", indexed=True, added_in=4)
    # Why the office assigned the member despite a 回避 conflict with a target unit ("" = no conflict
    # was overridden); the override is audited when it is made.
    avoidance_override: str = spec("回避说明", "", added_in=4)
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
    round_id: str = fields.round_ref("所属轮次")
    group_id: str = fields.group_ref("所属巡察组")
    name: str = spec("单位名称", "")
    kind: str = spec("单位类型", "县直部门")
    # The 党组织名录 entry (domain.party_organizations) this unit is, for the term's 全覆盖 figures.
    org_id: str = spec("党组织名录", "", indexed=True, added_in=4)
    # The group's work at this unit that leaves no record of its own (domain README §5.1 Process figures).
    files_read: int = spec("调阅资料（卷）", 0, short="调阅资料", added_in=6)
    site_visits: int = spec("走访核查（次）", 0, short="走访核查", added_in=6)
    questionnaires: int = spec("民主测评及问卷（份）", 0, short="测评问卷", added_in=6)
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_target(t: TargetUnit, today: date) -> list[FieldError]:
    c = Checker()
    c.required("round_id", t.round_id, "所属轮次")
    c.required("name", t.name, "被巡察单位名称")
    c.max_len("name", t.name, 60, "被巡察单位名称")
    c.one_of("kind", t.kind, vocab.UNIT_KINDS, "单位类型", optional=False)
    for name, label in (
        ("files_read", "调阅资料卷数"),
        ("site_visits", "走访核查次数"),
        ("questionnaires", "测评问卷份数"),
    ):
        if getattr(t, name) < 0:
            c.add(name, f"{label}不能为负数")
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
    login: str = spec("登录名", "")
    display_name: str = spec("姓名", "")
    role: str = spec("角色", "组员")
    member_id: str = spec("巡察组成员", "")
    active: bool = spec("启用", True)
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
    ("petition", "lead"): "信访来源",
    ("petition", "draft"): "信访来源",
    ("attachment", "draft"): "佐证材料",
    ("attachment", "task"): "整改佐证材料",
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
