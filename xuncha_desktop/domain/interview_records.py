"""个别谈话记录: one talk with one interviewee (domain README §1.2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec


@dataclass(frozen=True)
class InterviewRecord:
    id: str = ""
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    # header
    held_on: date | None = spec("谈话日期", None, date=True)
    start_time: str = spec("开始时间", "")
    end_time: str = spec("结束时间", "")
    location: str = spec("谈话地点", "", searchable=True)
    interviewer: str = spec("谈话人（主谈）", "", short="主谈人", searchable=True)
    recorder: str = spec("记录人", "", searchable=True)
    interview_type: str = spec("谈话类型", "必谈", filter=True)
    # interviewee
    interviewee_id: str = spec("谈话对象（人员库）", "")
    interviewee_name: str = spec("谈话对象姓名", "", short="谈话对象", searchable=True)
    gender: str = fields.gender()
    birth_month: str = fields.birth_month()
    political_status: str = fields.political_status()
    post: str = spec("单位及职务", "", searchable=True)
    rank: str = spec("职级", "")
    contact: str = spec("联系方式", "")
    # body
    notice_given: bool = spec("已告知纪律和保密要求", False)
    outline: str = spec("谈话提纲", "", searchable=True)
    content: str = spec("谈话内容", "", searchable=True)
    # in the order told: not a set
    problems: list[str] = spec("反映问题摘要", default_factory=list, searchable=True)
    persons_involved: list[str] = spec("涉及人员", default_factory=list, set_valued=True)
    team_evaluation: str = spec("对班子及成员的评价", "", searchable=True)
    # footer
    page_count: int = spec("页数", 0)
    interviewer_signed: bool = spec("谈话人已签字", False)
    recorder_signed: bool = spec("记录人已签字", False)
    interviewee_signed: bool = spec("谈话对象已签字", False)
    marking: str = fields.marking()
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_interview(r: InterviewRecord, today: date) -> list[FieldError]:
    c = Checker(InterviewRecord)
    c.required("round_id", r.round_id)
    c.required("group_id", r.group_id)
    c.required("target_id", r.target_id)
    c.required("held_on", r.held_on)
    c.not_future("held_on", r.held_on, today)
    c.clock("start_time", r.start_time)
    c.clock("end_time", r.end_time)
    if r.start_time and r.end_time and r.end_time <= r.start_time:
        c.add("end_time", "结束时间应晚于开始时间")
    c.required("interviewer", r.interviewer)
    c.required("recorder", r.recorder)
    if r.interviewer and r.interviewer == r.recorder:
        c.add("recorder", "记录人不能与主谈人为同一人（谈话应不少于两人）")
    c.one_of("interview_type", r.interview_type, vocab.INTERVIEW_TYPES, optional=False)
    c.required("interviewee_name", r.interviewee_name)
    c.max_len("interviewee_name", r.interviewee_name, 20)
    c.one_of("gender", r.gender, vocab.GENDERS)
    c.month("birth_month", r.birth_month)
    c.one_of("political_status", r.political_status, vocab.POLITICAL_STATUSES)
    c.one_of("rank", r.rank, vocab.CADRE_RANKS)
    c.max_len("content", r.content, 200_000)
    if r.page_count < 0:
        c.add("page_count", "页数不能为负数")
    c.one_of("marking", r.marking, vocab.MARKINGS, optional=False)
    return c.errors
