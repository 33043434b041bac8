"""A child process holding a workspace open, driven line by line over stdin (for the single-opener tests).

    python -m tests.workspace_holder DB PASSPHRASE

Commands, each answered with one line on stdout once done:
    open            → "opened"      Workspace.open (an error is answered "error <message>")
    write LOGIN     → "written"     a committed user record named LOGIN
    sniff           → "sniffed"     open every file in the workspace's folder, read its head, close it (a file
                                    dialog listing the folder sniffs each file's type; on Linux closing a
                                    descriptor drops every POSIX lock of the process on that file)
The process then waits for the next line; the tests kill it with SIGKILL, so nothing is checkpointed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def main(db: Path, passphrase: str) -> None:
    ws: Workspace | None = None
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "open":
            try:
                ws = Workspace.open(db, passphrase)
            except XunchaError as exc:
                print(f"error {exc}", flush=True)
                continue
            answer = "opened"
        elif command == "write" and ws is not None:
            RecordService(ws, USER).save(User(login=argument, display_name=argument, role="组员"))
            answer = "written"
        elif command == "sniff":
            for path in sorted(db.parent.iterdir()):
                if path.is_file():
                    with open(path, "rb") as f:
                        f.read(100)
            answer = "sniffed"
        else:
            answer = f"error unknown command {command}"
        print(answer, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
