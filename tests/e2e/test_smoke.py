"""`xuncha-desktop --smoke-test`: the whole application starts headless, builds its window and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xuncha_desktop.app import run_gui

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def test_smoke_test_command_exits_zero_without_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env["HOME"] = str(tmp_path)  # nothing may be written to the tester's own folders
    env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "xuncha_desktop", "--smoke-test"],
        cwd=tmp_path,  # resources are found from the package, not the working directory
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("SMOKE OK offscreen")
    assert list(tmp_path.iterdir()) == []


def test_smoke_check_runs_in_process(qapp: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_gui(None, None, smoke_test=True) == 0
    assert "SMOKE OK" in capsys.readouterr().out
