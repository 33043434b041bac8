"""Text of a 问题底稿 for any category code of 四个落实 or 四个聚焦, from ~10 template families.

issue() fills a scenario of the family that serves the code with slots drawn from the rng: names, dates,
counts, amounts, companies and projects, so the same scenario reads differently each time.
"""

from __future__ import annotations

import random
from typing import Any

from xuncha_desktop.services.demo.text import names, units
from xuncha_desktop.services.demo.text.issue_bank_1 import DECISION, GOVERNANCE, IDEOLOGY, RESPONSIBILITY
from xuncha_desktop.services.demo.text.issue_bank_2 import FRUGALITY, GRASSROOTS, RISK
from xuncha_desktop.services.demo.text.issue_bank_3 import BRANCH, OTHER, PERSONNEL, RECTIFICATION

FAMILIES: tuple[dict[str, Any], ...] = (
    DECISION,
    GOVERNANCE,
    IDEOLOGY,
    RESPONSIBILITY,
    FRUGALITY,
    RISK,
    GRASSROOTS,
    PERSONNEL,
    BRANCH,
    RECTIFICATION,
    OTHER,
)
BY_CODE: dict[str, dict[str, Any]] = {code: f for f in FAMILIES for code in f["codes"]}
KIND_LETTERS = {
    "县直部门": "D",
    "乡镇(街道)": "T",
    "村(社区)": "V",
    "国有企业": "E",
    "学校": "S",
    "医院": "H",
    "其他": "O",
}
# Every slot a template may use; a test formats every template with these.
SLOTS = [
    "u",
    "org",
    "town",
    "village",
    "leader",
    "lpost",
    "top",
    "staff",
    "spost",
    "period",
    "date",
    "year",
    "y0",
    "n",
    "n2",
    "n3",
    "m",
    "m2",
    "pct",
    "area",
    "fee",
    "money",
    "part",
    "total",
    "project",
    "company",
    "supplier",
    "goods",
    "campaign",
    "duty",
    "last",
    "old_issue",
    "audit",
]

_VILLAGES = ("王庄村", "李家湾村", "新华村", "红星村", "河口村", "东营村", "前进村", "柳树沟村", "张家店村")
_OUTSIDE = (
    "高标准农田建设项目",
    "农村人居环境整治项目",
    "农村饮水安全巩固提升工程",
    "乡村道路提升改造工程",
    "污水管网改造工程",
    "便民服务中心改造项目",
    "河道综合治理工程",
    "特色农产品冷链仓储项目",
)
_INSIDE = ("综合楼维修改造工程", "信息化系统建设项目", "附属用房改扩建工程", "智慧安防提升项目")
_COMPANY_WORDS = [
    "鑫源",
    "宏达",
    "恒泰",
    "金诚",
    "顺通",
    "华盛",
    "瑞丰",
    "兴旺",
    "汇通",
    "永安",
    "嘉禾",
    "广源",
    "天润",
    "福瑞",
    "聚丰",
    "德信",
]
_BUILDER_TRADES = ("建筑工程", "市政工程", "建设工程", "路桥工程", "水利水电工程")
_TRADES = [
    "商贸",
    "劳务服务",
    "建材",
    "医疗器械",
    "办公设备",
    "农业开发",
    "物业管理",
    "餐饮管理",
]
_GOODS = ("办公电脑", "多媒体教学设备", "视频监控设备", "办公家具", "空调", "检测仪器", "LED显示屏")
_CAMPAIGNS = {
    "H": "医药领域腐败问题集中整治",
    "S": "校园餐问题专项整治",
}
_DUTIES = ("行业领域执法检查", "行政许可事后监管", "项目绩效评价", "行业统计监测", "安全生产监管")
_OLD_ISSUES = (
    "违规发放津补贴",
    "公务接待管理不规范",
    "“三会一课”落实不到位",
    "工程项目管理不规范",
    "国有资产管理混乱",
    "财务报销审核不严",
)
_CLOSINGS = (
    "",
    "{u}主要负责人{top}对此负有第一责任人责任，分管领导{leader}负有直接领导责任。",
    "上述问题{u}党组织集体知情，但未采取有效纠正措施。",
    "该问题在干部群众中反映较多，个别谈话中有{n2}人提及。",
    "经与当事人核实，{leader}对上述事实无异议。",
)
_RESPONSIBLE = (
    "{org}（主体责任）；{top}（第一责任人责任）；{leader}（直接责任）",
    "{org}（主体责任）；{leader}（主要领导责任）",
    "{top}（第一责任人责任）；{staff}（直接责任）",
    "{org}（主体责任）；{u}纪检组织（监督责任）",
)

_CN_ORDINALS = "一二三四五六"


def money_text(yuan: int) -> str:
    """'6480元' below ten thousand, else '12.64万元' (amounts ≥ 10,000 are whole hundreds)."""
    if yuan < 10000:
        return f"{yuan}元"
    wan = f"{yuan / 10000:.2f}".rstrip("0").rstrip(".")
    return f"{wan}万元"


def round_amount(yuan: float) -> int:
    return int(yuan // 10 * 10) if yuan < 10000 else int(yuan // 100 * 100)


def _period(rng: random.Random, s: Slots) -> str:
    start_year: int = s["_start_year"]
    end_year = rng.choice((start_year + 1, 2025)) if start_year < 2025 else 2025
    end_month = rng.randint(1, 7) if end_year == 2025 else rng.randint(6, 12)
    return f"{start_year}年{rng.randint(1, 9)}月至{end_year}年{end_month}月"


def _town(rng: random.Random, s: Slots) -> str:
    return str(s.unit.get("town") or rng.choice(units.TOWNS))


def _village(rng: random.Random, s: Slots) -> str:
    return str(s.unit["short"]) if s.unit["kind"] == "村(社区)" else s["town"] + rng.choice(_VILLAGES)


def _project(rng: random.Random, s: Slots) -> str:
    if KIND_LETTERS.get(s.unit["kind"], "O") in "SHE":
        return f"{s.unit['short']}{rng.choice(_INSIDE)}"
    return f"{s['town']}{rng.choice(_OUTSIDE)}"


def _amount(rng: random.Random, s: Slots) -> int:
    return round_amount(rng.uniform(10000, 400000))


def _last(rng: random.Random, s: Slots) -> str:
    start_year: int = s["_start_year"]
    return f"{start_year - 1 if start_year > 2022 else 2021}年县委第{rng.choice(_CN_ORDINALS)}轮巡察"


_MAKERS: dict[str, Any] = {
    "u": lambda rng, s: s.unit["short"],
    "org": lambda rng, s: s.unit["name"],
    "town": _town,
    "village": _village,
    "leader": lambda rng, s: names.person_name(rng),
    "lpost": lambda rng, s: "分管副职",
    "top": lambda rng, s: names.person_name(rng),
    "staff": lambda rng, s: names.person_name(rng),
    "spost": lambda rng, s: "工作人员",
    "period": _period,
    "_start_year": lambda rng, s: rng.choice((2022, 2023, 2023, 2024)),
    "year": lambda rng, s: rng.choice((2023, 2024, 2024, 2025)),
    "date": lambda rng, s: (
        f"{s['year']}年{rng.randint(1, 12 if s['year'] < 2025 else 7)}月{rng.randint(1, 28)}日"
    ),
    "y0": lambda rng, s: rng.randint(2012, 2018),
    "n": lambda rng, s: rng.randint(2, 9),
    "n2": lambda rng, s: rng.randint(2, 6),
    "n3": lambda rng, s: rng.randint(2, 8),
    "m": lambda rng, s: rng.randint(s["n"] + 8, 60),
    "m2": lambda rng, s: rng.randint(s["n"] + 4, 30),
    "pct": lambda rng, s: rng.randint(12, 45),
    "area": lambda rng, s: f"{rng.uniform(1.5, 60):.1f}",
    "fee": lambda rng, s: rng.randrange(100, 800, 50),
    "_amount": _amount,
    "money": lambda rng, s: money_text(s["_amount"]),
    "part": lambda rng, s: money_text(round_amount(s["_amount"] * rng.uniform(0.2, 0.6))),
    "total": lambda rng, s: money_text(round_amount(s["_amount"] * rng.uniform(3, 12))),
    "project": _project,
    "company": lambda rng, s: f"清河县{rng.choice(_COMPANY_WORDS)}{rng.choice(_BUILDER_TRADES)}有限公司",
    "supplier": lambda rng, s: f"清河县{rng.choice(_COMPANY_WORDS)}{rng.choice(_TRADES)}有限公司",
    "goods": lambda rng, s: rng.choice(_GOODS),
    "campaign": lambda rng, s: _CAMPAIGNS.get(KIND_LETTERS.get(s.unit["kind"], "O"), _CAMPAIGN),
    "duty": lambda rng, s: rng.choice(_DUTIES),
    "last": _last,
    "old_issue": lambda rng, s: rng.choice(_OLD_ISSUES),
    "audit": lambda rng, s: (
        f"{rng.choice((2023, 2024))}年县审计局{rng.choice(('经济责任审计', '专项审计调查'))}"
    ),
}
_CAMPAIGN = "群众身边不正之风和腐败问题集中整治"


class Slots(dict[str, Any]):
    """Template values, each drawn from the rng on first use: a template needs only a few of them, so this
    is much cheaper than drawing all, and stays deterministic (the templates decide the order)."""

    def __init__(self, rng: random.Random, unit: dict[str, Any], given: dict[str, str] | None = None) -> None:
        super().__init__(given or {})
        self.rng = rng
        self.unit = unit

    def __missing__(self, key: str) -> Any:
        value = _MAKERS[key](self.rng, self)
        self[key] = value
        return value


def slots(rng: random.Random, unit: dict[str, Any], persons: dict[str, str] | None = None) -> Slots:
    """Values for every name in SLOTS, made on first use; `persons` may give top, leader, lpost, staff and
    spost."""
    return Slots(rng, unit, persons)


def family_for(category_code: str) -> dict[str, Any]:
    """The template family that serves a code; sub-codes fall back to their parent, unknown codes to OTHER."""
    code = category_code
    while code and code not in BY_CODE:
        code = code.rsplit(".", 1)[0] if "." in code else ""
    return BY_CODE.get(code, OTHER)


def split_topics(text: str) -> tuple[str, str]:
    """'[045]text' → ('045', 'text'): the scenario indices an entry fits; '' means every scenario."""
    if text.startswith("["):
        end = text.index("]")
        return text[1:end], text[end + 1 :]
    return "", text


def _compile(family: dict[str, Any]) -> dict[str, Any]:
    """Scenario choices per kind letter, and per scenario index the pool entries that fit it."""
    scenarios = family["scenarios"]
    out: dict[str, Any] = {"kinds": {}, "fits": []}
    for letter in KIND_LETTERS.values():
        fitting = [i for i, s in enumerate(scenarios) if s[0] == "*" or letter in s[0]]
        out["kinds"][letter] = fitting or list(range(len(scenarios)))
    for index in range(len(scenarios)):
        fits: dict[str, list[Any]] = {}
        for pool in ("discovery", "basis", "suggestion"):
            split = [split_topics(t) for t in family[pool]]
            fits[pool] = [t for topics, t in split if not topics or str(index) in topics]
        evidence = []
        for name, source, lo, hi in family["evidence"]:
            topics, name = split_topics(name)
            if not topics or str(index) in topics:
                evidence.append((name, source, lo, hi))
        fits["evidence"] = evidence
        out["fits"].append(fits)
    return out


_COMPILED = {id(f): _compile(f) for f in FAMILIES}


def issue(
    rng: random.Random,
    category_code: str,
    unit: dict[str, Any],
    persons: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The text of one 问题底稿 of `category_code` about `unit` (a dict from units.target_unit).

    Keys: title (≤ 40 characters), description, discovery, basis, suggestion, amount_yuan (int),
    evidence (list of {name, source, pages}), disciplines, special_tags, source, responsibility_types,
    responsible_party, immediate_fix.
    """
    family = family_for(category_code)
    compiled = _COMPILED[id(family)]
    index = rng.choice(compiled["kinds"][KIND_LETTERS.get(unit["kind"], "O")])
    _, title, facts, amount_range = family["scenarios"][index]
    fits = compiled["fits"][index]
    s = slots(rng, unit, persons)
    amount = 0
    if amount_range:
        amount = round_amount(rng.uniform(*amount_range))
        s["_amount"] = amount
    description = facts.format_map(s) + rng.choice(_CLOSINGS).format_map(s)
    picked = rng.sample(fits["evidence"], k=min(len(fits["evidence"]), rng.randint(2, 4)))
    evidence = [
        {"name": name.format_map(s), "source": source, "pages": rng.randint(lo, hi)}
        for name, source, lo, hi in picked
    ]
    disciplines = list(family["disciplines"][: rng.randint(1, len(family["disciplines"]))])
    tags = list(dict.fromkeys(rng.sample(family["tags"], k=rng.randint(1, len(family["tags"])))))
    responsibility = rng.choice(
        (["主体责任", "第一责任人责任", "直接责任"], ["主体责任", "主要领导责任"], ["直接责任", "监督责任"])
    )
    return {
        "title": title.format_map(s),
        "description": description,
        "discovery": rng.choice(fits["discovery"]).format_map(s),
        "basis": rng.choice(fits["basis"]),
        "suggestion": rng.choice(fits["suggestion"]).format_map(s),
        "amount_yuan": amount,
        "evidence": evidence,
        "disciplines": disciplines,
        "special_tags": tags,
        "source": rng.choice(family["sources"]),
        "responsibility_types": responsibility,
        "responsible_party": rng.choice(_RESPONSIBLE).format_map(s),
        "immediate_fix": "立行立改" in tags,
    }
