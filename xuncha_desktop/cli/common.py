"""What the sub-commands share: the passphrase prompt, opening a workspace, aligned tables, progress."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.services.security.keys import open_workspace
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.services.workspace import exists as workspace_exists
from xuncha_desktop.storage.keyfile import keyfile_path
from xuncha_desktop.storage.workspace_lock import lock_path

PACKAGE_CODE_ENV = "XUNCHA_PACKAGE_CODE"


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def passphrase(*, confirm: bool = False) -> str:
    """XUNCHA_PASSPHRASE when set, else a hidden prompt (twice when a new workspace is made)."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return from_env
    try:
        first = getpass.getpass("请输入工作库口令：")
        if confirm and getpass.getpass("请再次输入口令：") != first:
            raise WorkspaceError("两次输入的口令不一致")
    except EOFError:
        raise WorkspaceError(f"没有输入口令（也可以用环境变量 {PASSPHRASE_ENV} 提供）") from None
    return first


def open_for(args: argparse.Namespace, secret: str | None = None) -> Workspace:
    path = Path(args.db)
    if not workspace_exists(path):  # before asking for a passphrase that would be useless
        raise WorkspaceError(f"找不到工作库文件“{path}”")
    Workspace.check_not_in_use(path)  # likewise: another program has it open
    # Throttles wrong passphrases and offers backups. The user is the one whose key slot the passphrase
    # opens; --user (before the sub-command) or XUNCHA_USER names whose slot that must be.
    # `secret`: the passphrase a command already asked for (import needs it again afterwards).
    return open_workspace(
        path, secret if secret is not None else passphrase(), user_login=getattr(args, "gui_user", None)
    )


def refuse_existing(path: Path) -> None:
    if path.exists() or keyfile_path(path).exists():
        raise WorkspaceError(f"工作库“{path}”已存在，不会覆盖")


def remove_workspace_files(path: Path) -> None:
    for leftover in (path, keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm"), lock_path(path)):
        leftover.unlink(missing_ok=True)


def table(rows: Sequence[tuple[str, object]]) -> list[str]:
    """Two aligned columns; CJK characters count as two columns wide."""
    widest = max((display_width(label) for label, _ in rows), default=0)
    return [f"{label}{' ' * (widest - display_width(label))}  {value}" for label, value in rows]


class StderrProgress:
    """Progress on stderr, sparingly: a line per tenth of the way or per new stage, at most once a second."""

    def __init__(self) -> None:
        self._tenth = -1
        self._message = ""
        self._printed_at = 0.0

    def report(self, done: int, total: int, message: str = "") -> None:
        tenth = done * 10 // total if total > 0 else 0
        now = time.monotonic()
        new_stage = message != self._message and now - self._printed_at >= 1.0
        if tenth != self._tenth or new_stage:
            percent = f"{done * 100 // total:3d}%" if total > 0 else ""
            print(f"{percent} {message}".strip(), file=sys.stderr, flush=True)
            self._tenth, self._message, self._printed_at = tenth, message, now

    def check_cancelled(self) -> None:
        pass


def package_code(args: argparse.Namespace) -> str | None:
    """The one-time 配置码 of a first provisioning: --code, else XUNCHA_PACKAGE_CODE."""
    return args.code if args.code else os.environ.get(PACKAGE_CODE_ENV) or None
