"""Benchmark the HTML report of the standard cycle (5 objectives x 5 key results) with six recorded check-ins.

    python bench/render_report.py [--runs 7] [--no-write]

Setup (not timed): the standard plan is imported into a SQLite store, its board generated on an in-process
emulator and tracked, then six check-ins are recorded, each after moving every key result's value on, each
keeping its picture of the board. Timed, per run: building the report model from the store (`load_report` with
`--no-sync`), then the HTML page (three matplotlib charts as inline SVG, the six pictures embedded); the JSON,
CSV and Markdown formats are timed side by side. The result goes to docs/benchmarks.md (section `report`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from processes import RUN_OKRBOARD  # noqa: E402 - bench/ is not a package
from report import median, write_section  # noqa: E402

from addon.adapters.miro_gateway import MiroGateway  # noqa: E402
from addon.adapters.store import Store  # noqa: E402
from addon.reports.html import to_html  # noqa: E402
from addon.reports.text_formats import to_csv, to_json, to_markdown  # noqa: E402
from addon.services.checkin import record_checkin  # noqa: E402
from addon.services.cycles import import_plan_file  # noqa: E402
from addon.services.generation.generator import BoardGenerator  # noqa: E402
from addon.services.kr_update import update_key_result  # noqa: E402
from addon.services.report import load_report  # noqa: E402
from addon.services.track import start_tracking  # noqa: E402

PLAN = Path(__file__).resolve().parent / "standard-plan.yaml"
TENANT = "bench"


def standard_cycle_with_six_checkins(folder: Path) -> tuple[Store, str]:
    """Return a store holding the standard cycle, tracked, with six check-ins and their pictures."""
    from miro_client import MiroClient
    from miro_emulator.testing import EmulatorServer

    store = Store.open(f"sqlite:///{folder / 'bench.sqlite3'}")
    cycle, _ = import_plan_file(PLAN, store, TENANT)
    ref = str(cycle.id)
    with EmulatorServer() as miro:
        gateway = MiroGateway(MiroClient(miro.token, base_url=miro.base_url, sleep=lambda _s: None))
        BoardGenerator(store, TENANT, gateway).run(ref, language="en")
        start_tracking(store, TENANT, ref, gateway)
        dates = cycle.checkin_dates
        for number, on in enumerate(dates, start=1):
            for o, objective in enumerate(cycle.objectives, start=1):
                for k, kr in enumerate(objective.key_results, start=1):
                    if kr.target is not None and kr.kind.value in ("increase", "decrease"):
                        value = kr.start + (kr.target - kr.start) * number / len(dates) * (0.5 + 0.1 * k)
                        update_key_result(store, TENANT, ref, f"KR{o}.{k}", current=f"{value:.1f}")
            record_checkin(store, TENANT, ref, gateway, on=on, note=f"check-in {number}")
    return store, ref


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def cli_seconds(folder: Path, ref: str) -> tuple[float, float]:
    """Time `okrboard report --format html --no-sync -o FILE` in a new process (imports included): wall seconds
    and the CPU seconds the process used (on a loaded machine the first waits for the second)."""
    import resource

    env = {
        **os.environ,
        "OKRBOARD_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "OKRBOARD_TENANT": TENANT,
        "OKRBOARD_INSTANCE_PATH": str(folder / "instance"),
    }
    out = folder / "report-cli.html"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-c", RUN_OKRBOARD, "report", ref, "--format", "html", "--no-sync", "-o", str(out)]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    if not out.exists() or not out.stat().st_size:  # a command that did nothing must not pass for a fast one
        raise SystemExit(f"okrboard report wrote nothing to {out}")
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="Print the results, leave docs/benchmarks.md.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store, ref = standard_cycle_with_six_checkins(Path(folder))
        to_html(load_report(store, TENANT, ref, None, today=date(2027, 3, 31), sync=False).data)  # warm imports
        rows = {"model": [], "html": [], "json": [], "csv": [], "md": [], "total_html": [], "cpu_html": []}
        size = 0
        for _ in range(args.runs):
            cpu_started = time.process_time()
            model_s, made = timed(lambda: load_report(store, TENANT, ref, None, today=date(2027, 3, 31), sync=False))
            html_s, page = timed(lambda made=made: to_html(made.data, made.pictures))
            rows["model"].append(model_s)
            rows["html"].append(html_s)
            rows["total_html"].append(model_s + html_s)
            rows["cpu_html"].append(time.process_time() - cpu_started)
            for name, render in (("json", to_json), ("csv", to_csv), ("md", to_markdown)):
                rows[name].append(timed(lambda render=render, made=made: render(made.data))[0])
            size, pictures = len(page.encode("utf-8")), len(made.pictures)
        store.close()
        cold = [cli_seconds(Path(folder), ref) for _ in range(3)]
        load = os.getloadavg()[0]
    lines = [
        "## Report rendering",
        "",
        f"Command: `.venv/bin/python bench/render_report.py --runs {args.runs}`. The standard cycle "
        f"(5 objectives x 5 key results) with six recorded check-ins and {pictures} board pictures; "
        f"medians of {args.runs} runs, the formats side by side in each run. Target: the HTML report in at most 1 s.",
        "",
        "| step | median (ms) |",
        "|---|---:|",
        f"| report model from the store | {median(rows['model']) * 1000:.0f} |",
        f"| HTML page (3 charts, {pictures} pictures) | {median(rows['html']) * 1000:.0f} |",
        f"| **HTML report in all** | **{median(rows['total_html']) * 1000:.0f}** |",
        f"| the same, CPU time (what it costs without waiting for a shared core) | "
        f"{median(rows['cpu_html']) * 1000:.0f} |",
        f"| JSON | {median(rows['json']) * 1000:.1f} |",
        f"| CSV | {median(rows['csv']) * 1000:.1f} |",
        f"| Markdown | {median(rows['md']) * 1000:.1f} |",
        f"| `okrboard report --format html --no-sync -o FILE`, new process, wall (median of 3) | "
        f"{median([w for w, _ in cold]) * 1000:.0f} |",
        f"| the same, CPU time of the process | {median([c for _, c in cold]) * 1000:.0f} |",
        "",
        f"Load average while measuring: {load:.1f} (machines are shared). The new process also pays for importing "
        "matplotlib, SQLAlchemy and the CLI, once per command.",
        "",
        f"The HTML file is {size / 1_000_000:.1f} MB (the pictures are most of it). Syncing first (the default) adds "
        "one sync of the board: see the sync section.",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("report", body)


if __name__ == "__main__":
    main()
