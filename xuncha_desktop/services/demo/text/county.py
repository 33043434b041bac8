"""清河县's Party organizations for the office demo's 党组织名录, and what its cadres do there (人才库).

Extends the units of demo.text.units (the same short names, so the record text banks fit them) to a
whole county: about 40 县直部门, 15 乡镇(街道) with their 村(社区), state firms, schools, hospitals, others.
Standard library only; the data are fixed, the callers draw from them with their own random.Random."""

from __future__ import annotations

from xuncha_desktop.services.demo.text.units import COUNTY, all_units

# 县直部门 besides those of demo.text.units: (short name, Party organization)
_DEPARTMENTS = (
    ("县委办公室", "中共清河县委办公室机关支部委员会"),
    ("县委宣传部", "中共清河县委宣传部机关支部委员会"),
    ("县委统战部", "中共清河县委统战部机关支部委员会"),
    ("县委政法委", "中共清河县委政法委员会机关支部委员会"),
    ("县委党校", "中共清河县委党校委员会"),
    ("县发展和改革局", "中共清河县发展和改革局党组"),
    ("县教育体育局", "中共清河县教育体育局党组"),
    ("县科学技术和工业信息化局", "中共清河县科学技术和工业信息化局党组"),
    ("县公安局", "中共清河县公安局委员会"),
    ("县司法局", "中共清河县司法局党组"),
    ("县人力资源和社会保障局", "中共清河县人力资源和社会保障局党组"),
    ("县商务局", "中共清河县商务局党组"),
    ("县文化广电和旅游局", "中共清河县文化广电和旅游局党组"),
    ("县卫生健康局", "中共清河县卫生健康局党组"),
    ("县退役军人事务局", "中共清河县退役军人事务局党组"),
    ("县应急管理局", "中共清河县应急管理局党组"),
    ("县审计局", "中共清河县审计局党组"),
    ("县统计局", "中共清河县统计局党组"),
    ("县信访局", "中共清河县信访局党组"),
    ("县林业局", "中共清河县林业局党组"),
    ("县城市管理局", "中共清河县城市管理局党组"),
    ("县行政审批服务局", "中共清河县行政审批服务局党组"),
    ("县数据资源管理局", "中共清河县数据资源管理局党组"),
    ("县机关事务服务中心", "中共清河县机关事务服务中心支部委员会"),
    ("县人民法院", "中共清河县人民法院党组"),
    ("县人民检察院", "中共清河县人民检察院党组"),
    ("县总工会", "清河县总工会党组"),
    ("团县委", "共青团清河县委员会党组"),
    ("县妇女联合会", "清河县妇女联合会党组"),
    ("县科学技术协会", "清河县科学技术协会党组"),
    ("县工商业联合会", "清河县工商业联合会党组"),
    ("县残疾人联合会", "清河县残疾人联合会党组"),
)
# A 县直部门 merged into another in the term: (short, Party organization, 撤并说明)
RETIRED_DEPARTMENT = (
    "县乡村振兴局",
    "中共清河县乡村振兴局党组",
    "机构改革中职责划入县农业农村局，党组撤销",
)
# The towns and streets of demo.text.units plus the rest of the county
MORE_TOWNS = ("王集镇", "李庄乡", "青龙镇", "河湾镇", "新华街道", "古城镇")
# A township merged into a neighbour in the term: (name, the town it went to)
RETIRED_TOWN = ("孙家坝乡", "青龙镇")

# town → its 村(社区); the first villages of the old units keep their names
VILLAGES: dict[str, tuple[str, ...]] = {
    "柳林镇": ("前进村", "柳林村", "张庄村"),
    "双河镇": ("河口村", "双河社区", "刘湾村"),
    "石桥乡": ("石桥村", "高庙村", "南岗村"),
    "杨庄镇": ("东营村", "杨庄村", "西沟村"),
    "马家店乡": ("马家店村", "枣林村", "后洼村"),
    "白沙镇": ("白沙村", "沙河村", "新庄村"),
    "城关街道": ("东关社区", "西关社区", "南门社区"),
    "河西街道": ("滨河社区", "河西社区", "朝阳社区"),
    "王集镇": ("王集村", "李楼村", "陈营村"),
    "李庄乡": ("李庄村", "北岭村", "桃园村"),
    "青龙镇": ("青龙村", "龙泉村", "黄土岗村", "孙家坝村", "坝上村", "柴湾村"),
    "河湾镇": ("河湾村", "大湾村", "渡口村"),
    "新华街道": ("新华社区", "文化路社区", "幸福里社区"),
    "古城镇": ("古城村", "东门村", "城南村"),
}

_MORE_UNITS: dict[str, tuple[tuple[str, str], ...]] = {
    "国有企业": (
        ("县文旅投资公司", "中共清河县文化旅游投资有限公司支部委员会"),
        ("县农业发展投资公司", "中共清河县农业发展投资有限公司支部委员会"),
    ),
    "学校": (
        ("县第二中学", "中共清河县第二中学委员会"),
        ("县实验中学", "中共清河县实验中学总支部委员会"),
        ("县城关中学", "中共清河县城关中学支部委员会"),
        ("县第二实验小学", "中共清河县第二实验小学支部委员会"),
        ("县机关幼儿园", "中共清河县机关幼儿园支部委员会"),
    ),
    "医院": (("县第二人民医院", "中共清河县第二人民医院总支部委员会"),),
    "其他": (("县城乡规划设计院", "中共清河县城乡规划设计院支部委员会"),),
}


def town_org(town: str) -> str:
    """中共清河县柳林镇委员会, or …街道工作委员会 for a street."""
    return f"中共{COUNTY}{town}{'工作' if town.endswith('街道') else ''}委员会"


def village_org(town: str, village: str) -> str:
    """A village's 支部 (总支 for the seat village, which bears the town's name), a community's 委员会."""
    if village.endswith("社区"):
        return f"中共{COUNTY}{town}{village}委员会"
    seat = village[:2] == town[:2]
    return f"中共{COUNTY}{town}{village}{'总支部' if seat else '支部'}委员会"


def towns() -> tuple[str, ...]:
    """Every active town and street, in the order of the list."""
    return tuple(VILLAGES)


def units(kind: str) -> tuple[tuple[str, str], ...]:
    """(short, Party organization) of every active unit of a kind other than 乡镇 and 村."""
    base = all_units(kind)
    if kind == "县直部门":
        return base + _DEPARTMENTS
    return base + _MORE_UNITS.get(kind, ())


def work_unit(short: str) -> str:
    """The unit as a cadre writes it (现工作单位): 清河县财政局, 中共清河县委组织部, 清河县柳林镇人民政府."""
    if short.startswith("县委"):
        return f"中共{COUNTY[:-1]}{short}"
    if short == "团县委":
        return f"共青团{COUNTY}委员会"
    if short.endswith("街道"):
        return f"{COUNTY}{short}办事处"
    if short.endswith(("镇", "乡")):
        return f"{COUNTY}{short}人民政府"
    return f"{COUNTY[:-1]}{short}" if short.startswith("县") else f"{COUNTY}{short}"


# Posts a seconded cadre holds in a unit of a kind, with the speciality the post brings
POSTS: dict[str, tuple[tuple[str, str], ...]] = {
    "县直部门": (
        ("办公室主任", "文字综合"),
        ("办公室副主任", "文字综合"),
        ("财务股股长", "财务"),
        ("计划财务股副股长", "财务"),
        ("人事股股长", "组织人事"),
        ("政策法规股股长", "法律"),
        ("机关党支部专职副书记", "组织人事"),
        ("项目股股长", "工程"),
        ("监督检查股干部", "财务"),
        ("综合股干部", "文字综合"),
    ),
    "乡镇(街道)": (
        ("党政办主任", "文字综合"),
        ("财政所所长", "财务"),
        ("纪委副书记", "纪检"),
        ("组织委员", "组织人事"),
        ("综治中心主任", "信访"),
        ("村镇建设办主任", "工程"),
    ),
    "国有企业": (("财务部经理", "财务"), ("审计部副经理", "审计"), ("工程部副经理", "工程")),
    "学校": (("总务处主任", "财务"), ("党政办主任", "文字综合")),
    "医院": (("财务科科长", "财务"), ("党办主任", "组织人事")),
    "其他": (("财务科科长", "财务"), ("办公室主任", "文字综合")),
}
# A unit whose work brings a speciality whatever the post: words in its short name → speciality
UNIT_SPECIALITIES = (
    (("财政", "统计", "医疗保障"), "财务"),
    (("审计",), "审计"),
    (("组织", "人力资源"), "组织人事"),
    (("司法", "法院", "检察院", "公安"), "法律"),
    (("住房和城乡建设", "交通", "水利", "自然资源", "城市管理"), "工程"),
    (("信访",), "信访"),
    (("宣传", "文化广电"), "宣传"),
)
DISCIPLINE_UNIT = f"{COUNTY}纪委监委"
DISCIPLINE_POSTS = (
    "第一纪检监察室副主任",
    "第二纪检监察室副主任",
    "第三纪检监察室干部",
    "党风政风监督室干部",
    "案件审理室副主任",
    "信访室干部",
    "派驻第一纪检监察组组长",
    "派驻第二纪检监察组副组长",
)
OFFICE_POSTS = (
    "巡察组组长（正科级）",
    "巡察组组长（正科级）",
    "巡察组组长（正科级）",
    "巡察组副组长",
    "巡察组副组长",
    "综合科科长",
    "综合科副科长",
    "巡察办干部",
    "巡察办干部",
)
PAUSE_REASONS = (
    "借调市委巡察办参加市委巡察，暂停抽调",
    "因病休养，暂停抽调",
    "产假期间，暂停抽调",
    "所在单位承担重点项目任务，单位申请暂缓抽调",
)
EXIT_REASONS = (
    "已到龄退休",
    "调往外县工作",
    "提任领导职务后不再列入抽调人员",
)
