"""Run mutmut on each guarding module against its own tests and print one score line per module:

    mutation_score_<module>_higher_better: S ratio=S goal=0.9

The modules, the functions of them that are mutated and their tests are in pyproject.toml under
[tool.xuncha_desktop.mutation]; [tool.mutmut] holds the settings the tool itself reads. Each module runs in
its own copy of the project (mutmut writes its `mutants/` folder beside pyproject.toml), one after the
other, so a run can be resumed module by module. Too slow for CI: run it by hand before a release.

    python -m tests.mutation                 # every module
    python -m tests.mutation merge visibility
    python -m tests.mutation --survivors merge   # and list the mutants no test killed
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOAL = 0.9
COPIED = ("xuncha_desktop", "tests", "ui", "resources", "pyproject.toml")
KILLED = {1, 3, -24, 24, 152, 255, 36}  # a failing test run, or a timeout (the mutant hangs the code)
NOT_COUNTED = {34, 37}  # skipped, or caught by a type check


@dataclass(frozen=True)
class Target:
    name: str
    source: str  # the file mutated
    functions: tuple[str, ...]  # fnmatch patterns of qualified names (Class.method); empty: all
    tests: tuple[str, ...]  # pytest arguments selecting its own tests


def targets() -> dict[str, Target]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    table = config["tool"]["xuncha_desktop"]["mutation"]
    return {
        name: Target(name, t["source"], tuple(t.get("functions", ())), tuple(t["tests"]))
        for name, t in table.items()
    }


def qualified_name(mutant: str) -> str:
    """'pkg.mod.xǁAuditChainǁentry__mutmut_3' → 'AuditChain.entry'; 'pkg.mod.x_merge__mutmut_1' → 'merge'."""
    mangled = mutant.partition("__mutmut_")[0].rpartition(".")[2]
    if mangled.startswith("xǁ"):
        _, cls, func = mangled.split("ǁ")
        return f"{cls}.{func}"
    return mangled.removeprefix("x_")


def _workdir(base: Path, target: Target) -> Path:
    """A copy of the project whose [tool.mutmut] mutates only this target's file with its own tests."""
    work = base / target.name
    for name in COPIED:
        src, dst = ROOT / name, work / name
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dst)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    config.update(only_mutate=[target.source], pytest_add_cli_args_test_selection=list(target.tests))
    lines = ["[tool.mutmut]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in config.items())]
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    # mutmut reads its settings from [tool.mutmut]; the copy's own table replaces the project's.
    start = text.index("\n[tool.mutmut]\n") + 1
    end = text.find("\n[", start)
    (work / "pyproject.toml").write_text(
        text[:start] + "\n".join(lines) + "\n" + (text[end:] if end != -1 else ""), "utf-8"
    )
    return work


def _world(base: Path) -> Path:
    """The provisioned office and laptops, made once with the unchanged code: every forked test run would
    otherwise make them again (seconds of scrypt), and tests copy them before use."""
    world = base / "world-template"
    if not (world / "巡察办.xcdb").exists():
        from tests.sync_helpers import build_world_files

        shutil.rmtree(world, ignore_errors=True)
        build_world_files(world, n_fields=3)
    return world


def run(target: Target, base: Path, children: int) -> dict[str, int]:
    work = _workdir(base, target)
    patterns = [f"*.{p}" for p in _mangled(target)] or ["*"]
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {
        **os.environ,
        "PYTHONPATH": str(work),
        "QT_QPA_PLATFORM": "offscreen",
        "XUNCHA_WORLD_TEMPLATE": str(_world(base)),
    }
    command = [str(mutmut), "run", "--max-children", str(children), *patterns]
    with open(work / "mutmut.log", "w", encoding="utf-8") as log:  # its progress output is long
        subprocess.run(command, cwd=work, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    meta = work / "mutants" / (target.source + ".meta")
    codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"] if meta.exists() else {}
    wanted = [p for p in target.functions] or ["*"]
    return {k: v for k, v in codes.items() if any(fnmatch.fnmatch(qualified_name(k), p) for p in wanted)}


def _mangled(target: Target) -> list[str]:
    out = []
    for pattern in target.functions:
        cls, _, func = pattern.rpartition(".")
        out.append(f"xǁ{cls}ǁ{func}__mutmut_*" if cls else f"x_{func}__mutmut_*")
    return out


def score(codes: dict[str, int | None]) -> tuple[float, int, int]:
    counted = {k: v for k, v in codes.items() if v not in NOT_COUNTED}
    killed = sum(1 for v in counted.values() if v in KILLED)
    return (killed / len(counted) if counted else 0.0), killed, len(counted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("modules", nargs="*", help="names under [tool.xuncha_desktop.mutation]")
    parser.add_argument("--work", type=Path, default=ROOT / "mutants-work", help="where the copies go")
    parser.add_argument("--children", type=int, default=1, help="mutants tested at once (shared machine)")
    parser.add_argument("--survivors", action="store_true", help="list the mutants that survived")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results of these modules")
    args = parser.parse_args(argv)
    every = targets()
    unknown = [m for m in args.modules if m not in every]
    if unknown:
        parser.error(f"unknown module {unknown}; known: {', '.join(every)}")
    lines = []
    for name in args.modules or list(every):
        target = every[name]
        if args.fresh:
            shutil.rmtree(args.work / name, ignore_errors=True)
        codes = run(target, args.work, args.children)
        if not codes:
            print(f"# {name}: mutmut gave no results, see {args.work / name / 'mutmut.log'}", flush=True)
        ratio, killed, total = score(codes)
        lines.append(f"mutation_score_{name}_higher_better: {ratio:.3f} ratio={ratio:.3f} goal={GOAL}")
        print(f"# {name}: {killed} of {total} mutants of {target.source} killed", flush=True)
        if args.survivors:
            for key, code in sorted(codes.items()):
                if code not in KILLED and code not in NOT_COUNTED:
                    print(f"#   survived ({code}): {key}", flush=True)
        print(lines[-1], flush=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
