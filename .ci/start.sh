#!/usr/bin/env bash
# Start the application on a ready demo workspace (made on first start). Extra arguments go to the
# application, e.g. `bash .ci/start.sh --smoke-test`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEMO_DIR="$ROOT/demo-data"
DEMO_DB="$DEMO_DIR/演示工作库.xcdb"
DEMO_PASSPHRASE="xuncha-demo-2025"

bash "$ROOT/.ci/setup.sh"
PYTHON="$ROOT/.venv/bin/python"

if [[ ! -f "$DEMO_DB" ]]; then
    echo "首次运行：正在生成演示工作库 $DEMO_DB ……"
    mkdir -p "$DEMO_DIR"
    XUNCHA_PASSPHRASE="$DEMO_PASSPHRASE" "$PYTHON" -m xuncha_desktop demo --db "$DEMO_DB" --seed 1
fi
echo "演示工作库：$DEMO_DB"
echo "演示工作库登录名：管理员，口令：$DEMO_PASSPHRASE （删除 demo-data 文件夹即可重新生成）"

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    echo "未检测到图形显示环境（DISPLAY 未设置），无法打开窗口。" >&2
    echo "在没有显示器的服务器上，可以用虚拟显示运行：xvfb-run -a bash .ci/start.sh" >&2
    exit 1
fi
XUNCHA_PASSPHRASE="$DEMO_PASSPHRASE" exec "$PYTHON" -m xuncha_desktop --db "$DEMO_DB" "$@"
