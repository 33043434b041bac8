"""shipped: ui/ and resources/ are found from a checkout, an installed package and a frozen build alike."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xuncha_desktop import shipped
from xuncha_desktop.shipped import shipped_path


def test_shipped_files_exist_from_the_source_tree() -> None:
    assert shipped_path("ui", "main_window.ui").is_file()
    assert shipped_path("resources").is_dir()


def test_a_frozen_build_looks_under_its_own_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert shipped_path("ui", "a.ui") == tmp_path / "ui" / "a.ui"


def test_a_checkout_without_install_uses_the_folders_beside_the_package(monkeypatch) -> None:
    def missing(name: str):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(shipped.resources, "files", missing)
    assert shipped_path("resources") == Path(shipped.__file__).resolve().parent.parent / "resources"


def test_only_the_shipped_folders_are_named() -> None:
    with pytest.raises(ValueError, match="not a shipped folder"):
        shipped_path("xuncha_desktop")
