"""Faults a test can put under a folder: a small tmpfs filled up, remounted read-only, a folder nobody
may write (even root: the effective capability CAP_DAC_OVERRIDE is dropped for the calling thread), and
SQLite's write lock held by another connection.

Mounting needs root with mount permission (the CI runs as root); elsewhere the tests say why they skip.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from xuncha_desktop.storage.database import connect_raw
from xuncha_desktop.storage.keyfile import keyfile_path, read_keyfile

FILLER = "占位.bin"
_CAP_VERSION_3 = 0x20080522
_CAP_DAC_OVERRIDE = 1


def mounting_skip_reason() -> str | None:
    """Why mounts cannot be made here, or None."""
    if os.name != "posix" or not hasattr(os, "geteuid"):
        return "full-disk and read-only faults are injected with Linux tmpfs mounts"
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root (the CI runs the fault tests as root)"
    if shutil.which("mount") is None:
        return "the mount command is not installed"
    return None


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


@contextmanager
def tmpfs(folder: Path, size_kib: int) -> Iterator[Path]:
    """A fresh tmpfs of `size_kib` at `folder` for the block; skips the test when it cannot be mounted."""
    reason = mounting_skip_reason()
    if reason:
        pytest.skip(reason)
    folder.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(folder))
    if done.returncode:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        if _run("umount", str(folder)).returncode:
            _run("umount", "-l", str(folder))  # a file still open: detach now, free when closed


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of `folder` up, then give `leave` bytes back; returns the filler file."""
    filler = folder / FILLER
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    block = b"\0" * 65536
    try:
        while block:
            try:
                os.write(fd, block)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                block = block[: len(block) // 2]
    finally:
        os.close(fd)
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def remount(folder: Path, mode: str) -> None:
    """`mode` is "ro" or "rw"."""
    done = _run("mount", "-o", f"remount,{mode}", str(folder))
    assert done.returncode == 0, done.stderr


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _set_dac_override(enabled: bool) -> bool:
    """Raise or drop CAP_DAC_OVERRIDE in this thread's effective set (it stays permitted); True when
    that changed anything (a container may not grant it at all)."""
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = _CapHeader(_CAP_VERSION_3, 0), (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    bit = 1 << _CAP_DAC_OVERRIDE
    if not data[0].permitted & bit or bool(data[0].effective & bit) == enabled:
        return False
    data[0].effective = (data[0].effective | bit) if enabled else (data[0].effective & ~bit)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    return True


@contextmanager
def unwritable_folder(folder: Path) -> Iterator[Path]:
    """`folder` (r-x) and its files (r--) cannot be written by this thread for the block, root or not."""
    if os.name != "posix":
        pytest.skip("the read-only folder is made with POSIX permissions")
    modes = {p: p.stat().st_mode for p in (folder, *folder.iterdir())}
    for path, mode in modes.items():
        path.chmod(stat.S_IMODE(mode) & ~0o222)
    dropped = os.geteuid() == 0 and _set_dac_override(False)
    try:
        yield folder
    finally:
        if dropped:
            _set_dac_override(True)
        for path, mode in modes.items():
            path.chmod(stat.S_IMODE(mode))


@contextmanager
def write_locked(db: Path, passphrase: str) -> Iterator[None]:
    """Another connection holds SQLite's write lock on `db` (BEGIN IMMEDIATE) for the block."""
    key = read_keyfile(keyfile_path(db)).unlock(passphrase)
    con = connect_raw(db, key)
    try:
        con.execute("BEGIN IMMEDIATE")
        yield
        con.execute("ROLLBACK")
    finally:
        con.close()
