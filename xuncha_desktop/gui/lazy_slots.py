"""The places of the main window's tabs: each builds what it shows the first time it is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from xuncha_desktop.gui.pages.page_types import PageSpec
from xuncha_desktop.gui.pages.record_page import RecordPage


class LazySlot(QWidget):
    """Holds a tab's place and builds what it shows the first time the tab is shown (or the content is
    asked for): a window with seven tabs starts by building only the one in front."""

    def __init__(self, name: str, build: Callable[[QWidget], QWidget], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"slot:{name}")
        self._build = build
        self.content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.content is None:
            self.content = self._build(self)
            self._layout.addWidget(self.content)
        return self.content

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure()
        super().showEvent(event)


class PageSlot(LazySlot):
    """The place of one record page."""

    def __init__(
        self, spec: PageSpec[Any], build: Callable[[PageSpec[Any], QWidget], Any], parent: QWidget
    ) -> None:
        super().__init__(spec.title, lambda slot: build(spec, slot), parent)
        self.spec = spec

    @property
    def page(self) -> RecordPage[Any] | None:
        return self.content if isinstance(self.content, RecordPage) else None

    def ensure(self) -> RecordPage[Any]:
        page = super().ensure()
        assert isinstance(page, RecordPage)
        return page
