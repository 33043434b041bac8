"""End-to-end fixtures: the one guard against a dialog that no test answers (offscreen, a modal dialog would
hang the run instead of failing it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

QT_FIXTURES = {"qtbot", "qapp"}


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every dialog the window flows can open fails the test unless the test put its own answer in its
    place (a test's monkeypatch comes after this one); at the end, no background job is left running.
    Tests without Qt (the command line) are left alone."""
    if not QT_FIXTURES & set(request.fixturenames):
        yield
        return
    from PySide6.QtCore import QThreadPool

    from xuncha_desktop.gui import messages, output_actions, pdf_preview_dialog, sync_actions

    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog: {args} {kwargs}")

    for name in ("show_error", "show_info", "choose_save_file"):
        monkeypatch.setattr(messages, name, unexpected)
    for name in ("ask_code", "ask_provision", "ask_open_packages", "ask_save_package", "show_import_dialog"):
        monkeypatch.setattr(sync_actions, name, unexpected)
    monkeypatch.setattr(output_actions, "choose_ledger_file", unexpected)
    monkeypatch.setattr(pdf_preview_dialog, "ask_printer", unexpected)
    yield
    assert QThreadPool.globalInstance().waitForDone(20_000)
