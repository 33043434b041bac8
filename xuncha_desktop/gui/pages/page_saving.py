"""Saving a page's form: the questions a save must have answered first (revoking a 底稿's sign-off), and
where its errors go (next to their fields, or one message)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from xuncha_desktop.domain.common import Record
from xuncha_desktop.domain.errors import FieldError, ValidationError, XunchaError
from xuncha_desktop.domain.issue_drafts import SignoffRevocationRequired
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.pages.page_types import PageSpec
from xuncha_desktop.services.workspace import Workspace

R = TypeVar("R", bound=Record)


def _what(spec: PageSpec[Any], record: Any) -> str:
    return f"{spec.record_type.label}“{spec.heading(record) or record.number}”"


def save_form_record(
    parent: QWidget,
    spec: PageSpec[R],
    workspace: Workspace,
    record: R,
    show_errors: Callable[[list[FieldError]], None],
    link_from: tuple[str, str] | None = None,
) -> R | None:
    """Store `record` as the form holds it, with its links (see PageSpec.save); None when it was not
    stored (errors shown, or the person declined a consequence: then the form keeps every typed value)."""
    revoke = False
    while True:
        try:
            return spec.save(workspace, record, revoke_signoff=revoke, link_from=link_from)
        except SignoffRevocationRequired:
            if revoke or not messages.confirm_revoke_signoff(parent, _what(spec, record)):
                return None
            revoke = True
        except ValidationError as error:
            show_errors(error.errors)
            return None
        except XunchaError as error:
            messages.show_error(parent, "保存失败", str(error))
            return None
