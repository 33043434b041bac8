"""Each fault for every sub-command: one Chinese line naming the cause and what to do, exit code 1, no
traceback, no English library text, no record text in stderr or a log, nothing changed.

Faults: a full disk (the workspace's folder, the output's folder, the backup folder, or mid-transaction),
a read-only medium, a read-only folder, SQLite's write lock held by another connection, a key file of
another workspace, a zero-byte key file, and a closed output pipe.
"""

from __future__ import annotations

import argparse
import logging
import re
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from tests.faults import report
from tests.faults.places import FAULTS, Place
from tests.faults.world import (
    LAPTOP,
    LEDGER_BOOK,
    PACKAGE,
    PLAN_BOOK,
    Snapshot,
    leaked,
    listing,
)
from xuncha_desktop import cli
from xuncha_desktop.services import workspace as workspace_module
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams, keyfile_path

pytestmark = [pytest.mark.faults, pytest.mark.e2e]


# Keyed by the command line's leading words: the sub-command, and its action where it has actions (`plan
# import`) or a variant worth its own run (`demo --office`).
COMMANDS: dict[str, Callable[[Place], list[str | Path]]] = {
    "init": lambda p: ["init", "--db", p.out / "新建.xcdb"],
    "demo": lambda p: ["demo", "--db", p.out / "演示.xcdb", "--records", "3"],
    "demo --office": lambda p: ["demo", "--office", "--db", p.out / "演示巡察办.xcdb", "--records", "3"],
    "stats": lambda p: ["stats", "--db", p.office, "--json"],
    "check": lambda p: ["check", "--db", p.office],
    "export": lambda p: ["export", "--db", p.folder / LAPTOP, "--out", p.out / "导出.xcpkg"],
    "provision": lambda p: ["provision", "--db", p.office, "--out", p.out / "配置.xcpkg"],
    "import": lambda p: ["import", "--db", p.office, p.folder / PACKAGE],
    "print": lambda p: ["print", "--db", p.office, "--kind", "draft", "--all", "--out", p.out / "底稿.pdf"],
    "ledger": lambda p: ["ledger", "--db", p.office, "--kind", "lead", "--out", p.out / "线索.xlsx"],
    "report": lambda p: [
        *("report", "--db", p.office, "--kind", "inspection"),
        *("--unit", "清河县财政局党组", "--out", p.out / "巡察报告.docx"),
    ],
    "ledger-import": lambda p: ["ledger-import", "--db", p.office, "--kind", "lead", p.folder / LEDGER_BOOK],
    "plan template": lambda p: ["plan", "template", "--out", p.out / "计划模板.xlsx"],
    "plan export": lambda p: ["plan", "export", "--db", p.office, "--out", p.out / "计划.xlsx"],
    "plan import": lambda p: ["plan", "import", "--db", p.office, "--json", p.folder / PLAN_BOOK],
    "reidentify": lambda p: ["reidentify", "--db", p.folder / LAPTOP],
    "undo-import": lambda p: ["undo-import", "--db", p.office, "--dry-run"],
}


@pytest.fixture(autouse=True)
def cheap_new_workspaces(monkeypatch: pytest.MonkeyPatch) -> None:
    """init and demo derive their key at the cost meant for people (half a second): not 18 times here."""
    monkeypatch.setattr(workspace_module, "KdfParams", KdfParams.cheap)


def _sub_commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(found[0].choices) if found else {}


def test_every_sub_command_is_covered() -> None:
    """Each sub-command has a run, and so has each action of a sub-command with actions."""
    commands = _sub_commands(cli.build_parser())
    assert set(commands) == {key.split()[0] for key in COMMANDS}
    actions = {f"{name} {action}" for name, sub in commands.items() for action in _sub_commands(sub)}
    assert actions <= set(COMMANDS), sorted(actions - set(COMMANDS))


# -- what each fault must give ---------------------------------------------------------------------------
OK, EITHER = "ok", "either"  # EITHER: the command may still work, else it fails with the fault's line
DISK_FULL = "错误：磁盘空间不足，无法写入“{where}”：请清理该磁盘，或换一个空间足够的位置后重试"
READ_ONLY_MEDIUM = (
    "错误：“{where}”所在的磁盘是只读的（如写保护的U盘或光盘），无法写入："
    "请取消写保护，或换一个可写的位置后重试"
)
READ_ONLY_FOLDER = (
    "错误：文件夹“{where}”只读或没有写入权限：请换一个可写的文件夹，或请管理员开放写入权限后重试"
)
LOCKED = (
    "错误：工作库“{name}”正被另一个程序写入（数据库已锁定）：请等它完成，"
    "或关闭同时使用该工作库的其他窗口或程序后重试"
)
NO_BACKUP = "没有找到该工作库的备份，请联系巡察办。"
FOREIGN_KEY = (
    "错误：无法打开工作库“{name}”：密钥文件“{name}.key”打不开这个工作库（它可能是另一个工作库的密钥文件，"
    "或工作库文件已损坏），请放回该工作库原来的密钥文件。" + NO_BACKUP
)
EMPTY_KEY = (
    "错误：无法打开工作库“{name}”：密钥文件“{name}.key”是空文件（0 字节），可能在复制或保存时被截断："
    "请放回该工作库原来的密钥文件。" + NO_BACKUP
)
OUTPUT_CLOSED = (
    "错误：输出管道已被关闭（读取输出的程序提前退出，例如 head），结果没有完整输出："
    "如需完整结果，请不要截断输出，或把输出重定向到文件"
)
NEW = ("init", "demo", "demo --office")  # make a new workspace in the output folder
OPENING = (
    *("stats", "check", "export", "provision", "import", "print", "ledger", "report", "reidentify"),
    *("ledger-import", "plan export", "plan import", "undo-import"),
)
# write a file to the output folder
WRITING = ("export", "provision", "print", "ledger", "report", "plan template", "plan export")
IMPORTING = ("import", "ledger-import", "plan import")  # read a file, write in one transaction

EXPECTED: dict[str, dict[str, str]] = {
    "disk_full": dict.fromkeys(COMMANDS, DISK_FULL),
    "disk_full_output": {
        **dict.fromkeys(COMMANDS, OK),
        **dict.fromkeys((*NEW, *WRITING), DISK_FULL),
        "import": DISK_FULL.replace("{where}", "{backups}"),  # the backup before an import
        "reidentify": DISK_FULL.replace("{where}", "{backups}"),  # and before a new identity
        # plan import and ledger-import take no backup first: a full output folder is none of their business
    },
    "disk_full_midway": {
        **dict.fromkeys(COMMANDS, OK),
        **dict.fromkeys(IMPORTING, DISK_FULL),
        "reidentify": DISK_FULL,
        "export": EITHER,
        "provision": EITHER,
    },
    "read_only_medium": dict.fromkeys(COMMANDS, READ_ONLY_MEDIUM),
    "read_only_folder": dict.fromkeys(COMMANDS, READ_ONLY_FOLDER),
    # Readers do not wait for a writer; printing may come to write an audit entry.
    "locked": {
        **dict.fromkeys(COMMANDS, OK),
        **dict.fromkeys((*IMPORTING, "export", "provision", "reidentify"), LOCKED),
        **dict.fromkeys(("print", "ledger", "report", "plan export"), EITHER),
    },
    "foreign_key_file": {**dict.fromkeys(COMMANDS, OK), **dict.fromkeys(OPENING, FOREIGN_KEY)},
    "empty_key_file": {**dict.fromkeys(COMMANDS, OK), **dict.fromkeys(OPENING, EMPTY_KEY)},
    "broken_pipe": dict.fromkeys(COMMANDS, OUTPUT_CLOSED),
}
# The fault's own line for an EITHER outcome.
EITHER_LINE = {"disk_full_midway": DISK_FULL, "locked": LOCKED}
# A closed pipe ends a command that has done its work: its changes stand.
CHANGES_STAND = {"broken_pipe"}

PROGRESS = re.compile(r"^\d{1,3}%( \S.*)?$")
QUOTED = re.compile(r"“[^”]*”")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
ALLOWED_WORDS = {"head"}  # the command named in the closed-pipe line


def _target(argv: list[str | Path]) -> Path:
    """The workspace the command opens or makes; else (`plan template`) the file it writes."""
    return Path(argv[argv.index("--db" if "--db" in argv else "--out") + 1])


def _expected_line(template: str, place: Place, command: str, target: Path) -> str:
    folder = place.out if command in (*NEW, *WRITING) else target.parent  # where the failing write went
    return template.format(where=folder, backups=place.folder / "备份", name=target.name)


def _assert_clean(err: str, out: str, log: str) -> list[str]:
    """stderr holds progress lines and at most one error line; no traceback, no English library text,
    no record text anywhere. Returns the error lines."""
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("错误：")]
    assert all(PROGRESS.match(line) for line in lines if line not in errors), err
    assert not errors or lines[-1] == errors[-1], err
    words = set(ENGLISH_WORD.findall(QUOTED.sub("", "\n".join(errors)))) - ALLOWED_WORDS
    assert not words, err
    for text in (err, out, log):
        assert "Traceback" not in text
        assert leaked(text) == []
    return errors


def _leftovers(place: Place, template: Path) -> list[str]:
    """Files that were not there before: neither in the template nor a complete backup (an import's
    safety copy, taken before it failed)."""
    before = set(listing(template))
    found = []
    for root in dict.fromkeys((place.folder, place.out)):
        for name in listing(root):
            path = root / name
            is_backup = path.parent.name == "备份" and (
                keyfile_path(path).is_file() or path.name.endswith(".key")
            )
            sidecar = name.endswith(("-wal", "-shm"))  # SQLite's own, recovered by the next opener
            if (
                not (root == place.folder and name in before)
                and not (is_backup and ".part" not in name)
                and not sidecar
            ):
                found.append(name)
    return sorted(found)


def _run(argv: list[str | Path], capfd: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capfd.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault(
    fault: str,
    command: str,
    tmp_path: Path,
    fault_template: Path,
    fault_snapshot: Snapshot,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.delenv("XUNCHA_USER", raising=False)
    caplog.set_level(logging.WARNING)
    with ExitStack() as mounts:
        with FAULTS[fault](tmp_path, fault_template, mounts) as place:
            argv = COMMANDS[command](place)
            code, out, err = _run(argv, capfd)
        report.tried(f"clean failure: {fault}", command)
        errors = _assert_clean(err, out, caplog.text)
        expected = EXPECTED[fault][command]
        target = _target(argv)
        if expected == OK or (expected == EITHER and code == 0):
            assert (code, errors) == (0, []), err
            return
        line = _expected_line(
            EITHER_LINE.get(fault, expected) if expected == EITHER else expected, place, command, target
        )
        assert (code, errors) == (1, [line])
        if fault in CHANGES_STAND:
            if command not in (*NEW, *OPENING):
                assert target.is_file()
                return
            with Workspace.open(target, PASSPHRASE) as ws:
                assert check_workspace(ws) == []
            return
        assert _leftovers(place, fault_template) == []
        if command in OPENING:
            fault_snapshot.assert_unchanged(place.folder, target.name)
