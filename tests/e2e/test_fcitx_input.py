"""Typing Chinese through fcitx5 into the application's Qt (the PySide6 wheel has no fcitx plugin).

A real fcitx5 with 拼音 runs on a virtual X screen with its own D-Bus session; the desktop says
QT_IM_MODULE=fcitx as UOS and Kylin do; xdotool toggles the input method and types "nihao" and a space,
which fcitx turns into 你好 only when the window reached it. Needs fcitx5, its Chinese addons, Xvfb,
dbus-launch and xdotool (`.ci/setup.sh` installs them for the test suite).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
NEEDED = ("fcitx5", "Xvfb", "dbus-launch", "xdotool")
PROFILE = """[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
"""
APP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit
from xuncha_desktop.gui.qt_application import application
app = application()
edit = QLineEdit()
edit.setWindowTitle("xuncha-im-test")
edit.show()
edit.setFocus()
QTimer.singleShot(int(sys.argv[1]), lambda: (print("TEXT=" + edit.text(), flush=True), app.quit()))
app.exec()
"""


def _wait_for(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(any(shutil.which(n) is None for n in NEEDED), reason="fcitx5/Xvfb/xdotool not installed")
def test_pinyin_through_fcitx5_reaches_the_window(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".config" / "fcitx5").mkdir(parents=True)
    (home / ".config" / "fcitx5" / "profile").write_text(PROFILE, "utf-8")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    display = f":{200 + os.getpid() % 500}"
    env = {
        "PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_RUNTIME_DIR": str(runtime), "DISPLAY": display, "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "xcb",
        "QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx", "GTK_IM_MODULE": "fcitx",
    }  # fmt: skip
    started: list[subprocess.Popen[bytes]] = []
    try:
        started.append(subprocess.Popen(["Xvfb", display, "-screen", "0", "1024x768x24"], env=env))
        assert _wait_for(lambda: subprocess.run(["xdotool", "getmouselocation"], env=env,
                                                capture_output=True).returncode == 0, 10)  # fmt: skip
        bus = subprocess.run(
            ["dbus-launch", "--sh-syntax"], env=env, capture_output=True, text=True, check=True
        )
        for line in bus.stdout.splitlines():
            if line.startswith("DBUS_SESSION_BUS_ADDRESS="):
                env["DBUS_SESSION_BUS_ADDRESS"] = line.split("=", 1)[1].rstrip(";").strip("'")
            if line.startswith("DBUS_SESSION_BUS_PID="):
                env["DBUS_SESSION_BUS_PID"] = line.split("=", 1)[1].rstrip(";")
        started.append(subprocess.Popen(["fcitx5", "--replace"], env=env, stderr=subprocess.DEVNULL))
        bus_files = home / ".config" / "ibus" / "bus"
        assert _wait_for(lambda: any("IBUS_ADDRESS=unix" in p.read_text() for p in bus_files.glob("*")), 20)
        app = subprocess.Popen(
            [sys.executable, "-c", APP, "9000"], env=env, stdout=subprocess.PIPE, text=True
        )
        started.append(app)  # type: ignore[arg-type]
        found = subprocess.run(["xdotool", "search", "--sync", "--name", "xuncha-im-test"], env=env,
                               capture_output=True, text=True, timeout=30)  # fmt: skip
        window = found.stdout.split()[0]
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True)
        time.sleep(1.0)
        for keys in (["key", "ctrl+space"], ["type", "--delay", "120", "nihao"], ["key", "space"]):
            subprocess.run(["xdotool", *keys], env=env, check=True)
            time.sleep(0.6)
        out, _ = app.communicate(timeout=30)
        assert "TEXT=你好" in out, out
    finally:
        for process in reversed(started):
            process.kill()
            process.wait()
        if "DBUS_SESSION_BUS_PID" in env:
            subprocess.run(["kill", env["DBUS_SESSION_BUS_PID"]], check=False)
