"""信访件 of the demo: a few letters, calls, visits, 码上巡察 complaints and box letters with every disposal,
one that became a lead (the lead's own facts, linked to it as 信访来源) and, in the field demo, one letter
put into a 问题底稿 through the disposal service (services.records.petition_disposal)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from xuncha_desktop.domain.classification import BUILTIN_CATEGORIES
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.petitions import FILE_AWAY, FORWARD, TO_DRAFT, TO_LEAD, Petition
from xuncha_desktop.domain.record_types import PETITION
from xuncha_desktop.services.records.petition_disposal import decide, record_decision
from xuncha_desktop.storage.revisions import RevisionWriter

# (channel, within remit, disposal, forwarded to, summary with {unit} and {leader}).
PLANS = (
    ("来电", "不属于", FORWARD, "县信访局", "反映本人宅基地与邻居存在权属纠纷，要求巡察组出面协调解决。"),
    ("意见箱", "属于", FILE_AWAY, "", "反映{unit}办公用房超标，部分科室长期占用两间以上办公室。"),
    ("来访", "不属于", FORWARD, "县人力资源和社会保障局", "反映本人所在企业拖欠工资三个月，请求帮助追讨。"),
    ("网络（码上巡察）", "属于", FILE_AWAY, "", "反映{unit}窗口办事效率不高，群众排队时间较长。"),
    ("来信", "属于", FILE_AWAY, "", "反映{leader}工作作风简单，但未提供具体事实，留存备查，待谈话中核实。"),
)
ANONYMOUS_CHANNELS = ("意见箱", "网络（码上巡察）")
# The letter the group put into a 问题底稿 (a 作风 matter found in the unit itself, no person named).
INTO_DRAFT = "反映{unit}公务用车管理不规范，节假日存在公车私用现象，车辆使用登记与加油记录对不上。"
# Its 问题类别 in each framework: the 从严治党 / 不正之风 area.
DRAFT_CATEGORY = {"四个落实": "A2", "四个聚焦": "B2", "三个聚焦": "C2", "三大问题": "D3"}
LEAD_CHANNELS = {"来信": "来信", "来电": "来电", "来访": "来访", "码上巡察": "网络（码上巡察）"}


def demo_petitions(gen: Any, leads: Sequence[LeadRegistration], count: int) -> list[Petition]:
    """Up to `count` petitions (5 planned ones and one that became a lead); `gen` is the demo generator."""
    out: list[Petition] = []
    for i, (channel, remit, disposal, forwarded, summary) in enumerate(PLANS[: max(0, count - 1)]):
        unit = gen.units[i % len(gen.units)]
        group = unit.group
        received = gen.workday(gen.round.start_on, gen.round.end_on or gen.today)
        anonymous = channel in ANONYMOUS_CHANNELS
        out.append(
            Petition(
                id=gen.new_id(),
                number=gen.number(PETITION, group),
                round_id=gen.round.id,
                group_id=group.group.id,
                target_id=unit.target.id,
                received_on=received,
                registered_by=group.chief.name,
                channel=channel,
                anonymous=anonymous,
                reporter_name="" if anonymous else gen.rng.choice(("刘建华", "陈秀英", "王国强", "张丽")),
                reporter_contact="" if anonymous else f"139{gen.rng.randint(10000000, 99999999)}",
                subject_name=unit.leaders[0].name if "{leader}" in summary else "",
                subject_unit=unit.target.name if remit == "属于" else "",
                summary=summary.format(unit=unit.target.name, leader=unit.leaders[0].name),
                within_remit=remit,
                disposal=disposal,
                forwarded_to=forwarded,
                disposed_on=gen.clamp(received + timedelta(days=2)),
                decided_by=group.chief.name,
            )
        )
    source = next(
        (
            x
            for x in leads
            if x.source in LEAD_CHANNELS and x.subject_name and (x.anonymous or x.reporter_name)
        ),
        None,
    )
    if source is not None and count > 0:
        group = next(g for g in gen.groups if g.group.id == source.group_id)
        petition = Petition(
            id=gen.new_id(),
            number=gen.number(PETITION, group),
            round_id=source.round_id,
            group_id=source.group_id,
            target_id=source.target_id,
            received_on=source.registered_on,
            registered_by=source.registered_by,
            channel=LEAD_CHANNELS[source.source],
            anonymous=source.anonymous,
            reporter_name=source.reporter_name,
            reporter_contact=source.reporter_contact,
            subject_name=source.subject_name,
            subject_unit=source.subject_post,
            summary=source.summary,
            disposal=TO_LEAD,
            disposed_on=source.registered_on,
            decided_by=group.chief.name,
            marking=source.marking,
        )
        out.append(petition)
        gen.link("petition", petition.id, "lead", source.id, "信访来源")
    return out


def petition_into_draft(gen: Any, writer: RevisionWriter) -> Petition:
    """A real-name letter about a unit, registered, then put into a 问题底稿 by the group's 组长 through the
    disposal service: the draft is pre-filled from it, numbered after the demo's drafts and linked to it as
    信访来源, and the disposal is audited like one made in the window. Returns the petition as registered."""
    unit = gen.units[-1]
    group = unit.group
    received = gen.workday(gen.round.start_on, gen.round.end_on or gen.today)
    petition = Petition(
        id=gen.new_id(),
        number=gen.number(PETITION, group),
        round_id=gen.round.id,
        group_id=group.group.id,
        target_id=unit.target.id,
        received_on=received,
        registered_by=group.chief.name,
        channel="来信",
        reporter_name=gen.rng.choice(("孙志刚", "黄美玲")),
        reporter_contact=f"137{gen.rng.randint(10000000, 99999999)}",
        subject_unit=unit.target.name,
        summary=INTO_DRAFT.format(unit=unit.text["short"]),
    )
    writer.write_new_many(PETITION, [petition])
    framework = gen.round.framework
    category = DRAFT_CATEGORY.get(framework) or next(
        c.code for c in BUILTIN_CATEGORIES if c.framework == framework and c.level == 1
    )
    decided = gen.clamp(received + timedelta(days=3))
    decision = decide(petition, TO_DRAFT, decided, group.chief.name, category_l1=category)
    record_decision(writer, decision, ids=gen.new_id)
    return petition
