"""Where start-up goes: each command's imports, by package, from `python -X importtime`, beside its CPU time.

    .venv/bin/python bench/imports.py [--runs 5] [--compare REV] [--no-write]

Runs `okrboard cycle list`, `okrboard generate CYCLE --board new` and a quiet `okrboard sync CYCLE` (the standard
board, on the emulator in its own process, no added latency) under `-X importtime`, and adds up each imported
module's own time (not its children's, so the sums do not count anything twice) by the package it belongs to.
`--compare REV` does the same from the source of a git revision, run by run. Import time is wall time, so each
column shows the least disturbed of `--runs` runs (the smallest total). The tracing itself slows imports a little,
so compare the rows with each other rather than with the start-up timings.
Results go to docs/benchmarks.md (section "imports").
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import PLAN, TENANT  # noqa: E402 - bench/ is not a package
from launcher import EmulatorProcess  # noqa: E402
from processes import RUN_OKRBOARD, children_cpu, comparing_parser, run_timed, sources_to_compare  # noqa: E402
from report import median, publish  # noqa: E402

# Module name prefixes -> the row they count in; the first match wins, anything else is "the rest".
GROUPS = (
    ("sqlalchemy.orm", ("sqlalchemy.orm", "sqlalchemy.ext")),
    ("sqlalchemy Core (and the sqlite3, greenlet, asyncio it loads)", ("sqlalchemy", "sqlite3", "greenlet", "asyncio")),
    (
        "ORM mappings, repository, journal, locks",
        ("addon.adapters.orm", "addon.adapters.repository", "addon.adapters.board_journal", "addon.adapters.locks"),
    ),
    ("requests, urllib3 and their dependencies", ("requests", "urllib3", "charset_normalizer", "idna", "certifi")),
    ("PyYAML, marshmallow (layout validation)", ("yaml", "_yaml", "marshmallow", "addon.adapters.layout_schema")),
    (
        "Alembic, the emulator, Flask, jsonschema, matplotlib",
        ("alembic", "mako", "flask", "werkzeug", "jinja2", "jsonschema", "matplotlib", "miro_emulator"),
    ),
    ("rich", ("rich", "pygments", "markdown_it", "mdurl")),
    ("click, python-dotenv", ("click", "dotenv")),
    ("miro_client", ("miro_client",)),
    ("addon (domain, services, CLI, other adapters)", ("addon",)),
)
REST = "standard library and the rest"
LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)")


def group_of(module: str) -> str:
    """The row a module's import time counts in."""
    for name, prefixes in GROUPS:
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return name
    return REST


def by_group(stderr: str) -> dict[str, float]:
    """Milliseconds of import time per row, from `-X importtime` output."""
    totals: dict[str, float] = defaultdict(float)
    for own_us, _indent, module in LINE.findall(stderr):
        totals[group_of(module)] += int(own_us) / 1000
    return totals


def importtime(argv: list[str], env: dict, cwd: Path) -> tuple[dict[str, float], float]:
    """Run one command under -X importtime; return its import milliseconds per row and its CPU seconds."""
    before = children_cpu()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", RUN_OKRBOARD, *argv],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise SystemExit(f"okrboard {' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
    return by_group(done.stderr), children_cpu() - before


def prepare(folder: Path, emulator: EmulatorProcess, sources: dict[str, Path]) -> dict[str, tuple[dict, str]]:
    """Per source: an environment on its own store holding the standard cycle, generated and synced once."""
    prepared = {}
    for n, (label, source) in enumerate(sources.items()):
        env = {name: value for name, value in os.environ.items() if not name.startswith(("OKRBOARD_", "MIRO_"))}
        env.update(
            PYTHONPATH=str(source),
            MIRO_API_URL=emulator.base_url,
            MIRO_ACCESS_TOKEN=emulator.token,
            OKRBOARD_DATABASE_URL=f"sqlite:///{folder / f'store-{n}.sqlite3'}",
            OKRBOARD_INSTANCE_PATH=str(folder / f"instance-{n}"),
            OKRBOARD_TENANT=TENANT,
        )
        okrboard = [sys.executable, "-c", RUN_OKRBOARD]
        cycle_id = run_timed([*okrboard, "cycle", "import", str(PLAN)], env=env, cwd=folder).stdout.split()[0]
        run_timed([*okrboard, "generate", cycle_id], env=env, cwd=folder)
        run_timed([*okrboard, "sync", cycle_id], env=env, cwd=folder)  # settles: the next syncs are quiet
        prepared[label] = (env, cycle_id)
    return prepared


def main() -> None:
    args = comparing_parser(__doc__.splitlines()[0], runs=5).parse_args()
    folder = Path(tempfile.mkdtemp(prefix="okrboard-bench-imports-"))
    sources = sources_to_compare(args.compare, folder)
    load = os.getloadavg()
    samples: dict[tuple[str, str], list[tuple[dict[str, float], float]]] = defaultdict(list)
    with EmulatorProcess(credits_per_minute=10**12) as emulator:
        prepared = prepare(folder, emulator, sources)
        for _ in range(args.runs):
            for label, (env, cycle_id) in prepared.items():
                samples[("cycle list", label)].append(importtime(["cycle", "list"], env, folder))
                samples[("generate", label)].append(importtime(["generate", cycle_id, "--board", "new"], env, folder))
                # The new board's first sync journals its bases; the one after it is the quiet sync measured.
                run_timed([sys.executable, "-c", RUN_OKRBOARD, "sync", cycle_id], env=env, cwd=folder)
                samples[("sync", label)].append(importtime(["sync", cycle_id], env, folder))
    load_after = os.getloadavg()
    columns = list(samples)
    lines = [
        "## Start-up: where the imports go",
        "",
        f"Command: `.venv/bin/python bench/imports.py --runs {args.runs}"
        + (f" --compare {args.compare}`" if args.compare else "`")
        + " (each command under `python -X importtime`; each module's own import time added up by package; of "
        f"{args.runs} runs, the sources alternated, the one with the least import time in all; `generate` makes a "
        "new board of the standard cycle, `sync` is quiet). Load average (1, 5, 15 min) before: "
        f"{' '.join(f'{x:.2f}' for x in load)}; after: {' '.join(f'{x:.2f}' for x in load_after)}.",
        "",
        "| imports (ms) | " + " | ".join(f"`{name}` {label}" for name, label in columns) + " |",
        "| --- | " + " | ".join("---:" for _ in columns) + " |",
    ]
    # Import time is wall time, which other jobs inflate: each column shows its least disturbed run (the one with
    # the smallest total), so a row compares one whole run with another rather than medians of mixed runs.
    best = {column: min(samples[column], key=lambda sample: sum(sample[0].values())) for column in columns}
    for row in [name for name, _prefixes in GROUPS] + [REST]:
        values = [best[column][0].get(row, 0.0) for column in columns]
        if any(value >= 0.5 for value in values):
            lines.append(f"| {row} | " + " | ".join(f"{value:.0f}" for value in values) + " |")
    totals = [sum(best[column][0].values()) for column in columns]
    lines.append("| **all imports** | " + " | ".join(f"**{total:.0f}**" for total in totals) + " |")
    cpus = [median([cpu for _groups, cpu in samples[column]]) * 1000 for column in columns]
    lines.append("| process CPU, traced, median of the runs (ms) | " + " | ".join(f"{cpu:.0f}" for cpu in cpus) + " |")
    body = "\n".join(lines)
    publish("imports", body, write=not args.no_write)


if __name__ == "__main__":
    main()
