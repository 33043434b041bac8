#!/usr/bin/env bash
# Run the whole check: set-up, then ruff (lint and format), then the test suite headless. Arguments go to
# pytest, e.g. `bash .ci/test.sh -m "not gui"` or `bash .ci/test.sh tests/gui -x`. Without arguments (the
# whole check, what CI runs) it then type-checks the package with mypy, checks that every dependency has
# wheels for the users' platforms and runs the GUI and end-to-end tests again on the oldest supported PySide6.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
XUNCHA_SETUP_TESTS=1 bash "$ROOT/.ci/setup.sh"
cd "$ROOT"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Workspaces fsync every commit (synchronous=FULL); on tmpfs the suite spends its time on work, not waits.
if [[ -d /dev/shm && -w /dev/shm ]]; then
    export TMPDIR="$(mktemp -d /dev/shm/xuncha-tests.XXXXXX)"
    trap 'rm -rf "$TMPDIR"' EXIT
fi
# One hash seed, so that orders that follow it (sets, dicts of sets) repeat from run to run.
PYTHONHASHSEED=0 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
if (($# == 0)); then
    .venv/bin/mypy xuncha_desktop   # strict on domain and storage (pyproject.toml [tool.mypy])
    .venv/bin/python .ci/check_wheels.py
    bash .ci/test_oldest_qt.sh
fi
