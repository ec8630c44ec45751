"""Whole processes: `okrboard generate` against a script on Miro's official client creating the same items.

    .venv/bin/python bench/versus_official.py [--runs 5] [--latency-ms 50] [--compare REV] [--no-write]

Both sides are timed from process start to exit against one emulator in its own process (bench/launcher.py),
reset before each, with `--latency-ms` added to every request. Ours: `okrboard generate CYCLE --board new` on a
copy of a SQLite database holding the standard cycle (bench/standard-plan.yaml), so it also reads the cycle,
plans the board and journals it. Theirs: bench/official_client.py, which creates the board and then the same
items with the same bodies (as the generator builds them, assignees included) one request per item with
`miro_api` 2.2.4, the way its README does. Both boards are checked to hold the same items (type, parent frame,
centre, text). `--compare REV` also runs `okrboard generate` from the source of a git revision in each run (both
sources then start as `python -c`, PYTHONPATH choosing the source), so start-up gains show as a ratio measured
side by side. The result goes to docs/benchmarks.md (section "versus-official").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from generate import PLAN, TENANT, standard_plan  # noqa: E402 - bench/ is not a package
from launcher import EmulatorProcess  # noqa: E402
from processes import RUN_OKRBOARD, export, run_timed  # noqa: E402
from report import median, publish  # noqa: E402

from addon.adapters.miro_gateway import create_body  # noqa: E402
from addon.adapters.plan_file import load_plan  # noqa: E402
from addon.adapters.store import Store  # noqa: E402
from addon.services.generation.job import BoardTarget, Job, assignees_among  # noqa: E402
from miro_client import MiroClient  # noqa: E402

OFFICIAL = BENCH / "official_client.py"
ROOT_SOURCE = BENCH.parent
GOAL = 20.0


def okrboard() -> list[str]:
    """The `okrboard` command of this environment, as a user runs it."""
    script = Path(sys.executable).with_name("okrboard")
    return [str(script)] if script.exists() else [sys.executable, "-c", RUN_OKRBOARD]


def prepare(folder: Path, emulator: EmulatorProcess) -> tuple[Path, int, Path]:
    """Write the database holding the standard cycle and the official script's items; return their paths."""
    database = folder / "template.sqlite3"
    store = Store.open(f"sqlite:///{database}")
    try:
        with store.unit(TENANT) as uow:
            cycle = uow.cycles.add(load_plan(PLAN).cycle)
    finally:
        store.close()
    with MiroClient(emulator.token, base_url=emulator.base_url) as miro:
        me = miro.get_token_context()["user"]
    plan = standard_plan(cycle)
    job = Job(None, TENANT, None, cycle, BoardTarget(0, "", None), {item.key: item for item in plan.items}, 1)
    job.assignees = assignees_among(cycle, {str(me["id"]): me.get("name") or ""})  # the board's creator
    items = [
        {"key": item.key, "parent_key": item.parent_key, "type": item.type, "body": create_body(job.new_item(item, {}))}
        for item in plan.items
    ]
    spec = {
        "base_url": emulator.base_url,
        "token": emulator.token,
        "board": {"name": cycle.name, "description": f"OKR board of {cycle.name} (official client)"},
        "items": items,
    }
    spec_file = folder / "items.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    return database, cycle.id, spec_file


def signature(emulator: EmulatorProcess, board_id: str) -> Counter:
    """A board's items by (type, parent frame centre, centre, text)."""
    items = emulator.items(board_id)
    frames = {item["id"]: (item["position"]["x"], item["position"]["y"]) for item in items if item["type"] == "frame"}
    return Counter(
        (
            item["type"],
            frames.get((item.get("parent") or {}).get("id")),
            round(item["position"]["x"], 1),
            round(item["position"]["y"], 1),
            str(item["data"].get("title") or item["data"].get("content") or ""),
        )
        for item in items
    )


def generate_once(command: list[str], env: dict, folder: Path, emulator: EmulatorProcess):
    """One whole-process generation from a reset emulator: its timing, the seconds it prints, the requests the
    emulator served for it, its board."""
    emulator.reset()
    run = run_timed(command, env=env, cwd=folder)
    inside = float(re.search(r"credits: \d+, ([\d.]+) s", run.stdout).group(1))  # what generate prints
    served = emulator.stats()["total_requests"]  # before listing the board to compare it
    return run, inside, served, signature(emulator, re.search(r"Board (\S+):", run.stdout).group(1))


def run_all(emulator: EmulatorProcess, folder: Path, runs: int, compare: str | None = None) -> dict:
    """Time both whole processes `runs` times side by side (and generation from `compare`'s source)."""
    template, cycle_id, spec_file = prepare(folder, emulator)
    ours, theirs, requests, inside, cpu, earlier = [], [], {}, [], [], []
    sources = {"this tree": ROOT_SOURCE} | ({compare: export(compare, folder / "compare")} if compare else {})
    for run in range(runs):
        env = {name: value for name, value in os.environ.items() if not name.startswith(("OKRBOARD_", "MIRO_"))}
        env.update(
            MIRO_API_URL=emulator.base_url,
            MIRO_ACCESS_TOKEN=emulator.token,
            OKRBOARD_INSTANCE_PATH=str(folder / "instance"),
            OKRBOARD_TENANT=TENANT,
        )
        for n, (label, source) in enumerate(sources.items()):  # this tree first, then the compared source
            command = [*okrboard(), "generate", str(cycle_id), "--board", "new"]
            if compare:  # both started alike, PYTHONPATH choosing the source
                command = [sys.executable, "-c", RUN_OKRBOARD, *command[-4:]]
            own = folder / f"run{run}-{n}.sqlite3"  # each source generates into its own copy of the store
            shutil.copy(template, own)
            source_env = {**env, "PYTHONPATH": str(source), "OKRBOARD_DATABASE_URL": f"sqlite:///{own}"}
            timed, seconds_inside, served, board = generate_once(command, source_env, folder, emulator)
            if label == "this tree":
                ours.append(timed.wall)
                cpu.append(timed.cpu)
                inside.append(seconds_inside)
                requests["ours"] = served
                expected = board
            else:
                earlier.append(timed)
                if board != expected:
                    raise SystemExit(f"{compare}'s board and this tree's differ")
        emulator.reset()
        official = run_timed([sys.executable, str(OFFICIAL), str(spec_file)], env=env, cwd=folder)
        theirs.append(official.wall)
        requests["theirs"] = emulator.stats()["total_requests"]
        if signature(emulator, official.stdout.strip().splitlines()[-1]) != expected:
            raise SystemExit("the official client's board and ours differ: the comparison is unfair")
        print(f"run {run + 1}: okrboard generate {ours[-1]:.2f} s, official client {theirs[-1]:.2f} s", file=sys.stderr)
    return {
        "ours": ours,
        "cpu": cpu,
        "theirs": theirs,
        "inside": inside,
        "earlier": earlier,
        "requests": requests,
        "items": sum(expected.values()),
    }


def render(rows: dict, args, command: str) -> str:
    """The Markdown section."""
    ours, theirs = rows["ours"], rows["theirs"]
    ratios = [t / o for o, t in zip(ours, theirs, strict=True)]
    verdict = "met" if median(ratios) >= GOAL else "MISSED"
    return "\n".join(
        [
            "## Whole-process generation against Miro's official client",
            "",
            f"The standard board ({rows['items']} items) created by two whole processes against the emulator in its "
            f"own process with {args.latency_ms:g} ms added to every request; {args.runs} runs, side by side, the "
            "emulator reset before each. **okrboard generate**: `okrboard generate CYCLE --board new` on a SQLite "
            "database holding the cycle (start-up, reading the cycle, planning, journaling, bulk and concurrent "
            "creates). **Official client**: a script on `miro_api` 2.2.4 (bench/official_client.py) creating the "
            "board and the same items with the same bodies, one request per item, as its README does. Both "
            "boards were checked to hold the same items. Seconds are wall time from process start to exit. Load "
            f"average (1 min) before and after: {rows['load'][0]:.2f} and {rows['load'][1]:.2f} (shared machine).",
            "",
            f"Command: `{command}`",
            "",
            "| process | median s | min s | max s | requests |",
            "|---|---|---|---|---|",
            f"| okrboard generate | {median(ours):.2f} | {min(ours):.2f} | {max(ours):.2f} | "
            f"{rows['requests']['ours']} |",
            f"| official client, one request per item | {median(theirs):.2f} | {min(theirs):.2f} | {max(theirs):.2f} | "
            f"{rows['requests']['theirs']} |",
            *_earlier_rows(rows, args),
            "",
            f"- okrboard generate is **{median(ratios):.1f}x** faster (median of per-run ratios; ratio of medians "
            f"{median(theirs) / median(ours):.1f}x). Goal >= {GOAL:g}x: {verdict}.",
            f"- Of okrboard generate's {median(ours):.2f} s, the generation itself (the seconds it prints: from "
            f"reading the cycle to the last item) takes {median(rows['inside']):.1f} s; the rest, "
            f"{median(ours) - median(rows['inside']):.2f} s, is the process starting, importing and opening the store. "
            f"Its CPU time (user + system, the process alone): {median(rows['cpu']):.2f} s.",
            *_earlier_lines(rows, args),
        ]
    )


def _earlier_rows(rows: dict, args) -> list[str]:
    """The compared source's generation as a table row (none without --compare)."""
    if not rows["earlier"]:
        return []
    walls = [run.wall for run in rows["earlier"]]
    return [
        f"| okrboard generate, source of `{args.compare}` | {median(walls):.2f} | {min(walls):.2f} | "
        f"{max(walls):.2f} | {rows['requests']['ours']} |"
    ]


def _earlier_lines(rows: dict, args) -> list[str]:
    """How this tree's whole-process generation compares with the compared source's, run by run."""
    if not rows["earlier"]:
        return []
    pairs = list(zip(rows["ours"], rows["cpu"], rows["earlier"], strict=True))
    wall = median([then.wall / now for now, _cpu, then in pairs])
    cpu = median([then.cpu / now_cpu for _now, now_cpu, then in pairs])
    official = median([t / then.wall for t, then in zip(rows["theirs"], rows["earlier"], strict=True)])
    return [
        f"- Against the source of `{args.compare}` in the same runs: this tree's `okrboard generate` is {wall:.2f}x "
        f"faster in wall time and {cpu:.2f}x in CPU time ({median([r.cpu for r in rows['earlier']]):.2f} s); "
        f"`{args.compare}` was {official:.1f}x faster than the official client in these runs."
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--compare", metavar="REV", help="also time `okrboard generate` from this git revision")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    load_before = os.getloadavg()[0]
    with EmulatorProcess(latency_ms=args.latency_ms) as emulator, tempfile.TemporaryDirectory() as folder:
        rows = run_all(emulator, Path(folder), args.runs, args.compare)
    rows["load"] = (load_before, os.getloadavg()[0])
    command = ".venv/bin/python bench/versus_official.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = render(rows, args, command.strip())
    publish("versus-official", text, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
