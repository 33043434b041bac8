"""`python -m tests.benchmarks [--only NAMES] [--scale S]`: one `NAME: VALUE UNIT ratio=R goal=G` line per
figure, and `#` lines with context. Timings vary between machines; the ratios compare with baselines
measured on the same machine in the same run."""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import tempfile
from pathlib import Path

SECTIONS = {
    "ui": "tests.benchmarks.ui_bench",
    "sync": "tests.benchmarks.sync_bench",
    "output": "tests.benchmarks.output_bench",
    "plan": "tests.benchmarks.plan_bench",
    "rectification": "tests.benchmarks.rectification_bench",
    "statistics": "tests.benchmarks.statistics_bench",
    "report": "tests.benchmarks.report_bench",
}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks", description="性能基准（打印比值与目标）"
    )
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"逗号分隔：{'、'.join(SECTIONS)}")
    parser.add_argument("--scale", type=float, default=1.0, help="数据量比例，1 为议题规定的规模")
    parser.add_argument("--keep", action="store_true", help="保留临时工作库以便查看")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = Path(tempfile.mkdtemp(prefix="xuncha-bench-"))
    try:
        for name in args.only.split(","):
            section = root / name
            section.mkdir()
            importlib.import_module(SECTIONS[name]).run(section, args.scale)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
