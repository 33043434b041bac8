"""fcitx on UOS and Kylin: with no fcitx plugin beside Qt, the program asks for the ibus plugin it ships."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from xuncha_desktop.gui.input_method import input_module_for, installed_plugins, prefer_working_input_method

WHEEL = ["libcomposeplatforminputcontextplugin.so", "libibusplatforminputcontextplugin.so"]


@pytest.mark.parametrize(
    ("requested", "plugins", "expected"),
    [
        ("fcitx", WHEEL, "ibus"),
        ("fcitx5", WHEEL, "ibus"),
        ("fcitx", [*WHEEL, "libfcitx5platforminputcontextplugin.so"], None),  # an added fcitx plugin is kept
        ("ibus", WHEEL, None),
        ("", WHEEL, None),
        ("fcitx", ["libcomposeplatforminputcontextplugin.so"], None),  # nothing better to offer
    ],
)
def test_the_module_qt_can_load_is_chosen(requested: str, plugins: list[str], expected: str | None) -> None:
    assert input_module_for(requested, plugins) == expected


def _plugins(folder: Path) -> Path:
    folder.mkdir()
    for name in WHEEL:
        (folder / name).write_bytes(b"")
    return folder


def test_fcitx_gets_ibus_and_a_stand_in_daemon_when_none_is_installed(tmp_path: Path) -> None:
    plugins, stand_in, bin_dir = _plugins(tmp_path / "plugins"), tmp_path / "运行" / "im", tmp_path / "bin"
    bin_dir.mkdir()
    environ = {"QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx", "PATH": str(bin_dir)}
    prefer_working_input_method(plugins, stand_in, environ)
    assert environ == {"QT_IM_MODULE": "ibus", "XMODIFIERS": "@im=fcitx", "PATH": f"{stand_in}:{bin_dir}"}
    daemon = stand_in / "ibus-daemon"
    assert os.access(daemon, os.X_OK) and subprocess.run([str(daemon)], check=False).returncode == 0
    assert installed_plugins(tmp_path / "无此文件夹") == set()


def test_a_real_ibus_daemon_is_left_alone(tmp_path: Path) -> None:
    plugins, bin_dir = _plugins(tmp_path / "plugins"), tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "ibus-daemon").write_text("#!/bin/sh\n")
    (bin_dir / "ibus-daemon").chmod(0o755)
    environ = {"QT_IM_MODULE": "fcitx", "PATH": str(bin_dir)}
    prefer_working_input_method(plugins, tmp_path / "im", environ)
    assert environ == {"QT_IM_MODULE": "ibus", "PATH": str(bin_dir)} and not (tmp_path / "im").exists()


def test_ibus_users_are_left_alone(tmp_path: Path) -> None:
    environ = {"QT_IM_MODULE": "ibus", "PATH": "/usr/bin"}
    prefer_working_input_method(_plugins(tmp_path / "plugins"), tmp_path / "im", environ)
    assert environ == {"QT_IM_MODULE": "ibus", "PATH": "/usr/bin"}


def test_the_wheel_really_ships_the_ibus_plugin() -> None:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"
    assert input_module_for("fcitx", installed_plugins(folder)) == "ibus"
