"""Chinese personal names, genders and birth months for the demo (fictional people of 清河县)."""

from __future__ import annotations

import random

# Common surnames, the frequent ones listed more than once so they come up more often.
SURNAMES = (
    "王王王王李李李李张张张张刘刘刘陈陈陈杨杨杨赵赵黄黄周周吴吴徐徐孙孙胡胡朱朱高高林林何何郭郭马马"
    "罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭"
    "廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方")

_MALE_FIRST = "建国志军伟明海涛永俊文华振宏德春晓立新红光东卫国宇斌浩鹏刚勇强峰磊超亮"
_MALE_SECOND = "国华明强军伟平东林峰杰斌涛辉刚勇波宇龙成飞鹏亮浩凯鑫忠良仁义民生荣昌"
_FEMALE_FIRST = "秀丽美晓雪海玉春红桂佳欣雅静慧丹文婷淑艳晶月梦思"
_FEMALE_SECOND = "英兰芳丽萍敏燕霞红华娟琴梅玲静婷丹颖娜云洁莉琳艳倩"


def gender(rng: random.Random, female_share: float = 0.35) -> str:
    """男 or 女; cadres in county units are mostly men, so women default to about a third."""
    return "女" if rng.random() < female_share else "男"


def surname(rng: random.Random) -> str:
    if rng.random() < 0.01:
        return rng.choice(COMPOUND_SURNAMES)
    return rng.choice(SURNAMES)


def person_name(rng: random.Random, sex: str = "") -> str:
    """A two- or three-character name that fits the given sex (男/女); random sex when empty."""
    sex = sex or gender(rng)
    first, second = (_FEMALE_FIRST, _FEMALE_SECOND) if sex == "女" else (_MALE_FIRST, _MALE_SECOND)
    family = surname(rng)
    if rng.random() < 0.3:  # single-character given name, e.g. 王磊
        return family + rng.choice(second)
    a, b = rng.choice(first), rng.choice(second)
    if a == b:
        b = rng.choice(second)
    return family + a + b


def birth_month(rng: random.Random, earliest: int = 1965, latest: int = 1995) -> str:
    """'1978-04': a birth month between two years (inclusive)."""
    return f"{rng.randint(earliest, latest)}-{rng.randint(1, 12):02d}"


def distinct_names(rng: random.Random, count: int, sexes: list[str] | None = None) -> list[str]:
    """`count` different names (one per sex when `sexes` is given), e.g. for the members of a group."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        sex = sexes[len(names)] if sexes else ""
        name = person_name(rng, sex)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
