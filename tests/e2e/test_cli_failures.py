"""The command line's last resort: an unexpected error is one Chinese line naming its class and place
(never its text, which can hold record text), and a closed output pipe is said in Chinese, also by the
real program whose Python would otherwise complain in English when it exits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from xuncha_desktop import cli
from xuncha_desktop.cli.failures import OUTPUT_CLOSED
from xuncha_desktop.services import statistics
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
MARKER = "命令行测试记录正文碧螺春"


def test_an_unexpected_error_shows_its_class_and_place_only(
    workspace: Workspace, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)

    def broken(ws: Workspace) -> dict[str, object]:
        raise ValueError(f"无法统计“{MARKER}”")

    monkeypatch.setattr(statistics, "workspace_figures", broken)
    code = cli.main(["stats", "--db", str(workspace.path)])
    out, err = capfd.readouterr()
    assert (code, out) == (1, "")
    assert re.fullmatch(
        r"错误：发生了意外错误（ValueError，位于 cli[/\\]workspace_commands\.py:\d+），操作未完成；"
        r"请记下这一行告知技术支持，然后重新打开程序再试\n",
        err,
    ), err


def _run_into_closed_pipe(*argv: str) -> subprocess.CompletedProcess[str]:
    """The real program with stdout a pipe whose reader has gone (`… | head -c1` once head exited)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        env = {**os.environ, PASSPHRASE_ENV: PASSPHRASE, "PYTHONPATH": str(REPO)}
        return subprocess.run(
            [sys.executable, "-m", "xuncha_desktop", *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.skipif(os.name != "posix", reason="a pipe with no reader is made with POSIX pipes")
def test_a_closed_output_pipe_is_one_chinese_line(workspace: Workspace) -> None:
    workspace.close()
    done = _run_into_closed_pipe("stats", "--db", str(workspace.path), "--json")
    assert (done.returncode, done.stderr) == (1, f"错误：{OUTPUT_CLOSED}\n")
