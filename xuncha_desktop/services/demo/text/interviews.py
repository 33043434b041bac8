"""Text of a 个别谈话记录: the 谈话提纲 and a 问/答 record that opens with the 纪律和保密告知 and ends
with the interviewee's confirmation, the problems raised and the interviewee's view of the leadership team."""

from __future__ import annotations

import random
from typing import Any

from xuncha_desktop.services.demo.text.interview_bank import TEAM_VIEWS, TOPICS
from xuncha_desktop.services.demo.text.issues import KIND_LETTERS, slots, split_topics
from xuncha_desktop.services.demo.text.weights import pick, table

_CN_NUMBERS = "一二三四五六七八九十"
_OPENINGS = (
    "问：我们是县委第{g}巡察组的工作人员，我是{interviewer}，这位是{recorder}，负责记录（出示工作证件）。"
    "根据县委统一部署，县委第{g}巡察组正在对{org}开展巡察。今天找你谈话，主要是听取你对{u}领导班子及其成员、"
    "全面从严治党等方面情况的意见和建议。按照巡察工作纪律，你应当实事求是反映情况，并对反映的问题负责；"
    "谈话内容要严格保密，不得向任何人透露，巡察组也会对你反映的情况严格保密。你听清楚了吗？",
    "问：你好，我是县委第{g}巡察组{interviewer}，这位是{recorder}同志。今天按照巡察工作安排和你进行个别谈话，"
    "了解{u}有关情况。谈话前先告知纪律要求：一是如实反映情况，不夸大、不隐瞒；二是对谈话内容保密，"
    "不得对外泄露谈话情况；三是巡察组对谈话对象和反映内容严格保密。以上要求你清楚吗？",
    "问：我们是县委第{g}巡察组的，我是{interviewer}，这位是{recorder}（出示证件）。今天找你了解{u}的有关情况。"
    "请你实事求是反映问题，谈话内容要保密，巡察组也为你保密。清楚吗？",
    "问：{me}同志，我是县委第{g}巡察组{interviewer}，{recorder}同志负责记录。按照巡察纪律，请你如实反映情况，"
    "对谈话内容保密。明白吗？",
)
_TURNS = table(range(6, 13), (3, 4, 4, 3, 2, 1, 1))  # 6 to 12 question-and-answer turns, mostly about 8
_OPENING_ANSWERS = (
    "答：听清楚了，我会如实反映。",
    "答：清楚，我一定遵守纪律要求。",
    "答：明白，我实事求是地讲。",
)
_INTRO_ASK = (
    "问：请先介绍一下你的基本情况和工作分工。",
    "问：先请你简单说一下个人情况和现在分管（负责）的工作。",
)
_FOLLOW_UPS = (
    (
        "问：这个情况你是怎么知道的？有没有具体的人和事？",
        "答：是我在工作中接触到的，具体的账目在财务那里能查到，{staff}也清楚情况。",
    ),
    (
        "问：你反映的这个问题，有没有相关的材料或者其他知情人？",
        "答：材料我手上没有，但单位里不少人都知道，巡察组可以调账核实。",
    ),
    (
        "问：这个问题大概是什么时间开始的？现在还有没有？",
        "答：大概是{year}年开始的，巡察组来之前还是这样，最近才收敛了一些。",
    ),
)
_EVAL_ASK = ("问：你对{u}领导班子和班子成员总体怎么评价？", "问：请你谈谈对领导班子整体和班子成员的看法。")
_OTHER_ASK = "问：你还有没有其他需要向巡察组反映的情况？"
_OTHER_ANSWERS = (
    "答：没有了。",
    "答：暂时没有了，想到了再向巡察组反映。",
    "答：没有了，希望巡察组反馈的问题能真正整改到位。",
    "答：就这些，我反映的情况都是实事求是的。",
)
_CONFIRM = (
    (
        "问：以上谈话记录请你看一下，与你所说的是否一致？如有出入可以修改。",
        "答：以上记录我已看过，与我说的一致。",
    ),
    ("问：今天的谈话就到这里。请核对记录，确认无误后签字。", "答：我看过了，记录属实，没有补充。"),
)


def _fits(entry: Any, index: int) -> bool:
    topics, _ = split_topics(entry if isinstance(entry, str) else entry[0])
    return not topics or str(index) in topics


def _strip(entry: Any) -> Any:
    if isinstance(entry, str):
        return split_topics(entry)[1]
    return (split_topics(entry[0])[1], *entry[1:])


def _compile(topic: dict[str, Any]) -> dict[str, Any]:
    """Per question variant, the plain and problem answers that fit it (entries tagged '[0]' fit ask 0)."""
    asks = []
    for i, ask in enumerate(topic["ask"]):
        ok = [_strip(a) for a in topic["ok"] if _fits(a, i)]
        bad = [_strip(a) for a in topic["bad"] if _fits(a, i)]
        asks.append((ask, ok or [_strip(a) for a in topic["ok"]], bad or [_strip(a) for a in topic["bad"]]))
    return {"outline": topic["outline"], "kinds": topic.get("kinds", ""), "asks": asks}


_COMPILED = [_compile(t) for t in TOPICS]
_TOPICS_BY_KIND = {
    letter: [t for t in _COMPILED if not t["kinds"] or letter in t["kinds"]]
    for letter in KIND_LETTERS.values()
}


def interview(
    rng: random.Random,
    interviewee: str,
    post: str,
    unit: dict[str, Any],
    *,
    interviewer: str = "",
    recorder: str = "",
    group_ordinal: int = 1,
    persons: dict[str, str] | None = None,
    portfolio: str = "",
    birth_year: int = 0,
    problem_share: float = 0.35,
) -> dict[str, Any]:
    """One talk with `interviewee` (holding `post` in `unit`).

    Keys: outline, content (问/答 lines), problems (one-line summaries), persons_involved (names met in the
    problems), team_evaluation, team_grade (好/较好/一般), page_count.
    """
    s = slots(rng, unit, persons)
    s["me"] = interviewee
    s["g"] = _CN_NUMBERS[(group_ordinal - 1) % 10]
    s["interviewer"] = interviewer or "巡察组工作人员"
    s["recorder"] = recorder or "记录人"
    turns = pick(rng, _TURNS)
    lines = [rng.choice(_OPENINGS).format_map(s), rng.choice(_OPENING_ANSWERS)]
    born = birth_year or rng.randint(1968, 1993)
    joined = min(born + rng.randint(19, 24), 2020)
    duty = f"，{portfolio}" if portfolio else ""
    lines += [
        rng.choice(_INTRO_ASK),
        f"答：我叫{interviewee}，{born}年出生，{joined}年参加工作，{rng.randint(max(joined, 2012), 2024)}年到"
        f"{unit['short']}工作，现任{post}{duty}。",
    ]
    topics = _TOPICS_BY_KIND[KIND_LETTERS.get(unit["kind"], "O")]
    budget = turns - 5
    chosen = rng.sample(topics, k=min(len(topics), budget))
    problems: list[str] = []
    involved: list[str] = []
    outline = ["个人基本情况及工作分工"]
    for topic in chosen:
        if budget <= 0:
            break
        outline.append(topic["outline"])
        ask, oks, bads = rng.choice(topic["asks"])
        lines.append("问：" + ask.format_map(s))
        budget -= 1
        if rng.random() < problem_share:
            answer, summary = rng.choice(bads)
            answer = answer.format_map(s)
            lines.append("答：" + answer)
            problems.append(summary.format_map(s))
            involved += [s[k] for k in ("top", "leader", "staff") if s[k] in answer and s[k] not in involved]
            if budget > 0 and rng.random() < 0.5:
                ask, reply = rng.choice(_FOLLOW_UPS)
                lines += [ask, reply.format_map(s)]
                budget -= 1
        else:
            lines.append("答：" + rng.choice(oks).format_map(s))
    grade, view = rng.choice(TEAM_VIEWS)
    view = view.format_map(s)
    lines += [rng.choice(_EVAL_ASK).format_map(s), "答：" + view]
    lines += [_OTHER_ASK, rng.choice(_OTHER_ANSWERS)]
    lines += list(rng.choice(_CONFIRM))
    outline += ["对领导班子及其成员的评价", "其他需要反映的问题"]
    content = "\n".join(lines)
    return {
        "outline": "\n".join(f"{i}. {item}" for i, item in enumerate(outline, start=1)),
        "content": content,
        "problems": problems,
        "persons_involved": involved,
        "team_evaluation": f"对领导班子总体评价为“{grade}”。{view}",
        "team_grade": grade,
        "page_count": len(content) // 700 + 1,
    }
