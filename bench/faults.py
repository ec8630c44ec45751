"""Generation under seeded faults: N schedules plus real kills, each board compared with its plan.

    python bench/faults.py [--schedules 200] [--kills 10] [--no-write]

Schedules are those of tests/services/test_generation_faults.py (seeds 0..N-1, see fault_schedules.py): the
standard board generated in-process against an in-process emulator whose seeded faults (5xx, timeouts, 429,
lost answers, sometimes the board creation's answer lost) hit 8% to 40% of requests, resumed by running
generation again when a run gives up. Kills run `okrboard generate` in a subprocess, SIGKILL it at the Nth API
request (spread over the generation) under seeded faults, and run it again. The result goes to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))  # the fault schedules live with the tests
from report import median, write_section  # noqa: E402 - bench/ is not a package

from addon.adapters.store import Store  # noqa: E402
from miro_emulator.config import EmulatorConfig  # noqa: E402
from miro_emulator.testing import EmulatorServer  # noqa: E402


def load_helpers():
    """The fault schedules shared with the test suite."""
    from tests.services import fault_schedules

    return fault_schedules


def run_schedules(helpers, count: int, folder: Path) -> list:
    """Run schedules 0..count-1 on one emulator (reset by each) and one store (a new cycle each)."""
    results = []
    with EmulatorServer(EmulatorConfig(credits_per_minute=10_000_000)) as miro:
        store = Store.open(f"sqlite:///{folder / 'faults.sqlite3'}")
        try:
            for seed in range(count):
                result = helpers.run_schedule(miro, store, helpers.Schedule.from_seed(seed))
                results.append(result)
                if not result.exact:
                    print("NOT EXACT:", helpers.describe(result), file=sys.stderr)
                elif (seed + 1) % 20 == 0:
                    print(f"{seed + 1} schedules done", file=sys.stderr)
        finally:
            store.close()
    return results


def run_kills(helpers, count: int, folder: Path) -> list:
    """Kill `okrboard generate` at `count` points spread over the generation's ~54 requests, under faults."""
    results = []
    for index in range(count):
        kill_at = 2 + index * 50 // max(1, count)
        schedule = helpers.Schedule(
            seed=1000 + index, concurrency=4, rates={"5xx": 0.04, "lost": 0.06, "timeout": 0.02, "429": 0.02}
        )
        place = folder / f"kill{index}"
        place.mkdir()
        result = helpers.run_kill(place, kill_at, schedule)
        results.append(result)
        if not result.exact:
            print(f"NOT EXACT: kill at {kill_at}: {result.comparison} {result.journal_problems[:3]}", file=sys.stderr)
    return results


def render(results: list, kills: list, seconds: float, command: str, kill_seconds: float = 0.0) -> str:
    """The Markdown section."""
    exact = sum(result.exact for result in results)
    duplicates = sum(r.comparison.duplicates if r.comparison else 0 for r in results)
    missing = sum(r.comparison.missing if r.comparison else 0 for r in results)
    unexpected = sum(r.comparison.unexpected if r.comparison else 0 for r in results)
    faults = Counter()
    for result in results:
        faults.update(result.faults)
    runs = Counter(result.runs for result in results)
    extra_boards = sum(max(0, result.boards - 1) for result in results)
    durations = [result.seconds for result in results]
    kill_exact = sum(kill.exact for kill in kills)
    kill_dup = sum(k.comparison.duplicates if k.comparison else 0 for k in kills)
    kill_missing = sum(k.comparison.missing if k.comparison else 0 for k in kills)
    lines = [
        "## Generation under faults",
        "",
        "The standard board (409 items) generated under seeded fault schedules against the in-process emulator "
        "(each schedule draws rates of 5xx, timeout, 429 and lost answers adding up to 8%-40% of requests, and "
        "concurrency 1 (even seeds: exactly reproducible) or 4; one in four also loses the answer to the board's "
        "creation). A run that gives up is resumed by running generation again. The emulator's board is then "
        "compared with the plan item by item (type, parent frame, centre, text), the journal with the board, and "
        "the emulator's board count with 1.",
        "",
        f"Command: `{command}`",
        "",
        "| | schedules | exactly the plan | duplicates | missing | unexpected | extra boards |",
        "|---|---|---|---|---|---|---|",
        f"| fault schedules | {len(results)} | {exact} | {duplicates} | {missing} | {unexpected} | {extra_boards} |",
        f"| SIGKILL mid-way + resume | {len(kills)} | {kill_exact} | {kill_dup} | {kill_missing} | "
        f"{sum(k.comparison.unexpected if k.comparison else 0 for k in kills)} | "
        f"{sum(max(0, k.boards - 1) for k in kills)} |",
        "",
        f"- Faults injected: {sum(faults.values())} ({', '.join(f'{k} {v}' for k, v in sorted(faults.items()))}) "
        f"over {sum(r.requests for r in results)} requests.",
        f"- Generation runs per schedule: {', '.join(f'{n} run(s): {c}' for n, c in sorted(runs.items()))}.",
        f"- Time: {seconds:.0f} s in all; per schedule median {median(durations):.2f} s, max {max(durations):.2f} s.",
    ]
    if kills:
        lines.append(
            f"- Kills at API requests {', '.join(str(k.kill_at) for k in kills)} (of about 54), under "
            "5xx 4%, lost 6%, timeout 2%, 429 2%; items on the board when killed: "
            f"{', '.join(str(k.items_after_kill) for k in kills)}; recovered after the kill (adopted): "
            f"{', '.join(str(k.adopted) for k in kills)}."
        )
        lines.append(
            f"- The {len(kills)} kill runs took {kill_seconds:.0f} s in all (two `okrboard generate` processes each, "
            "the killed one and the resumed one): an injected 429 that leaves credits waits a brief jittered backoff, "
            "not the rest of Miro's rate-limit window."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=200)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    helpers = load_helpers()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        results = run_schedules(helpers, args.schedules, Path(folder))
        kills_started = time.perf_counter()
        kills = run_kills(helpers, args.kills, Path(folder))
        kill_seconds = time.perf_counter() - kills_started
    seconds = time.perf_counter() - started
    command = "python bench/faults.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = render(results, kills, seconds, command.strip(), kill_seconds)
    print(text)
    if not args.no_write:
        write_section("faults", text)
    exact = all(result.exact for result in results) and all(kill.exact for kill in kills)
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
