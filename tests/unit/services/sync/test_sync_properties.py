"""Hypothesis state machine over one office and three laptops (sync.md §3.13).

Records are shared before they are edited, so edits made apart meet as real conflicts of every kind (soft,
hard, delete/edit, identity) and people resolve them. A small model says what each record must look like
once everyone has exchanged everything; it knows only who changed what since the last exchange, never
storage.merge. Packages are also delivered at random (repeated, reordered, relayed), and some deliveries
fail part-way. Checked throughout: idempotence, atomicity, equal revision sets after a full exchange,
the model's values and conflicts everywhere.

Profiles: XUNCHA_SYNC_PROFILE=ci (the default, about a minute), =deep (a long local run), or =noshrink.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, rule, run_state_machine_as_test
from sqlalchemy import select

from tests.builders import draft
from tests.sync_helpers import World, dump, open_world
from xuncha_desktop.domain.codec import sha256_hex
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.conflicts import ConflictService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.sync import import_
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.tables import BUSINESS_TABLES, sync_conflict, sync_head, sync_revision

COMMON = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
# 24 runs: with 16, a suite run could reach one delete-and-edit conflict and resolve none (the coverage check
# below), as the records drawn follow their random ids; more runs only add to what the first ones reach.
settings.register_profile("ci", max_examples=24, stateful_step_count=30, derandomize=True, **COMMON)
settings.register_profile("deep", max_examples=300, stateful_step_count=60, **COMMON)
# For trying a deliberate bug: as ci, but a failure is reported as found, without minimising it (slow).
settings.register_profile("noshrink", settings.get_profile("ci"), phases=[Phase.generate])
PROFILE = os.environ.get("XUNCHA_SYNC_PROFILE", "ci")

KINDS = ("soft", "hard", "delete_edit", "identity")
TITLES = ("违规发放津补贴", "公车私用", "超标准接待")
SUGGESTIONS = ("", "建议甲", "建议乙", "建议丙")
TAGS = ("廉洁纪律", "工作纪律", "群众纪律", "组织纪律")
LAPTOPS = (1, 2, 3)
REPLICAS = (0, 1, 2, 3)


@dataclass(frozen=True)
class Version:
    """What the model knows of a record: the fields edits change, its number, and whether it is deleted."""

    number: str
    title: str
    suggestion: str
    disciplines: frozenset[str]
    deleted: bool = False

    def with_field(self, name: str, value: Any) -> Version:
        return dataclasses.replace(self, **{name: value})


FIELDS = ("title", "suggestion", "disciplines")


def settle(base: Version | None, sides: list[Version]) -> tuple[Version, str | None, dict[str, set[Any]]]:
    """The model of a merge: (what shows, the merge conflict, the hard fields with their allowed values)
    for a record that one or two places changed from `base` since the last exchange."""
    if len(sides) == 1:
        return sides[0], None, {}
    a, b = sides
    assert base is not None
    if a.deleted and b.deleted:
        return a, None, {}
    if a.deleted or b.deleted:
        return (b if a.deleted else a), "delete_edit", {}
    shown, hard = a, {}
    for name in ("number", *FIELDS):
        va, vb, vbase = getattr(a, name), getattr(b, name), getattr(base, name)
        if va == vb or vb == vbase:
            continue
        if va == vbase:
            shown = shown.with_field(name, vb)
        elif name == "disciplines":  # a set: both sides' additions and removals
            shown = shown.with_field(
                name, (vbase | (va - vbase) | (vb - vbase)) - (vbase - va) - (vbase - vb)
            )
        else:
            hard[name] = {va, vb}
    return shown, ("hard" if hard else "soft"), hard


@dataclass
class ModelRecord:
    base: Version | None  # as everyone holds it after the last exchange (None: not shared yet)
    heads: tuple[str, ...]  # its heads then
    conflict: str | None = None  # the merge conflict open since then
    hard: dict[str, set[Any]] = field(default_factory=dict)
    sides: dict[int, Version] = field(default_factory=dict)  # replicas that changed it since
    side_heads: dict[int, tuple[str, ...]] = field(default_factory=dict)


def drafts(ws: Workspace) -> RecordService:
    return RecordService(ws, DRAFT)


def heads(ws: Workspace, record_id: str) -> tuple[str, ...]:
    with ws.engine.connect() as conn:
        rows = conn.execute(select(sync_head.c.rev_id).where(sync_head.c.record_id == record_id))
        return tuple(sorted(r.rev_id for r in rows))


def revision_set(ws: Workspace) -> frozenset[str]:
    with ws.engine.connect() as conn:
        return frozenset(conn.execute(select(sync_revision.c.rev_id)).scalars())


EDIT_CONFLICTS = frozenset({"soft", "hard", "delete_edit"})


def open_conflicts(ws: Workspace) -> dict[str, set[str]]:
    with ws.engine.connect() as conn:
        rows = conn.execute(select(sync_conflict).where(sync_conflict.c.status == "open"))
        out: dict[str, set[str]] = {}
        for r in rows:
            out.setdefault(r.record_id, set()).add(r.kind)
        return out


def version_of(ws: Workspace, record_id: str) -> Version:
    r = drafts(ws).stored(record_id)
    return Version(r.number, r.title, r.suggestion, frozenset(r.disciplines), bool(r.meta and r.meta.deleted))


class Tally:
    """Conflicts reached and resolved over a whole run, by kind."""

    reached: ClassVar[Counter[str]] = Counter()
    resolved: ClassVar[Counter[str]] = Counter()


class SyncMachine(RuleBasedStateMachine):
    template: Path
    packages = Bundle("packages")

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="xuncha-sm-"))
        self.world: World = open_world(self.template, self.root / "world")
        self.replicas = [self.world.office, *self.world.fields]
        self.model: dict[str, ModelRecord] = {}
        self.imported: set[tuple[str, int]] = set()
        self.identity: set[str] = set()  # records sharing their number with another since the last exchange

    def teardown(self) -> None:
        self.world.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- the model's bookkeeping ------------------------------------------------------------------------
    def _may_change(self, replica: int, rid: str) -> bool:
        """The replica holds exactly what the model thinks it holds of the record (no other side's edit
        arrived since the last exchange), so a change there is a side of its own."""
        m = self.model[rid]
        expected = m.side_heads.get(replica, m.heads)
        return bool(expected) and heads(self.replicas[replica], rid) == expected

    def _changed(self, replica: int, rid: str) -> None:
        m = self.model[rid]
        now = heads(self.replicas[replica], rid)
        if now != m.side_heads.get(replica, m.heads):  # an unchanged save writes no revision
            m.sides[replica] = version_of(self.replicas[replica], rid)
            m.side_heads[replica] = now

    def _editable(self, replica: int, *, settled: bool = True) -> list[str]:
        """Records the replica may change now, oldest first (ids are random: their order is not).
        Settled ones take a second side at most; a conflict is resolved once a round."""
        return [
            rid
            for rid, m in self.model.items()
            if (m.conflict is None) == settled
            and (replica in m.sides or len(m.sides) < 2 if settled else not m.sides)
            and self._may_change(replica, rid)
        ]

    def _edit(self, replica: int, rid: str, name: str, value: Any) -> None:
        ws = self.replicas[replica]
        record = drafts(ws).stored(rid)
        if record.meta and record.meta.deleted:
            return
        value = sorted(value) if name == "disciplines" else value
        before = open_conflicts(ws).get(rid, set()) & EDIT_CONFLICTS
        drafts(ws).save(dataclasses.replace(record, **{name: value}))
        if before:  # only 冲突处理 closes a conflict; an ordinary save never does
            assert open_conflicts(ws).get(rid, set()) & EDIT_CONFLICTS, "a save closed a conflict"
        self._changed(replica, rid)

    def _delete(self, replica: int, rid: str) -> None:
        drafts(self.replicas[replica]).delete(rid)
        self._changed(replica, rid)

    # -- edits --------------------------------------------------------------------------------------------
    @initialize(titles=st.lists(st.sampled_from(TITLES), min_size=2, max_size=3))
    def shared_records(self, titles: list[str]) -> None:
        """Records everyone holds before anyone edits them."""
        for title in titles:
            self._create(1, title)
        self.exchange_everything([1, 2, 3])

    def _create(self, laptop: int, title: str) -> None:
        saved = drafts(self.replicas[laptop]).save(
            draft(self.world.ctx, title=title, disciplines=list(TAGS[:2]))
        )
        self.model[saved.id] = ModelRecord(None, ())
        self._changed(laptop, saved.id)

    @rule(laptop=st.sampled_from(LAPTOPS), title=st.sampled_from(TITLES))
    def create(self, laptop: int, title: str) -> None:
        self._create(laptop, title)

    @rule(pair=st.permutations(LAPTOPS), titles=st.tuples(st.sampled_from(TITLES), st.sampled_from(TITLES)))
    def create_apart(self, pair: list[int], titles: tuple[str, str]) -> None:
        """Two laptops each register a record before they next meet: the same number (identity)."""
        for laptop, title in zip(pair[:2], titles, strict=True):
            self._create(laptop, title)

    @rule(
        laptop=st.sampled_from(LAPTOPS),
        pick=st.integers(0, 20),
        name=st.sampled_from(FIELDS),
        title=st.sampled_from(TITLES),
        suggestion=st.sampled_from(SUGGESTIONS),
        tags=st.frozensets(st.sampled_from(TAGS), max_size=3),
    )
    def edit(
        self, laptop: int, pick: int, name: str, title: str, suggestion: str, tags: frozenset[str]
    ) -> None:
        choices = self._editable(laptop)
        if choices:
            value = {"title": title, "suggestion": suggestion, "disciplines": tags}[name]
            self._edit(laptop, choices[pick % len(choices)], name, value)

    @rule(laptop=st.sampled_from(LAPTOPS), pick=st.integers(0, 20))
    def delete(self, laptop: int, pick: int) -> None:
        choices = self._editable(laptop)
        if choices:
            self._delete(laptop, choices[pick % len(choices)])

    @rule(
        pair=st.permutations(LAPTOPS),
        pick=st.integers(0, 20),
        kind=st.sampled_from(("soft", "hard", "delete_edit", "sets")),
        tags=st.tuples(st.sampled_from(TAGS), st.sampled_from(TAGS)),
    )
    def edit_apart(self, pair: list[int], pick: int, kind: str, tags: tuple[str, str]) -> None:
        """Two laptops change the same shared record before they next meet."""
        self._edit_apart(pair, pick, kind, tags)

    def _edit_apart(self, pair: list[int], pick: int, kind: str, tags: tuple[str, str]) -> str | None:
        a, b = pair[:2]
        theirs = set(self._editable(b))
        shared = [r for r in self._editable(a) if r in theirs and not self.model[r].sides]
        shared = [r for r in shared if (base := self.model[r].base) is not None and not base.deleted]
        if not shared:
            return None
        rid = shared[pick % len(shared)]
        base = self.model[rid].base
        assert base is not None
        if kind == "soft":
            self._edit(a, rid, "title", next(t for t in TITLES if t != base.title))
            self._edit(b, rid, "suggestion", next(s for s in SUGGESTIONS if s != base.suggestion))
        elif kind == "hard":
            title_a, title_b = (t for t in TITLES if t != base.title)
            self._edit(a, rid, "title", title_a)
            self._edit(b, rid, "title", title_b)
        elif kind == "delete_edit":
            self._delete(a, rid)
            self._edit(b, rid, "suggestion", next(s for s in SUGGESTIONS if s != base.suggestion))
        else:  # each side removes a tag the record has and adds another
            held = sorted(base.disciplines)
            gone_a = {held[pick % len(held)]} if held else set()
            gone_b = {held[(pick + 1) % len(held)]} if held else set()
            self._edit(a, rid, "disciplines", (base.disciplines - gone_a) | {tags[1]})
            self._edit(b, rid, "disciplines", (base.disciplines - gone_b) | {tags[0]})
        return rid

    # -- resolutions --------------------------------------------------------------------------------------
    @rule(
        replica=st.sampled_from(REPLICAS),
        pick=st.integers(0, 20),
        choice=st.integers(0, 1),
        drop=st.booleans(),
    )
    def resolve(self, replica: int, pick: int, choice: int, drop: bool) -> None:
        merges = self._editable(replica, settled=False)
        choices = merges + self._renumberable(replica)
        if choices:
            self._resolve(replica, choices[pick % len(choices)], choice, drop)

    def _renumberable(self, replica: int) -> list[str]:
        """Records sharing their number that the replica still shows so (renumbering or deleting one of
        them there settles the other's conflict too) and nobody changed since the exchange."""
        shown = {
            c.record_id for c in ConflictService(self.replicas[replica]).list_open() if c.kind == "identity"
        }
        return [
            r
            for r in self._editable(replica)
            if r in self.identity and r in shown and not self.model[r].sides
        ]

    def _resolve(self, replica: int, rid: str, choice: int, drop: bool) -> None:
        m = self.model[rid]
        service = ConflictService(self.replicas[replica])
        if m.conflict is None:  # the same number as another record: give it the next free one
            [conflict] = [c for c in service.list_open() if c.record_id == rid and c.kind == "identity"]
            number = service.renumber(conflict.id)
            self._changed(replica, rid)
            assert self.model[rid].sides[replica].number == number
            Tally.resolved["identity"] += 1
            return
        [conflict] = [c for c in service.list_open() if c.record_id == rid and c.kind == m.conflict]
        detail = service.detail(conflict.id)
        assert set(detail.conflicting) == set(m.hard), (detail.conflicting, m.hard)
        picks = {name: sorted(values)[choice % len(values)] for name, values in m.hard.items()}
        service.resolve(conflict.id, picks, delete=drop and m.conflict == "delete_edit")
        self._changed(replica, rid)
        resolved = self.model[rid].sides[replica]
        assert (resolved.title, resolved.deleted) == (
            picks.get("title", resolved.title),
            drop and m.conflict == "delete_edit",
        )
        Tally.resolved[m.conflict] += 1

    @rule(
        kind=st.sampled_from((*KINDS, "sets")),
        pair=st.permutations(LAPTOPS),
        pick=st.integers(0, 20),
        resolver=st.sampled_from(REPLICAS),
        choice=st.integers(0, 1),
        drop=st.booleans(),
    )
    def conflict_round(
        self, kind: str, pair: list[int], pick: int, resolver: int, choice: int, drop: bool
    ) -> None:
        """A whole round: a conflict of `kind` made apart, found in the exchange, resolved somewhere, and
        the resolution exchanged."""
        if kind == "identity":
            before = set(self.model)
            self.create_apart(pair, (TITLES[0], TITLES[1]))
            made = [r for r in self.model if r not in before]
        else:
            rid = self._edit_apart(pair, pick, kind, (TAGS[pick % 4], TAGS[(pick + 1) % 4]))
            made = [rid] if rid else []
        self.exchange_everything(pair)
        choices = self._editable(resolver, settled=False) + self._renumberable(resolver)
        for rid in made:
            if rid in choices:
                self._resolve(resolver, rid, choice, drop)
                break
        self.exchange_everything(pair)

    # -- packages -----------------------------------------------------------------------------------------
    @rule(target=packages, laptop=st.sampled_from(LAPTOPS), full=st.booleans())
    def export(self, laptop: int, full: bool) -> Path:
        return self.world.export(self.replicas[laptop], full=full)

    @rule(target=packages)
    def office_update(self) -> Path:
        path = self.world.package_path("office")
        sync.provision_package(self.world.office, path)
        return path

    @rule(package=packages, replica=st.sampled_from(REPLICAS))
    def deliver(self, package: Path, replica: int) -> None:
        self._deliver(package, replica)

    def _deliver(self, package: Path, replica: int) -> sync.ImportReport:
        ws = self.replicas[replica]
        before = dump(ws)
        [report] = sync.import_packages(ws, [package])
        key = (str(package), replica)
        if report.status == "rejected":
            # Only a workspace's own package, or an office package at the office, may be refused here.
            assert report.error in (
                "这是本工作库自己导出的工作包，无需导入",
                "配置包只能导入巡察组的现场工作库",
            )
            assert dump(ws) == before
        elif key in self.imported:
            assert report.status == "already_imported"
            assert dump(ws) == before  # idempotence
        self.imported.add(key)
        return report

    @rule(
        package=packages,
        replica=st.sampled_from(REPLICAS),
        point=st.sampled_from(("revisions stored", "first type merged", "import logged")),
    )
    def failing_delivery(self, package: Path, replica: int, point: str) -> None:
        """The disk fails at some point inside the import: nothing of the package stays."""
        ws = self.replicas[replica]
        before = dump(ws)
        with _failing_at(point) as failed:
            try:
                [report] = sync.import_packages(ws, [package])
            except OSError:
                report = None
        if failed:
            assert report is None and dump(ws) == before  # atomicity
        else:  # refused, already imported, or nothing new to merge: it never got there
            assert report is not None and (report.status != "imported" or point == "first type merged")
            self.imported.add((str(package), replica))

    @rule(order=st.permutations(LAPTOPS))
    def exchange_everything(self, order: list[int]) -> None:
        """Every laptop hands in, the office sends the merged state back: all hold the same revisions,
        and every record is what the model says."""
        for laptop in order:
            self._deliver(self.export(laptop, full=False), 0)
        update = self.office_update()
        for laptop in order:
            self._deliver(update, laptop)
        sets = [revision_set(ws) for ws in self.replicas]
        assert all(s == sets[0] for s in sets), (
            "a full exchange leaves every workspace with the same revisions"
        )
        self._settle_model()
        for ws in self.replicas:
            self._check(ws)

    def _settle_model(self) -> None:
        office = self.world.office
        for rid, m in self.model.items():
            if not m.sides:
                continue
            shown, conflict, hard = settle(m.base, list(m.sides.values()))
            if conflict is not None:
                Tally.reached[conflict] += 1
            m.base, m.conflict, m.hard = shown, conflict, hard
            m.heads, m.sides, m.side_heads = heads(office, rid), {}, {}
        live: dict[str, list[str]] = {}
        for rid, m in self.model.items():
            if m.base is not None and not m.base.deleted:
                live.setdefault(m.base.number, []).append(rid)
        identity = {rid for ids in live.values() if len(ids) > 1 for rid in ids}
        Tally.reached["identity"] += len(identity - self.identity)  # newly sharing a number
        self.identity = identity

    def _check(self, ws: Workspace) -> None:
        if ws is self.world.office:  # it receives every revision; once a round keeps the run short
            _bodies_verify(ws)
        conflicts = open_conflicts(ws)
        for rid, m in self.model.items():
            assert m.base is not None
            shown = version_of(ws, rid)
            for name in ("number", "deleted", *FIELDS):
                value = getattr(shown, name)
                if name in m.hard:
                    assert value in m.hard[name], (name, value, m.hard[name])
                else:
                    assert value == getattr(m.base, name), (name, value, getattr(m.base, name))
            expected = {m.conflict} - {None} | ({"identity"} if rid in self.identity else set())
            assert conflicts.get(rid, set()) == expected, (rid, conflicts.get(rid), expected)


@contextmanager
def _failing_at(point: str):  # type: ignore[no-untyped-def]
    """Make the import fail with an OSError right after `point`; yields a list that is non-empty once it
    did."""
    failed: list[str] = []

    def after(real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            real(*args, **kwargs)
            failed.append(point)
            raise OSError("模拟：磁盘写入失败")

        return wrapper

    name = {"revisions stored": "advance_knowledge", "first type merged": "rematerialize_many"}.get(point)
    if name is not None:
        real = getattr(import_, name)
        setattr(import_, name, after(real))
        try:
            yield failed
        finally:
            setattr(import_, name, real)
        return
    real_writer = import_.RevisionWriter

    class FailingWriter(real_writer):  # type: ignore[misc, valid-type]
        def finish(self) -> None:
            after(super().finish)()

    import_.RevisionWriter = FailingWriter  # type: ignore[misc]
    try:
        yield failed
    finally:
        import_.RevisionWriter = real_writer  # type: ignore[misc]


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_sync_state_machine(world_template: Path, capsys: pytest.CaptureFixture[str]) -> None:
    SyncMachine.template = world_template
    Tally.reached, Tally.resolved = Counter(), Counter()
    run_state_machine_as_test(SyncMachine, settings=settings.get_profile(PROFILE))
    line = "；".join(f"{k} {Tally.reached[k]} 个、已裁决 {Tally.resolved[k]} 个" for k in KINDS)
    with capsys.disabled():
        print(f"\n同步状态机（{PROFILE}）冲突：{line}")
    assert all(Tally.reached[k] and Tally.resolved[k] for k in KINDS), line


def _bodies_verify(ws: Workspace) -> None:
    """Every revision's body, stored or kept in its record's row, hashes to its body_sha256; heads kept in
    rows are the rows' heads."""
    with ws.engine.connect() as conn:
        revs = list(conn.execute(select(sync_revision)))
        bodies = revision_body.bodies_of(conn, [r.rev_id for r in revs])
        for r in revs:
            if r.body_in_row:
                table = BUSINESS_TABLES[r.record_type]
                row_head = conn.execute(select(table.c.head_rev).where(table.c.id == r.record_id)).scalar()
                assert row_head == r.rev_id, "a revision kept in a row that is not the row's head"
    for r in revs:
        body = bodies[r.rev_id]
        assert body is not None and sha256_hex(body) == r.body_sha256, r.rev_id
