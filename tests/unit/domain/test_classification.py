"""classification: the built-in frameworks, their versions, the category tree and labels by code."""

from __future__ import annotations

import pytest

from xuncha_desktop.domain.classification import (
    BUILTIN_CATEGORIES,
    DEFAULT_FRAMEWORK,
    FOUR_IMPLEMENTATIONS,
    FRAMEWORKS,
    category_label,
    framework_version,
)


def test_a_sub_category_knows_its_parent_and_level() -> None:
    by_code = {c.code: c for c in FOUR_IMPLEMENTATIONS}
    assert by_code["A1"].parent_code == "" and by_code["A1"].level == 1
    assert by_code["A2.3"].parent_code == "A2" and by_code["A2.3"].level == 2
    assert all(c.parent_code in by_code for c in FOUR_IMPLEMENTATIONS if c.parent_code)


def test_codes_are_unique_and_every_framework_is_listed() -> None:
    codes = [c.code for c in BUILTIN_CATEGORIES]
    assert len(codes) == len(set(codes))
    assert {c.framework for c in BUILTIN_CATEGORIES} == set(FRAMEWORKS)
    assert DEFAULT_FRAMEWORK in FRAMEWORKS


def test_versions_and_labels_by_name() -> None:
    assert framework_version("四个聚焦") == "2024.1"
    assert framework_version("三大问题") == "2015.1"
    with pytest.raises(KeyError):
        framework_version("五个聚焦")
    assert category_label("B2") == "聚焦群众身边不正之风和腐败问题"
    assert category_label("Z9") == "Z9"  # an unknown code (a later version) is shown as it is
