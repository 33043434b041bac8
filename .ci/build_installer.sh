#!/usr/bin/env bash
# Build the one-folder application with PyInstaller (build_installer.spec) into dist/xuncha-desktop/,
# then run the frozen executable's --smoke-test offscreen. Not part of CI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/.ci/setup.sh"
cd "$ROOT"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[build]"
.venv/bin/pyinstaller --noconfirm --clean build_installer.spec

APP_DIR="$ROOT/dist/xuncha-desktop"
EXE="$APP_DIR/xuncha-desktop"
[[ -x "$EXE" ]] || EXE="$APP_DIR/xuncha-desktop.exe"
echo "构建完成：$APP_DIR（$(du -sh "$APP_DIR" | cut -f1)，$(find "$APP_DIR" -type f | wc -l) 个文件）"
QT_QPA_PLATFORM=offscreen "$EXE" --smoke-test
