"""Whole processes for the benchmarks: the source of a git revision to run beside this tree, and a run's wall and
CPU seconds.

CPU seconds (user + system) of a child are what it cost whatever else the machine was doing; wall seconds also
count the waits for a core that other jobs held, so on a shared machine the CPU column is the steadier one.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# How both sources are started when compared: `-c` puts no folder of ours first on sys.path, so PYTHONPATH
# chooses the source (the `okrboard` script would always import this tree, the installed one).
RUN_OKRBOARD = "import sys; from addon.cli import main; sys.argv[0] = 'okrboard'; main()"


@dataclass(frozen=True)
class Timed:
    """One finished process: wall and CPU seconds, and what it printed."""

    wall: float
    cpu: float
    stdout: str


def export(revision: str, folder: Path) -> Path:
    """Write the source tree of a git revision into a folder; return it."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True).stdout
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "source.tar"
    path.write_bytes(archive)
    with tarfile.open(path) as tar:
        tar.extractall(folder / "tree", filter="data")
    return folder / "tree"


def children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(argv: list[str], *, env: dict, cwd: str | Path, timeout: float = 600) -> Timed:
    """Run a process to its end and time it; stop the benchmark with its output if it fails."""
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return Timed(wall, children_cpu() - cpu, done.stdout)


def sources_to_compare(revision: str | None, folder: Path) -> dict[str, Path]:
    """This tree and, when a revision is given, that revision's source exported under `folder`, by label."""
    return {"this tree": ROOT} | ({f"`{revision}`": export(revision, folder / "compare")} if revision else {})


def comparing_parser(description: str, runs: int) -> argparse.ArgumentParser:
    """The options every whole-process benchmark takes: --runs, --compare REV and --no-write."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--compare", metavar="REV", help="also measure the source of this git revision, run by run")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    return parser
