"""Text of the 政治画像 of an inspected unit's leader and of the 鉴定 of a member of the inspection group."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xuncha_desktop.services.demo.text.weights import pick, table

# dimension → (strong, middling, weak) phrases; {n} is a count, {name} the person
_DIMENSIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "政治素质": (
        (
            "政治立场坚定，能自觉用党的创新理论武装头脑，带头落实“第一议题”制度。",
            "讲政治、顾大局，执行上级决策部署坚决，在急难险重任务中敢于担当。",
        ),
        ("政治意识较强，能完成上级部署的各项任务，但理论学习深度不够，学用结合不紧。",),
        ("政治站位不高，对上级决策部署理解不深、落实打折扣，理论学习流于形式。",),
    ),
    "履职尽责": (
        (
            "工作思路清晰，分管工作在全县考核中位次靠前，{n}项重点任务按期完成。",
            "熟悉业务，抓落实有办法，能主动研究解决分管领域的难点问题。",
        ),
        ("能够完成分管工作，但开拓创新不足，遇到矛盾习惯上交。",),
        ("履职不够到位，分管领域问题较多，{n}项任务未按期完成。",),
    ),
    "民主集中制执行": (
        ("能坚持民主集中制，重大事项提交集体研究，注意听取班子成员意见。",),
        ("基本能执行民主集中制，但会前沟通不够，个别事项先定后议。",),
        ("民主作风欠缺，个人说了算，班子成员反映难以发表不同意见。",),
    ),
    "选人用人": (
        ("坚持好干部标准，选人用人程序规范，干部群众认可度高。",),
        ("选人用人总体规范，但对年轻干部培养使用不够，干部队伍结构老化。",),
        ("选人用人程序不规范，有“带病提拔”和“近亲繁殖”反映，“一报告两评议”满意率偏低。",),
    ),
    "廉洁自律": (
        ("严格落实中央八项规定精神，个人廉洁自律，未发现违规违纪问题反映。",),
        ("能遵守廉洁自律规定，但对分管领域廉政风险防控抓得不够紧。",),
        ("廉洁方面有群众反映，涉及与服务对象交往过密等问题，已作为线索登记。",),
    ),
    "作风": (
        ("作风务实，经常深入基层一线调研，联系群众紧密。", "工作作风扎实，雷厉风行，敢抓敢管。"),
        ("作风总体较好，但深入基层不够，有时存在以会议落实会议的现象。",),
        ("作风漂浮，下基层少，对群众反映的问题推诿拖延。",),
    ),
    "群众口碑": (
        ("干部职工评价较高，个别谈话中{n}人给予正面评价。",),
        ("群众评价总体一般，个别谈话中褒贬不一。",),
        ("群众评价不高，个别谈话中{n}人反映其存在问题。",),
    ),
}
_LEVEL_BY_GRADE = {
    "好": (0.85, 0.15, 0.0),
    "较好": (0.55, 0.4, 0.05),
    "一般": (0.2, 0.55, 0.25),
    "差": (0.0, 0.3, 0.7),
}
_LEVELS = {grade: table((0, 1, 2), weights) for grade, weights in _LEVEL_BY_GRADE.items()}
_OVERALLS = {
    "好": ("{name}同志政治过硬、履职尽责，民主测评优秀和称职率{rate}%，综合评价为“好”。建议继续大胆使用。",),
    "较好": (
        "{name}同志总体表现较好，能较好完成分管工作，民主测评优秀和称职率{rate}%；存在{weak}等不足，"
        "建议加强提醒，综合评价为“较好”。",
    ),
    "一般": (
        "{name}同志履职能力一般，民主测评优秀和称职率{rate}%，谈话中反映其{weak}方面问题较多，"
        "综合评价为“一般”，建议组织部门予以关注。",
    ),
    "差": (
        "{name}同志在{weak}等方面问题突出，民主测评优秀和称职率仅{rate}%，综合评价为“差”，建议组织部门重点关注并研究调整。",
    ),
}
_GRADES = table(("好", "较好", "一般", "差"), (30, 45, 20, 5))
_EXCELLENT_SHARE = {"好": (0.68, 0.9), "较好": (0.5, 0.7), "一般": (0.3, 0.5), "差": (0.1, 0.3)}


def _grade(rng: random.Random) -> str:
    return str(pick(rng, _GRADES))


def tallies(rng: random.Random, grade: str, voters: int) -> dict[str, int]:
    """个人测评 votes (优秀/称职/基本称职/不称职) of `voters` people, leaning as `grade` suggests."""
    lo, hi = _EXCELLENT_SHARE[grade]
    excellent = round(voters * rng.uniform(lo, hi))
    rest = voters - excellent
    weak_share = {"好": 0.04, "较好": 0.1, "一般": 0.25, "差": 0.45}[grade]
    basic = min(rest, round(rest * rng.uniform(0, weak_share * 2)))
    poor = min(rest - basic, round(rest * rng.uniform(0, weak_share)))
    return {"优秀": excellent, "称职": rest - basic - poor, "基本称职": basic, "不称职": poor}


def portrait(
    rng: random.Random, name: str, post: str, unit: dict[str, Any], *, grade: str = "", voters: int = 0
) -> dict[str, Any]:
    """政治画像 of one leader. Keys: dimensions (every vocab.PORTRAIT_DIMENSIONS), overall, grade,
    poll_tallies (个人测评), flag_for_org."""
    grade = grade or _grade(rng)
    levels_table = _LEVELS[grade]
    dimensions: dict[str, str] = {}
    weak: list[str] = []
    for dim, levels in _DIMENSIONS.items():
        level = pick(rng, levels_table)
        dimensions[dim] = rng.choice(levels[level]).format(n=rng.randint(2, 9), name=name)
        if level > 0:
            weak.append(dim)
    votes = tallies(rng, grade, voters or rng.randint(30, 120))
    total = sum(votes.values())
    # the same figure as domain.personnel_evaluations.favourable_rate (half-up, two decimals)
    rate = (Decimal((votes["优秀"] + votes["称职"]) * 100) / Decimal(total)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    rate_text = str(rate)
    weak_text = "、".join(weak[:2]) if weak else "开拓创新"
    overall = rng.choice(_OVERALLS[grade]).format(name=name, rate=rate_text, weak=weak_text)
    return {
        "dimensions": dimensions,
        "overall": f"{post}{overall}" if rng.random() < 0.3 else overall,
        "grade": grade,
        "poll_tallies": votes,
        "flag_for_org": grade in ("一般", "差"),
    }


# aspect → (优秀-leaning, 称职-leaning) comments by the group leader
_ASPECTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "政治素质": (
        ("政治站位高，对巡察工作的政治定位理解深刻，发现问题能从政治上分析把握。",),
        ("政治意识较强，能按照巡察工作要求开展工作。", "理论学习较为自觉，政治敏锐性有待进一步提高。"),
    ),
    "业务能力": (
        (
            "熟悉财务审计业务，查账细致，发现问题精准，撰写的底稿事实清楚、定性准确。",
            "谈话技巧娴熟，善于从谈话中发现问题线索，多条线索被采纳。",
        ),
        (
            "能完成分配的谈话和查阅资料任务，底稿撰写规范性有待提高。",
            "业务基础较好，综合分析能力需进一步加强。",
        ),
    ),
    "工作作风": (
        ("工作扎实，吃苦耐劳，多次加班加点完成资料调阅任务。",),
        ("工作认真负责，能按时完成组内分工任务。",),
    ),
    "纪律执行": (
        ("严格遵守巡察工作纪律和保密规定，无违反纪律情况。",),
        ("能遵守巡察工作纪律，保密意识较强。",),
    ),
    "廉洁自律": (
        ("严守廉洁纪律，在被巡察单位无吃请、无收礼等情况。",),
        ("能遵守廉洁规定，未发现违规问题。",),
    ),
}
_REFLECTIONS = (
    "通过这次巡察，本人对全面从严治党向基层延伸有了更深刻的认识，发现问题、分析问题的能力得到提高。",
    "巡察期间本人严格遵守“十不准”等纪律要求，虚心向组长和其他同志学习，查账、谈话的本领有了长进。",
    "本次巡察让我认识到，群众身边的问题最直接、最现实，必须把工作做细做实，经得起检验。",
)
_SHORTCOMINGS = (
    "不足之处是对政策法规掌握不够系统，底稿定性依据有时引用不够准确。",
    "不足之处是综合分析能力还不强，对问题背后的深层次原因挖掘不够。",
    "不足之处是谈话经验不足，追问不够深入，今后将加强学习。",
)


def appraisal(
    rng: random.Random,
    name: str,
    role: str,
    duty: str,
    home_unit_post: str,
    *,
    grade: str = "",
    group_label: str = "县委巡察组",
    staffing: str = "抽调",
    period: str = "",
    workload: dict[str, int] | None = None,
) -> dict[str, Any]:
    """巡察干部鉴定 of one member. Keys: self_summary, leader_comments (every vocab.APPRAISAL_ASPECTS),
    grade, group_opinion, office_opinion, conduct_score (text with one decimal, 0–100)."""
    grade = grade or ("优秀" if rng.random() < 0.2 else "称职")
    w = workload or {}
    when = period or "于本轮巡察期间"
    start = (
        f"本人作为专职巡察干部，{when}在{group_label}担任{role}"
        if staffing == "专职"
        else f"本人{when}抽调到{group_label}工作，担任{role}"
    )
    self_summary = (
        f"{start}，主要负责{duty}工作。"
        f"巡察期间参与个别谈话{w.get('interviews', rng.randint(10, 60))}人次，撰写问题底稿"
        f"{w.get('drafts', rng.randint(3, 20))}份，登记问题线索{w.get('leads', rng.randint(1, 8))}条。"
        + rng.choice(_REFLECTIONS)
        + rng.choice(_SHORTCOMINGS)
    )
    level = 0 if grade == "优秀" else 1
    comments = {aspect: rng.choice(options[level]) for aspect, options in _ASPECTS.items()}
    score = rng.uniform(95, 99.5) if grade == "优秀" else rng.uniform(86, 96)
    opinion = {
        "优秀": f"{name}同志在本轮巡察中表现突出，经组务会研究，鉴定为“优秀”，推荐为优秀抽调干部。",
        "称职": f"{name}同志能较好完成巡察任务，经组务会研究，鉴定为“称职”。",
        "基本称职": f"{name}同志基本完成巡察任务，但工作主动性不够，鉴定为“基本称职”。",
    }.get(grade, f"{name}同志鉴定为“{grade}”。")
    office = rng.choice(("同意巡察组鉴定意见。", "同意，反馈其所在单位党组织，作为年度考核参考。"))
    if role == "组长":  # the leader's appraisal comes from the office, not from the group
        opinion, office = "", f"{name}同志带领巡察组圆满完成本轮巡察任务，经巡察办研究，鉴定为“{grade}”。"
    return {
        "self_summary": self_summary,
        "leader_comments": comments,
        "grade": grade,
        "group_opinion": opinion,
        "office_opinion": office,
        "conduct_score": f"{score:.1f}",
    }
