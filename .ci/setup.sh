#!/usr/bin/env bash
# Prepare this checkout to run: the Debian packages Qt needs (when run as root), the virtual environment
# .venv and the Python packages. Idempotent and quick when nothing changed; start.sh and test.sh call it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.xuncha-setup.stamp"

# toolchain.md §2: Python itself, Qt offscreen (tests), Qt under X/Xvfb, and a CJK font.
DEB_PACKAGES=(
    python3 python3-venv ca-certificates
    libglib2.0-0 libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0
    xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
    libxkbcommon-x11-0
    fonts-wqy-microhei
    poppler-utils poppler-data
)
# Only for the test suite (XUNCHA_SETUP_TESTS=1): LibreOffice checks that our workbooks and Word reports open
# without repair and turns the reports into PDF; fcitx5 with 拼音, a D-Bus session and xdotool type Chinese into
# the window as on 统信UOS and 麒麟.
if [[ "${XUNCHA_SETUP_TESTS:-0}" == "1" ]]; then
    DEB_PACKAGES+=(libreoffice-calc-nogui libreoffice-writer-nogui fcitx5 fcitx5-chinese-addons dbus-x11 xdotool)
fi

say() { printf '[setup] %s\n' "$*" >&2; }

install_debian_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "不是 Debian/Ubuntu 系统，跳过系统软件包检查（需自行安装 Qt 运行库与中文字体）。"
        return
    fi
    local missing=() pkg
    for pkg in "${DEB_PACKAGES[@]}"; do
        if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != "installed" ]]; then
            missing+=("$pkg")
        fi
    done
    if ((${#missing[@]} == 0)); then
        return
    fi
    if [[ "$(id -u)" != "0" ]]; then
        say "缺少系统软件包：${missing[*]}"
        say "请以 root 身份运行本脚本，或执行：sudo apt-get install -y --no-install-recommends ${missing[*]}"
        return
    fi
    say "安装系统软件包：${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

create_venv() {
    if [[ -x "$VENV/bin/python" ]]; then
        return
    fi
    local python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        say "需要 Python 3.11 或更高版本（当前：$("$python" --version 2>&1 || echo 未安装)）。"
        exit 1
    fi
    say "创建虚拟环境 $VENV"
    "$python" -m venv "$VENV"
}

install_python_packages() {
    local wanted
    wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
        return
    fi
    say "安装 Python 依赖（pyproject.toml 有变化或首次安装，可能需要几分钟）"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[test]"
    echo "$wanted" >"$STAMP"
}

install_debian_packages
create_venv
install_python_packages
