"""The versioned problem-classification dictionaries (domain README §2) shipped with the application.

A round names the framework and version it uses, so statistics can map old categories onto new ones.
The office may later provision other versions; these are the built-in defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

BUILTIN_VERSION = "2024.1"


@dataclass(frozen=True)
class Category:
    framework: str
    version: str
    code: str
    label: str
    parent_code: str = ""

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


def _entries(framework: str, version: str, rows: tuple[tuple[str, str], ...]) -> tuple[Category, ...]:
    out = []
    for code, label in rows:
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        out.append(Category(framework, version, code, label, parent))
    return tuple(out)


FOUR_IMPLEMENTATIONS = _entries(
    "四个落实",
    BUILTIN_VERSION,
    (
        ("A1", "落实党的理论和路线方针政策、党中央重大决策部署及上级要求"),
        ("A1.1", "学习贯彻（“第一议题”、中心组学习）"),
        ("A1.2", "主责主业、核心职能履行"),
        ("A1.3", "重大决策部署执行（打折扣、搞变通、选择性执行）"),
        ("A1.4", "党的领导融入治理、“三重一大”"),
        ("A1.5", "意识形态工作责任制"),
        ("A2", "落实全面从严治党战略部署"),
        ("A2.1", "主体责任、第一责任人、“一岗双责”"),
        ("A2.2", "监督责任（纪检）"),
        ("A2.3", "中央八项规定精神、“四风”"),
        ("A2.4", "重点领域廉洁风险（采购、招投标、工程、资金、资产）"),
        ("A2.5", "群众身边腐败和不正之风"),
        ("A3", "落实新时代党的组织路线"),
        ("A3.1", "领导班子建设、民主集中制"),
        ("A3.2", "选人用人"),
        ("A3.3", "干部队伍建设"),
        ("A3.4", "基层党组织建设（“三会一课”、软弱涣散、党员管理）"),
        ("A4", "落实巡视巡察、审计等监督发现问题整改"),
        ("A4.1", "整改主体责任"),
        ("A4.2", "虚假、纸面、选择性整改"),
        ("A4.3", "屡改屡犯、长效机制"),
        ("A9", "其他"),
    ),
)

FOUR_FOCUSES = _entries(
    "四个聚焦",
    BUILTIN_VERSION,
    (
        ("B1", "聚焦党中央决策部署在基层落实情况"),
        ("B2", "聚焦群众身边不正之风和腐败问题"),
        ("B3", "聚焦基层党组织和党员队伍建设"),
        ("B4", "聚焦巡察整改落实情况"),
        ("B9", "其他"),
    ),
)

THREE_FOCUSES = _entries(
    "三个聚焦",
    "2018.1",
    (
        ("C1", "贯彻落实党的路线方针政策和党中央决策部署"),
        ("C2", "群众身边腐败问题和不正之风"),
        ("C3", "基层党组织软弱涣散、组织力欠缺"),
    ),
)

THREE_MAJOR_PROBLEMS = _entries(
    "三大问题",
    "2015.1",
    (
        ("D1", "党的领导弱化"),
        ("D2", "党的建设缺失"),
        ("D3", "全面从严治党不力"),
    ),
)

BUILTIN_CATEGORIES: tuple[Category, ...] = (
    FOUR_IMPLEMENTATIONS + FOUR_FOCUSES + THREE_FOCUSES + THREE_MAJOR_PROBLEMS
)
FRAMEWORKS = ("四个落实", "四个聚焦", "三个聚焦", "三大问题")
DEFAULT_FRAMEWORK = "四个聚焦"  # 市县巡察 today


def framework_version(framework: str) -> str:
    for c in BUILTIN_CATEGORIES:
        if c.framework == framework:
            return c.version
    raise KeyError(framework)


def category_label(code: str) -> str:
    for c in BUILTIN_CATEGORIES:
        if c.code == code:
            return c.label
    return code
