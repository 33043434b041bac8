"""Text of a 问题线索: what is reported, the group's 研判 and 会商, and the receiver's feedback."""

from __future__ import annotations

import random
from typing import Any

from xuncha_desktop.services.demo.text.issues import round_amount, slots

# (disciplines, summary template, amount range in yuan or None); {s} is the subject, {p} the subject's post
_SUMMARIES: tuple[tuple[tuple[str, ...], str, tuple[int, int] | None], ...] = (
    (
        ("廉洁纪律",),
        "反映{s}（{p}）在{project}实施过程中，收受施工方{company}负责人“好处费”{money}，"
        "并在工程款拨付、变更签证上予以关照。",
        (20000, 300000),
    ),
    (
        ("廉洁纪律",),
        "反映{s}（{p}）利用职务便利，为其亲属实际控制的{company}承揽单位工程和采购业务，"
        "{period}累计合同金额{money}。",
        (300000, 3000000),
    ),
    (
        ("廉洁纪律",),
        "反映{s}（{p}）逢年过节收受管理服务对象礼金、购物卡，{year}年春节期间收受{n}人礼金共{money}。",
        (5000, 60000),
    ),
    (
        ("廉洁纪律", "工作纪律"),
        "反映{s}（{p}）违规向{supplier}出借公款{money}，收取个人“利息”，本金至今未收回。",
        (200000, 2000000),
    ),
    (
        ("群众纪律", "廉洁纪律"),
        "反映{s}（{p}）在低保、危房改造补助审核中优亲厚友，将{n}户不符合条件的亲属纳入保障，"
        "并向部分群众收取“跑腿费”，涉及资金{money}。",
        (10000, 120000),
    ),
    (
        ("群众纪律",),
        "反映{s}（{p}）长期不在岗，群众办事找不到人，对群众诉求推诿扯皮，态度生硬，"
        "{year}年以来多名群众到县里反映。",
        None,
    ),
    (
        ("组织纪律",),
        "反映{s}（{p}）在{year}年中层干部调整中违规操作，为其亲属“量身定制”任职条件，未经民主推荐直接提名。",
        None,
    ),
    (
        ("组织纪律", "廉洁纪律"),
        "反映{s}（{p}）未如实报告个人有关事项，其配偶在{company}持股并参与经营，该公司与本单位存在业务往来。",
        None,
    ),
    (
        ("工作纪律",),
        "反映{s}（{p}）在{project}监管中失职失责，对施工方偷工减料问题不制止、不报告，"
        "造成返工损失约{money}。",
        (50000, 800000),
    ),
    (
        ("生活纪律", "廉洁纪律"),
        "反映{s}（{p}）经常接受{company}老板安排的宴请和娱乐活动，周末多次驾驶老板提供的车辆外出。",
        None,
    ),
    (
        ("政治纪律",),
        "反映{s}（{p}）在上次巡察期间与相关人员串供，授意他人补做会议记录、转移账目资料，对抗组织监督。",
        None,
    ),
    (
        ("廉洁纪律",),
        "反映{s}（{p}）虚列劳务费、差旅费套取资金{money}，用于个人开支和单位招待。",
        (10000, 200000),
    ),
)
_VERIFIABILITY = (
    ("较强", "反映问题具体，有时间、地点、金额和知情人，相关账目、合同可调取核实，可查性较强。"),
    ("较强", "反映内容与巡察组调阅资料发现的疑点相互印证，涉及的银行流水可查询，可查性较强。"),
    ("一般", "反映问题有一定具体内容，但关键证据掌握在当事人手中，需进一步调查核实，具有一定可查性。"),
    ("较弱", "反映内容较为笼统，缺少具体时间和金额，知情人不愿作证，可查性较弱。"),
)
_OPINIONS = {
    "移交纪检监察机关": "经组务会研判，该线索反映{s}涉嫌违反{d}，问题较为具体，属于纪检监察机关管辖范围，"
    "建议按程序移交{receiver}处置。",
    "移交组织部门": "经组务会研判，该线索主要反映{s}在选人用人、干部管理方面的问题，属于组织部门职责范围，"
    "建议移交{receiver}处理。",
    "转有关部门": "经组务会研判，该线索反映的问题主要涉及行业管理和群众诉求，不属于巡察受理范围，"
    "建议转{receiver}依法依规办理。",
    "了结": "经组务会研判，巡察组结合调阅资料和谈话情况核实，该线索反映问题与事实不符，建议予以了结。",
    "暂存": "经组务会研判，该线索反映问题笼统、可查性不强，建议暂存，待掌握新的情况后再作处置。",
}
_FIRST_SORT = (
    "经组务会初步研判，该线索属于巡察受理范围，反映问题具有一定具体内容，需进一步深入了解。",
    "经组务会初步研判，该线索涉及{s}，与巡察组在调阅资料中发现的问题有关联，需结合谈话情况深入核实。",
    "经组务会初步研判，该线索反映问题较为具体，拟进一步调阅相关资料、开展个别谈话后再提出处置意见。",
)
_CONSULTATIONS = (
    "经与县委巡察办、县纪委监委有关纪检监察室会商，同意巡察组研判意见。",
    "经与县委巡察办会商，同意按程序移交，移交时附谈话情况摘录和证明材料。",
    "经“组办会商”，同意巡察组处置建议，要求密封专人移送并做好签收登记。",
    "经与县委组织部干部监督科会商，同意巡察组意见。",
)
# outcome type → feedback texts (with the sanction or organisational handling when there is one)
_OUTCOMES: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "谈话函询": (
        (
            "县纪委监委对{s}进行函询，其如实说明了有关情况，经核实反映问题不属实，予以采信了结。",
            "",
            "",
            False,
        ),
        (
            "县纪委监委对{s}进行谈话函询，其说明部分问题属实，但情节轻微，给予批评教育。",
            "",
            "批评教育",
            False,
        ),
        ("经谈话函询，{s}承认存在不规范行为，已退缴相关款项，对其进行诫勉。", "", "诫勉", False),
    ),
    "初步核实": (
        (
            "经初步核实，反映问题基本属实，县纪委监委已对{s}立案审查调查，给予党内严重警告处分。",
            "党内严重警告处分",
            "",
            True,
        ),
        (
            "经初步核实，反映问题部分属实，县纪委监委对{s}立案审查，给予党内警告处分，收缴违纪款项。",
            "党内警告处分",
            "",
            True,
        ),
        (
            "经初步核实，{s}涉嫌职务违法，已立案调查并采取留置措施，给予开除党籍、开除公职处分，"
            "涉嫌犯罪问题移送检察机关依法审查起诉。",
            "开除党籍、开除公职",
            "",
            True,
        ),
        (
            "经初步核实，反映问题部分属实但情节较轻，由县委组织部对{s}进行诫勉，并调整其分管工作。",
            "",
            "诫勉、调整分工",
            False,
        ),
    ),
    "暂存待查": (
        ("经研究，反映问题笼统、暂不具备核查条件，作暂存待查处理，待发现新的线索后再行处置。", "", "", False),
    ),
    "予以了结": (
        ("经核查，反映问题失实，予以了结，并在一定范围内为{s}澄清正名。", "", "", False),
        ("经核查，反映问题查无实据，予以了结。", "", "", False),
    ),
}
_SOURCE_HINTS = (
    "个别谈话",
    "个别谈话",
    "个别谈话",
    "来信",
    "来电",
    "来访",
    "码上巡察",
    "调阅资料",
    "走访",
    "上级交办",
)


def lead(
    rng: random.Random,
    subject: str,
    post: str,
    unit: dict[str, Any],
    *,
    disposal: str = "",
    receiver: str = "",
    outcome_type: str = "",
    persons: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One lead on `subject` (holding `post` in `unit`).

    Keys: summary, disciplines, amount_yuan, source (a suggested vocab.LEAD_SOURCES value), first_sort (the
    first 研判), judgement (the 组务会 opinion for `disposal`), verifiability (+ verifiability_level
    较强/一般/较弱), consultation, outcome,
    sanction, org_handling, case_opened, judicial_transfer (the last five for `outcome_type`).
    """
    s = slots(rng, unit, persons)
    disciplines, summary, amount_range = rng.choice(_FITTING.get(disposal, _SUMMARIES))
    amount = 0
    if amount_range:
        amount = round_amount(rng.uniform(*amount_range))
        s["_amount"] = amount
    s["s"], s["p"] = subject, post
    s["d"] = "、".join(disciplines)
    s["receiver"] = receiver or "有关部门"
    level, verifiability = rng.choice(_VERIFIABILITY)
    judgement = _OPINIONS.get(disposal, _FIRST_SORT[0]).format_map(s)
    outcome, sanction, handling, case_opened = "", "", "", False
    if outcome_type:
        table = {"移交组织部门": _ORG_OUTCOMES, "转有关部门": _DEPT_OUTCOMES}.get(disposal, _OUTCOMES)
        outcome, sanction, handling, case_opened = rng.choice(
            table.get(outcome_type) or _OUTCOMES[outcome_type]
        )
        outcome = outcome.format_map(s)
    return {
        "summary": summary.format_map(s),
        "disciplines": list(disciplines),
        "amount_yuan": amount,
        "source": rng.choice(_SOURCE_HINTS),
        "first_sort": rng.choice(_FIRST_SORT).format_map(s),
        "judgement": judgement,
        "verifiability": verifiability,
        "verifiability_level": level,
        "consultation": _CONSULTATIONS[3] if disposal == "移交组织部门" else rng.choice(_CONSULTATIONS[:3]),
        "outcome_type": outcome_type,
        "outcome": outcome,
        "sanction": sanction,
        "org_handling": handling,
        "case_opened": case_opened,
        "judicial_transfer": "移送检察机关" in outcome,
    }


# What the organisation department and other departments report back (their own wording).
_ORG_OUTCOMES: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "谈话函询": (
        (
            "县委组织部对{s}进行函询，其对有关情况作了说明，经核实属实部分情节轻微，给予提醒谈话。",
            "",
            "提醒谈话",
            False,
        ),
        ("县委组织部对{s}进行谈话，责令其作出书面检查，并在民主生活会上作说明。", "", "责令检查", False),
    ),
    "初步核实": (
        (
            "经县委组织部核实，反映的干部选任程序问题基本属实，对{s}给予诫勉，相关任职程序予以纠正。",
            "",
            "诫勉",
            False,
        ),
        (
            "经县委组织部核实，反映问题部分属实，对{s}进行批评教育，并督促单位完善选人用人制度。",
            "",
            "批评教育",
            False,
        ),
    ),
}
_DEPT_OUTCOMES: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "初步核实": (
        (
            "{receiver}调查核实后认定反映问题部分属实，已责令{s}所在单位限期整改，并将整改情况书面反馈。",
            "",
            "",
            False,
        ),
        ("{receiver}核查后依法作出处理，追回违规资金，相关情况已答复反映人。", "", "", False),
    ),
    "予以了结": (("{receiver}调查核实后认为反映问题不属实，已向反映人作出答复，予以了结。", "", "", False),),
}
# Which reports each disposal takes: the organisation department gets cadre matters, other departments
# the matters of services and public funds; 纪检监察机关 and the group's own 了结/暂存 take any report.
_FITTING = {
    "移交组织部门": tuple(s for s in _SUMMARIES if "组织纪律" in s[0]),
    "转有关部门": tuple(s for s in _SUMMARIES if "群众纪律" in s[0] or s[0] == ("工作纪律",)),
}
