"""The record pages in tab order: the one place a new page module is listed (like Picard's option pages,
each module declares its page as `PAGE`; pages sharing a `tab` become sub-pages of that tab)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xuncha_desktop.gui.pages import appraisal, draft, evaluation, interview, lead, petition
from xuncha_desktop.gui.pages.page_types import PageSpec

PAGE_MODULES = (interview, draft, lead, petition, evaluation, appraisal)
PAGE_SPECS: tuple[PageSpec[Any], ...] = tuple(module.PAGE for module in PAGE_MODULES)
BY_TYPE: dict[str, PageSpec[Any]] = {spec.record_type.key: spec for spec in PAGE_SPECS}


def tab_titles(specs: Sequence[PageSpec[Any]] = PAGE_SPECS) -> list[str]:
    """The main-window tabs in order, each named once."""
    return list(dict.fromkeys(spec.tab for spec in specs))
