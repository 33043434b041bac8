"""查找党组织: a search line above the target unit's 党组织名录 choice. A province's list holds thousands of
organizations; typing any part of a name shows the matching ones (QCompleter, contained text, not case
sensitive) and picking one selects it in the form's choice, which fills the unit's name and kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QLineEdit, QWidget

from xuncha_desktop.gui.pages.field_bindings import VALUE_ROLE, Choice

VISIBLE_MATCHES = 12  # rows of the popup; it scrolls for more


class OrgSearch(QLineEdit):
    """Type to find an organization of the 名录; picking one selects it in `combo` (the bound field)."""

    def __init__(self, combo: QComboBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orgSearchEdit")
        self.setClearButtonEnabled(True)
        self._combo = combo
        self._model = QStandardItemModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.setMaxVisibleItems(VISIBLE_MATCHES)
        self.setCompleter(self.completer_)
        self.completer_.activated[QModelIndex].connect(self._picked)  # type: ignore[index]
        self._orgs: tuple[Choice, ...] | None = None  # not set yet
        self.set_orgs(())

    def set_orgs(self, orgs: Sequence[Choice]) -> None:
        """The organizations to search: (id, label shown). A new model replaces the old one whole (clearing
        thousands of rows under a completer is slow); the same list again changes nothing."""
        orgs = tuple(orgs)
        if orgs == self._orgs:
            return
        self._orgs = orgs
        model = QStandardItemModel(self)
        items = []
        for org_id, label in orgs:
            item = QStandardItem(label)
            item.setData(org_id, VALUE_ROLE)
            item.setEditable(False)
            items.append(item)
        if items:
            model.invisibleRootItem().appendRows(items)
        self.completer_.setModel(model)
        self._model.deleteLater()
        self._model = model
        hint = f"输入名称中的任意几个字查找（名录共 {len(items)} 个）" if items else "名录为空"
        self.setPlaceholderText(hint)
        self.setEnabled(bool(items))

    def matches(self) -> list[str]:
        """The labels the popup offers for the text typed (what the user sees)."""
        model = self.completer_.completionModel()
        return [str(model.index(row, 0).data()) for row in range(model.rowCount())]

    def pick(self, label: str) -> bool:
        """Choose the offered organization shown as `label` (as a click in the popup would)."""
        model = self.completer_.completionModel()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data() == label:
                self._picked(index)
                return True
        return False

    def _picked(self, index: QModelIndex) -> None:
        found = self._combo.findData(index.data(VALUE_ROLE), VALUE_ROLE)
        if found >= 0:
            self._combo.setCurrentIndex(found)  # the form's field_changed fills name and kind
        popup = self.completer_.popup()
        if popup is not None:
            popup.hide()
        self.clear()


def add_org_search(combo: QComboBox, layout: QFormLayout, parent: QWidget) -> OrgSearch:
    """The search line as the row above `combo` in the form's layout."""
    search = OrgSearch(combo, parent)
    position: Any = layout.getWidgetPosition(combo)  # (row, role)
    layout.insertRow(max(int(position[0]), 0), "查找党组织：", search)
    return search
