"""Chinese input on Linux desktops whose input method is fcitx (统信UOS, 银河麒麟, Sogou on fcitx5).

The PySide6 wheel ships Qt's ibus and compose input-method plugins only, so with QT_IM_MODULE=fcitx (what
those desktops set) Qt finds no plugin and typing Chinese does nothing. fcitx5 also answers on the ibus
protocol (its ibus frontend, on by default), so the ibus plugin that does ship can reach it, with two
conditions found by trying it: QT_IM_MODULE must say ibus, and Qt's plugin only counts itself usable when
an `ibus-daemon` program is on PATH (it checks, it never starts it). Where none is installed, a stand-in
that does nothing is put on this process's PATH. The README says what fcitx 4 needs instead.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterable, MutableMapping
from pathlib import Path

import platformdirs

from xuncha_desktop import APP_NAME

STAND_IN = (
    "#!/bin/sh\n"
    "# xuncha-desktop: Qt's ibus plugin only checks that this program exists; fcitx5 serves it.\n"
    "exit 0\n"
)


def installed_plugins(plugin_dir: Path) -> set[str]:
    """File names of Qt's platform input-context plugins in `plugin_dir` (…/plugins/platforminputcontexts)."""
    try:
        return {p.name.lower() for p in plugin_dir.iterdir()}
    except OSError:
        return set()


def input_module_for(requested: str, plugins: Iterable[str]) -> str | None:
    """The QT_IM_MODULE to use instead of `requested`, or None to keep it."""
    wanted = requested.strip().lower()
    if not wanted.startswith("fcitx"):
        return None
    available = list(plugins)
    if any("fcitx" in name for name in available):
        return None  # a fcitx plugin built for this Qt was added (the README's route for fcitx 4)
    if any("ibus" in name for name in available):
        return "ibus"
    return None


def _stand_in_daemon(folder: Path, environ: MutableMapping[str, str]) -> None:
    """Put a do-nothing `ibus-daemon` first on this process's PATH, unless a real one is installed."""
    if shutil.which("ibus-daemon", path=environ.get("PATH")):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        program = folder / "ibus-daemon"
        program.write_text(STAND_IN, encoding="utf-8")
        program.chmod(0o700)
    except OSError:
        return  # no writable runtime folder: typing English still works, as before
    environ["PATH"] = os.pathsep.join(filter(None, (str(folder), environ.get("PATH"))))


def default_stand_in_dir() -> Path:
    """The per-user runtime folder (XDG_RUNTIME_DIR); platformdirs warns when that variable is missing and
    falls back to /tmp/runtime-<uid>, which is fine here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Path(platformdirs.user_runtime_dir(APP_NAME)) / "input-method"


def prefer_working_input_method(
    plugin_dir: Path,
    stand_in_dir: Path | None = None,
    environ: MutableMapping[str, str] | None = None,
) -> None:
    """Before the QApplication exists: switch QT_IM_MODULE from fcitx to ibus when only ibus can load."""
    environ = os.environ if environ is None else environ
    replacement = input_module_for(environ.get("QT_IM_MODULE", ""), installed_plugins(plugin_dir))
    if replacement is not None:
        environ["QT_IM_MODULE"] = replacement
        _stand_in_daemon(stand_in_dir or default_stand_in_dir(), environ)
