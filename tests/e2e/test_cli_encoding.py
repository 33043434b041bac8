"""The command line under a Chinese Windows code page: redirected output is GBK (cp936) there, and names
may hold characters GBK lacks (䶮). Text output must not crash after the work is done; JSON is UTF-8."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xuncha_desktop.services.workspace import PASSPHRASE_ENV

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
RARE = "䶮"  # CJK Extension A: in GB 18030, not in GBK


def _gbk_child(*argv: str | Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, PASSPHRASE_ENV: "编码测试-口令-2025", "PYTHONIOENCODING": "cp936"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    return subprocess.run(
        [sys.executable, "-m", "xuncha_desktop", *map(str, argv)],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_a_name_outside_gbk_does_not_crash_text_output(tmp_path: Path) -> None:
    db = tmp_path / "工作库.xcdb"
    result = _gbk_child("init", "--db", db, "--user", f"王{RARE}")
    stderr = result.stderr.decode("cp936")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr and db.is_file()
    out = result.stdout.decode("cp936")
    assert "用户：王?（组长）" in out  # the character GBK lacks is marked, the rest is readable


def test_json_is_utf8_whatever_the_code_page(tmp_path: Path) -> None:
    db = tmp_path / "工作库.xcdb"
    assert _gbk_child("init", "--db", db).returncode == 0
    package = tmp_path / f"{RARE}的工作包.xcpkg"
    package.write_bytes(b"not a package")
    result = _gbk_child("import", "--db", db, "--dry-run", "--json", package)
    assert result.returncode == 1  # the package is rejected; the report is still written
    (report,) = json.loads(result.stdout.decode("utf-8"))
    assert report["status"] == "rejected" and RARE in report["file"]
    assert "Traceback" not in result.stderr.decode("cp936")
