"""The note above a record's form while the record has an open conflict: what is undecided, that a save
does not decide it, and a link that opens 冲突处理 on it; the undecided fields are marked in the form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from xuncha_desktop.gui.pages.field_labels import field_label
from xuncha_desktop.gui.pages.record_form import RecordForm
from xuncha_desktop.services.records.conflicts import ConflictService, RecordConflict
from xuncha_desktop.services.workspace import Workspace

CONFLICT_PROPERTY = "openConflict"
CONFLICT_COLOR = "#e65100"
CONFLICT_STYLE = (
    f'*[{CONFLICT_PROPERTY}="true"] {{ border: 2px solid {CONFLICT_COLOR}; background: #fff3e0; }}'
)
BANNER_STYLE = f"background: #fff3e0; border: 1px solid {CONFLICT_COLOR}; padding: 6px;"
LINK_TEXT = "打开冲突处理"
FIELD_TIP = "此栏在不同电脑上被改成了不同内容，尚未确认（表单中为暂定值）。请在“冲突处理”中确认。"
NOTES = {
    "hard": "此记录有未处理的冲突：{fields}在不同电脑上被改成了不同内容，表单中标出的是暂定值。"
    "保存只记下您改动的内容，不会解决冲突；请在“冲突处理”中逐项确认。",
    "soft": "此记录有待确认的自动合并（{fields}）。保存不会确认合并，请在“冲突处理”中核对确认。",
    "delete_edit": "此记录在一台电脑上被删除、在另一台电脑上被修改。保存不会解决冲突，"
    "请在“冲突处理”中确认删除或保留。",
    "identity": "此记录的编号与另一条同类记录重复，请在“冲突处理”中重新编号。",
    "dangling_ref": "此记录引用的另一条记录不存在，请在“冲突处理”中核对确认。",
}


def note_text(type_key: str, conflict: RecordConflict) -> str:
    """The note for `conflict`, naming its fields with the labels the forms use."""
    summary = conflict.summary
    names = conflict.fields or summary.fields
    fields = "、".join(f"“{field_label(type_key, n)}”" for n in names) or "部分内容"
    template = NOTES.get(summary.kind, "此记录有未处理的冲突（{fields}），请在“冲突处理”中确认。")
    return template.format(fields=fields)


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


class ConflictBanner(QLabel):
    """Shown above the form of a record in conflict; hidden otherwise. Placed just above `anchor`."""

    open_requested = Signal(str)  # the id of the conflict to open in 冲突处理

    def __init__(self, workspace: Workspace, form: RecordForm, anchor: QWidget) -> None:
        super().__init__(anchor.parentWidget())
        self.setObjectName("conflictBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setStyleSheet(BANNER_STYLE)
        self.linkActivated.connect(lambda _link: self.open_conflict())
        self._ws = workspace
        self._form = form
        self._conflict: RecordConflict | None = None
        self._marked: dict[QWidget, str] = {}  # marked widget → its own tooltip, given back on unmark
        self._styled = False  # the form gets the marking style with its first mark (see _mark)
        _place_above(self, anchor)
        self.hide()

    @property
    def conflict(self) -> RecordConflict | None:
        return self._conflict

    def marked_fields(self) -> list[str]:
        """The form fields marked as undecided, in form order."""
        return [b.field for b in self._form.bindings if self._form.widget_of(b.field) in self._marked]

    def show_for(self, type_key: str, record: Any) -> None:
        """Show the open conflict of `record` (a new record has none) and mark its undecided fields."""
        self._unmark()
        found = ConflictService(self._ws).for_record(type_key, record.id) if record.id else None
        self._conflict = found
        if found is None:
            self.clear()
            self.hide()
            return
        from html import escape  # only for a record in conflict: not on the way to the first window

        self.setText(f'{escape(note_text(type_key, found))} <a href="conflict">{LINK_TEXT}</a>')
        shown = {b.field for b in self._form.bindings}
        for name in found.fields:
            if name in shown:
                self._mark(self._form.widget_of(name))
        self.show()

    def open_conflict(self) -> None:
        """As a click on the link: ask for 冲突处理 on this record's conflict."""
        if self._conflict is not None:
            self.open_requested.emit(self._conflict.summary.id)

    def _mark(self, widget: QWidget) -> None:
        if not self._styled:
            # Only now: a style sheet on the form makes Qt style and paint each of its many fields through
            # the slower style-sheet style, which would slow every page's first paint for a rare conflict.
            self._form.widget.setStyleSheet(self._form.widget.styleSheet() + CONFLICT_STYLE)
            self._styled = True
        self._marked[widget] = widget.toolTip()
        widget.setProperty(CONFLICT_PROPERTY, True)
        widget.setToolTip(FIELD_TIP)
        _repolish(widget)

    def _unmark(self) -> None:
        for widget, tip in self._marked.items():
            widget.setProperty(CONFLICT_PROPERTY, False)
            widget.setToolTip(tip)
            _repolish(widget)
        self._marked = {}


def _place_above(banner: QWidget, anchor: QWidget) -> None:
    """Insert `banner` into the box layout holding `anchor`, just before it."""
    parent = anchor.parentWidget()
    root = parent.layout() if parent is not None else None
    if root is None:
        return
    for layout in (root, *root.findChildren(QBoxLayout)):
        index = layout.indexOf(anchor)
        if index >= 0 and isinstance(layout, QBoxLayout):
            layout.insertWidget(index, banner)
            return
