"""The benchmarks still run: one tiny run of each generation benchmark, so a move or a rename cannot break them
silently. No timing is checked here; docs/benchmarks.md holds the measured numbers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = Path(sys.prefix) / "miro_api_pkgs" / "miro_api"


def bench(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args, "--no-write"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def test_the_generation_benchmark_runs_and_reports_the_critical_path_and_the_sweep():
    report = bench("generate.py", "--runs", "1", "--latency-ms", "1", "--sweep", "2")
    assert "## Board generation (in process)" in report
    assert "| critical path | 0.003 |" in report
    assert "| generation, at most 2 in flight |" in report
    assert "| baseline: one request per item, in sequence |" in report


def test_the_comparison_with_the_official_client_runs():
    if not OFFICIAL.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("miro_api is not installed in .venv/miro_api_pkgs (make venv installs it); CI requires it")
        pytest.skip("the official client miro_api is not installed (make venv installs it)")
    report = bench("versus_official.py", "--runs", "1", "--latency-ms", "0")
    assert "| okrboard generate |" in report and "| official client, one request per item |" in report


def test_the_start_up_benchmarks_run_and_compare_with_a_revision():
    report = bench("startup.py", "--runs", "1", "--compare", "HEAD")
    assert "| `okrboard cycle list` | this tree |" in report and "| `okrboard cycle list` | `HEAD` |" in report
    report = bench("imports.py", "--runs", "1")
    assert "| **all imports** |" in report and "`sync` this tree" in report


def test_the_whole_process_sync_benchmark_runs_and_compares_with_a_revision():
    report = bench("sync.py", "--whole-only", "--items", "250", "--runs", "1", "--compare", "HEAD")
    assert "| `okrboard sync` (quiet), source of `HEAD` |" in report and "list-only script" in report


def test_a_bad_sweep_is_refused_with_a_message_naming_the_option():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--sweep", "2,x", "--no-write"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--sweep: expected concurrencies separated by commas" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_picture_cap_benchmark_runs():
    report = bench("picture_cap.py", "--runs", "1", "--sizes", "20", "--huge", "6000")
    assert "## Board pictures and their item cap" in report and "| 20 |" in report
    assert "A 6,000-item board through the cap (5,000 drawn" in report
