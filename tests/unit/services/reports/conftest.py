"""The fonts the PDF tests print with, loaded once per module."""

from __future__ import annotations

import pytest

from xuncha_desktop.services.output.pdf_fonts import FontSet, load_fonts


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return load_fonts()
