"""Every Designer file loads, looked-up widgets exist, and the passphrase dialog checks its input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QWidget,
)
from pytestqt.qtbot import QtBot

from xuncha_desktop.domain.common import NON_BODY_FIELDS
from xuncha_desktop.gui.dialogs.passphrase_dialog import PassphraseDialog
from xuncha_desktop.gui.forms import FormError, child, load_form, load_into
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import SUPPORTED_TYPES, adapter_for
from xuncha_desktop.gui.pages.page_types import NewContext, PageSpec
from xuncha_desktop.gui.pages.record_form import RecordForm
from xuncha_desktop.gui.pages.registry import PAGE_SPECS
from xuncha_desktop.paths import resource_path

UI_FILES = sorted(resource_path("ui").glob("*.ui"))
TOP_LEVEL_DIALOGS = {"evidence_dialog.ui", "image_preview_dialog.ui"}


def test_there_are_forms_to_check() -> None:
    assert {p.name for p in UI_FILES} >= {"main_window.ui", "record_page.ui", "passphrase_dialog.ui"}


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_every_ui_file_loads(qtbot: QtBot, path: Path) -> None:
    host: QWidget = QMainWindow() if path.name == "main_window.ui" else QWidget()
    if path.name in TOP_LEVEL_DIALOGS:
        host = QDialog()
    qtbot.addWidget(host)
    if isinstance(host, QMainWindow):
        load_into(path.name, host)
        assert host.menuBar().actions()
    elif isinstance(host, QDialog):
        load_into(path.name, host)
        assert host.windowTitle()
    else:
        form = load_form(path.name, host)
        assert form.parent() is host


# Every content field of a record has its widget (id and meta are identity and metadata, not content).
NOT_ON_FORMS: set[str] = set()


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda s: s.title)
def test_every_binding_names_a_supported_widget_of_its_form(qtbot: QtBot, spec: PageSpec[object]) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    form = load_form(spec.form_file, host)
    for binding in spec.bindings:
        names = [name for _key, name in binding.parts] or [binding.widget]
        for name in names:
            widget = child(form, QWidget, name)
            assert binding.kind or isinstance(widget, SUPPORTED_TYPES), name
            adapter_for(widget, binding)


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda s: s.title)
def test_every_field_of_the_record_is_on_its_form(spec: PageSpec[object]) -> None:
    fields = {f.name for f in dataclasses.fields(spec.record_type.cls)} - NON_BODY_FIELDS
    bound = {b.field for b in spec.bindings}
    assert fields - bound == NOT_ON_FORMS
    assert bound <= fields


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda s: s.title)
def test_a_record_written_into_its_form_reads_back_unchanged(qtbot: QtBot, spec: PageSpec[object]) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    form = RecordForm(spec.form_file, host, spec.bindings, Choices())
    record = spec.new_record(NewContext(user_name="李明"))
    form.write(record)
    assert form.record() == record
    assert not form.is_dirty()


def test_record_page_has_an_empty_form_slot_for_the_record_form(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    form = load_form("record_page.ui", host)
    assert child(form, QWidget, "formSlot").layout() is None  # load_form installs one later


def test_child_fails_fast_on_a_missing_or_mistyped_widget(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    form = load_form("record_page.ui", host)
    with pytest.raises(FormError, match="noSuchWidget"):
        child(form, QWidget, "noSuchWidget")
    with pytest.raises(FormError, match="searchEdit"):
        child(form, QLabel, "searchEdit")


def test_a_missing_ui_file_is_a_form_error(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    with pytest.raises(FormError, match="missing form"):
        load_form("no_such_form.ui", host)


def _dialog(qtbot: QtBot, *, confirm: bool, error: str = "") -> PassphraseDialog:
    dialog = PassphraseDialog("请输入口令：", confirm=confirm, error=error)
    qtbot.addWidget(dialog)
    return dialog


def test_passphrase_dialog_accepts_the_typed_passphrase(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, confirm=False, error="口令不正确，请重新输入。")
    assert child(dialog, QLabel, "errorLabel").text() == "口令不正确，请重新输入。"
    assert not child(dialog, QLineEdit, "confirmEdit").isVisibleTo(dialog)
    child(dialog, QLineEdit, "passphraseEdit").setText("测试口令-secret-1")
    with qtbot.waitSignal(dialog.accepted):
        child(dialog, QDialogButtonBox, "buttonBox").accepted.emit()
    assert dialog.passphrase() == "测试口令-secret-1"


def test_new_passphrase_dialog_refuses_two_different_entries(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, confirm=True)
    child(dialog, QLineEdit, "passphraseEdit").setText("口令一号-12345")
    child(dialog, QLineEdit, "confirmEdit").setText("口令二号-12345")
    accepted: list[bool] = []
    dialog.accepted.connect(lambda: accepted.append(True))
    child(dialog, QDialogButtonBox, "buttonBox").accepted.emit()
    assert accepted == []
    assert child(dialog, QLabel, "errorLabel").text() == "两次输入的口令不一致，请重新输入"


def test_showing_the_passphrase_turns_off_password_echo(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, confirm=True)
    edit = child(dialog, QLineEdit, "passphraseEdit")
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    child(dialog, QCheckBox, "showPassphraseCheck").setChecked(True)
    assert edit.echoMode() == QLineEdit.EchoMode.Normal
    assert child(dialog, QLineEdit, "confirmEdit").echoMode() == QLineEdit.EchoMode.Normal
