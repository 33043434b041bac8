"""Engines over SQLCipher files: raw 256-bit key, pragmas, transactional DDL, and a key check on connect."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError, WrongPassphrase
from xuncha_desktop.storage import faults

WRITE_OPTION = "xuncha_write"
BUSY_TIMEOUT_MS = 5000  # how long a writer waits for another connection's write lock
# Pages of 16 KB hold four or five records of 3–4 KB where a 4 KB page held one and left the rest unused,
# and carry SQLCipher's per-page IV and HMAC a quarter as often: the 100,000-record office file is 15 %
# smaller. An encrypted file does not say its page size, so files written before it (4 KB) are recognised
# by trying (and converted when opened: storage.page_size).
PAGE_SIZE = 16384
LEGACY_PAGE_SIZE = 4096

_PRAGMAS = (
    "temp_store = MEMORY",  # SQLCipher does not encrypt temporary files: keep them in memory
    "secure_delete = ON",
    "foreign_keys = ON",
    "journal_mode = WAL",
    "synchronous = FULL",
)


def _opening_error(path: Path, exc: sqlcipher.Error) -> WorkspaceError:
    """Why the first read failed: a refused key only when SQLite says the file is not a database; a
    read-only or full folder, a lock or a disk error is named as such, never taken for a wrong key."""
    if faults.sqlite_code(exc) == faults.SQLITE_NOTADB:
        return WrongPassphrase("工作库密钥不正确，或文件不是本系统的工作库")
    return faults.database_error(exc, path) or WrongPassphrase("工作库密钥不正确，或文件不是本系统的工作库")


def _keyed(path: Path, key: bytes, page_size: int) -> Any:
    """A connection whose first read succeeded with `key` and `page_size`, or the sqlcipher error."""
    con = sqlcipher.connect(str(path), check_same_thread=False)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher's English log lines never reach stderr
        con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")  # must precede any read; hex needs no quoting
        con.execute(f"PRAGMA cipher_page_size = {int(page_size)}")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # PRAGMA key says "ok" even when wrong
    except BaseException:
        con.close()
        raise
    return con


def _page_sizes(path: Path, page_size: int | None) -> tuple[int, ...]:
    """The page sizes to try: the one asked for; a new file gets PAGE_SIZE; an existing one may be either."""
    if page_size is not None:
        return (page_size,)
    try:
        existing = path.stat().st_size > 0
    except OSError:
        existing = False
    return (PAGE_SIZE, LEGACY_PAGE_SIZE) if existing else (PAGE_SIZE,)


def connect_raw(path: Path, key: bytes, page_size: int | None = None) -> Any:
    """A DB-API connection to an encrypted file, or WrongPassphrase/DamagedWorkspace, or the disk or lock
    failure (storage.faults) that stopped it. Without `page_size`, an existing file is read with whichever
    page size opens it (page_size_of tells which) and a new one is written with PAGE_SIZE."""
    sizes = _page_sizes(Path(path), page_size)
    for n, size in enumerate(sizes):
        try:
            con = _keyed(path, key, size)
            break
        except sqlcipher.Error as exc:
            # A wrong page size reads as "not a database", as a wrong key does: try the next one.
            if faults.sqlite_code(exc) == faults.SQLITE_NOTADB and n + 1 < len(sizes):
                continue
            raise _opening_error(path, exc) from exc
    try:
        for pragma in (*_PRAGMAS, f"busy_timeout = {BUSY_TIMEOUT_MS}"):
            con.execute(f"PRAGMA {pragma}")
    except sqlcipher.Error as exc:
        con.close()
        raise faults.database_error(exc, path) or DamagedWorkspace("工作库文件已损坏：请从备份恢复") from exc
    # Transactions are issued explicitly (below) so DDL in migrations is transactional too.
    con.isolation_level = None
    return con


def compact_json(value: Any) -> str:
    """JSON columns as the file holds them: Chinese as itself (3 bytes a character, not a 6-byte \\u escape)
    and no blanks between items. Readers parse the text, so values written escaped still read the same."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def page_size_of(con: Any) -> int:
    """The page size a DB-API connection from connect_raw reads its file with."""
    return int(con.execute("PRAGMA cipher_page_size").fetchone()[0])


def open_engine(path: Path, key: bytes) -> Engine:
    """An engine whose every connection is keyed; the file URL keeps SQLAlchemy's file-database pool."""
    found: list[int] = []  # the file's page size, once the first connection has found it

    def creator() -> Any:
        con = connect_raw(path, key, found[0] if found else None)
        if not found:
            found.append(page_size_of(con))
        return con

    # hide_parameters: an SQL error's text never carries the values (record text) it was writing.
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        module=sqlcipher,
        creator=creator,
        hide_parameters=True,
        json_serializer=compact_json,
    )

    @event.listens_for(engine, "handle_error")
    def _translate(context: ExceptionContext) -> BaseException | None:
        # A full disk, read-only folder or held lock becomes its Chinese error here, where it surfaces.
        error = context.original_exception
        return faults.database_error(error, Path(path)) if isinstance(error, sqlcipher.Error) else None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the lock up front (no read→write upgrade deadlock); readers never block in WAL mode.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One atomic write: commits on success, rolls back on any exception."""
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        yield conn


def cipher_version(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("PRAGMA cipher_version")).scalar_one())


def check_pages(con: Any) -> list[str]:
    """SQLite's quick_check on a DB-API connection: [] when the file is sound, else what it found."""
    rows = [str(r[0]) for r in con.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


class QuickCheck:
    """quick_check of an engine's file on a connection of its own, which stop() interrupts from any thread
    (it reads the whole file: half a minute for a large office workspace)."""

    def __init__(self) -> None:
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._running: Any = None  # the DB-API connection while the check runs

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            if self._running is not None:
                self._running.interrupt()  # sqlite3_interrupt is safe from another thread

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def run(self, engine: Engine) -> list[str] | None:
        """[] when sound, the problems found, or None when stopped."""
        raw = engine.raw_connection()
        try:
            with self._lock:
                if self.stopped:
                    return None
                self._running = raw.driver_connection
            return check_pages(raw.driver_connection)
        except sqlcipher.DatabaseError as exc:  # "interrupted" after stop(), else a damaged file
            return None if self.stopped else [str(exc)]
        finally:
            with self._lock:
                self._running = None
            raw.close()


def quick_check(engine: Engine) -> list[str]:
    """SQLite's quick_check; an empty list means the file is sound."""
    return QuickCheck().run(engine) or []


def integrity_check(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = [str(r[0]) for r in conn.execute(text("PRAGMA integrity_check"))]
    return [] if rows == ["ok"] else rows
