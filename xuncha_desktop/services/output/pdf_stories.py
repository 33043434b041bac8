"""The printed papers as reportlab flowables: 问题底稿, 个别谈话记录 and the 底稿汇编 cover and contents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.states import DraftStep
from xuncha_desktop.services.output.pdf_fonts import Typesetter
from xuncha_desktop.services.output.pdf_layout import (
    BLANK_DATE,
    BLANK_NAME,
    LINE_PITCH,
    NBSP,
    TYPE_WIDTH,
    PageRef,
    RecordStart,
    RectoBreak,
    StartNumbering,
    Styles,
    cell_paragraph,
    cn_date,
    cn_month,
    joined,
    money,
    paragraphs,
    text_line,
    yes_no,
)
from xuncha_desktop.services.output.pdf_tables import Grid, label, value
from xuncha_desktop.services.records.context_names import ContextNames

HIDDEN = "已隐藏"
CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class EvidenceRow:
    name: str
    source: str = ""
    pages: str = ""
    evidence_no: str = ""


@dataclass
class Kit:
    """Everything a story needs besides its record."""

    ts: Typesetter
    st: Styles
    names: ContextNames
    hide_reporter: bool = False
    _sections: list[int] = field(default_factory=lambda: [0])

    def p(self, text: str, style: Any) -> Paragraph:
        return cell_paragraph(self.ts, text, style)

    def line(self, text: str, style: Any) -> Flowable:
        return text_line(self.ts, text, style)

    def grid(self, widths: Sequence[float], compact: bool = False) -> Grid:
        return Grid(self.ts, self.st, widths, compact)

    def heading(self, text: str) -> Flowable:
        """一、… in 黑体; kept with the first lines that follow it."""
        self._sections[0] += 1
        number = (
            CHINESE_NUMERALS[self._sections[0] - 1] if self._sections[0] <= 10 else str(self._sections[0])
        )
        return self.line(f"{number}、{text}", self.st.heading)

    def reset_sections(self) -> None:
        self._sections[0] = 0

    def section(self, title: str, text: str, empty: str = "（无）") -> list[Flowable]:
        body = paragraphs(self.ts, text, self.st.body) or [self.p(empty, self.st.body)]
        return [CondPageBreak(3 * LINE_PITCH), self.heading(title), *body]


def start_record(
    kit: Kit, key: str, outline: str, marking: str, title: str, *, first: bool, paged: bool = False
) -> list[Flowable]:
    kit.ts.record = outline
    kit.reset_sections()
    story: list[Flowable] = [] if first else [PageBreak()]
    story += [
        RecordStart(key, outline, paged),
        kit.line(marking, kit.st.marking),
        kit.line(title, kit.st.title),
    ]
    return story


def signature_lines(kit: Kit, roles: Sequence[str]) -> Flowable:
    """Lines to sign on by hand, two to a row."""
    w = TYPE_WIDTH
    g = kit.grid([w * 0.22, w * 0.28, w * 0.22, w * 0.28])
    pairs = [roles[i : i + 2] for i in range(0, len(roles), 2)]
    for pair in pairs:
        cells = []
        for role in pair:
            cells += [value(f"{role}签名：", align="right"), value("")]
        g.row(*cells, height=40)
    table = g.table(ruled=False)
    lines = [
        ("LINEBELOW", (c, r), (c, r), 0.6, "black")
        for r, pair in enumerate(pairs)
        for c in (1, 3)[: len(pair)]
    ]
    table.setStyle([*lines, ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    return table


# -- 问题底稿 -------------------------------------------------------------------------------------------


def _latest(signoffs: Sequence[dict[str, Any]], step: str) -> dict[str, Any]:
    found = [s for s in signoffs if s.get("step") == step]
    return found[-1] if found else {}


def _hash_text(value: str) -> str:
    return " ".join(value[i : i + 8] for i in range(0, len(value), 8))


def _signoff_rows(
    g: Grid, kit: Kit, role: str, opinion: str, name: str, when: Any, content_hash: str
) -> None:
    """Three rows per step (opinion, signature and date, sign-off hash) under one label spanning them."""
    g.row(label(role, rows=3), value(opinion), height=None if opinion else 26)
    g.row(value(f"签名：{name or BLANK_NAME}{NBSP * 6}{cn_date(when, BLANK_DATE)}", align="right"), height=22)
    hash_text = f"签署校验码 {_hash_text(content_hash)}" if content_hash else ""
    g.row(value(hash_text, style=kit.st.small), height=11)


def draft_story(
    kit: Kit, d: IssueDraft, key: str, evidence: Sequence[EvidenceRow], *, first: bool
) -> list[Flowable]:
    story = start_record(kit, key, f"{d.number} {d.title}", d.marking, "问题底稿", first=first)
    story += [_draft_facts(kit, d), Spacer(1, 8)]
    story += kit.section("问题描述（事实）", d.description)
    story += kit.section("发现过程", d.discovery)
    story += kit.section("定性依据", d.basis)
    story += kit.section("整改建议", d.suggestion)
    if d.group_meeting_opinion:
        story += kit.section("组务会研究意见", d.group_meeting_opinion)
    if d.unit_feedback:
        story += kit.section("被巡察单位意见（事实核对）", d.unit_feedback)
    story += [CondPageBreak(4 * LINE_PITCH), kit.heading("佐证材料目录")]
    story += [_evidence_table(kit, evidence), Spacer(1, 8)]
    story.append(_signing_block(kit, d))
    if d.edited_after_signoff:
        story.append(kit.p("注：本底稿在审签后有修改，需重新审签。", kit.st.cell))
    return story


def _draft_facts(kit: Kit, d: IssueDraft) -> Flowable:
    """The grid at the head of a 底稿: number, round, unit, category, source, amounts, responsibility."""
    w = TYPE_WIDTH
    g = kit.grid([w * 0.16, w * 0.34, w * 0.16, w * 0.34])
    category = "\n".join(
        f"{code} {category_label(code)}" for code in (d.category_l1, d.category_l2, d.category_l3) if code
    )
    responsibility = joined(d.responsibility_types)
    if d.responsible_party:
        responsibility = (
            f"{responsibility}（{d.responsible_party}）" if responsibility else d.responsible_party
        )
    g.row(label("底稿编号"), value(d.number), label("编制日期"), value(cn_date(d.prepared_on)))
    g.row(
        label("巡察轮次"),
        value(kit.names.round(d.round_id)),
        label("巡察组"),
        value(kit.names.group(d.group_id)),
    )
    g.row(label("被巡察单位"), value(kit.names.target(d.target_id), cols=3))
    g.row(label("问题标题"), value(d.title, cols=3))
    g.row(label("问题类别"), value(category, cols=3))
    g.row(label("问题来源"), value(d.source), label("涉及金额"), value(money(d.amount_yuan)))
    g.row(label("涉及纪律"), value(joined(d.disciplines)), label("专项类型"), value(joined(d.special_tags)))
    g.row(label("责任主体"), value(responsibility, cols=3))
    g.row(
        label("立行立改"),
        value(yes_no(d.immediate_fix)),
        label("重点关注"),
        value(d.key_attention_reason if d.key_attention else "否"),
    )
    return g.table()


def _evidence_table(kit: Kit, evidence: Sequence[EvidenceRow]) -> Flowable:
    w = TYPE_WIDTH
    e = kit.grid([w * 0.08, w * 0.44, w * 0.2, w * 0.1, w * 0.18], compact=True)
    e.row(label("序号"), label("材料名称"), label("来源"), label("页数"), label("证据编号"))
    for i, item in enumerate(evidence, start=1):
        e.row(
            value(str(i), align="center"),
            value(item.name),
            value(item.source),
            value(item.pages, align="center"),
            value(item.evidence_no, align="center"),
        )
    if not evidence:
        e.row(value("（无）", cols=5, align="center"))
    return e.table(repeat_rows=1)


def _signing_block(kit: Kit, d: IssueDraft) -> Flowable:
    """承办人, 副组长 and 组长 with their opinions, names and dates, kept on one page."""
    w = TYPE_WIDTH
    signing = kit.heading("审核签批")
    submitted = _latest(d.signoffs, DraftStep.SUBMIT)
    reviewed = _latest(d.signoffs, DraftStep.REVIEW)
    approved = _latest(d.signoffs, DraftStep.APPROVE)
    s = kit.grid([w * 0.18, w * 0.82])
    _signoff_rows(
        s,
        kit,
        "承办人",
        "",
        submitted.get("by") or d.preparer,
        submitted.get("at") or d.prepared_on,
        submitted.get("content_hash", ""),
    )
    _signoff_rows(
        s,
        kit,
        "副组长\n审核意见",
        d.review_opinion or reviewed.get("opinion", ""),
        reviewed.get("by", ""),
        reviewed.get("at"),
        reviewed.get("content_hash", ""),
    )
    _signoff_rows(
        s,
        kit,
        "组长\n审签意见",
        d.approval_opinion or approved.get("opinion", ""),
        approved.get("by", ""),
        approved.get("at"),
        approved.get("content_hash", ""),
    )
    if d.filing_no:
        s.row(label("备案号"), value(d.filing_no))
    rows = len(s.rows)
    table = s.table(ruled=False)
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 1.2, "black"),
            ("LINEAFTER", (0, 0), (0, -1), 0.6, "black"),
            ("VALIGN", (1, 0), (1, -1), "BOTTOM"),
        ]
        + [("LINEBELOW", (0, r), (-1, r), 0.6, "black") for r in range(2, rows - 1, 3)]
        + ([("LINEABOVE", (0, rows - 1), (-1, rows - 1), 0.6, "black")] if d.filing_no else [])
    )
    return KeepTogether([signing, table])


# -- 个别谈话记录 -----------------------------------------------------------------------------------------


def interview_story(kit: Kit, r: InterviewRecord, key: str, *, first: bool) -> list[Flowable]:
    story = start_record(
        kit, key, f"{r.number} {r.interviewee_name}", r.marking, "个别谈话记录", first=first, paged=True
    )
    w = TYPE_WIDTH
    g = kit.grid([w * 0.16, w * 0.34, w * 0.16, w * 0.34])
    when = cn_date(r.held_on)
    if r.start_time or r.end_time:
        when = f"{when}{NBSP * 2}{r.start_time}—{r.end_time}"
    g.row(label("记录编号"), value(r.number), label("谈话类型"), value(r.interview_type))
    g.row(
        label("巡察轮次"),
        value(kit.names.round(r.round_id)),
        label("巡察组"),
        value(kit.names.group(r.group_id)),
    )
    g.row(label("被巡察单位"), value(kit.names.target(r.target_id), cols=3))
    g.row(label("谈话时间"), value(when, cols=3))
    g.row(label("谈话地点"), value(r.location, cols=3))
    g.row(label("谈话人"), value(r.interviewer), label("记录人"), value(r.recorder))
    g.row(label("谈话对象", cols=4))
    g.row(label("姓名"), value(r.interviewee_name), label("性别"), value(r.gender))
    g.row(label("出生年月"), value(cn_month(r.birth_month)), label("政治面貌"), value(r.political_status))
    g.row(label("单位及职务"), value(r.post, cols=3))
    contact = HIDDEN if kit.hide_reporter and r.contact else r.contact
    g.row(label("职级"), value(r.rank), label("联系方式"), value(contact))
    g.row(label("告知事项"), value("已履行纪律、保密告知" if r.notice_given else "未记录告知", cols=3))
    story += [g.table(), Spacer(1, 8)]
    story += kit.section("谈话内容", r.content)
    if r.problems:
        story += kit.section(
            "反映问题摘要", "\n".join(f"{i}. {p}" for i, p in enumerate(r.problems, start=1))
        )
    if r.persons_involved:
        story += kit.section("涉及人员", joined(r.persons_involved))
    if r.team_evaluation:
        story += kit.section("对班子及成员的评价", r.team_evaluation)
    story.append(Spacer(1, LINE_PITCH))
    story.append(KeepTogether([signature_lines(kit, ["谈话人", "记录人", "谈话对象"])]))
    return story


# -- 汇编: cover and contents --------------------------------------------------------------------------------


def batch_front(
    kit: Kit,
    target: TargetUnit,
    drafts: Sequence[IssueDraft],
    keys: Sequence[str],
    marking: str,
    printed_on: Any,
) -> list[Flowable]:
    """Cover and contents of a 底稿汇编; the drafts then start on a right-hand page numbered — 1 —."""
    kit.ts.record = "封面"
    group = kit.names.group(target.group_id) or kit.names.group(drafts[0].group_id if drafts else "")
    story: list[Flowable] = [kit.p(marking, kit.st.marking), Spacer(1, 3 * LINE_PITCH)]
    story += [
        kit.p(group, kit.st.title),
        kit.p(f"关于{target.name}的", kit.st.title),
        kit.p("问题底稿汇编", kit.st.title),
        kit.p(f"（{kit.names.round(target.round_id)}）", kit.st.subtitle),
        Spacer(1, 3 * LINE_PITCH),
    ]
    info = kit.grid([TYPE_WIDTH * 0.32, TYPE_WIDTH * 0.6])
    for name, text in (
        ("巡察轮次", kit.names.round(target.round_id)),
        ("巡察组", group),
        ("被巡察单位", target.name),
        ("收录底稿", f"共{len(drafts)}份（已审签）"),
        ("编印日期", cn_date(printed_on)),
    ):
        info.row(value([kit.p(f"{name}：", kit.st.cover_label)]), value([kit.p(text, kit.st.body_plain)]))
    story += [info.table(ruled=False), PageBreak()]
    story.append(kit.p("目　录", kit.st.title))
    w = TYPE_WIDTH
    toc = kit.grid([w * 0.07, w * 0.29, w * 0.52, w * 0.12], compact=True)
    toc.row(label("序号"), label("底稿编号"), label("问题标题"), label("页码"))
    for i, (d, key) in enumerate(zip(drafts, keys, strict=True), start=1):
        toc.row(
            value(str(i), align="center"),
            value(d.number),
            value(d.title),
            value([PageRef(key, w * 0.12 - 8)], align="center"),
        )
    if not drafts:
        toc.row(value("（该单位暂无已审签底稿）", cols=4, align="center"))
    story += [toc.table(repeat_rows=1), RectoBreak(), StartNumbering()]
    return story
