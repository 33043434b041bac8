"""信访件登记表: one petition per page, in the table form of the 问题线索登记表 (pdf_forms)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from xuncha_desktop.domain.petitions import Petition
from xuncha_desktop.services.output.pdf_layout import TYPE_WIDTH, cn_date
from xuncha_desktop.services.output.pdf_stories import Kit, signature_lines, start_record
from xuncha_desktop.services.output.pdf_tables import label, value

TITLE = "信访件登记表"
ANONYMOUS = "匿名"
ROOM_TO_WRITE = 150.0  # points of empty summary cell: a short summary still leaves room for a hand note


def _reporter(p: Petition) -> tuple[str, str]:
    # Who may see the reporter is decided per petition when it is read (RecordService → visibility).
    if p.anonymous:
        return ANONYMOUS, ""
    return p.reporter_name, p.reporter_contact


def petition_story(kit: Kit, p: Petition, key: str, *, first: bool) -> list[Flowable]:
    story = start_record(kit, key, f"{p.number} {p.channel}", p.marking, TITLE, first=first)
    w = TYPE_WIDTH
    g = kit.grid([w * 0.07, w * 0.15, w * 0.31, w * 0.15, w * 0.32], compact=True)
    names = kit.names
    reporter, contact = _reporter(p)
    g.row(
        label("登记情况", rows=5, vertical=True),
        label("编号"),
        value(p.number),
        label("收件日期"),
        value(cn_date(p.received_on)),
    )
    g.row(label("巡察轮次"), value(names.round(p.round_id)), label("巡察组"), value(names.group(p.group_id)))
    g.row(label("被巡察单位"), value(names.target(p.target_id), cols=3))
    g.row(label("来源渠道"), value(p.channel), label("登记人"), value(p.registered_by))
    g.row(label("反映人"), value(reporter), label("联系方式"), value(contact))
    g.section()
    g.row(
        label("被反映", rows=2, vertical=True),
        label("被反映人"),
        value(p.subject_name),
        label("受理范围"),
        value(p.within_remit),
    )
    g.row(label("被反映单位"), value(p.subject_unit, cols=3))
    columns = g.widths
    g.section(widths=[w * 0.07, w * 0.93])  # the free text in a block without spans
    long_text = len(p.summary) > 80
    g.row(label("内容摘要", vertical=True), value(p.summary), height=None if long_text else ROOM_TO_WRITE)
    g.section(widths=columns)
    g.row(
        label("处置情况", rows=2, vertical=True),
        label("处置方式"),
        value(p.disposal),
        label("转办单位"),
        value(p.forwarded_to),
    )
    g.row(label("处置日期"), value(cn_date(p.disposed_on)), label("决定人"), value(p.decided_by))
    story += g.sections()
    story.append(Spacer(1, 18))
    story.append(signature_lines(kit, ("登记人", "组长")))
    return story
