"""Versioned, explained scoring schemes: what 整改质效评估 (services.rectification.evaluation) and
巡察组质效评估 (services.office_statistics.group_scoring) share. A family names its metrics (rates, counts
and size factors), its default scheme and where its versions live in the settings table; a scheme is
stored under its version and never changed under the same version, so a result reckoned under a version
can always be reproduced. Only the 巡察办管理员 saves a scheme (audited); everyone reads every version."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError, WorkflowError
from xuncha_desktop.services.rectification.settings import read_setting, write_setting
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import settings

# A rate item deducts up to its points by the share missing; a count item gives its points (negative: a
# deduction) per counted thing, limited to its cap; a factor item scales the points counted by a size
# ratio raised to its weight (0: none, 1: in full proportion).
RATE, COUNT, FACTOR = "rate", "count", "factor"
KIND_LABELS = {RATE: "比率", COUNT: "计数", FACTOR: "折算"}


@dataclass(frozen=True)
class SchemeItem:
    metric: str  # a key of the family's metrics
    label: str
    points: float  # rate: the most it deducts; count: points per thing (negative deducts); factor: weight
    cap: float = 0.0  # count: the most it adds or deducts in all (0: no limit)


@dataclass(frozen=True)
class Scheme:
    version: str
    items: tuple[SchemeItem, ...]
    base: float = 100.0
    name: str = ""


@dataclass(frozen=True)
class ScoreLine:
    label: str
    value: float  # the rate (0–1), the count, or the factor
    points: float  # what the line adds (negative: deducts)
    explanation: str


@dataclass(frozen=True)
class SchemeFamily:
    """One kind of scheme: its metrics (key → (label, kind)), what each measures and counts in, the
    default scheme, where its versions are stored and how the scheme dialog introduces it."""

    title: str  # 整改质效评估方案
    screen: str  # the screen that chooses a version (named in the dialog)
    prefix: str  # settings key of a version: prefix + version
    current_key: str
    audit_action: str
    metrics: Mapping[str, tuple[str, str]]
    units: Mapping[str, str]
    measures: Mapping[str, str]
    default: Scheme
    scheme_class: type[Scheme] = Scheme
    zero_base: bool = False  # a base score of 0 is allowed (scores are points earned)
    intro: str = ""

    def kind(self, metric: str) -> str:
        return self.metrics[metric][1]


# -- checking ----------------------------------------------------------------------------------------------


def item_errors(family: SchemeFamily, scheme: Scheme) -> list[tuple[int, str]]:
    """What is wrong with each item: (its index in `scheme.items`, from 0; the message naming it)."""
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    for i, item in enumerate(scheme.items):
        n = i + 1
        if item.metric not in family.metrics:
            errors.append((i, f"第{n}项的评分指标“{item.metric}”无效"))
        elif item.metric in seen:
            errors.append((i, f"第{n}项与前面的评分项重复（{family.metrics[item.metric][0]}）"))
        elif family.kind(item.metric) == RATE and item.points < 0:
            errors.append((i, f"第{n}项（{item.label}）的分值不能为负数"))
        elif family.kind(item.metric) == FACTOR and not 0 <= item.points <= 1:
            errors.append((i, f"第{n}项（{item.label}）的折算权重应在 0 至 1 之间"))
        if item.cap < 0:
            errors.append((i, f"第{n}项（{item.label}）的上限不能为负数"))
        seen.add(item.metric)
    return errors


def scheme_errors(family: SchemeFamily, scheme: Scheme) -> list[FieldError]:
    errors = []
    if not scheme.version.strip() or len(scheme.version) > 40:
        errors.append(FieldError("version", "请填写方案版本号（不超过 40 个字符）"))
    if not scheme.items:
        errors.append(FieldError("items", "评估方案至少要有一个评分项"))
    errors += [FieldError("items", message) for _i, message in item_errors(family, scheme)]
    if family.zero_base and not 0 <= scheme.base <= 1000:
        errors.append(FieldError("base", "基础分应在 0 至 1000 之间"))
    elif not family.zero_base and not 0 < scheme.base <= 1000:
        errors.append(FieldError("base", "基础分应大于 0、不超过 1000"))
    return errors


def may_save_scheme(ws: Workspace) -> bool:
    """Only the 巡察办管理员 changes a scheme (everyone may read it and score under any version)."""
    return ws.user.role == vocab.OFFICE_ADMIN


# -- storing -----------------------------------------------------------------------------------------------


def to_json(scheme: Scheme) -> str:
    return json.dumps(dataclasses.asdict(scheme), ensure_ascii=False, sort_keys=True)


def from_json(family: SchemeFamily, text: str) -> Scheme:
    data = json.loads(text)
    items = tuple(SchemeItem(**item) for item in data.pop("items"))
    return family.scheme_class(items=items, **data)


def _stored(family: SchemeFamily, conn: Any, version: str) -> Scheme | None:
    text = read_setting(conn, family.prefix + version)
    if text is None:
        return family.default if version == family.default.version else None
    return from_json(family, text)


def load_scheme(ws: Workspace, family: SchemeFamily, version: str = "") -> Scheme:
    """The current scheme (the default one until the office saves its own), or the one of `version`
    (RecordNotFound when no such version was saved)."""
    with ws.engine.connect() as conn:
        wanted = version or read_setting(conn, family.current_key) or family.default.version
        scheme = _stored(family, conn, wanted)
    if scheme is None:
        raise RecordNotFound(f"找不到{family.title}“{wanted}”")
    return scheme


def scheme_versions(ws: Workspace, family: SchemeFamily) -> list[str]:
    """Every version that can be loaded: the default, then the saved ones in name order."""
    with ws.engine.connect() as conn:
        keys = conn.execute(select(settings.c.key).where(settings.c.key.startswith(family.prefix))).scalars()
        saved = sorted(k[len(family.prefix) :] for k in keys)
    default = family.default.version
    return [default, *(v for v in saved if v != default)]


def save_scheme(ws: Workspace, family: SchemeFamily, scheme: Scheme) -> None:
    """Store the scheme under its version and make it the current one (one audited transaction). A
    version already used for other content is refused at 版本号: results reckoned under it stay true.
    Only the 巡察办管理员 saves (WorkflowError for anyone else)."""
    if not may_save_scheme(ws):
        raise WorkflowError(f"只有{vocab.OFFICE_ADMIN}可以修改{family.title}（当前用户为{ws.user.role}）")
    errors = scheme_errors(family, scheme)
    if errors:
        raise ValidationError(errors, family.title)
    with ws.writing() as writer:
        existing = _stored(family, writer.conn, scheme.version)
        if existing is not None and existing != scheme:
            message = f"方案版本“{scheme.version}”已使用，修改后的方案请使用新的版本号"
            raise ValidationError([FieldError("version", message)], family.title)
        if existing is None:
            write_setting(writer.conn, family.prefix + scheme.version, to_json(scheme))
        write_setting(writer.conn, family.current_key, scheme.version)
        writer.log(family.audit_action, version=scheme.version, items=len(scheme.items))


# -- scoring -----------------------------------------------------------------------------------------------


def count_line(item: SchemeItem, count: int | float, unit: str) -> ScoreLine:
    """A count item applied: its points per thing counted, limited to its cap, explained."""
    raw = item.points * count
    points = max(-item.cap, min(item.cap, raw)) if item.cap else raw
    points = round(points, 2)
    verb = "扣" if item.points < 0 else "加"
    text = f"{item.label} {count:g} {unit} × {item.points:g} 分 = {raw:+.2f} 分"
    if points != round(raw, 2):
        text += f"，以 {item.cap:g} 分为限"
    return ScoreLine(item.label, float(count), points, f"{text}，{verb} {abs(points):.2f} 分")


def base_line(scheme: Scheme, text: str) -> ScoreLine:
    return ScoreLine("基础分", scheme.base, scheme.base, text)


def total_of(lines: list[ScoreLine]) -> float:
    """The sum of the lines' points; a negative sum counts as 0 with a 最低分 line appended."""
    total = round(sum(line.points for line in lines), 2)
    if total < 0:
        lines.append(ScoreLine("最低分", 0.0, -total, f"合计 {total:.2f} 分，最低计 0 分"))
        return 0.0
    return total


def describe_item(family: SchemeFamily, item: SchemeItem) -> str:
    """How the item scores, in plain words (the same rule the scoring applies)."""
    if item.metric not in family.metrics:
        return ""
    measures = family.measures[item.metric]
    if not item.points:
        return f"{measures}。不计分" if family.kind(item.metric) != FACTOR else f"{measures}。不折算"
    kind = family.kind(item.metric)
    if kind == RATE:
        step = item.points / 100
        return f"{measures}。达到 100% 不扣分，每低 1 个百分点扣 {step:g} 分，最多扣 {item.points:g} 分"
    if kind == FACTOR:
        return f"{measures}。折算权重 {item.points:g}（1 为完全按比例折算）"
    unit = family.units.get(item.metric, "项")
    verb = "扣" if item.points < 0 else "加"
    limit = f"最多{verb} {item.cap:g} 分" if item.cap else "不设上限"
    return f"{measures}。每{unit}{verb} {abs(item.points):g} 分，{limit}"


class Ranked(Protocol):
    score: float
    rank: int


R = TypeVar("R", bound=Ranked)


def rank(results: Sequence[R], key: Callable[[R], Any]) -> list[R]:
    """Highest score first (then by `key`); equal scores share a rank."""
    ordered = sorted(results, key=lambda r: (-r.score, key(r)))
    for i, r in enumerate(ordered):
        r.rank = ordered[i - 1].rank if i and ordered[i - 1].score == r.score else i + 1
    return ordered
