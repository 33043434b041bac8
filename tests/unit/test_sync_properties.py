"""Hypothesis state machine over one office and three laptops (sync.md §3.13): idempotence, order
independence, convergence, no silent loss, delete safety and atomicity, under any sequence of edits and
any delivery of packages (repeated, reordered, dropped, relayed)."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from tests.builders import draft
from tests.sync_helpers import World, dump, open_world
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.conflicts import ConflictService
from xuncha_desktop.services.records import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.merge import load_revisions, merge
from xuncha_desktop.storage.tables import BUSINESS_TABLES, sync_conflict, sync_head, sync_revision

TEXTS = st.sampled_from(["甲", "乙", "丙", "丁", "违规发放津补贴", "公车私用", ""])
FIELDS = st.sampled_from(["title", "suggestion", "basis", "disciplines"])
DISCIPLINES = st.lists(st.sampled_from(["廉洁纪律", "工作纪律", "群众纪律"]), unique=True, max_size=2)


def drafts(ws: Workspace) -> RecordService:
    return RecordService(ws, DRAFT)


def revision_set(ws: Workspace) -> frozenset[str]:
    with ws.engine.connect() as conn:
        return frozenset(
            r.rev_id
            for r in conn.execute(
                select(sync_revision.c.rev_id).where(sync_revision.c.record_type == "draft")
            )
        )


def merge_conflicts(ws: Workspace, record_id: str) -> list:
    """The record's open conflicts between concurrent edits (only 冲突处理 closes them)."""
    kinds = ("soft", "hard", "delete_edit")
    return [c for c in ConflictService(ws).list_open() if c.record_id == record_id and c.kind in kinds]


def draft_state(ws: Workspace) -> dict:
    """What must be equal wherever the same revisions are held: the rows and the open conflicts.
    Resolved conflicts are local history (a workspace may never have seen a conflict resolved elsewhere)."""
    full = dump(ws, with_revisions=False)
    return {
        "draft": full["draft"],
        "conflicts": [c for c in full["conflicts"] if c["record_type"] == "draft" and c["status"] == "open"],
    }


class SyncMachine(RuleBasedStateMachine):
    template: Path

    packages = Bundle("packages")

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="xuncha-sm-"))
        self.world: World = open_world(self.template, self.root / "world")
        self.replicas = [self.world.office, *self.world.fields]
        self.imported: set[tuple[str, int]] = set()
        self.created: dict[int, set[str]] = {i: set() for i in range(len(self.replicas))}

    def teardown(self) -> None:
        self.world.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- edits on a laptop ------------------------------------------------------------------------------
    @precondition(lambda self: sum(len(ids) for ids in self.created.values()) < 4)  # few records → collisions
    @rule(laptop=st.integers(1, 3), title=TEXTS)
    def create(self, laptop: int, title: str) -> None:
        saved = drafts(self.replicas[laptop]).save(draft(self.world.ctx, title=title or "新问题"))
        self.created[laptop].add(saved.id)

    def _live(self, ws: Workspace) -> list:
        return drafts(ws).list()

    @rule(replica=st.integers(0, 3), pick=st.integers(0, 50), field=FIELDS, text=TEXTS, tags=DISCIPLINES)
    def edit(self, replica: int, pick: int, field: str, text: str, tags: list[str]) -> None:
        ws = self.replicas[replica]
        live = self._live(ws)
        if not live:
            return
        record = live[pick % len(live)]
        value = tags if field == "disciplines" else (text or "改") if field == "title" else text
        in_conflict = merge_conflicts(ws, record.id)
        drafts(ws).save(dataclasses.replace(record, **{field: value}))
        if in_conflict:
            event("save of a record in conflict")
            assert merge_conflicts(ws, record.id), "an ordinary save must never close a conflict"

    @rule(
        pair=st.permutations([1, 2, 3]),
        pick=st.integers(0, 50),
        field=FIELDS,
        texts=st.tuples(TEXTS, TEXTS),
        delete_one=st.booleans(),
    )
    def concurrent_edit(
        self, pair: list[int], pick: int, field: str, texts: tuple[str, str], delete_one: bool
    ) -> None:
        """Two people change the same shared record before they next exchange packages."""
        a, b = (self.replicas[i] for i in pair[:2])
        shared = sorted({r.id for r in self._live(a)} & {r.id for r in self._live(b)})
        if not shared:
            return
        rid = shared[pick % len(shared)]
        for ws, text in ((a, texts[0]), (b, texts[1])):
            if ws is b and delete_one:
                drafts(ws).delete(rid)
                continue
            if field == "disciplines":
                value: object = ["廉洁纪律"] if ws is a else ["工作纪律"]
            else:
                value = f"{text}改" if field == "title" else text
            drafts(ws).save(dataclasses.replace(drafts(ws).get(rid), **{field: value}))
        event("concurrent edit")

    @rule(laptop=st.integers(1, 3), pick=st.integers(0, 50))
    def delete(self, laptop: int, pick: int) -> None:
        live = self._live(self.replicas[laptop])
        if live:
            drafts(self.replicas[laptop]).delete(live[pick % len(live)].id)

    @rule(replica=st.integers(0, 3))
    def resolve_one(self, replica: int) -> None:
        ws = self.replicas[replica]
        service = ConflictService(ws)
        for conflict in sorted(service.list_open(), key=lambda c: c.kind == "identity"):
            event(f"resolve: {conflict.kind}")
            if conflict.kind in ("hard", "soft"):
                detail = service.detail(conflict.id)
                choice = {f: detail.sides[0].body[f] for f in detail.conflicting}
                service.resolve(conflict.id, choice)
                return
            if conflict.kind == "delete_edit":
                service.resolve(
                    conflict.id,
                    {
                        f: service.detail(conflict.id).result[f]
                        for f in service.detail(conflict.id).conflicting
                    },
                )
                return

    # -- packages ---------------------------------------------------------------------------------------
    @rule(target=packages, laptop=st.integers(1, 3), full=st.booleans())
    def export(self, laptop: int, full: bool) -> Path:
        return self.world.export(self.replicas[laptop], full=full)

    @rule(target=packages)
    def office_update(self) -> Path:
        path = self.world.package_path("office")
        sync.provision_package(self.world.office, path)
        return path

    @rule(package=packages, replica=st.integers(0, 3))
    def deliver(self, package: Path, replica: int) -> None:
        ws = self.replicas[replica]
        before = draft_state(ws)
        [report] = sync.import_packages(ws, [package])
        event(f"import: {report.status}")
        key = (str(package), replica)
        if report.status == "rejected":
            # Only a workspace's own package may be refused here; it must change nothing.
            assert "自己导出" in (report.error or "") or "配置包只能" in (report.error or ""), report.error
            assert draft_state(ws) == before
            return
        if key in self.imported:
            assert report.status == "already_imported"
            assert draft_state(ws) == before  # idempotence
        self.imported.add(key)

    @rule(package=packages)
    def deliver_to_office(self, package: Path) -> None:
        self.deliver(package, 0)

    @rule(order=st.permutations([1, 2, 3]))
    def exchange_everything(self, order: list[int]) -> None:
        """Every laptop hands in, the office sends the merged state back: all hold the same revisions."""
        for laptop in order:
            self.deliver(self.export(laptop, full=False), 0)
        update = self.office_update()
        for laptop in order:
            self.deliver(update, laptop)
        event("exchange everything")

    @rule(package=packages, replica=st.integers(0, 3), fail_at=st.integers(1, 4))
    def failing_delivery(self, package: Path, replica: int, fail_at: int) -> None:
        ws = self.replicas[replica]
        before = dump(ws)
        calls = itertools.count(1)
        real = sync.rematerialize_many

        def flaky(*args, **kwargs):
            if next(calls) == fail_at:
                raise OSError("模拟：磁盘写入失败")
            return real(*args, **kwargs)

        sync.rematerialize_many = flaky
        try:
            sync.import_packages(ws, [package])
        except OSError:
            assert dump(ws) == before  # atomicity: nothing of the package stays
        finally:
            sync.rematerialize_many = real

    # -- invariants -------------------------------------------------------------------------------------
    @invariant()
    def no_silent_loss_and_delete_safety(self) -> None:
        for ws in self.replicas:
            table = BUSINESS_TABLES["draft"]
            with ws.engine.connect() as conn:
                open_kinds = {}
                for c in conn.execute(
                    select(sync_conflict).where(
                        sync_conflict.c.status == "open", sync_conflict.c.record_type == "draft"
                    )
                ):
                    open_kinds.setdefault(c.record_id, set()).add(c.kind)
                    event(f"open conflict: {c.kind}")
                heads: dict[str, list[str]] = {}
                for h in conn.execute(select(sync_head).where(sync_head.c.record_type == "draft")):
                    heads.setdefault(h.record_id, []).append(h.rev_id)
                for row in conn.execute(select(table)):
                    revs = load_revisions(conn, "draft", row.id)
                    m = merge(revs)
                    assert sorted(heads[row.id]) == sorted(h.rev_id for h in m.heads)
                    if len(m.heads) > 1 and any(not h.deleted for h in m.heads):
                        # Concurrent heads are never settled silently: a person sees them.
                        assert open_kinds.get(row.id, set()) & {"soft", "hard", "delete_edit"}, row.id
                    if row.deleted:
                        assert all(h.deleted for h in m.heads)  # delete ∥ edit never yields a deleted row
            for laptop, ids in self.created.items():
                if self.replicas[laptop] is ws:
                    assert ids <= {
                        r.id for r in drafts(ws).list(limit_all()) + drafts(ws).list(limit_all(True))
                    }

    @invariant()
    def convergence(self) -> None:
        states = [(revision_set(ws), ws) for ws in self.replicas]
        for (set_a, a), (set_b, b) in itertools.combinations(states, 2):
            if set_a == set_b and set_a:
                event("convergence compared")
                assert draft_state(a) == draft_state(b)


def limit_all(deleted: bool = False) -> ListQuery:
    return ListQuery(limit=None, deleted=deleted)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_sync_state_machine(world_template: Path) -> None:
    SyncMachine.template = world_template
    run_state_machine_as_test(
        SyncMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
