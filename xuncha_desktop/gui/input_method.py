"""Chinese input on Linux desktops whose input method is fcitx (统信UOS, 银河麒麟, Sogou).

The PySide6 wheel ships Qt's ibus and compose input-method plugins only, so with QT_IM_MODULE=fcitx (what
those desktops set) Qt finds no plugin and typing Chinese does nothing. fcitx5 also answers on the ibus
protocol (its ibus frontend, on by default), so the ibus plugin that does ship reaches it: when no fcitx
plugin is installed beside Qt, the program asks for ibus instead. The README says what fcitx 4 needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, MutableMapping
from pathlib import Path


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


def prefer_working_input_method(plugin_dir: Path, environ: MutableMapping[str, str] | None = None) -> None:
    """Before the QApplication exists: switch QT_IM_MODULE from fcitx to ibus when only ibus can load."""
    environ = os.environ if environ is None else environ
    replacement = input_module_for(environ.get("QT_IM_MODULE", ""), installed_plugins(plugin_dir))
    if replacement is not None:
        environ["QT_IM_MODULE"] = replacement
