"""Benchmark sync on a 1,000-item board against the emulator.

    .venv/bin/python bench/sync.py [--items 1000] [--runs 5] [--no-write]

The emulator runs in a subprocess, so the CPU time and peak memory measured here are the sync's own (thread
CPU time of the syncing thread; tracemalloc's peak of Python allocations during the sync). The board is the
standard board (bench/standard-plan.yaml: 5 objectives x 5 key results) with ideas in the matrices up to
`--items` items. After one settling sync (the first sync after generation journals every merge base), it
measures:
- a sync with nothing changed: the pagination minimum of list calls, ceil(items / 50), and 0 writes;
- a sync after 50 moves on the board (25 key-result cards to other Kanban columns, 25 idea stickies within
  their matrices): the same list calls, and writes only where the board must be written back (none: moves
  change the store, not the board);
- a sync after 10 values changed in the store (`kr update`): exactly 10 card PATCHes.
API calls are counted by the client and checked against the emulator's own counters. Results go to
docs/benchmarks.md (section "sync").
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import median, write_section  # noqa: E402 - bench/ is not a package

from addon.adapters.board_layouts import load_layout  # noqa: E402
from addon.adapters.miro_gateway import MiroGateway  # noqa: E402
from addon.adapters.plan_file import load_plan  # noqa: E402
from addon.adapters.store import Store  # noqa: E402
from addon.domain.board.layout import plan_board, position_for_scores  # noqa: E402
from addon.domain.method.model import Idea  # noqa: E402
from addon.services.generation.generator import BoardGenerator  # noqa: E402
from addon.services.kr_update import update_key_result  # noqa: E402
from addon.services.sync_board import sync_cycle  # noqa: E402
from addon.services.track import start_tracking  # noqa: E402
from miro_client import MiroClient  # noqa: E402

PLAN = Path(__file__).resolve().parent / "standard-plan.yaml"
TOKEN = "bench-token"
TENANT = "bench"
COMMAND = ".venv/bin/python bench/sync.py"


class Emulator:
    """The emulator in a subprocess, with a credit budget the benchmark cannot exhaust."""

    def __init__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "miro_emulator",
                "--port",
                "0",
                "--token",
                TOKEN,
                "--credits-per-minute",
                str(10**12),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stdout:
            found = re.search(r"serving on (\S+)", line)
            if found:
                self.base_url = found.group(1)
                break
        else:
            raise RuntimeError("the emulator did not start")

    def stats(self) -> dict:
        """Return /_emulator/stats."""
        return requests.get(f"{self.base_url}/_emulator/stats", timeout=10).json()

    def close(self) -> None:
        """Stop the subprocess."""
        self.process.terminate()
        self.process.wait(timeout=10)


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


def cycle_with_items(target_items: int):
    """Return the standard cycle with ideas spread over its key results so that its board has `target_items`."""
    cycle = load_plan(PLAN).cycle
    template = load_layout()
    base = len(plan_board(cycle, template).items)
    krs = [kr for objective in cycle.objectives for kr in objective.key_results]
    for n in range(max(0, target_items - base)):
        kr = krs[n % len(krs)]
        index = len(kr.ideas)
        kr.ideas.append(
            Idea(f"Idea {index + 1} for {kr.title}", impact=1 + (index * 37) % 9, effort=1 + (index * 53) % 9)
        )
    assert len(plan_board(cycle, template).items) == target_items, "the layout changed: adjust the idea count"
    return cycle


def measure(store: Store, cycle_id: int, gateway: MiroGateway, emulator: Emulator, *, memory: bool = False) -> Measure:
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


def ten_store_edits(store: Store, cycle_id: int) -> None:
    """Change the current value of ten key results in the store."""
    with store.unit(TENANT) as uow:
        refs = list(uow.cycles.get(cycle_id).key_results_by_ref())[:10]
    for n, ref in enumerate(refs):
        update_key_result(store, TENANT, str(cycle_id), ref, current=str(n + 1))


def row(name: str, runs: list[Measure], memory: Measure | None = None) -> str:
    first = runs[0]
    peak = f"{memory.peak_mib:.1f}" if memory else "-"
    return (
        f"| {name} | {first.items} | {first.list_calls} (min {math.ceil(first.items / 50)}) | {first.reads} | "
        f"{first.writes} | {first.emulator_requests} | {first.credits:,} | {median([m.cpu for m in runs]):.3f} | "
        f"{peak} | {median([m.wall for m in runs]):.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="quiet syncs measured (median reported)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    emulator = Emulator()
    folder = tempfile.mkdtemp(prefix="okrboard-bench-sync-")
    store = Store.open(f"sqlite:///{folder}/bench.sqlite3")
    client = MiroClient(TOKEN, base_url=emulator.base_url)
    gateway = MiroGateway(client)
    try:
        with store.unit(TENANT) as uow:
            cycle = uow.cycles.add(cycle_with_items(args.items))
        summary = BoardGenerator(store, TENANT, gateway).run(str(cycle.id))
        start_tracking(store, TENANT, str(cycle.id), gateway)
        settle = measure(store, cycle.id, gateway, emulator)
        quiet = [measure(store, cycle.id, gateway, emulator) for _ in range(args.runs)]
        quiet_memory = measure(store, cycle.id, gateway, emulator, memory=True)
        team = MiroClient(TOKEN, base_url=emulator.base_url)
        fifty_moves(team, store, cycle.id, summary.board_id)
        moved = measure(store, cycle.id, gateway, emulator)
        after_moves = measure(store, cycle.id, gateway, emulator)
        ten_store_edits(store, cycle.id)
        edited = measure(store, cycle.id, gateway, emulator)
        fifty_moves(team, store, cycle.id, summary.board_id)
        moved_memory = measure(store, cycle.id, gateway, emulator, memory=True)
    finally:
        emulator.close()
        store.close()
    assert all(m.quiet and m.writes == 0 and m.list_calls == math.ceil(m.items / 50) for m in quiet), quiet
    assert moved.writes == 0 and moved.moves == 50 and after_moves.quiet, (moved, after_moves)
    assert edited.writes == edited.patches == 10, edited
    body = "\n".join(
        [
            "## Sync of a 1,000-item board",
            "",
            f"Command: `{COMMAND} --items {args.items} --runs {args.runs}` (emulator in a subprocess, no added "
            "latency). The board: the standard 5 x 5 board with ideas in its matrices; CPU is the syncing thread's "
            "time (median), memory the peak of Python allocations during one more such sync, traced with tracemalloc.",
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
            f"nothing. After 50 moves the sync applies {moved.moves} moves to the store with {moved.writes} writes "
            "(moves change the store, not the board). After 10 store edits it writes exactly the 10 cards.",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("sync", body)


if __name__ == "__main__":
    main()
