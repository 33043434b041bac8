"""Validation messages next to the offending widget: a red border and a red line of text under the field."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QLabel,
    QLayout,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

ERROR_PROPERTY = "fieldError"
ERROR_COLOR = "#c62828"
# Set on the form root: only widgets carrying the property change their look.
FORM_STYLE = f'*[{ERROR_PROPERTY}="true"] {{ border: 1px solid {ERROR_COLOR}; border-radius: 2px; }}'


def _path(layout: QLayout, widget: QWidget) -> list[tuple[QLayout, int]] | None:
    """The chain of (layout, index) from `layout` down to the item holding `widget`.

    Only QObjects are touched (the widget, child layouts), never the QLayoutItems themselves: a Python
    wrapper of a layout item outlives the item when Qt deletes it, and a new object at the same address
    would then come back as that stale QWidgetItem.
    """
    index = layout.indexOf(widget)
    if index >= 0:
        return [(layout, index)]
    for inner in layout.findChildren(QLayout, options=Qt.FindChildOption.FindDirectChildrenOnly):
        below = _path(inner, widget)
        if below is not None:
            return [(layout, layout.indexOf(inner)), *below]
    return None


def _place_under(widget: QWidget, label: QLabel) -> bool:
    """Put `label` under the form row of `widget` (or after it in a box layout); False when impossible."""
    parent = widget.parentWidget()
    root = parent.layout() if parent is not None else None
    chain = _path(root, widget) if root is not None else None
    if not chain:
        return False
    for layout, index in reversed(chain):
        if isinstance(layout, QFormLayout):
            row, role = cast(tuple[int, QFormLayout.ItemRole], layout.getItemPosition(index))
            if role == QFormLayout.ItemRole.SpanningRole:
                layout.insertRow(row + 1, label)
            else:
                layout.insertRow(row + 1, "", label)
            return True
    layout, index = chain[-1]
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(index + 1, label)
        return True
    return False


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def show_tab_of(widget: QWidget) -> None:
    """Bring forward every tab page (of nested QTabWidgets too) that contains `widget`."""
    for tabs, page in tab_pages_of(widget):
        tabs.setCurrentWidget(page)


class FieldErrorMarks:
    """Marks and unmarks widgets; message labels are made once per widget and reused."""

    def __init__(self) -> None:
        self._labels: dict[QWidget, QLabel | None] = {}
        self._marked: list[QWidget] = []

    def mark(self, widget: QWidget, messages: list[str]) -> bool:
        """Mark `widget`; True when the message could be shown under it."""
        widget.setProperty(ERROR_PROPERTY, True)
        _repolish(widget)
        self._marked.append(widget)
        if widget not in self._labels:
            made = QLabel(widget.parentWidget())  # owned by Qt from the start, never by Python
            made.setObjectName(f"{widget.objectName()}Error")
            made.setWordWrap(True)
            made.setStyleSheet(f"color: {ERROR_COLOR};")
            self._labels[widget] = made if _place_under(widget, made) else None
            if self._labels[widget] is None:
                made.deleteLater()
        shown = self._labels[widget]
        if shown is not None:
            shown.setText("\n".join(messages))
            shown.show()
        return shown is not None

    def marked(self) -> list[QWidget]:
        return list(dict.fromkeys(self._marked))

    def unmark(self, widget: QWidget) -> None:
        """The field was corrected: its frame and message go (the others stay)."""
        if widget not in self._marked:
            return
        self._marked = [w for w in self._marked if w is not widget]
        widget.setProperty(ERROR_PROPERTY, False)
        _repolish(widget)
        label = self._labels.get(widget)
        if label is not None:
            label.hide()
            label.clear()

    def message(self, widget: QWidget) -> str:
        label = self._labels.get(widget)
        return label.text() if label is not None and widget in self._marked else ""

    def clear(self) -> None:
        for widget in self._marked:
            widget.setProperty(ERROR_PROPERTY, False)
            _repolish(widget)
            label = self._labels.get(widget)
            if label is not None:
                label.hide()
                label.clear()
        self._marked = []


def tab_pages_of(widget: QWidget) -> list[tuple[QTabWidget, QWidget]]:
    """Every (tab widget, page) that `widget` lies on, innermost first."""
    found: list[tuple[QTabWidget, QWidget]] = []
    child: QWidget | None = widget
    while child is not None:
        parent = child.parentWidget()
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            tabs = parent.parentWidget()
            assert isinstance(tabs, QTabWidget)
            found.append((tabs, child))
        child = parent
    return found


class TabErrorCounts:
    """The tab headers of a form say how many fields on them are wrong: "基本信息（2）"; only tabs within
    `scope` (the form's own, not the window's record tabs around it)."""

    def __init__(self, scope: QWidget) -> None:
        self.scope = scope
        self._titles: dict[QWidget, tuple[QTabWidget, str]] = {}  # page → its tabs and plain title

    def show(self, wrong: list[QWidget]) -> None:
        """Count `wrong` (the marked field widgets) per tab page; pages without errors: plain title."""
        counts: dict[QWidget, int] = {}
        for widget in wrong:
            for tabs, page in tab_pages_of(widget):
                if tabs is not self.scope and not self.scope.isAncestorOf(tabs):
                    continue
                if page not in self._titles:
                    self._titles[page] = (tabs, tabs.tabText(tabs.indexOf(page)))
                counts[page] = counts.get(page, 0) + 1
        for page, (tabs, title) in self._titles.items():
            index = tabs.indexOf(page)
            if index >= 0:
                count = counts.get(page, 0)
                tabs.setTabText(index, f"{title}（{count}）" if count else title)

    def clear(self) -> None:
        self.show([])
