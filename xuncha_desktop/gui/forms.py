"""Loading Qt Designer files from ui/ at run time and finding their widgets by name, failing fast."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

# Imported as a module (not only its class) so PyInstaller's hook bundles QtUiTools for QUiLoader.
import PySide6.QtUiTools
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from xuncha_desktop.paths import resource_path

W = TypeVar("W", bound=QObject)


class FormError(RuntimeError):
    """A .ui file is missing or lacks a widget the code expects: a build bug, not a user error."""


def _ui_file(file_name: str) -> str:
    path = resource_path("ui", file_name)
    if not path.is_file():
        raise FormError(f"missing form {path}")
    return str(path)


L = TypeVar("L", bound=PySide6.QtUiTools.QUiLoader)


def _without_designer_plugins(make: Callable[[], L]) -> L:
    """A loader that does not look for Qt Designer plugins. A QUiLoader loads every plugin under
    <library path>/designer when it is made (PySide6 ships QtWebEngine and QtQuick ones): some 25–80 ms
    at start-up and two large libraries in memory, for widgets our forms never use."""
    paths = QApplication.libraryPaths()
    QApplication.setLibraryPaths([])
    try:
        return make()
    finally:
        QApplication.setLibraryPaths(paths)


def load_form(file_name: str, host: QWidget) -> QWidget:
    """Load ui/<file_name> and make it the whole content of `host`."""
    form = _without_designer_plugins(PySide6.QtUiTools.QUiLoader).load(_ui_file(file_name), host)
    if form is None:
        raise FormError(f"cannot load form {file_name}")
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(form)
    return form


class _IntoLoader(PySide6.QtUiTools.QUiLoader):
    """Builds the top-level widget of a .ui file into an existing instance instead of a new one."""

    def __init__(self, instance: QWidget) -> None:
        super().__init__(instance)
        self._instance: QWidget | None = instance

    def createWidget(self, class_name: str, parent: QWidget | None = None, name: str = "") -> QWidget:
        if parent is None and self._instance is not None:
            instance, self._instance = self._instance, None
            return instance
        return super().createWidget(class_name, parent, name)


def load_into(file_name: str, instance: QWidget) -> None:
    """Load ui/<file_name> into `instance`, whose class matches the file's top level (e.g. a QMainWindow).

    QUiLoader cannot otherwise fill an existing object; composition (load_form) cannot give a QMainWindow its
    menu bar and status bar.
    """
    loaded = _without_designer_plugins(lambda: _IntoLoader(instance)).load(_ui_file(file_name), None)
    if loaded is not instance:
        raise FormError(f"{file_name} was not loaded into {type(instance).__name__}")


def child(form: QWidget, kind: type[W], name: str) -> W:
    """The `kind` widget called `name`; fails fast when the .ui was edited."""
    widget = form.findChild(kind, name)
    if widget is None:
        raise FormError(f"{form.objectName()}: no {kind.__name__} named {name!r}")
    return widget
