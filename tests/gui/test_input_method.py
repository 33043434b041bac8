"""fcitx on UOS and Kylin: with no fcitx plugin beside Qt, the program asks for the ibus plugin it ships."""

from __future__ import annotations

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


def test_the_environment_is_changed_only_when_needed(tmp_path: Path) -> None:
    for name in WHEEL:
        (tmp_path / name).write_bytes(b"")
    environ = {"QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx"}
    prefer_working_input_method(tmp_path, environ)
    assert environ == {"QT_IM_MODULE": "ibus", "XMODIFIERS": "@im=fcitx"}
    assert installed_plugins(tmp_path / "无此文件夹") == set()


def test_the_wheel_really_ships_the_ibus_plugin() -> None:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"
    assert input_module_for("fcitx", installed_plugins(folder)) == "ibus"
