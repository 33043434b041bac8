"""Wrong passphrases in a row: the growing wait before the next attempt, kept in a side file beside the
workspace, and the audit entries written for them once someone signs in. Below both the workspace (which
checks the wait on unlock) and the key use cases, so neither has to import the other."""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from xuncha_desktop.domain.errors import WorkspaceError, XunchaError
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.storage import migrations
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.keyfile import PASSPHRASE_SLOT, UNKNOWN
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.tables import BUSINESS_TABLES


class _Replica(Protocol):
    @property
    def replica_id(self) -> str: ...


class SignedIn(Protocol):
    """What the audit entries need of the workspace just opened (the Workspace itself, which imports this
    module: a protocol instead of an import keeps the two out of a loop)."""

    @property
    def path(self) -> Path: ...

    @property
    def engine(self) -> Engine: ...

    @property
    def info(self) -> _Replica: ...


ATTEMPTS_SUFFIX = ".attempts"
SYSTEM = "system"  # the audit log's author of what nobody signed in did


class TooManyAttempts(WorkspaceError):
    """Too many wrong passphrases in a row: the next attempt is allowed only after `seconds`."""

    def __init__(self, failures: int, seconds: float) -> None:
        self.failures, self.seconds = failures, seconds
        super().__init__(f"口令已连续输错 {failures} 次，请 {math.ceil(seconds)} 秒后再试")


# -- throttling wrong passphrases ----------------------------------------------------------------------
def default_delay(failures: int) -> float:
    """Seconds to wait after `failures` consecutive wrong passphrases: none for the first two typos,
    then 5 s doubling up to 15 minutes."""
    return 0.0 if failures < 3 else float(min(5 * 2 ** (failures - 3), 900))


def attempts_path(db_path: Path) -> Path:
    """The small side file counting wrong passphrases (it holds no secret, only a count and a time)."""
    return Path(db_path).with_name(Path(db_path).name + ATTEMPTS_SUFFIX)


@dataclass(frozen=True)
class FailedSignIn:
    """Wrong passphrases for one slot in a row, kept until the audit log can take them: the database is
    locked while they happen. `tried` is the slot's owner (keyfile.slot_owner) or UNKNOWN; `where` is
    "open" (signing in) or "unlock" (after a lock); times are seconds since the epoch."""

    tried: str
    where: str
    count: int
    first: float
    last: float


@dataclass(frozen=True)
class AttemptGuard:
    """Consecutive failures per workspace file, kept in a side file so restarting does not reset them. The
    file holds counts, times and slot owners (user ids), never anything typed."""

    schedule: Callable[[int], float] = default_delay
    clock: Callable[[], float] = time.time

    def _state(self, db_path: Path) -> dict[str, Any]:
        try:
            data = json.loads(attempts_path(db_path).read_text(encoding="utf-8"))
            return {
                "failures": int(data["failures"]),
                "last_failure": float(data["last_failure"]),
                "unaudited": [asdict(FailedSignIn(**f)) for f in data.get("unaudited", [])],
            }
        except (OSError, ValueError, KeyError, TypeError):
            return {"failures": 0, "last_failure": 0.0, "unaudited": []}

    def _save(self, db_path: Path, state: dict[str, Any]) -> None:
        target = attempts_path(db_path)
        try:
            if not state["failures"] and not state["unaudited"]:
                target.unlink(missing_ok=True)
                return
            partial = target.with_name(target.name + ".tmp")
            partial.write_text(json.dumps(state), "utf-8")
            os.replace(partial, target)
        except OSError:
            pass  # a read-only folder must not turn a typo into a crash

    def read(self, db_path: Path) -> tuple[int, float]:
        """(consecutive failures, time of the last one)."""
        state = self._state(db_path)
        return state["failures"], state["last_failure"]

    def remaining(self, db_path: Path) -> float:
        failures, last = self.read(db_path)
        delay = self.schedule(failures) if failures else 0.0
        return max(0.0, min(delay, last + delay - self.clock()))

    def failed(self, db_path: Path, *, tried: str = UNKNOWN, where: str = "open") -> tuple[int, float]:
        """Record one more failure; returns (consecutive failures, seconds before the next attempt)."""
        state, now = self._state(db_path), self.clock()
        state["failures"] += 1
        state["last_failure"] = now
        same = next((f for f in state["unaudited"] if (f["tried"], f["where"]) == (tried, where)), None)
        if same is None:
            state["unaudited"].append(asdict(FailedSignIn(tried, where, 1, now, now)))
        else:
            same.update(count=same["count"] + 1, last=now)
        self._save(db_path, state)
        return state["failures"], self.schedule(state["failures"])

    def succeeded(self, db_path: Path) -> None:
        """No more waiting; failures not yet in the audit log stay listed."""
        state = self._state(db_path)
        state.update(failures=0, last_failure=0.0)
        self._save(db_path, state)

    def unaudited(self, db_path: Path) -> list[FailedSignIn]:
        return [FailedSignIn(**f) for f in self._state(db_path)["unaudited"]]

    def audited(self, db_path: Path) -> None:
        state = self._state(db_path)
        state["unaudited"] = []
        self._save(db_path, state)


def _local(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def _owner_logins(conn: Any, replica_id: str) -> dict[str, str]:
    """Slot owner → login: users by id, and the version-1 slot as its owner, the first local user."""
    users = BUSINESS_TABLES[USER.key]
    rows = conn.execute(
        select(users.c.id, users.c.login).order_by(
            (users.c.created_replica != replica_id), users.c.created_hlc
        )
    ).all()
    names = {r.id: r.login for r in rows}
    if rows:
        names[PASSPHRASE_SLOT] = rows[0].login
    return names


def log_failed_unlocks(ws: SignedIn, guard: AttemptGuard) -> int:
    """After a successful sign-in or unlock: no more waiting, and the wrong passphrases before it go into
    the audit log (one entry per slot and occasion). A database that cannot be written keeps them listed
    for the next time. Returns how many entries were written."""
    guard.succeeded(ws.path)
    pending = guard.unaudited(ws.path)
    if not pending:
        return 0
    try:
        with write_transaction(ws.engine) as conn:
            names = _owner_logins(conn, ws.info.replica_id)
            writer = RevisionWriter(conn, SYSTEM, migrations.SCHEMA_VERSION)
            for f in pending:
                writer.log(
                    "unlock_failed",
                    login=names.get(f.tried, ""),
                    count=f.count,
                    first=_local(f.first),
                    last=_local(f.last),
                    where=f.where,
                )
            writer.finish()
    except (DBAPIError, XunchaError):
        return 0
    guard.audited(ws.path)
    return len(pending)
