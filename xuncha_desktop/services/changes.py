"""What an operation changed, so a view re-reads only what shows it (after Anki's OpChanges): the record
types written (a link or an attachment also counts for the records it belongs to), and whether everything
may have changed (a package import)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from xuncha_desktop.domain.record_types import ATTACHMENT, LINK


@dataclass(frozen=True)
class Changes:
    record_types: frozenset[str] = frozenset()  # type keys written, or owning a written link/attachment
    links: bool = False
    attachments: bool = False
    everything: bool = False  # an import or merge: anything may differ

    @staticmethod
    def of_types(keys: Iterable[str]) -> Changes:
        types = frozenset(keys)
        return Changes(types, links=LINK.key in types, attachments=ATTACHMENT.key in types)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.record_types | other.record_types,
            links=self.links or other.links,
            attachments=self.attachments or other.attachments,
            everything=self.everything or other.everything,
        )

    def __bool__(self) -> bool:
        return self.everything or bool(self.record_types)

    def touches(self, keys: Iterable[str]) -> bool:
        """Whether a view showing records of these types may have to re-read."""
        return self.everything or not self.record_types.isdisjoint(keys)


NOTHING = Changes()
EVERYTHING = Changes(everything=True)

Listener = Callable[[Changes], None]  # told after each committed change, on the thread that made it
