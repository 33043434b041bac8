"""Weighted choices with the cumulative weights worked out once (rng.choices redoes it on every call)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

Table = tuple[tuple[Any, ...], tuple[float, ...]]


def table(values: Sequence[Any], weights: Sequence[float]) -> Table:
    return tuple(values), tuple(accumulate(weights))


def pick(rng: random.Random, weighted: Table) -> Any:
    """The same draw as rng.choices(values, weights)[0]."""
    return rng.choices(weighted[0], cum_weights=weighted[1])[0]
