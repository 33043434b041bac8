"""The dialog in which a draft's supporting talks and attachments are ticked (佐证材料)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QListWidget, QListWidgetItem, QWidget

from xuncha_desktop.gui.forms import child, load_into
from xuncha_desktop.services.records.evidence_links import EvidenceCandidate


class EvidenceDialog(QDialog):
    def __init__(self, candidates: Sequence[EvidenceCandidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_into("evidence_dialog.ui", self)
        self._candidates = list(candidates)
        self._list = child(self, QListWidget, "candidateList")
        self._filter = child(self, QLineEdit, "filterEdit")
        buttons = child(self, QDialogButtonBox, "buttonBox")
        for index, candidate in enumerate(self._candidates):
            item = QListWidgetItem(candidate.label, self._list)
            item.setData(Qt.ItemDataRole.UserRole, index)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(candidate.label)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._filter.textChanged.connect(self._apply_filter)

    @property
    def candidate_list(self) -> QListWidget:
        return self._list

    def _apply_filter(self, text: str) -> None:
        words = text.split()
        for i in range(self._list.count()):
            item = self._list.item(i)
            item.setHidden(not all(w in item.text() for w in words))

    def chosen(self) -> list[EvidenceCandidate]:
        return [
            self._candidates[int(self._list.item(i).data(Qt.ItemDataRole.UserRole))]
            for i in range(self._list.count())
            if self._list.item(i).checkState() == Qt.CheckState.Checked
        ]
