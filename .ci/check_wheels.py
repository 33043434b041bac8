"""Every runtime dependency installs from a binary wheel on the platforms the users have (issue: Windows
first, and the domestic Linux desktops): Windows x64 with Python 3.11, and the glibc of 统信UOS 20 (2.28,
x86_64) and 银河麒麟 V10 (2.31, arm64). pip resolves the dependencies of pyproject.toml for each platform
without installing anything and prints the PySide6 it would take.

Usage: python .ci/check_wheels.py   (exit 1 naming the platform when one has no wheel)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {
    "Windows 10/11 x64": ["win_amd64"],
    "统信UOS 20 / 银河麒麟 V10 x86_64 (glibc 2.28)": "glibc 2.28 x86_64",
    "银河麒麟 V10 arm64 (glibc 2.31)": "glibc 2.31 aarch64",
}
LEGACY = {5: "manylinux1", 12: "manylinux2010", 17: "manylinux2014"}


def platform_tags(spec: list[str] | str) -> list[str]:
    """A Linux system with glibc 2.N takes every manylinux_2_M wheel with M <= N (and the legacy names)."""
    if isinstance(spec, list):
        return spec
    _glibc, version, arch = spec.split()
    newest = int(version.split(".")[1])
    tags = [f"manylinux_2_{m}_{arch}" for m in range(newest, 4, -1)]
    return tags + [f"{LEGACY[m]}_{arch}" for m in sorted(LEGACY, reverse=True)]


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["build"]]


def resolve(tags: list[str], wanted: list[str], scratch: Path) -> dict[str, str]:
    report = scratch / f"{tags[0]}.json"
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
        "--only-binary=:all:", *(f"--platform={tag}" for tag in tags), "--python-version", "3.11",
        "--implementation", "cp", "--target", str(scratch / "target"), "--report", str(report), *wanted,
    ]  # fmt: skip
    subprocess.run(command, check=True)
    installs = json.loads(report.read_text("utf-8"))["install"]
    return {i["metadata"]["name"].lower(): i["metadata"]["version"] for i in installs}


def main() -> int:
    wanted = requirements()
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, spec in PLATFORMS.items():
            try:
                chosen = resolve(platform_tags(spec), wanted, Path(tmp))
            except subprocess.CalledProcessError:
                failed.append(label)
                print(f"[wheels] {label}: 缺少二进制安装包（见上方 pip 的说明）", file=sys.stderr)
                continue
            qt = chosen.get("pyside6", "?")
            print(f"[wheels] {label}: {len(chosen)} 个包均有二进制安装包，PySide6 {qt}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
