"""Issue 3: time to an interactive main window on a 100,000-record workspace, and search/filter latency."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from tests.benchmarks import workspace_size
from tests.benchmarks.report import line, note, stopwatch
from xuncha_desktop.domain.record_types import INTERVIEW, LEAD
from xuncha_desktop.services.demo.build import build_demo
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

PASSPHRASE = "基准测试-口令-2025"
HERE = Path(__file__).parent


def _to_ready(args: list[str], env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Seconds from launching the process to the moment it reports its window ready (its own clock, so
    shutting the window and the interpreter down afterwards is not counted), and what it reported."""
    start = time.time()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True, cwd=HERE.parents[2])
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["ready"] - start, report


def run(root: Path, scale: float) -> None:
    records = int(100_000 * scale)
    path = root / "大工作库.xcdb"
    with Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap()) as ws, stopwatch() as t:
        build_demo(ws, seed=3, records=records)
    note(f"demo workspace with {records} records built in {t[0]:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
    workspace_size.run_on(path, PASSPHRASE)
    # Both processes run as an installed program does: with compiled bytecode (pip and PyInstaller ship it),
    # not compiling every module afresh as PYTHONDONTWRITEBYTECODE would make them. One untimed run each
    # fills the cache.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XUNCHA_PASSPHRASE=PASSPHRASE,
        PYTHONPYCACHEPREFIX=str(root / "pycache"),
    )
    _to_ready([sys.executable, str(HERE / "empty_window.py")], env)
    _to_ready([sys.executable, str(HERE / "ui_probe.py"), str(path)], env)
    baseline, ours = [], []
    for _ in range(7):
        baseline.append(_to_ready([sys.executable, str(HERE / "empty_window.py")], env)[0])
        ready, report = _to_ready([sys.executable, str(HERE / "ui_probe.py"), str(path)], env)
        ours.append(ready - report["open_s"])
    b, o = statistics.median(baseline), statistics.median(ours)
    note(f"empty 4-table window {b * 1000:.0f} ms; main window after the workspace is open {o * 1000:.0f} ms")
    line("startup_vs_empty_window_lower_better", o, "s", o / b, "2")
    with Workspace.open(path, PASSPHRASE) as ws:
        interviews, leads = RecordService(ws, INTERVIEW), RecordService(ws, LEAD)
        first = leads.list(ListQuery(limit=1))[0]
        context = {"round_id": first.round_id, "group_id": first.group_id}
        unit = {**context, "target_id": first.target_id}
        # What a list does for each: count the matches and read the first page (100 rows, as a page does).
        cases = {
            "search_3_chars": (interviews, ListQuery(search="公务接待", limit=100)),
            "search_2_chars": (interviews, ListQuery(search="纪委", limit=100)),
            "search_1_char": (interviews, ListQuery(search="王", limit=100)),
            "filter_status_and_dates": (
                leads,
                ListQuery(filters={"status": "已移交"}, date_from=date(2025, 9, 1), limit=100),
            ),
            "filter_context_and_status": (
                leads,
                ListQuery(filters={**context, "status": "已移交"}, limit=100),
            ),
            "filter_unit_and_search": (interviews, ListQuery(filters=unit, search="资金", limit=100)),
        }
        for name, (service, query) in cases.items():
            times = []
            for _ in range(5):
                with stopwatch() as t:
                    service.count(query)
                    service.list(query)
                times.append(t[0])
            latency = statistics.median(times)
            line(f"{name}_latency_lower_better", latency * 1000, "ms", latency / 0.1, "1")
