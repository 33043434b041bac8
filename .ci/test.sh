#!/usr/bin/env bash
# Run the whole check: set-up, then ruff, then the test suite headless. Arguments go to pytest,
# e.g. `bash .ci/test.sh -m "not gui"` or `bash .ci/test.sh tests/gui -x`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
XUNCHA_SETUP_TESTS=1 bash "$ROOT/.ci/setup.sh"
cd "$ROOT"
.venv/bin/ruff check .
# Workspaces fsync every commit (synchronous=FULL); on tmpfs the suite spends its time on work, not waits.
if [[ -d /dev/shm && -w /dev/shm ]]; then
    export TMPDIR="$(mktemp -d /dev/shm/xuncha-tests.XXXXXX)"
    trap 'rm -rf "$TMPDIR"' EXIT
fi
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
