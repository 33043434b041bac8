"""The fictional county 清河县: inspected units of every kind, their leadership posts, and lead receivers."""

from __future__ import annotations

import random
from typing import Any

COUNTY = "清河县"
COMMITTEE = "中共清河县委"
TOWNS = ("柳林镇", "双河镇", "石桥乡", "杨庄镇", "马家店乡", "白沙镇")
STREETS = ("城关街道", "河西街道")

# kind → (short name, name of the Party organisation inspected) per unit
_UNITS: dict[str, tuple[tuple[str, str], ...]] = {
    "县直部门": (
        ("县财政局", "中共清河县财政局党组"),
        ("县自然资源局", "中共清河县自然资源局党组"),
        ("县农业农村局", "中共清河县农业农村局党组"),
        ("县住房和城乡建设局", "中共清河县住房和城乡建设局党组"),
        ("县医疗保障局", "中共清河县医疗保障局党组"),
        ("县水利局", "中共清河县水利局党组"),
        ("县民政局", "中共清河县民政局党组"),
        ("县交通运输局", "中共清河县交通运输局党组"),
        ("县市场监督管理局", "中共清河县市场监督管理局党组"),
    ),
    "乡镇(街道)": tuple((t, f"中共清河县{t}委员会") for t in TOWNS)
    + tuple((s, f"中共清河县{s}工作委员会") for s in STREETS),
    "村(社区)": (
        ("柳林镇前进村", "中共清河县柳林镇前进村支部委员会"),
        ("双河镇河口村", "中共清河县双河镇河口村支部委员会"),
        ("石桥乡石桥村", "中共清河县石桥乡石桥村总支部委员会"),
        ("杨庄镇东营村", "中共清河县杨庄镇东营村支部委员会"),
        ("城关街道东关社区", "中共清河县城关街道东关社区委员会"),
        ("河西街道滨河社区", "中共清河县河西街道滨河社区支部委员会"),
    ),
    "国有企业": (
        ("县城投公司", "中共清河县城市建设投资集团有限公司委员会"),
        ("县水务集团", "中共清河县水务集团有限公司委员会"),
        ("县粮食储备公司", "中共清河县粮食储备有限公司支部委员会"),
        ("县公共交通公司", "中共清河县公共交通有限公司支部委员会"),
    ),
    "学校": (
        ("县第一中学", "中共清河县第一中学委员会"),
        ("县职业教育中心", "中共清河县职业教育中心总支部委员会"),
        ("县实验小学", "中共清河县实验小学支部委员会"),
    ),
    "医院": (
        ("县人民医院", "中共清河县人民医院委员会"),
        ("县中医医院", "中共清河县中医医院委员会"),
        ("县妇幼保健院", "中共清河县妇幼保健院总支部委员会"),
    ),
    "其他": (
        ("县供销合作社联合社", "中共清河县供销合作社联合社党组"),
        ("县融媒体中心", "中共清河县融媒体中心总支部委员会"),
        ("县住房公积金管理中心", "中共清河县住房公积金管理中心支部委员会"),
    ),
}

_ROOMS = ("三楼小会议室", "二楼谈话室", "五楼会议室", "党员活动室", "档案室隔壁谈话室", "一楼接待室")
_VILLAGE_ROOMS = ("村委会会议室", "党群服务中心二楼", "便民服务大厅里间", "村党员活动室")


def target_unit(rng: random.Random, kind: str) -> dict[str, Any]:
    """One inspected unit of the given kind (one of vocab.UNIT_KINDS).

    Keys: name (the Party organisation inspected), short (how people call the unit), kind, rooms (places
    in it fit for a talk) and town (the township a village or community belongs to, else '').
    """
    short, name = rng.choice(_UNITS[kind])
    town = next((t for t in (*TOWNS, *STREETS) if short.startswith(t)), "") if kind == "村(社区)" else ""
    rooms = _VILLAGE_ROOMS if kind == "村(社区)" else _ROOMS
    return {"name": name, "short": short, "kind": kind, "rooms": rooms, "town": town}


def all_units(kind: str) -> tuple[tuple[str, str], ...]:
    """Every (short, name) of a kind, for callers that need distinct units."""
    return _UNITS[kind]


def unit_from(kind: str, short: str, name: str) -> dict[str, Any]:
    town = next((t for t in (*TOWNS, *STREETS) if short.startswith(t)), "") if kind == "村(社区)" else ""
    rooms = _VILLAGE_ROOMS if kind == "村(社区)" else _ROOMS
    return {"name": name, "short": short, "kind": kind, "rooms": rooms, "town": town}


def place(rng: random.Random, unit: dict[str, Any]) -> str:
    """Where a talk is held, e.g. 县财政局三楼小会议室 or 巡察组驻地谈话室."""
    if rng.random() < 0.25:
        return rng.choice(("巡察组驻地谈话室", "县委巡察办谈话室", "巡察组驻地一号谈话室"))
    return f"{unit['short']}{rng.choice(unit['rooms'])}"


# kind → leadership posts in order (0 = the top leader): (post, portfolio, cadre rank)
_LEADERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "县直部门": (
        ("党组书记、局长", "主持全面工作", "县管干部"),
        ("党组成员、副局长", "分管办公室、财务股、项目股", "县管干部"),
        ("党组成员、副局长", "分管业务股室和执法大队", "县管干部"),
        ("党组成员、副局长", "分管机关党建、人事和意识形态工作", "县管干部"),
        ("党组成员、二级主任科员", "协助分管安全生产、信访维稳", "科级干部"),
    ),
    "乡镇(街道)": (
        ("党委书记", "主持党委全面工作", "县管干部"),
        ("党委副书记、镇长", "主持政府全面工作，分管财政、审计", "县管干部"),
        ("党委副书记", "分管党建、乡村振兴和意识形态工作", "县管干部"),
        ("党委委员、纪委书记", "负责纪检监察工作", "县管干部"),
        ("党委委员、副镇长", "分管农业农村、水利、自然资源", "县管干部"),
    ),
    "村(社区)": (
        ("党支部书记、村委会主任", "主持村党支部和村委会全面工作", "村(社区)干部"),
        ("党支部副书记", "负责党员管理和村务公开", "村(社区)干部"),
        ("党支部委员、村务监督委员会主任", "负责村务监督", "村(社区)干部"),
        ("村委会委员、报账员", "负责村集体财务报账和低保申报", "村(社区)干部"),
        ("党支部委员、妇联主席", "负责妇女、计生和网格工作", "村(社区)干部"),
    ),
    "国有企业": (
        ("党委书记、董事长", "主持党委和董事会全面工作", "县管干部"),
        ("党委副书记、总经理", "主持经营管理工作", "县管干部"),
        ("党委委员、纪委书记", "负责纪检监督工作", "企业管理人员"),
        ("党委委员、副总经理", "分管工程项目、招标采购", "企业管理人员"),
        ("党委委员、财务总监", "分管财务、融资和资产管理", "企业管理人员"),
    ),
    "学校": (
        ("党委书记", "主持党委全面工作，分管意识形态", "县管干部"),
        ("党委副书记、校长", "主持行政全面工作", "县管干部"),
        ("党委委员、副校长", "分管教学、招生和学籍管理", "科级干部"),
        ("党委委员、副校长", "分管后勤、食堂、基建和采购", "科级干部"),
        ("党委委员、纪委书记", "负责纪检监督和师德师风", "科级干部"),
    ),
    "医院": (
        ("党委书记", "主持党委全面工作", "县管干部"),
        ("党委副书记、院长", "主持行政全面工作", "县管干部"),
        ("党委委员、副院长", "分管医务、医保结算和药剂", "科级干部"),
        ("党委委员、副院长", "分管后勤、基建、设备和耗材采购", "科级干部"),
        ("党委委员、纪委书记", "负责纪检监督和医德医风", "科级干部"),
    ),
    "其他": (
        ("党组书记、主任", "主持全面工作", "县管干部"),
        ("党组成员、副主任", "分管财务、资产和经营", "县管干部"),
        ("党组成员、副主任", "分管业务和安全生产", "县管干部"),
        ("党组成员、机关党委书记", "负责机关党建和意识形态", "科级干部"),
        ("副主任", "协助分管综合和信访", "科级干部"),
    ),
}

# kind → posts of people below the leadership (middle managers, staff, residents)
_STAFF: dict[str, tuple[tuple[str, str], ...]] = {
    "县直部门": (
        ("办公室主任", "科级干部"),
        ("财务股股长", "一般干部"),
        ("项目股股长", "一般干部"),
        ("人事股股长", "一般干部"),
        ("执法大队大队长", "科级干部"),
        ("机关党支部书记", "一般干部"),
        ("会计", "一般干部"),
        ("出纳", "一般干部"),
        ("办公室工作人员", "一般干部"),
        ("退休干部", "其他"),
    ),
    "乡镇(街道)": (
        ("党政办主任", "一般干部"),
        ("财政所所长", "一般干部"),
        ("农业综合服务中心主任", "一般干部"),
        ("社会事务办负责人", "一般干部"),
        ("党建办工作人员", "一般干部"),
        ("村党支部书记", "村(社区)干部"),
        ("驻村第一书记", "一般干部"),
        ("民政助理员", "一般干部"),
        ("退休干部", "其他"),
    ),
    "村(社区)": (
        ("村民小组长", "其他"),
        ("老党员", "其他"),
        ("村民代表", "其他"),
        ("网格员", "村(社区)干部"),
        ("低保户", "其他"),
        ("致富带头人", "其他"),
        ("村会计", "村(社区)干部"),
        ("驻村工作队员", "一般干部"),
    ),
    "国有企业": (
        ("综合部经理", "企业管理人员"),
        ("财务部经理", "企业管理人员"),
        ("工程部经理", "企业管理人员"),
        ("招采中心主任", "企业管理人员"),
        ("项目经理", "企业管理人员"),
        ("会计", "其他"),
        ("职工代表", "其他"),
        ("党群工作部部长", "企业管理人员"),
    ),
    "学校": (
        ("教务处主任", "一般干部"),
        ("总务处主任", "一般干部"),
        ("年级组长", "其他"),
        ("班主任", "其他"),
        ("食堂管理员", "其他"),
        ("报账员", "其他"),
        ("教师代表", "其他"),
        ("党支部书记", "一般干部"),
    ),
    "医院": (
        ("医务科科长", "一般干部"),
        ("药剂科主任", "一般干部"),
        ("设备科科长", "一般干部"),
        ("财务科科长", "一般干部"),
        ("内科主任", "其他"),
        ("护士长", "其他"),
        ("医保办主任", "一般干部"),
        ("党办主任", "一般干部"),
    ),
    "其他": (
        ("办公室主任", "一般干部"),
        ("财务科科长", "一般干部"),
        ("业务科科长", "一般干部"),
        ("工作人员", "一般干部"),
        ("退休干部", "其他"),
        ("基层社主任", "其他"),
    ),
}


_TOWNSHIP_WORDS = {
    "乡": (("镇长", "乡长"),),
    "街道": (("党委", "党工委"), ("纪委", "纪工委"), ("副镇长", "办事处副主任"), ("镇长", "办事处主任")),
}


def township_post(post: str, short: str) -> str:
    """A 镇 post as a 乡 (乡长) or 街道 (党工委, 办事处主任) calls it."""
    for suffix, swaps in _TOWNSHIP_WORDS.items():
        if short.endswith(suffix):
            for old, new in swaps:
                post = post.replace(old, new)
    return post


def leader_post(
    rng: random.Random, unit_kind: str, rank: int, unit: dict[str, Any] | None = None
) -> dict[str, str]:
    """The post of the leadership member at position `rank` (0 = the top leader) of a unit of that kind
    (for 乡镇(街道), worded as `unit` — a 乡 or a 街道 — calls it).

    Keys: post, portfolio (分管), cadre_rank (one of vocab.CADRE_RANKS).
    """
    table = _LEADERS[unit_kind]
    post, portfolio, cadre = table[min(rank, len(table) - 1)]
    if rank >= len(table):
        post, portfolio = rng.choice(table[1:])[:2]
    if unit is not None and unit_kind == "乡镇(街道)":
        post = township_post(post, unit["short"])
    return {"post": post, "portfolio": portfolio, "cadre_rank": cadre}


def staff_post(rng: random.Random, unit_kind: str) -> dict[str, str]:
    """A post below the leadership (股室负责人, 一般干部, 村民代表 …): keys post, cadre_rank."""
    post, cadre = rng.choice(_STAFF[unit_kind])
    return {"post": post, "cadre_rank": cadre}


def full_post(unit: dict[str, Any], post: str) -> str:
    """'县财政局党组成员、副局长' — the unit's short name and the post."""
    return f"{unit['short']}{post}"


_RECEIVERS: dict[str, tuple[str, ...]] = {
    "移交纪检监察机关": (
        "中共清河县纪律检查委员会、清河县监察委员会",
        "清河县纪委监委第一纪检监察室",
        "清河县纪委监委第二纪检监察室",
        "清河县纪委监委案件监督管理室",
    ),
    "移交组织部门": ("中共清河县委组织部", "中共清河县委组织部干部监督科"),
    "转有关部门": (
        "清河县信访局",
        "清河县审计局",
        "清河县财政局",
        "清河县人力资源和社会保障局",
        "清河县自然资源局执法监察大队",
        "清河县医疗保障局",
        "清河县民政局",
        "清河县市场监督管理局",
    ),
}
_TOWN_DISCIPLINE = "纪委"  # a township's own discipline committee receives leads on village cadres


def transfer_unit(rng: random.Random, kind: str, unit: dict[str, Any] | None = None) -> str:
    """The body a lead is handed to for a disposal `kind` (移交纪检监察机关 / 移交组织部门 / 转有关部门).

    Leads on village cadres go to the township's 纪委 about half of the time, as county rules often allow.
    """
    if kind == "移交纪检监察机关" and unit is not None and unit.get("town") and rng.random() < 0.5:
        return f"中共清河县{unit['town']}{_TOWN_DISCIPLINE}"
    return rng.choice(_RECEIVERS.get(kind, _RECEIVERS["转有关部门"]))


def jurisdiction(cadre_rank: str, unit: dict[str, Any]) -> str:
    """管理权限归属 of a reported person, from their rank."""
    if cadre_rank == "县管干部":
        return "县委管理干部（县纪委监委、县委组织部）"
    if cadre_rank == "村(社区)干部":
        return f"{unit.get('town') or '所在乡镇'}党委（纪委）管理"
    if cadre_rank == "企业管理人员":
        return f"{unit['short']}党委管理，县国资监管部门备案"
    if cadre_rank == "科级干部":
        return f"{unit['short']}党组织管理，报县委组织部备案"
    return f"{unit['short']}党组织管理"


OFFICE = "中共清河县委巡察工作领导小组办公室"
# Where seconded (抽调) members come from, and the posts they hold there.
_HOME_UNITS = (
    (
        "清河县纪委监委",
        ("第一纪检监察室副主任", "第二纪检监察室干部", "党风政风监督室干部", "案件审理室副主任"),
    ),
    ("中共清河县委组织部", ("干部监督科科长", "组织科副科长", "干部科干部")),
    ("清河县审计局", ("经济责任审计股股长", "财政审计股干部", "固定资产投资审计中心主任")),
    ("清河县财政局", ("会计核算中心副主任", "监督检查股干部")),
    ("清河县人力资源和社会保障局", ("人事管理股干部",)),
    ("中共清河县委办公室", ("督查室副主任",)),
    ("清河县柳林镇人民政府", ("财政所副所长", "党政办干部")),
    ("清河县双河镇纪委", ("副书记",)),
)
_OFFICE_POSTS = ("巡察组组长（正科级）", "巡察组副组长", "综合科科长", "巡察办干部")


def member_home(rng: random.Random, staffing: str) -> tuple[str, str]:
    """(home unit, post there) of a group member: 专职 members belong to the 巡察办, 抽调 ones to theirs."""
    if staffing == "专职":
        return OFFICE, rng.choice(_OFFICE_POSTS)
    unit, posts = rng.choice(_HOME_UNITS)
    return unit, rng.choice(posts)
