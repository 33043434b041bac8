"""kill -9 at fixed points of an import and of its undo (a child process kills itself there): the
workspace is as before the import, or as after it with its undo still possible, and a journal left by the
kill does no harm."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE, draft, lead
from tests.faults import report
from tests.sync_helpers import World
from tests.undo_helpers import comparable, dump_everything, without_undo_entry
from xuncha_desktop.domain.record_types import DRAFT, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.sync import import_undo
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import undo_journal

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(os.name != "posix", reason="kill -9 of a forked child is POSIX"),
]


def _die(*_args: Any, **_kwargs: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _after(original: Callable[..., Any]) -> Callable[..., Any]:
    def run_then_die(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        _die()

    return run_then_die


# Where the child kills itself: (module, attribute, replacement of the original).
IMPORT_POINTS: dict[str, tuple[Any, str, Callable[[Callable[..., Any]], Callable[..., Any]]]] = {
    "journal half written": (undo_journal, "_put_in_place", lambda _o: _die),
    "journal written, import not committed": (undo_journal, "write", _after),
    "import committed, journal not yet confirmed": (import_undo.ImportBatch, "committed", lambda _o: _die),
}
UNDO_POINTS: dict[str, tuple[Any, str, Callable[[Callable[..., Any]], Callable[..., Any]]]] = {
    "undo applied, not committed": (undo_journal, "restore_sequences", _after),
    "undo committed, journals not removed": (import_undo, "_forget", lambda _o: _die),
}


def _child(db: Path, package: Path | None, where: tuple[Any, str, Any]) -> None:
    owner, name, replace = where
    setattr(owner, name, replace(getattr(owner, name)))
    ws = Workspace.open(db, PASSPHRASE)
    if package is not None:
        sync.import_packages(ws, [package])
    else:
        import_undo.undo_last_import(ws)
    os._exit(0)  # the point was not reached: the test fails below


def _killed_at(db: Path, package: Path | None, where: tuple[Any, ...]) -> None:
    child = multiprocessing.get_context("fork").Process(target=_child, args=(db, package, where))
    child.start()
    child.join(120)
    assert child.exitcode == -signal.SIGKILL, "the child did not reach its kill point"


def _package(world: World) -> Path:
    a = world.fields[0]
    RecordService(a, DRAFT).save(draft(world.ctx, title="崩溃测试底稿"))
    RecordService(a, LEAD).save(lead(world.ctx))
    return world.export(a)


def _reopen(world: World) -> Workspace:
    ws = Workspace.open(world.office.path, PASSPHRASE)
    assert [p.message for p in check_workspace(ws)] == []
    return ws


def _stale_journals(ws: Workspace) -> list[Path]:
    return sorted(ws.path.parent.glob(f"备份/{ws.path.stem}.*{undo_journal.SUFFIX}*"))


@pytest.mark.parametrize("point", sorted(IMPORT_POINTS))
def test_kill_during_import(world: World, point: str) -> None:
    package = _package(world)
    before = dump_everything(world.office)
    world.office.close()
    _killed_at(world.office.path, package, IMPORT_POINTS[point])
    report.tried("kill -9 (import with undo journal)", point)
    left = [p.name for p in _stale_journals(world.office)]
    assert len(left) == 1 and left[0].endswith(".part") == point.startswith("journal half")  # killed there
    world.office = _reopen(world)
    if point.startswith("import committed"):
        assert import_undo.last_import(world.office) is not None  # the journal still undoes it
    else:
        assert dump_everything(world.office) == before  # the import never happened
        assert import_undo.last_import(world.office) is None  # its journal is harmless, and gone
        assert _stale_journals(world.office) == []
        [again] = sync.import_packages(world.office, [package])
        assert again.status == "imported"
    import_undo.undo_last_import(world.office)
    assert without_undo_entry(dump_everything(world.office), before) == comparable(before)


@pytest.mark.parametrize("point", sorted(UNDO_POINTS))
def test_kill_during_undo(world: World, point: str) -> None:
    package = _package(world)
    before = dump_everything(world.office)
    sync.import_packages(world.office, [package])
    imported = dump_everything(world.office)
    world.office.close()
    _killed_at(world.office.path, None, UNDO_POINTS[point])
    report.tried("kill -9 (undo of an import)", point)
    world.office = _reopen(world)
    if point.startswith("undo committed"):
        assert import_undo.last_import(world.office) is None  # done; the journal left behind is stale
        assert _stale_journals(world.office) == []
    else:
        assert dump_everything(world.office) == imported  # nothing of the undo stayed: do it again
        import_undo.undo_last_import(world.office)
    assert without_undo_entry(dump_everything(world.office), before) == comparable(before)
    assert check_workspace(world.office) == []
