"""Benchmark start-up: whole `okrboard` processes, from exec to exit.

    .venv/bin/python bench/startup.py [--runs 10] [--compare REV] [--no-write]

Each command runs in a fresh interpreter, the way the `okrboard` script runs it, on a store that already holds
the example cycle (so `cycle list` prints a table and finds its schema current). `--compare REV` also times the
same commands from the source of a git revision (exported to a temporary folder, run with this environment),
alternating the two run by run so machine load hits both alike. The interpreter alone (`python -c pass`) is
timed beside them: it is the floor. Each run's wall and CPU seconds (user + system: what load does not inflate)
are kept; each command's imports are listed against the ones it must not load. Results go to docs/benchmarks.md
(section "startup").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from processes import RUN_OKRBOARD as RUN  # noqa: E402 - bench/ is not a package
from processes import Timed, comparing_parser, run_timed, sources_to_compare  # noqa: E402
from report import median, publish  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "company-q1.yaml"
COMMANDS = (["--help"], ["cycle", "list"])
HEAVY = (
    "alembic",
    "miro_emulator",
    "flask",
    "matplotlib",
    "jsonschema",
    "sqlalchemy",
    "sqlalchemy.orm",
    "requests",
    "yaml",
    "marshmallow",
)
GOAL_S = 0.3
PROBE = (
    "import json, sys; from addon.cli import main; sys.argv[0] = 'okrboard'\n"
    "try: main()\n"
    "except SystemExit: pass\n"
    "print('\\nMODULES ' + json.dumps(sorted(sys.modules)))"
)


def timed(argv: list[str], env: dict) -> Timed:
    """Run a process to its end; return its wall and CPU seconds (it must succeed)."""
    return run_timed(argv, env=env, cwd=env["OKRBOARD_INSTANCE_PATH"])


def heavy_imports(source: Path, args: list[str], env: dict) -> list[str]:
    """The heavy top-level packages one command imports."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env={**env, "PYTHONPATH": str(source)},  # the source's own store, already migrated
        cwd=env["OKRBOARD_INSTANCE_PATH"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(json.loads(done.stdout.rpartition("\nMODULES ")[2]))
    return [name for name in HEAVY if name in modules]


def main() -> None:
    args = comparing_parser(__doc__.splitlines()[0], runs=10).parse_args()
    work = Path(tempfile.mkdtemp(prefix="okrboard-bench-startup-"))
    env = {**os.environ, "OKRBOARD_INSTANCE_PATH": str(work / "instance"), "OKRBOARD_DATABASE_URL": ""}
    sources = sources_to_compare(args.compare, work)
    envs = {  # one store per source: each migrates its own (and the first runs warm the bytecode caches)
        label: {**env, "PYTHONPATH": str(source), "OKRBOARD_INSTANCE_PATH": str(work / f"instance-{n}")}
        for n, (label, source) in enumerate(sources.items())
    }
    for source, source_env in zip(sources.values(), envs.values(), strict=True):
        # run where `-c` puts no source of ours first on sys.path; each source imports its own copy of the
        # example, since plan files grow fields that older sources refuse
        Path(source_env["OKRBOARD_INSTANCE_PATH"]).mkdir(parents=True)
        subprocess.run(
            [sys.executable, "-c", RUN, "cycle", "import", str(Path(source) / EXAMPLE.relative_to(ROOT))],
            env=source_env,
            cwd=source_env["OKRBOARD_INSTANCE_PATH"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    times: dict[tuple[str, str], list[Timed]] = {}
    load = os.getloadavg()[0]
    for _ in range(args.runs):
        times.setdefault(("python -c pass", ""), []).append(timed([sys.executable, "-c", "pass"], envs["this tree"]))
        for command in COMMANDS:
            for label, source_env in envs.items():  # alternate the sources run by run
                times.setdefault((" ".join(command), label), []).append(
                    timed([sys.executable, "-c", RUN, *command], source_env)
                )
    load_after = os.getloadavg()[0]
    lines = [
        "## Start-up",
        "",
        f"Command: `.venv/bin/python bench/startup.py --runs {args.runs}"
        + (f" --compare {args.compare}`" if args.compare else "`")
        + f" ({args.runs} runs of each whole process, alternated; store with one cycle, schema current). "
        f"Machine load average (1 min) before and after: {load:.2f} and {load_after:.2f}.",
        "",
        "| command | source | median s | min s | max s | CPU s (median) | goal | heavy modules loaded |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for (command, label), runs in times.items():
        source = sources.get(label)
        heavy = ", ".join(heavy_imports(source, command.split(), envs[label])) if source else ""
        goal = f"<= {GOAL_S} s" if source == ROOT else ""
        shown = f"`okrboard {command}`" if source else f"`{command}`"
        walls = [run.wall for run in runs]
        lines.append(
            f"| {shown} | {label or '-'} | {median(walls):.3f} | {min(walls):.3f} | {max(walls):.3f} | "
            f"{median([run.cpu for run in runs]):.3f} | {goal} | {heavy or ('none' if source else '-')} |"
        )
    if args.compare:
        lines.append("")
        for command in COMMANDS:
            name = " ".join(command)
            now, then = (times[(name, label)] for label in sources)
            wall = median([b.wall / a.wall for a, b in zip(now, then, strict=True)])
            cpu = median([b.cpu / a.cpu for a, b in zip(now, then, strict=True)])
            lines.append(
                f"- `okrboard {name}`: `{args.compare}` takes {wall:.2f}x this tree's wall time and {cpu:.2f}x its CPU "
                "time (medians of the run-by-run ratios; above 1 means this tree is faster)."
            )
    body = "\n".join(lines)
    publish("startup", body, write=not args.no_write)


if __name__ == "__main__":
    main()
