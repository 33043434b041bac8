"""services.changes: what an operation changed, combined, and whether a view must re-read."""

from __future__ import annotations

from xuncha_desktop.domain.record_types import ATTACHMENT, DRAFT, LEAD, LINK
from xuncha_desktop.services.changes import EVERYTHING, NOTHING, Changes


def test_types_written_mark_links_and_attachments() -> None:
    c = Changes.of_types([DRAFT.key, LINK.key])
    assert c.record_types == {DRAFT.key, LINK.key} and c.links and not c.attachments
    assert Changes.of_types([ATTACHMENT.key]).attachments


def test_combining_keeps_everything_of_both() -> None:
    both = Changes.of_types([DRAFT.key]) | Changes.of_types([ATTACHMENT.key])
    assert both.record_types == {DRAFT.key, ATTACHMENT.key} and both.attachments and not both.links
    assert (NOTHING | EVERYTHING).everything


def test_touches_and_truth() -> None:
    assert not NOTHING and not NOTHING.touches([DRAFT.key])
    assert Changes.of_types([DRAFT.key]).touches([DRAFT.key, LEAD.key])
    assert not Changes.of_types([DRAFT.key]).touches([LEAD.key])
    assert EVERYTHING and EVERYTHING.touches([])
