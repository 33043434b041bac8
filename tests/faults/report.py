"""What the fault tests tried, collected while they run and printed at the end of the session (whether
or not -rA is given), so a CI log says which faults hit which commands and how to reproduce a run."""

from __future__ import annotations

from collections import defaultdict

_TRIED: dict[str, list[str]] = defaultdict(list)
_NOTES: list[str] = []


def tried(kind: str, what: str) -> None:
    """Record that fault `kind` was injected into `what` (a command, a kill point, …)."""
    _TRIED[kind].append(what)


def summary_lines() -> list[str]:
    lines = list(_NOTES)
    for kind in sorted(_TRIED):
        items = _TRIED[kind]
        counts: dict[str, int] = defaultdict(int)
        for item in items:
            counts[item] += 1
        shown = "，".join(f"{k}×{n}" if n > 1 else k for k, n in sorted(counts.items()))
        lines.append(f"{kind}: {len(items)} 次 —— {shown}")
    return lines


def note(line: str) -> None:
    """A line for the summary as it is (e.g. the seed of the random kill points)."""
    if line not in _NOTES:
        _NOTES.append(line)
