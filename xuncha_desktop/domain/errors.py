"""Typed errors raised below the GUI; each carries a Chinese message fit to show a user."""

from __future__ import annotations

from dataclasses import dataclass


class XunchaError(Exception):
    """A known, user-facing failure (bad input, wrong key, damaged file): never a programming bug."""


@dataclass(frozen=True)
class FieldError:
    """One invalid form field: `field` is the dataclass field name, `message` is Chinese."""

    field: str
    message: str


class ValidationError(XunchaError):
    def __init__(self, errors: list[FieldError], label: str = "") -> None:
        self.errors = errors
        details = "；".join(e.message for e in errors)
        super().__init__(f"{label}填写有误：{details}" if label else f"填写有误：{details}")


class RecordNotFound(XunchaError):
    pass


class WorkflowError(XunchaError):
    """A workflow step that is not allowed now (wrong state or wrong role)."""


class WorkspaceError(XunchaError):
    """The workspace file cannot be created or opened."""


class WrongPassphrase(WorkspaceError):
    pass


class NewerSchemaError(WorkspaceError):
    pass


class DamagedWorkspace(WorkspaceError):
    pass


class StorageFault(WorkspaceError):
    """The disk or another program stopped a read or write (full, read-only, locked, failing): what was
    being written is rolled back, and the same step works again once the cause is removed."""


class DiskFull(StorageFault):
    pass


class ReadOnlyLocation(StorageFault):
    """A read-only medium, folder or file, or one the user has no permission to write."""


class DatabaseLocked(StorageFault):
    """Another connection holds SQLite's write lock for longer than the busy timeout."""


class DiskError(StorageFault):
    """The operating system reported a read or write error (a failing disk, a USB stick pulled out)."""


class NoPassphraseYet(WorkspaceError):
    """The login has no key slot: its passphrase has not been set yet (or the login is misspelt)."""

    def __init__(self, login: str) -> None:
        self.login = login
        super().__init__(
            f"登录名“{login}”在本工作库中还没有口令，暂不能登录（请先核对登录名）。"
            "请巡察组组长（巡察办工作库请巡察办管理员）在“安全 → 用户口令”中为您设置口令"
        )
