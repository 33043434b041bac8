"""The live behaviours several forms share (prefills from the persons of a unit, enabled states) and what
every behaviour gets; one record type's own behaviours live in its page module (gui/pages)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtWidgets import QCheckBox, QWidget

from xuncha_desktop.gui.pages.record_form import RecordForm
from xuncha_desktop.services.workspace import Workspace

Behaviour = Callable[["FormHost"], None]


class FormHost(Protocol):
    """What a behaviour may use: the page's form, its workspace, and a parent for dialogs."""

    @property
    def form(self) -> RecordForm: ...

    @property
    def workspace(self) -> Workspace: ...

    @property
    def dialog_parent(self) -> QWidget: ...


def on_change(
    form: RecordForm, fields: Sequence[str], slot: Callable[[], None], *, on_load: bool = True
) -> None:
    """Run `slot` when one of `fields` changes (and after a record is loaded)."""
    form.field_changed.connect(lambda f: slot() if f in fields else None)
    if on_load:
        form.loaded.connect(slot)


def enable_when_checked(check_field: str, *dependent: str, inverted: bool = False) -> Behaviour:
    """Fields that only mean something when a box is (or, inverted, is not) ticked."""

    def install(host: FormHost) -> None:
        form = host.form
        check = form.widget_of(check_field)
        assert isinstance(check, QCheckBox)

        def update() -> None:
            for name in dependent:
                form.widget_of(name).setEnabled(check.isChecked() != inverted)

        on_change(form, [check_field], update)

    return install


def prefill_from_person(person_field: str, fills: Sequence[tuple[str, str]]) -> Behaviour:
    """Choosing someone from the persons of the unit fills the name and post fields from that person."""

    def install(host: FormHost) -> None:
        form = host.form

        def chosen() -> None:
            if form.loading:
                return
            person = form.choices.person(form.value("target_id"), form.value(person_field))
            if person is not None:
                for field, attribute in fills:
                    form.set_value(field, getattr(person, attribute))

        on_change(form, [person_field], chosen, on_load=False)

    return install
