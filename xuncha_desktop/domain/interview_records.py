"""个别谈话记录: one talk with one interviewee (domain README §1.2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError


@dataclass(frozen=True)
class InterviewRecord:
    id: str = ""
    number: str = ""
    round_id: str = ""
    group_id: str = ""
    target_id: str = ""
    # header
    held_on: date | None = None
    start_time: str = ""
    end_time: str = ""
    location: str = ""
    interviewer: str = ""
    recorder: str = ""
    interview_type: str = "必谈"
    # interviewee
    interviewee_id: str = ""
    interviewee_name: str = ""
    gender: str = ""
    birth_month: str = ""
    political_status: str = ""
    post: str = ""
    rank: str = ""
    contact: str = ""
    # body
    notice_given: bool = False
    outline: str = ""
    content: str = ""
    problems: list[str] = field(default_factory=list)
    persons_involved: list[str] = field(default_factory=list)
    team_evaluation: str = ""
    # footer
    page_count: int = 0
    interviewer_signed: bool = False
    recorder_signed: bool = False
    interviewee_signed: bool = False
    marking: str = "工作秘密"
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_interview(r: InterviewRecord, today: date) -> list[FieldError]:
    c = Checker()
    c.required("round_id", r.round_id, "巡察轮次")
    c.required("group_id", r.group_id, "巡察组")
    c.required("target_id", r.target_id, "被巡察单位")
    c.required("held_on", r.held_on, "谈话日期")
    c.not_future("held_on", r.held_on, "谈话日期", today)
    c.clock("start_time", r.start_time, "开始时间")
    c.clock("end_time", r.end_time, "结束时间")
    if r.start_time and r.end_time and r.end_time <= r.start_time:
        c.add("end_time", "结束时间应晚于开始时间")
    c.required("interviewer", r.interviewer, "谈话人（主谈）")
    c.required("recorder", r.recorder, "记录人")
    if r.interviewer and r.interviewer == r.recorder:
        c.add("recorder", "记录人不能与主谈人为同一人（谈话应不少于两人）")
    c.one_of("interview_type", r.interview_type, vocab.INTERVIEW_TYPES, "谈话类型", optional=False)
    c.required("interviewee_name", r.interviewee_name, "谈话对象姓名")
    c.max_len("interviewee_name", r.interviewee_name, 20, "谈话对象姓名")
    c.one_of("gender", r.gender, vocab.GENDERS, "性别")
    c.month("birth_month", r.birth_month, "出生年月")
    c.one_of("political_status", r.political_status, vocab.POLITICAL_STATUSES, "政治面貌")
    c.one_of("rank", r.rank, vocab.CADRE_RANKS, "职级")
    c.max_len("content", r.content, 200_000, "谈话内容")
    if r.page_count < 0:
        c.add("page_count", "页数不能为负数")
    c.one_of("marking", r.marking, vocab.MARKINGS, "密级标识", optional=False)
    return c.errors
