"""The built wheel, installed into a fresh virtual environment, prints a PDF, opens its window and migrates.

This is the README's Windows route (`pip install .`): nothing may be looked up relative to the source tree,
so the commands run from an empty folder with no PYTHONPATH, and the package they import is checked to be the
installed copy. The runtime dependencies come from the test environment's site-packages (a `.pth` line adds
the folder without running its `.pth` files, so the editable install of the checkout stays out of sight).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "wheel-test-口令-2025"


def _run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 300) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """(the venv's bin folder, an environment without the checkout, an empty working folder)."""
    root = tmp_path_factory.mktemp("wheel")
    wheels = root / "wheels"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            wheels,
            REPO,
        ],
        cwd=root,
        env=dict(os.environ),
    )
    (wheel,) = wheels.glob("xuncha_desktop-*.whl")
    target = root / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    bin_dir = target / ("Scripts" if sys.platform == "win32" else "bin")
    python = bin_dir / "python"
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], root, {}).strip()
    dependencies = [p for p in sys.path if Path(p).name == "site-packages"]
    Path(purelib, "test-dependencies.pth").write_text("\n".join(dependencies) + "\n", "utf-8")
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel], root, {}
    )
    work = root / "工作文件夹"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(
        HOME=str(root), XDG_CONFIG_HOME=str(root), XDG_DATA_HOME=str(root), QT_QPA_PLATFORM="offscreen"
    )
    env["XUNCHA_PASSPHRASE"] = PASSPHRASE
    return bin_dir, env, work


def test_the_installed_package_is_the_wheel_and_carries_its_files(
    installed: tuple[Path, dict[str, str], Path],
) -> None:
    bin_dir, env, work = installed
    out = _run(
        [
            bin_dir / "python",
            "-c",
            "import xuncha_desktop; from xuncha_desktop.shipped import shipped_path as p;"
            "print(xuncha_desktop.__file__); print(p('ui', 'main_window.ui'));"
            "print(p('resources', 'fonts', 'wqy-microhei.ttc').is_file())",
        ],
        work,
        env,
    ).splitlines()
    venv_root = str(bin_dir.parent)
    assert out[0].startswith(venv_root) and out[1].startswith(venv_root), out
    assert out[2] == "True"


def test_the_installed_wheel_prints_a_pdf_with_the_bundled_font(
    installed: tuple[Path, dict[str, str], Path],
) -> None:
    bin_dir, env, work = installed
    db = work / "演示工作库.xcdb"
    _run([bin_dir / "xuncha-desktop", "demo", "--db", db, "--records", "40"], work, env)
    pdf = work / "底稿.pdf"
    _run(
        [bin_dir / "xuncha-desktop", "print", "--db", db, "--kind", "draft", "--all", "--out", pdf], work, env
    )
    reader = PdfReader(pdf)
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index, union-attr]
    }
    assert len(reader.pages) >= 2
    shipped = ("FandolFang", "FandolSong", "FandolKai", "WenQuanYiMicroHei")  # resources/fonts, in the wheel
    assert fonts and all(any(face in f for face in shipped) for f in fonts), fonts  # embedded
    assert any("FandolFang" in f for f in fonts), fonts  # the body in the bundled 仿宋
    assert "问题" in reader.pages[0].extract_text()


def test_the_installed_wheel_opens_its_window(installed: tuple[Path, dict[str, str], Path]) -> None:
    bin_dir, env, work = installed
    out = _run([bin_dir / "xuncha-desktop", "--smoke-test"], work, env)
    assert out.startswith("SMOKE OK offscreen")


def test_the_installed_wheel_runs_its_migrations(installed: tuple[Path, dict[str, str], Path]) -> None:
    bin_dir, env, work = installed
    script = (
        "import sqlalchemy\n"
        "import sqlcipher3.dbapi2 as sqlcipher\n"  # the SQLite workspaces run on (FTS5 contentless_delete)
        "from alembic import command\n"
        "from xuncha_desktop.storage import migrations\n"
        "engine = sqlalchemy.create_engine('sqlite:///迁移.db', module=sqlcipher)\n"
        "with engine.connect() as conn:\n"
        "    command.upgrade(migrations.alembic_config(conn), 'head')\n"
        "    conn.commit()\n"
        "    print(conn.exec_driver_sql('SELECT version_num FROM alembic_version').scalar_one())\n"
        "print(migrations.MIGRATIONS_DIR)\n"
    )
    out = _run([bin_dir / "python", "-c", script], work, env).splitlines()
    assert out[0] == migrations_head()
    assert out[1].startswith(str(bin_dir.parent))


def migrations_head() -> str:
    from xuncha_desktop.storage import migrations

    return migrations.revision_chain()[-1]
