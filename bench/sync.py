"""Benchmark sync against the emulator: CPU, peak memory and whole-process time, from 250 to 10,000 items.

    .venv/bin/python bench/sync.py [--items 1000] [--runs 5] [--sizes 250,1000,4000,10000] [--no-write]
    .venv/bin/python bench/sync.py --whole-only [--compare REV] [--items 1000] [--runs 9]
    .venv/bin/python bench/sync.py --case read-before-write [--items 1000] [--runs 5] [--no-write]

The emulator runs in a subprocess, so the CPU time and peak memory measured here are the sync's own (thread
CPU time of the syncing thread; tracemalloc's peak of Python allocations during the sync). The board is the
standard board (bench/standard-plan.yaml: 5 objectives x 5 key results) with ideas in the matrices up to
`--items` items. After one settling sync (the first sync after generation journals every merge base), it
measures:
- a sync with nothing changed: the pagination minimum of list calls, ceil(items / 50), and 0 writes;
- a sync after 50 moves on the board (25 key-result cards to other Kanban columns, 25 idea stickies within
  their matrices): the same list calls, and writes only where the board must be written back (none: moves
  change the store, not the board);
- a sync after 10 values changed in the store (`kr update`): exactly 10 card PATCHes;
- the garbage collector's variants for the quiet sync, side by side (run by run, alternated);
- whole processes: `okrboard sync` against a minimal script that makes the same list calls with `requests`
  (wall and CPU seconds; with `--compare REV` also `okrboard sync` from that git revision's source, run by run);
- for each of `--sizes`: the quiet sync and the sync after 50 moves (CPU, peak memory), to show the growth.
API calls are counted by the client and checked against the emulator's own counters. Results go to
docs/benchmarks.md (section "sync"); `--whole-only` measures only the whole processes (section "sync-processes").

`--case read-before-write` measures what reading each item again before its PATCH costs: syncs that write 10
cards, as shipped and with the reads answered from the sync's own listing (no request: the sync as it was
before), alternated run by run, on an emulator without and with 50 ms of latency per request (section
"sync-read-before-write").
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from launcher import EmulatorProcess  # noqa: E402 - bench/ is not a package
from processes import ROOT, RUN_OKRBOARD, Timed, export, run_timed  # noqa: E402
from report import median, publish  # noqa: E402

from addon.adapters.board_layouts import load_layout  # noqa: E402
from addon.adapters.miro_gateway import MiroGateway  # noqa: E402
from addon.adapters.plan_file import load_plan  # noqa: E402
from addon.adapters.store import Store  # noqa: E402
from addon.domain.board.layout import plan_board, position_for_scores  # noqa: E402
from addon.domain.board.rollup import with_rollup  # noqa: E402
from addon.domain.method.model import Idea  # noqa: E402
from addon.services import gc_burst  # noqa: E402
from addon.services.generation.generator import BoardGenerator  # noqa: E402
from addon.services.kr_update import update_key_result  # noqa: E402
from addon.services.sync_board import sync_cycle  # noqa: E402
from addon.services.track import start_tracking  # noqa: E402
from miro_client import MiroClient  # noqa: E402

PLAN = Path(__file__).resolve().parent / "standard-plan.yaml"
TOKEN = "bench-token"
TENANT = "bench"
COMMAND = ".venv/bin/python bench/sync.py"


@dataclass
class Measure:
    """One measured sync."""

    items: int
    list_calls: int
    reads: int
    writes: int
    credits: int
    emulator_requests: int
    cpu: float
    wall: float
    peak_mib: float
    quiet: bool
    moves: int
    patches: int


def planned_items(cycle, template: dict) -> int:
    """How many items generation puts on a cycle's board (a company board's roll-up frame included)."""
    return len(with_rollup(plan_board(cycle, template), cycle, [], template, cycle.language).items)


def cycle_with_items(target_items: int):
    """Return the standard cycle with ideas spread over its key results so that its board has `target_items`."""
    cycle = load_plan(PLAN).cycle
    template = load_layout()
    base = planned_items(cycle, template)
    while base > target_items and len(cycle.objectives) > 1:  # a small board: fewer objectives
        cycle.objectives.pop()
        base = planned_items(cycle, template)
    krs = [kr for objective in cycle.objectives for kr in objective.key_results]
    for n in range(max(0, target_items - base)):
        kr = krs[n % len(krs)]
        index = len(kr.ideas)
        kr.ideas.append(
            Idea(f"Idea {index + 1} for {kr.title}", impact=1 + (index * 37) % 9, effort=1 + (index * 53) % 9)
        )
    assert planned_items(cycle, template) == target_items, "the layout changed: adjust the idea count"
    return cycle


def measure(
    store: Store, cycle_id: int, gateway: MiroGateway, emulator: EmulatorProcess, *, memory: bool = False
) -> Measure:
    """Run one sync and measure it (peak memory only when asked: tracing slows everything down)."""
    before = emulator.stats()
    if memory:
        tracemalloc.start()
    cpu, wall = time.thread_time(), time.perf_counter()
    result = sync_cycle(store, TENANT, str(cycle_id), gateway)
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    peak = tracemalloc.get_traced_memory()[1] if memory else 0
    tracemalloc.stop()
    after = emulator.stats()
    served = sum(after["requests"].values()) - sum(before["requests"].values())
    usage = result.usage
    return Measure(
        result.items,
        usage["list_calls"],
        usage["reads"],
        usage["writes"],
        usage["credits"],
        served,
        cpu,
        wall,
        peak / 2**20,
        result.quiet,
        len({m["key"] for m in result.moves}),
        len(result.patches),
    )


def fifty_moves(client: MiroClient, store: Store, cycle_id: int, board_id: str) -> None:
    """Move 25 key-result cards to another Kanban column and 25 idea stickies within their matrices."""
    with store.unit(TENANT) as uow:
        cycle = uow.cycles.get(cycle_id)
        entries = uow.boards.entries(uow.boards.latest_board(cycle_id).id)
    plan = plan_board(cycle, load_layout())
    kanban = plan.item("frame:kanban")
    left, top = kanban.x - kanban.width / 2, kanban.y - kanban.height / 2
    columns = ["in_progress", "at_risk", "done"]
    for n, ref in enumerate(cycle.key_results_by_ref()):
        area = plan.area(f"kanban:column:{columns[n % 3]}")
        x, y = area.x0 + 170 + (n % 3) * 20, area.y0 + 120 + n * 25
        client.update_card(
            board_id,
            entries[f"card:{ref}"].miro_item_id,
            position={"x": round(x - left, 2), "y": round(y - top, 2)},
            parent_id=entries["frame:kanban"].miro_item_id,
        )
    ideas = [(key, entry) for key, entry in entries.items() if entry.role == "idea"][:25]
    for key, entry in ideas:
        ref = entry.entity
        matrix, plot = plan.item(f"matrix:{ref}"), plan.area(f"matrix:{ref}:plot")
        x, y = position_for_scores(plot, 9.5, 0.5)
        client.update_sticky_note(
            board_id,
            entry.miro_item_id,
            position={
                "x": round(x - (matrix.x - matrix.width / 2), 2),
                "y": round(y - (matrix.y - matrix.height / 2), 2),
            },
        )
        assert key


def ten_store_edits(store: Store, cycle_id: int, start: int = 0) -> None:
    """Change the current value of ten key results in the store (to start + 1 .. start + 10)."""
    with store.unit(TENANT) as uow:
        refs = list(uow.cycles.get(cycle_id).key_results_by_ref())[:10]
    for n, ref in enumerate(refs):
        update_key_result(store, TENANT, str(cycle_id), ref, current=str(start + n + 1))


class ListedReads:
    """A gateway that answers the sync's read before a write from its own listing, sending nothing: the sync as it
    was before it read items again (for comparison only; it would overwrite a teammate's edit)."""

    def __init__(self, gateway: MiroGateway):
        self.gateway, self.listed = gateway, {}

    def __getattr__(self, name):
        return getattr(self.gateway, name)

    def iter_items(self, board_id: str):
        for item in self.gateway.iter_items(board_id):
            self.listed[item.id] = item
            yield item

    def get_item(self, board_id: str, item_id: str):
        return self.listed.get(item_id) or self.gateway.get_item(board_id, item_id)


def read_before_write_case(items: int, runs: int) -> str:
    """Syncs writing cards with and without the reads before writes, alternated; return the section."""
    variants = {"reads before writes (as shipped)": False, "reads answered from the listing": True}
    rows, ratios = [], []
    for latency in (0, 50):
        emulator = EmulatorProcess(latency_ms=latency, credits_per_minute=10**12)
        try:
            bench = Bench(emulator, items)
            bench.measure()
            measured: dict[str, list[Measure]] = {name: [] for name in variants}
            rounds = 0
            for run in range(runs):
                order = list(variants) if run % 2 == 0 else list(reversed(variants))
                for name in order:
                    rounds += 1
                    ten_store_edits(bench.store, bench.cycle_id, start=10 * rounds)  # new values: 10 cards to write
                    gateway = ListedReads(bench.gateway) if variants[name] else bench.gateway
                    done = measure(bench.store, bench.cycle_id, gateway, emulator)
                    assert done.writes == done.patches > 0, done
                    measured[name].append(done)
            bench.close()
        finally:
            emulator.close()
        walls = {name: median([m.wall for m in runs_]) for name, runs_ in measured.items()}
        for name, runs_ in measured.items():
            rows.append(
                f"| {latency} | {name} | {median([m.writes for m in runs_]):g} | "
                f"{median([m.emulator_requests for m in runs_]):g} | {median([m.reads for m in runs_]):g} | "
                f"{median([m.credits for m in runs_]):,.0f} | {median([m.cpu for m in runs_]):.3f} | "
                f"{walls[name]:.3f} |"
            )
        shipped, listed = walls.values()
        ratios.append((latency, shipped / listed))
    summary = " and ".join(f"**{ratio:.2f}x** ({latency} ms per request)" for latency, ratio in ratios)
    return "\n".join(
        [
            f"## Sync: reads before writes ({items:,}-item board, about 10 cards written per sync)",
            "",
            f"Command: `{COMMAND} --case read-before-write --items {items} --runs {runs}`. Each sync follows 10 "
            "store edits (`kr update`) and writes the cards that show them (a milestone's card reads the same for "
            "any value past its target, so some rounds write fewer); before each PATCH the shipped sync reads the "
            "item again (one level-1 GET, 50 credits). The comparison answers those reads from the sync's own listing "
            f"without a request. {runs} syncs each, alternated run by run, medians; the emulator in a subprocess.",
            "",
            "| latency ms | sync | cards written | requests served | reads | credits | CPU s | wall s |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *rows,
            "",
            f"With its reads before writes, a sync that writes takes {summary} the wall time of the same sync "
            "without them (medians, side by side): one more request per card written, 50 credits each. A quiet "
            "sync writes nothing, so it reads nothing more.",
        ]
    )


def row(name: str, runs: list[Measure], memory: Measure | None = None) -> str:
    first = runs[0]
    peak = f"{memory.peak_mib:.1f}" if memory else "-"
    return (
        f"| {name} | {first.items} | {first.list_calls} (min {math.ceil(first.items / 50)}) | {first.reads} | "
        f"{first.writes} | {first.emulator_requests} | {first.credits:,} | {median([m.cpu for m in runs]):.3f} | "
        f"{peak} | {median([m.wall for m in runs]):.3f} |"
    )


GC_VARIANTS = {  # name -> (freeze, youngest-generation threshold during the sync; 0 = the interpreter's 700)
    "interpreter default": (False, 0),
    "raised threshold (50,000)": (False, 50_000),
    "freeze": (True, 0),
    "freeze + raised threshold (as shipped)": (True, 50_000),
}
SHIPPED_GC = (gc_burst.FREEZE, gc_burst.THRESHOLD)

# The least a sync can do: list every page of the board, nothing else (the same calls, no store, no decision).
LIST_ONLY = """
import sys, requests
base, token, board = sys.argv[1:4]
session, cursor, calls = requests.Session(), None, 0
session.headers["Authorization"] = "Bearer " + token
while True:
    params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
    page = session.get(f"{base}/v2/boards/{board}/items", params=params, timeout=30).json()
    calls += 1
    cursor = page.get("cursor")
    if not cursor or not page.get("data"):
        break
print(calls)
"""


def set_gc(variant: tuple[bool, int]) -> None:
    """Choose how the sync tunes the garbage collector."""
    gc_burst.FREEZE, gc_burst.THRESHOLD = variant


class Bench:
    """A board of a given size, generated, tracked and settled, with its store."""

    def __init__(self, emulator: EmulatorProcess, items: int):
        self.folder = tempfile.mkdtemp(prefix="okrboard-bench-sync-")
        self.url = f"sqlite:///{self.folder}/bench.sqlite3"
        self.store = Store.open(self.url)
        self.client = MiroClient(TOKEN, base_url=emulator.base_url)
        self.gateway = MiroGateway(self.client)
        self.emulator = emulator
        with self.store.unit(TENANT) as uow:
            self.cycle_id = uow.cycles.add(cycle_with_items(items)).id
        self.board_id = BoardGenerator(self.store, TENANT, self.gateway).run(str(self.cycle_id)).board_id
        start_tracking(self.store, TENANT, str(self.cycle_id), self.gateway)
        self.settle = self.measure()

    def measure(self, memory: bool = False) -> Measure:
        """One sync, measured."""
        return measure(self.store, self.cycle_id, self.gateway, self.emulator, memory=memory)

    def moves(self) -> None:
        """50 moves by a team member."""
        fifty_moves(MiroClient(TOKEN, base_url=self.emulator.base_url), self.store, self.cycle_id, self.board_id)

    def close(self) -> None:
        """Release the store."""
        self.store.close()


SYNC_NOW = "`okrboard sync` (quiet)"
LISTING = "list-only script (`requests`)"


def whole_processes(bench: Bench, runs: int, compare: str | None = None) -> dict[str, list[Timed]]:
    """Time `okrboard sync` (and from `compare`'s source) and the list-only script as whole processes,
    alternated run by run."""
    env = {
        **os.environ,
        "OKRBOARD_DATABASE_URL": bench.url,
        "OKRBOARD_TENANT": TENANT,
        "MIRO_API_URL": bench.emulator.base_url,
        "MIRO_ACCESS_TOKEN": TOKEN,
    }
    okrboard = [sys.executable, "-c", RUN_OKRBOARD, "sync", str(bench.cycle_id)]
    sources = {SYNC_NOW: ROOT}
    if compare:
        sources[f"{SYNC_NOW}, source of `{compare}`"] = export(compare, Path(bench.folder) / "compare")
    commands = {name: (okrboard, {**env, "PYTHONPATH": str(source)}) for name, source in sources.items()}
    commands[LISTING] = ([sys.executable, "-c", LIST_ONLY, bench.emulator.base_url, TOKEN, bench.board_id], env)
    times: dict[str, list[Timed]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, command_env) in commands.items():
            done = run_timed(argv, env=command_env, cwd=bench.folder)
            times[name].append(done)
            assert "Nothing changed" in done.stdout or done.stdout.strip().isdigit(), done.stdout
    return times


def whole_process_lines(processes: dict[str, list[Timed]], runs: int, list_calls: int) -> list[str]:
    """The whole-process table and its ratios, each a median of run-by-run ratios."""

    def ratio(a: str, b: str, what: str) -> float:
        return median([getattr(x, what) / getattr(y, what) for x, y in zip(processes[a], processes[b], strict=True)])

    lines = [
        f"The quiet sync of the same board as a user runs it, against a script that only makes the same "
        f"{list_calls} list calls with `requests` (all whole processes, {runs} runs alternated; CPU is user + "
        "system of the process, which other jobs on the machine do not inflate as they do wall time).",
        "",
        "| process | median s | min s | max s | CPU s (median) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, timed in processes.items():
        walls = [t.wall for t in timed]
        lines.append(
            f"| {name} | {median(walls):.3f} | {min(walls):.3f} | {max(walls):.3f} | "
            f"{median([t.cpu for t in timed]):.3f} |"
        )
    lines += [
        "",
        f"`okrboard sync` takes **{ratio(SYNC_NOW, LISTING, 'wall'):.2f}x** the list-only script's wall time "
        f"(goal <= 2x) and {ratio(SYNC_NOW, LISTING, 'cpu'):.2f}x its CPU time.",
    ]
    for name in processes:
        if name not in (SYNC_NOW, LISTING):
            lines.append(
                f"Against the {name.split(', ', 1)[1]}: {ratio(name, SYNC_NOW, 'wall'):.2f}x faster in wall time, "
                f"{ratio(name, SYNC_NOW, 'cpu'):.2f}x in CPU time; that source took "
                f"{ratio(name, LISTING, 'wall'):.2f}x the list-only script's wall time."
            )
    return lines


def whole_only(args) -> None:
    """Measure only the whole processes; write the section "sync-processes"."""
    emulator = EmulatorProcess(credits_per_minute=10**12)
    load = os.getloadavg()
    try:
        bench = Bench(emulator, args.items)
        processes = whole_processes(bench, args.runs, args.compare)
        bench.close()
    finally:
        emulator.close()
    load_after = os.getloadavg()
    command = f"{COMMAND} --whole-only --items {args.items} --runs {args.runs}"
    command += f" --compare {args.compare}" if args.compare else ""
    text = "\n".join(
        [
            f"## Quiet sync of a {args.items:,}-item board: whole processes",
            "",
            f"Command: `{command}` (emulator in a subprocess, no added latency; the board generated, tracked and "
            f"settled first). Load average (1, 5, 15 min) before: {' '.join(f'{x:.2f}' for x in load)}; after: "
            f"{' '.join(f'{x:.2f}' for x in load_after)} (2 shared cores).",
            "",
            *whole_process_lines(processes, args.runs, math.ceil(args.items / 50)),
        ]
    )
    publish("sync-processes", text, write=not args.no_write)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="quiet syncs measured (median reported)")
    parser.add_argument("--sizes", default="250,1000,4000,10000", help="board sizes of the growth table")
    parser.add_argument("--whole-only", action="store_true", help="measure only the whole processes")
    parser.add_argument("--compare", metavar="REV", help="also time `okrboard sync` from this git revision")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--case", choices=["all", "read-before-write"], default="all")
    args = parser.parse_args()
    if args.whole_only:
        whole_only(args)
        return
    if args.case == "read-before-write":
        publish("sync-read-before-write", read_before_write_case(args.items, args.runs), write=not args.no_write)
        return
    sizes = [int(size) for size in args.sizes.split(",") if size]
    emulator = EmulatorProcess(credits_per_minute=10**12)  # never waits for credits: the sync is measured
    load = os.getloadavg()[0]
    try:
        bench = Bench(emulator, args.items)
        settle = bench.settle
        quiet = [bench.measure() for _ in range(args.runs)]
        quiet_memory = bench.measure(memory=True)
        gc_runs: dict[str, list[Measure]] = {name: [] for name in GC_VARIANTS}
        for _ in range(args.runs):
            for name, variant in GC_VARIANTS.items():
                set_gc(variant)
                gc_runs[name].append(bench.measure())
        set_gc(SHIPPED_GC)
        processes = whole_processes(bench, args.runs, args.compare)
        bench.moves()
        moved = bench.measure()
        after_moves = bench.measure()
        ten_store_edits(bench.store, bench.cycle_id)
        edited = bench.measure()
        bench.moves()
        moved_memory = bench.measure(memory=True)
        bench.close()
        growth = []
        for size in sizes:
            sized = Bench(emulator, size)
            runs = [sized.measure() for _ in range(3)]
            memory = sized.measure(memory=True)
            sized.moves()
            moved_sized = sized.measure(memory=True)
            growth.append((size, runs, memory, moved_sized))
            sized.close()
    finally:
        emulator.close()
    load_after = os.getloadavg()[0]
    assert all(m.quiet and m.writes == 0 and m.list_calls == math.ceil(m.items / 50) for m in quiet), quiet
    assert moved.writes == 0 and moved.moves == 50 and after_moves.quiet, (moved, after_moves)
    assert edited.writes == edited.patches == 10, edited
    quiet_cpu = median([m.cpu for m in quiet])
    body = [
        f"## Sync of a {args.items:,}-item board",
        "",
        f"Command: `{COMMAND} --items {args.items} --runs {args.runs} --sizes {args.sizes}` (emulator in a "
        "subprocess, no added latency). The board: the standard 5 x 5 board with ideas in its matrices; CPU is the "
        "syncing thread's time (median), memory the peak of Python allocations during one more such sync, traced "
        f"with tracemalloc. Machine load average (1 min) before and after: {load:.2f} and {load_after:.2f} (shared "
        "machine: other jobs may run; wall times suffer most).",
        "",
        "| sync | items | list calls | reads | writes | requests served | credits | CPU s | peak MiB | wall s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        row("first after generation (journals every base)", [settle]),
        row(f"nothing changed ({args.runs} runs)", quiet, quiet_memory),
        row("after 50 moves (25 cards, 25 ideas)", [moved], moved_memory),
        row("next one (our writes never come back)", [after_moves]),
        row("after 10 store edits (`kr update`)", [edited]),
        "",
        f"A quiet sync makes exactly ceil({args.items} / 50) = {math.ceil(args.items / 50)} list calls and writes "
        f"nothing; its CPU is **{quiet_cpu * 1000:.0f} ms** (goal <= 50 ms). After 50 moves the sync applies "
        f"{moved.moves} moves to the store with {moved.writes} writes (moves change the store, not the board). After "
        "10 store edits it writes exactly the 10 cards.",
        "",
        "### Sync: whole processes",
        "",
        *whole_process_lines(processes, args.runs, quiet[0].list_calls),
        "",
        "### Sync: garbage collection",
        "",
        f"The quiet sync of the same board with each way of tuning the collector during the sync "
        f"(`addon/services/gc_burst.py`), {args.runs} runs each, alternated run by run.",
        "",
        "| collector during the sync | CPU s (median) | vs interpreter default |",
        "| --- | ---: | ---: |",
    ]
    default_cpu = median([m.cpu for m in gc_runs["interpreter default"]])
    for name, runs in gc_runs.items():
        cpu = median([m.cpu for m in runs])
        body.append(f"| {name} | {cpu:.4f} | {cpu / default_cpu:.2f}x |")
    body += [
        "",
        "### Sync: growth from 250 to 10,000 items",
        "",
        "Each size is a new board (generated, tracked, settled); quiet: median CPU of 3 syncs and the peak of one "
        "more, traced; after 50 moves: one traced sync (CPU under tracing is slower, so compare CPU in the quiet "
        "columns).",
        "",
        "| items | list calls | quiet CPU s | quiet CPU per 1,000 items | quiet peak MiB | after 50 moves: peak MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, runs, memory, moved_sized in growth:
        cpu = median([m.cpu for m in runs])
        body.append(
            f"| {size:,} | {runs[0].list_calls} | {cpu:.4f} | {cpu / size * 1000:.4f} | {memory.peak_mib:.1f} | "
            f"{moved_sized.peak_mib:.1f} |"
        )
    text = "\n".join(body)
    publish("sync", text, write=not args.no_write)


if __name__ == "__main__":
    main()
