"""Restoring a backup replaces a workspace's files in several renames (the old files aside, the restored
copy in). Killed between two of them, the workspace path would be left empty. So the renames are written
down first, in a small plan beside the workspace; the next opener finds the plan and finishes them. The
restored copy is complete and verified, with its new incarnation, before the plan is written, so finishing
forward is always right.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from xuncha_desktop.storage import files

SUFFIX = ".恢复计划.json"


def plan_path(target: Path) -> Path:
    return Path(target).with_name(Path(target).name + SUFFIX)


def pending(target: Path) -> bool:
    """True when a restore of `target` was interrupted before it finished its renames."""
    return plan_path(target).is_file()


def write(target: Path, moves: list[tuple[Path, Path]]) -> None:
    """The renames about to be made, flushed to disk before the first one."""
    plan, tmp = plan_path(target), plan_path(target).with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump([[str(a), str(b)] for a, b in moves], f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    files.replace(tmp, plan)


def clear(target: Path) -> None:
    files.unlink(plan_path(target))


def finish(target: Path) -> bool:
    """Make the renames of an interrupted restore that were not made yet; True when there was a plan.
    The caller holds the workspace's lock. A plan that cannot be read is left for a person to look at."""
    plan = plan_path(target)
    try:
        moves = [(Path(a), Path(b)) for a, b in json.loads(plan.read_text(encoding="utf-8"))]
    except FileNotFoundError:
        return False
    except (OSError, ValueError, TypeError):
        return False
    for source, destination in moves:
        if source.exists():
            files.replace(source, destination)
    clear(target)
    return True
