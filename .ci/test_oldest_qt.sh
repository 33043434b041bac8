#!/usr/bin/env bash
# The Qt-dependent tests (GUI and end to end) once more on the oldest PySide6 the project supports: the
# lower bound of the PySide6 range in pyproject.toml, which is what 银河麒麟 V10 on arm64 can install. A venv
# of its own (.venv-oldest-qt) so the main one keeps the pinned version. Arguments go to pytest.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-oldest-qt"
STAMP="$VENV/.xuncha-setup.stamp"
OLDEST="$("$ROOT/.venv/bin/python" - "$ROOT/pyproject.toml" <<'PY'
import re, sys, tomllib
deps = tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]
print(next(re.search(r">=([0-9.]+)", d).group(1) for d in deps if d.startswith("PySide6")))
PY
)"

if [[ ! -x "$VENV/bin/python" ]]; then
    "$(readlink -f "$ROOT/.venv/bin/python")" -m venv "$VENV"
fi
wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)-$OLDEST"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$wanted" ]]; then
    printf '[setup] 安装最旧的受支持 PySide6 %s 用于兼容性测试\n' "$OLDEST" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "PySide6==$OLDEST" -e "$ROOT[test]"
    echo "$wanted" >"$STAMP"
fi
cd "$ROOT"
"$VENV/bin/python" -c 'import PySide6; print(f"[oldest-qt] PySide6 {PySide6.__version__}")'
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest -m "gui or e2e" -q "$@"
