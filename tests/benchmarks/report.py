"""One line per figure: `NAME: VALUE UNIT ratio=R goal=G`; the name says which way is better."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def line(name: str, value: float, unit: str, ratio: float, goal: str) -> str:
    """Print and return one figure line; `goal` is the target for `ratio` (the name says which way)."""
    text = f"{name}: {value:.3f} {unit} ratio={ratio:.3f} goal={goal}"
    print(text, flush=True)
    return text


def note(text: str) -> None:
    """Context for a reader (setup sizes, timings that are not figures); never a figure line."""
    print(f"# {text}", flush=True)


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as t: …` then t[0] is the elapsed seconds."""
    elapsed = [0.0]
    start = time.perf_counter()
    try:
        yield elapsed
    finally:
        elapsed[0] = time.perf_counter() - start


def best_of(runs: int, job: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `runs` timings (the least disturbed by the rest of the machine)."""
    best, result = float("inf"), None
    for _ in range(runs):
        with stopwatch() as t:
            result = job()
        best = min(best, t[0])
    return best, result  # type: ignore[return-value]
