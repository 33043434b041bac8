"""The table forms: 问题线索登记表, 移交清单, 干部政治画像 and 巡察干部鉴定表 as reportlab flowables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepInFrame, KeepTogether, Spacer

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.lead_registrations import LeadRegistration, feedback_due, is_overdue
from xuncha_desktop.domain.personnel_evaluations import (
    MemberAppraisal,
    PersonnelEvaluation,
    favourable_rate,
    option_rates,
    poll_total,
)
from xuncha_desktop.services.output.pdf_layout import (
    BLANK_DATE,
    BLANK_NAME,
    LINE_PITCH,
    NBSP,
    TYPE_HEIGHT,
    TYPE_WIDTH,
    RecordStart,
    cn_date,
    cn_month,
    joined,
    money,
    yes_no,
)
from xuncha_desktop.services.output.pdf_stories import Kit, signature_lines, start_record
from xuncha_desktop.services.output.pdf_tables import Cell, Grid, label, value
from xuncha_desktop.services.statistics import Workload

# -- 问题线索 ---------------------------------------------------------------------------------------------


def _reporter(lead: LeadRegistration) -> tuple[str, str]:
    # Who may see the reporter is decided per lead when it is read (RecordService → visibility.mask_lead).
    if lead.anonymous:
        return "匿名", ""
    return lead.reporter_name, lead.reporter_contact


def lead_story(kit: Kit, r: LeadRegistration, key: str, *, first: bool, today: Any) -> list[Flowable]:
    story = start_record(kit, key, f"{r.number} {r.subject_name}", r.marking, "问题线索登记表", first=first)
    w = TYPE_WIDTH
    g = kit.grid([w * 0.07, w * 0.15, w * 0.31, w * 0.15, w * 0.32], compact=True)
    reporter, contact = _reporter(r)
    names = kit.names
    g.row(
        label("登记情况", rows=6, vertical=True),
        label("线索编号"),
        value(r.number),
        label("登记日期"),
        value(cn_date(r.registered_on)),
    )
    g.row(label("巡察轮次"), value(names.round(r.round_id)), label("巡察组"), value(names.group(r.group_id)))
    g.row(label("被巡察单位"), value(names.target(r.target_id), cols=3))
    g.row(label("线索来源"), value(r.source), label("登记人"), value(r.registered_by))
    g.row(label("反映人"), value(reporter), label("联系方式"), value(contact))
    g.row(label("涉及纪律"), value(joined(r.disciplines)), label("涉及金额"), value(money(r.amount_yuan)))
    g.section()
    g.row(
        label("被反映人", rows=2, vertical=True),
        label("姓名"),
        value(r.subject_name),
        label("职级"),
        value(r.subject_rank),
    )
    g.row(label("单位及职务"), value(r.subject_post), label("管理权限"), value(r.jurisdiction))
    columns = g.widths
    g.section(
        widths=[w * 0.07, w * 0.93]
    )  # the free text has a block without spans (reportlab splits it badly)
    g.row(label("主要问题", vertical=True), value(r.summary), height=_free_text_height(r.summary))
    g.section(widths=columns)
    g.row(
        label("研判情况", rows=4, vertical=True),
        label("组务会\n研判意见"),
        value(_dated(r.group_opinion, r.group_opinion_on), cols=3),
    )
    g.row(label("会商研判\n意见"), value(_dated(r.consultation_opinion, r.consultation_on), cols=3))
    g.row(label("可查性"), value(r.verifiability), label("拟处置建议"), value(r.proposed_disposal))
    g.row(
        label("边巡边移"),
        value(yes_no(r.on_site_transfer)),
        label("组长审批"),
        value(_dated(r.leader_approver, r.leader_approved_on)),
    )
    g.section()
    g.row(
        label("移交情况", rows=2, vertical=True),
        label("移交单位"),
        value(r.transfer_unit),
        label("移交日期"),
        value(cn_date(r.transfer_on)),
    )
    g.row(label("移交方式"), value(r.transfer_method), label("接收人"), value(r.receiver))
    g.section()
    due = feedback_due(r)
    overdue = "是（逾期未反馈）" if is_overdue(r, today) else "否"
    g.row(
        label("办理反馈", rows=5, vertical=True),
        label("办理方式"),
        value(r.outcome_type),
        label("是否立案"),
        value(yes_no(r.case_opened)),
    )
    g.row(label("处分种类"), value(r.sanction), label("组织处理"), value(r.org_handling))
    g.row(label("移送司法"), value(yes_no(r.judicial_transfer)), label("反馈期限"), value(cn_date(due)))
    g.row(label("反馈日期"), value(cn_date(r.feedback_on)), label("是否超期"), value(overdue if due else ""))
    g.row(label("办理结果"), value(f"{r.outcome}\n{'已销号' if r.closed else ''}".strip(), cols=3))
    story += g.sections()
    return story


def _dated(text: str, when: Any) -> str:
    return f"{text}\n{cn_date(when)}".strip() if when else text


def transfer_story(kit: Kit, leads: Sequence[LeadRegistration], materials: dict[str, str]) -> list[Flowable]:
    """移交清单: one list for the leads handed over together, with the signatures of both sides."""
    first = leads[0]
    kit.ts.record = "移交清单"
    story: list[Flowable] = [
        RecordStart("transfer", "问题线索移交清单"),
        kit.p(first.marking, kit.st.marking),
        kit.p("巡察发现问题线索移交清单", kit.st.title),
    ]
    units = joined(sorted({x.transfer_unit for x in leads if x.transfer_unit})) or "　" * 8
    dates = joined(sorted({cn_date(x.transfer_on) for x in leads if x.transfer_on})) or BLANK_DATE
    methods = joined(sorted({x.transfer_method for x in leads if x.transfer_method}))
    targets = joined(sorted({kit.names.target(x.target_id) for x in leads}))
    head = kit.grid([TYPE_WIDTH * 0.16, TYPE_WIDTH * 0.34, TYPE_WIDTH * 0.16, TYPE_WIDTH * 0.34])
    head.row(label("移交单位"), value(units), label("移交日期"), value(dates))
    head.row(label("巡察组"), value(kit.names.group(first.group_id)), label("移交方式"), value(methods))
    head.row(label("被巡察单位"), value(targets, cols=3))
    story += [head.table(), Spacer(1, 10)]
    w = TYPE_WIDTH
    g = kit.grid([w * 0.07, w * 0.28, w * 0.12, w * 0.18, w * 0.22, w * 0.13], compact=True)
    g.row(
        label("序号"),
        label("线索编号"),
        label("被反映人"),
        label("单位及职务"),
        label("主要问题"),
        label("随附材料"),
    )
    for i, lead in enumerate(leads, start=1):
        g.row(
            value(str(i), align="center"),
            value(lead.number),
            value(lead.subject_name, align="center"),
            value(lead.subject_post),
            value(lead.summary),
            value(materials.get(lead.id, "")),
        )
    persons = len({x.subject_person_id or x.subject_name for x in leads})
    g.row(value(f"合计：{len(leads)}件{persons}人", cols=6))
    story += [g.table(repeat_rows=1), Spacer(1, LINE_PITCH)]
    signed = kit.p(f"移交时间：{BLANK_DATE}", kit.st.cell_right)
    story.append(KeepTogether([signature_lines(kit, ["移交人", "接收人"]), Spacer(1, 10), signed]))
    return story


# -- 干部评价 --------------------------------------------------------------------------------------------


def evaluation_story(kit: Kit, e: PersonnelEvaluation, key: str, *, first: bool) -> list[Flowable]:
    story = start_record(kit, key, f"{e.number} {e.name}", e.marking, "干部政治画像", first=first)
    w = TYPE_WIDTH
    g = kit.grid([w * 0.16, w * 0.34, w * 0.16, w * 0.34])
    g.row(label("画像编号"), value(e.number), label("评价日期"), value(cn_date(e.evaluated_on)))
    g.row(label("被巡察单位"), value(kit.names.target(e.target_id), cols=3))
    g.row(label("姓名"), value(e.name), label("任职时间"), value(cn_date(e.term_start)))
    g.row(label("职务"), value(e.post, cols=3))
    g.row(label("分管工作"), value(e.portfolio, cols=3))
    g.row(label("一把手"), value(yes_no(e.is_top_leader)), label("评价人"), value(e.evaluator))
    story += [g.table(), Spacer(1, 8)]
    story += [CondPageBreak(5 * LINE_PITCH), kit.heading("画像维度")]
    d = kit.grid([w * 0.24, w * 0.76])
    d.row(label("维度"), label("评价情况"))
    for dim in vocab.PORTRAIT_DIMENSIONS:
        d.row(label(dim), value(e.dimensions.get(dim, "") or "—"))
    story += [d.table(repeat_rows=1), Spacer(1, 8)]
    story += [CondPageBreak(6 * LINE_PITCH), kit.heading(f"民主测评（{e.poll_scale}）")]
    t = kit.grid([w * 0.34, w * 0.33, w * 0.33])
    t.row(label("选项"), label("票数"), label("占比"))
    rates = option_rates(e)
    for option in vocab.POLL_SCALES.get(e.poll_scale, ()):
        t.row(
            label(option),
            value(str(e.poll_tallies.get(option, 0)), align="center"),
            value(f"{rates[option]}%", align="center"),
        )
    total = poll_total(e)
    t.row(
        label("合计"), value(str(total), align="center"), value("100.00%" if total else "—", align="center")
    )
    rate = favourable_rate(e)
    good = "+".join(vocab.POLL_FAVOURABLE.get(e.poll_scale, ()))
    t.row(label(f"好评率（{good}）"), value("—" if rate is None else f"{rate}%", cols=2, align="center"))
    story += [KeepTogether([t.table(repeat_rows=1)]), Spacer(1, 8)]
    story += kit.section("巡察组综合评价", e.overall)
    c = kit.grid([w * 0.16, w * 0.34, w * 0.22, w * 0.28])
    c.row(
        label("画像等次"),
        value(e.grade, align="center"),
        label("建议组织部门关注"),
        value(yes_no(e.flag_for_org), align="center"),
    )
    story += [Spacer(1, 8), c.table()]
    return story


def appraisal_story(kit: Kit, a: MemberAppraisal, key: str, work: Workload, *, first: bool) -> list[Flowable]:
    story = start_record(kit, key, f"{a.number} {a.name}", a.marking, "巡察干部鉴定表", first=first)
    w = TYPE_WIDTH
    g = kit.grid([w * 0.08, w * 0.13, w * 0.15, w * 0.13, w * 0.15, w * 0.13, w * 0.23])
    period = f"{cn_date(a.period_start)}至{cn_date(a.period_end)}" if a.period_start or a.period_end else ""
    g.row(
        label("姓名", cols=2),
        value(a.name),
        label("性别"),
        value(a.gender, align="center"),
        label("出生年月"),
        value(cn_month(a.birth_month)),
    )
    g.row(
        label("政治面貌", cols=2),
        value(a.political_status),
        label("原单位\n及职务"),
        value(a.home_unit_post, cols=3),
    )
    g.row(
        label("巡察轮次", cols=2),
        value(kit.names.round(a.round_id), cols=2),
        label("巡察组"),
        value(kit.names.group(a.group_id), cols=2),
    )
    g.row(label("组内分工", cols=2), value(a.duty), label("起止时间"), value(period, cols=3))
    g.row(
        label("工作量", rows=2, vertical=True),
        label("谈话人次"),
        label("撰写底稿"),
        label("被采纳\n问题"),
        label("登记线索"),
        label("纪律作风\n评价得分", rows=2),
        value(_score(a.conduct_score), rows=2, align="center"),
    )
    g.row(
        value(str(work.interviews), align="center"),
        value(str(work.drafts), align="center"),
        value(str(work.adopted), align="center"),
        value(str(work.leads), align="center"),
    )
    g.section(
        widths=[w * 0.08, w * 0.92]
    )  # long free text gets a block without spans (reportlab splits it badly)
    g.row(label("个人小结", vertical=True), value(a.self_summary), height=_free_text_height(a.self_summary))
    g.section(widths=[w * 0.08, w * 0.13, w * 0.79])
    aspects = vocab.APPRAISAL_ASPECTS
    for i, aspect in enumerate(aspects):
        cells = [label("组长评价", rows=len(aspects), vertical=True)] if i == 0 else []
        g.row(*cells, label(aspect), value(a.leader_comments.get(aspect, "")))
    _appraisal_conclusions(kit, g, a)
    story += one_page(kit, g.blocks())
    return story


MIN_SCALE = 0.8  # 小四 (12 pt) cells no smaller than 9.6 pt; longer texts flow onto a second sheet instead


def one_page(kit: Kit, blocks: list[Flowable]) -> list[Flowable]:
    """The form under its marking and title on one page (a 鉴定表 is signed and filed as one sheet): scaled
    down a little when long text would push its last rows over; when that would take more than MIN_SCALE,
    the blocks flow over pages as usual, each moved whole to the next page."""
    st = kit.st
    title = st.title.leading + st.title.spaceBefore + st.title.spaceAfter
    room = TYPE_HEIGHT - st.marking.leading - title - 1
    height = sum(block.wrap(TYPE_WIDTH, TYPE_HEIGHT)[1] for block in blocks)
    if height * MIN_SCALE > room:
        return [KeepTogether([block]) for block in blocks]
    return [KeepInFrame(TYPE_WIDTH, room, blocks, mode="shrink", hAlign="CENTER")]


def _appraisal_conclusions(kit: Kit, g: Grid, a: MemberAppraisal) -> None:
    """The lower half of the 鉴定表: grade, the group's and the office's opinions with room to sign."""
    w = TYPE_WIDTH
    g.section(widths=[w * 0.21, w * 0.29, w * 0.21, w * 0.29])
    g.row(*_grade_cells(a))
    g.section(widths=[w * 0.21, w * 0.79])
    g.row(
        label("巡察组意见"),
        value(
            [
                kit.p(a.group_opinion, kit.st.cell),
                Spacer(1, 6),
                kit.p(f"组长（签字）：{BLANK_NAME}{BLANK_DATE}", kit.st.cell_right),
            ]
        ),
    )
    g.row(
        label("巡察办意见"),
        value(
            [
                kit.p(a.office_opinion, kit.st.cell),
                Spacer(1, 6),
                kit.p(f"（盖章）{NBSP * 12}{BLANK_DATE}", kit.st.cell_right),
            ]
        ),
    )
    g.section(widths=[w * 0.21, w * 0.37, w * 0.15, w * 0.27])
    g.row(label("反馈单位"), value(a.feedback_unit), label("鉴定日期"), value(cn_date(a.appraised_on)))


def _grade_cells(a: MemberAppraisal) -> list[Cell]:
    """The grade row: the 审定等次 once the 领导小组 decided (with the 推荐等次 beside it when it differs),
    before that the 组长's 推荐等次; the 推荐优秀 flag where there is room."""
    flag = [label("推荐优秀"), value(yes_no(a.recommend_excellent), align="center")]
    if not a.approved_grade:
        return [label("推荐等次"), value(a.grade, align="center"), *flag]
    decided = [label("审定等次"), value(a.approved_grade, align="center")]
    if a.grade and a.grade != a.approved_grade:
        return [*decided, label("推荐等次"), value(a.grade, align="center")]
    return [*decided, *flag]


def _free_text_height(text: str) -> float | None:
    """Room to write in when the text is short; its own height when it is long."""
    return None if len(text) > 60 else 60


def _score(value: Any) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
