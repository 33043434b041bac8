"""Opening a workspace interactively: ask for the passphrase until it is right, or offer to create it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from xuncha_desktop.domain.errors import WrongPassphrase, XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.services.workspace import Workspace, check_passphrase

OPEN_FAILED = "无法打开工作库"


def open_workspace(
    parent: QWidget | None, path: Path, passphrase: str | None = None, *, user: str | None = None
) -> Workspace | None:
    """The opened workspace, or None when the user gave up (every failure has been shown to them)."""
    if not path.exists():
        if not messages.ask_create_workspace(parent, path):
            return None
        return create_workspace(parent, path, user)
    error = ""
    while True:
        secret = passphrase if passphrase is not None else messages.ask_passphrase(parent, path, error=error)
        passphrase = None  # a given passphrase is tried once; after that, ask
        if secret is None:
            return None
        try:
            return Workspace.open(path, secret, user_login=user)
        except WrongPassphrase:
            error = "口令不正确，请重新输入。"
        except XunchaError as exc:
            messages.show_error(parent, OPEN_FAILED, str(exc))
            return None


def create_workspace(parent: QWidget | None, path: Path, user: str | None = None) -> Workspace | None:
    """A new workspace at `path` with a passphrase typed twice; None when the user gave up."""
    error = ""
    while True:
        secret = messages.ask_new_passphrase(parent, path, error=error)
        if secret is None:
            return None
        try:
            check_passphrase(secret)
        except XunchaError as exc:
            error = str(exc)
            continue
        try:
            return Workspace.create(path, secret, user_name=user or "")
        except XunchaError as exc:
            messages.show_error(parent, "无法新建工作库", str(exc))
            return None
