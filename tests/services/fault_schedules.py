"""Seeded fault schedules for board generation, and the check that a board holds exactly its plan.

A schedule is a seed: it draws the fault rates (5xx, timeout, 429, lost) and the concurrency, and the emulator
decides the fate of the Nth request of each route from (seed, route, N). With concurrency 1 the generator sends
the same requests in the same order, so a schedule fails the same requests on every run; with concurrency 4 the
same numbers of each route fail, but threads may reorder which request gets which number. Also a real kill of
`okrboard generate` in a subprocess. Shared by tests/services/test_generation_faults.py, test_generation_kill.py
and bench/faults.py, which import it as `tests.services.fault_schedules`.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from addon.adapters.board_journal import CREATED
from addon.adapters.board_layouts import load_layout
from addon.adapters.miro_gateway import MiroGateway
from addon.adapters.plan_file import load_plan
from addon.adapters.store import Store
from addon.domain.board.layout import BoardPlan, plan_board
from addon.domain.board.rollup import with_rollup
from addon.domain.method.rules import check_cycle
from addon.services.generation.generator import BoardGenerator, GenerationError
from miro_client import MiroClient, RetryPolicy
from miro_emulator.config import EmulatorConfig
from miro_emulator.faults import FaultSpec
from miro_emulator.geometry import absolute
from miro_emulator.testing import EmulatorServer

STANDARD_PLAN = Path(__file__).resolve().parents[2] / "bench" / "standard-plan.yaml"
MAX_RUNS = 5  # a run that gives up is resumed by running generation again, as a user would
# The emulator holds a `timeout` request this long, then drops the connection; the client's read timeout is
# longer, so it sees the drop (outcome unknown) and never abandons a request the emulator may still apply.
EMULATOR_TIMEOUT_SECONDS = 0.05
CLIENT_TIMEOUT = (2.0, 10.0)


@dataclass(frozen=True)
class Schedule:
    """Fault rates, scripted faults and concurrency drawn from a seed."""

    seed: int
    rates: dict[str, float]
    concurrency: int
    script: tuple[tuple[int, str], ...] = ()  # (nth request, kind), e.g. the board's creation answer lost

    @classmethod
    def from_seed(cls, seed: int) -> Schedule:
        """Draw a schedule: every kind present, 8% to 40% of requests failing in all; one in four also loses
        the answer to the board's creation (the first request), so the board must be found by its marker."""
        rng = random.Random(f"generation-faults:{seed}")
        total = rng.uniform(0.08, 0.40)
        weights = {kind: rng.uniform(0.2, 1.0) for kind in ("5xx", "timeout", "429", "lost")}
        rates = {kind: round(total * weight / sum(weights.values()), 3) for kind, weight in weights.items()}
        script = ((1, "lost"),) if seed % 4 == 3 else ()
        return cls(seed, rates, 1 if seed % 2 == 0 else 4, script)

    def emulator_settings(self) -> dict:
        """The body of PUT /_emulator/faults that installs this schedule."""
        return {
            "rates": self.rates,
            "seed": self.seed,
            "timeout_seconds": EMULATOR_TIMEOUT_SECONDS,
            "script": [{"nth": nth, "kind": kind} for nth, kind in self.script],
        }


@dataclass
class Comparison:
    """How a board differs from its plan, by item signature (type, parent frame, centre, text)."""

    duplicates: int
    missing: int
    unexpected: int
    planned: Counter
    on_board: Counter

    @property
    def exact(self) -> bool:
        """True when the board holds exactly the planned items."""
        return self.duplicates == self.missing == self.unexpected == 0


@dataclass
class ScheduleResult:
    """What one schedule did and how the board ended."""

    schedule: Schedule
    runs: int
    comparison: Comparison | None
    boards: int
    journal_problems: list[str]
    requests: int
    faults: dict
    seconds: float
    errors: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        """True when the board holds exactly the plan, the journal agrees, and no other board was left."""
        return self.comparison is not None and self.comparison.exact and self.boards == 1 and not self.journal_problems


def _text(data: dict) -> str:
    return str(data.get("title") or data.get("content") or "")


def plan_signatures(plan: BoardPlan) -> Counter:
    """Count the plan's items by (type, parent frame centre, rounded absolute centre, text)."""
    frames = {item.key: (round(item.x), round(item.y)) for item in plan.items if item.parent_key is None}
    return Counter(
        (item.type, frames.get(item.parent_key), round(item.x), round(item.y), _text(item.data)) for item in plan.items
    )


def board_signatures(board) -> Counter:
    """Count an emulator board's items the same way, from its state (not through the faulty API)."""
    signatures = Counter()
    for item in board.items.values():
        x, y = absolute(board, item)
        frame = board.items.get(item.parent_id) if item.parent_id else None
        parent = (round(frame.x), round(frame.y)) if frame is not None else None
        signatures[(item.type, parent, round(x), round(y), _text(item.data))] += 1
    return signatures


def compare(plan: BoardPlan, board) -> Comparison:
    """Compare a board with its plan."""
    planned, on_board = plan_signatures(plan), board_signatures(board)
    extra = on_board - planned
    duplicates = sum(count for signature, count in extra.items() if signature in planned)
    return Comparison(
        duplicates=duplicates,
        missing=sum((planned - on_board).values()),
        unexpected=sum(extra.values()) - duplicates,
        planned=planned,
        on_board=on_board,
    )


def journal_problems(store: Store, tenant: str, cycle_id: int, board) -> list[str]:
    """Check the journal: every item created, with a distinct Miro id of an item of the right type."""
    with store.unit(tenant) as uow:
        row = uow.boards.latest_board(cycle_id)
        entries = uow.boards.entries(row.id) if row is not None else {}
    problems = [f"{key} is {entry.state}" for key, entry in entries.items() if entry.state != CREATED]
    ids = Counter(entry.miro_item_id for entry in entries.values())
    problems += [f"{miro_id} journaled {count} times" for miro_id, count in ids.items() if count > 1]
    problems += [
        f"{entry.key} points at {entry.miro_item_id}, not on the board"
        for entry in entries.values()
        if entry.miro_item_id not in board.items
    ]
    return problems


def standard_plan(cycle) -> BoardPlan:
    """Plan the standard board as the generator does (a company cycle: with its roll-up frame, no team cycles)."""
    return with_rollup(plan_board(cycle, load_layout(), findings=check_cycle(cycle)), cycle, [], load_layout(), "en")


def set_faults(miro, schedule: Schedule) -> None:
    """Clear the emulator (boards, counters, credits) and install a schedule's faults."""
    requests.post(f"{miro.base_url}/_emulator/reset", params={"state": "1"}, timeout=10).raise_for_status()
    requests.put(f"{miro.base_url}/_emulator/faults", json=schedule.emulator_settings(), timeout=10).raise_for_status()


def emulator_stats(miro) -> dict:
    """Return the emulator's /_emulator/stats."""
    return requests.get(f"{miro.base_url}/_emulator/stats", timeout=10).json()


def run_schedule(miro, store: Store, schedule: Schedule, tenant: str = "faults") -> ScheduleResult:
    """Import the standard plan as a new cycle, generate its board under the schedule's faults (resuming until it
    completes, at most MAX_RUNS runs), then compare the emulator's board with the plan."""
    with store.unit(tenant) as uow:
        cycle = uow.cycles.add(load_plan(STANDARD_PLAN).cycle)
    set_faults(miro, schedule)
    started = time.perf_counter()
    runs, errors, board_id = 0, [], None
    while runs < MAX_RUNS:
        runs += 1
        client = MiroClient(
            miro.token,
            base_url=miro.base_url,
            sleep=lambda _seconds: None,
            max_workers=schedule.concurrency,
            timeout=CLIENT_TIMEOUT,
            retry=RetryPolicy(max_retries=3),
        )
        gateway = MiroGateway(client, concurrency=schedule.concurrency)
        try:
            board_id = BoardGenerator(store, tenant, gateway).run(str(cycle.id)).board_id
            break
        except GenerationError as error:
            errors.append(str(error))
        finally:
            client.close()
    seconds = time.perf_counter() - started
    stats = emulator_stats(miro)
    board = miro.state.boards.get(board_id) if board_id else None
    return ScheduleResult(
        schedule=schedule,
        runs=runs,
        comparison=compare(standard_plan(cycle), board) if board else None,
        boards=len(miro.state.boards),
        journal_problems=journal_problems(store, tenant, cycle.id, board) if board else ["no board"],
        requests=stats["total_requests"],
        faults=stats["faults_injected"],
        seconds=seconds,
        errors=errors,
    )


def describe(result: ScheduleResult) -> str:
    """One line on a schedule's result, for failures and reports."""
    comparison = result.comparison
    board = (
        f"{comparison.duplicates} duplicates, {comparison.missing} missing, {comparison.unexpected} unexpected"
        if comparison
        else "no board"
    )
    schedule = result.schedule
    return (
        f"seed {schedule.seed} (rates {schedule.rates}, script {schedule.script}, concurrency "
        f"{schedule.concurrency}):"
        f" {board}, {result.boards} boards, {result.runs} runs, {result.requests} requests, faults "
        f"{result.faults}, journal problems {result.journal_problems[:3]}, errors {result.errors[:2]}"
    )


# -- a real kill of `okrboard generate` -----------------------------------------------------------------------

CLI = [sys.executable, "-c", "from addon.cli import main; main()"]
KILL_TENANT = "local"
KILL_LATENCY_MS = 5


class KillSwitch:
    """Stands in for the emulator's latency sleep: SIGKILLs `process` when the `nth` API request arrives.

    The request that trips it is still carried out after the client died: its answer is lost with the process.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.count = 0
        self.nth: int | None = None
        self.process: subprocess.Popen | None = None
        self.fired = False

    def arm(self, nth: int, process: subprocess.Popen) -> None:
        """Kill `process` at the `nth` API request from now."""
        with self.lock:
            self.count, self.nth, self.process, self.fired = 0, nth, process, False

    def __call__(self, seconds: float) -> None:
        with self.lock:
            self.count += 1
            fire = self.process is not None and self.count == self.nth and not self.fired
            self.fired = self.fired or fire
        if fire:
            os.kill(self.process.pid, signal.SIGKILL)
        time.sleep(seconds)


@dataclass
class KillResult:
    """What a killed generation left, and how the board ended after running generation again."""

    kill_at: int
    killed: bool
    returncode: int
    boards_after_kill: int
    items_after_kill: int
    planned: int
    resumed_runs: int
    adopted: int
    comparison: Comparison | None
    boards: int
    journal_problems: list[str]
    output: str

    @property
    def exact(self) -> bool:
        """True when the resumed board holds exactly the plan and no other board was left."""
        return self.comparison is not None and self.comparison.exact and self.boards == 1 and not self.journal_problems


def cli_env(miro, database_url: str, instance: Path) -> dict[str, str]:
    """The environment of `okrboard`: this emulator, this database, nothing from the machine's settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("OKRBOARD_", "MIRO_")) and name != "REDIS_URL"
    }
    env.update(
        MIRO_API_URL=miro.base_url,
        MIRO_ACCESS_TOKEN=miro.token,
        OKRBOARD_DATABASE_URL=database_url,
        OKRBOARD_INSTANCE_PATH=str(instance),
        OKRBOARD_TENANT=KILL_TENANT,
    )
    return env


def wait_until_quiet(miro, settle: float = 0.2, limit: float = 10.0) -> None:
    """Wait until the emulator has taken no new request for `settle` seconds (the killed run's last ones)."""
    deadline, last, since = time.monotonic() + limit, None, time.monotonic()
    while time.monotonic() < deadline:
        count = sum(miro.emulator.requests.values())
        if count != last:
            last, since = count, time.monotonic()
        elif time.monotonic() - since >= settle:
            return
        time.sleep(0.02)


def run_kill(folder: Path, kill_at: int, schedule: Schedule | None = None) -> KillResult:
    """Run `okrboard generate` on the standard cycle, SIGKILL it at the `kill_at`th API request, then run it
    again (up to MAX_RUNS times, under the schedule's faults if any) and compare the board with the plan."""
    switch = KillSwitch()
    faults = {"faults": FaultSpec(dict(schedule.rates)), "seed": schedule.seed} if schedule else {}
    config = EmulatorConfig(
        latency_ms=KILL_LATENCY_MS,
        sleep=switch,
        timeout_seconds=EMULATOR_TIMEOUT_SECONDS,
        credits_per_minute=10_000_000,
        **faults,
    )
    with EmulatorServer(config) as miro:
        database_url = f"sqlite:///{folder / 'okrboard.sqlite3'}"
        store = Store.open(database_url)
        try:
            with store.unit(KILL_TENANT) as uow:
                cycle = uow.cycles.add(load_plan(STANDARD_PLAN).cycle)
            env = cli_env(miro, database_url, folder / "instance")
            command = [*CLI, "generate", str(cycle.id)]
            first = subprocess.Popen(
                command, env=env, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            switch.arm(kill_at, first)
            output, _ = first.communicate(timeout=300)
            wait_until_quiet(miro)
            boards_after_kill = len(miro.state.boards)
            items_after_kill = sum(len(board.items) for board in miro.state.boards.values())
            runs, adopted = 0, 0
            while runs < MAX_RUNS:
                runs += 1
                resumed = subprocess.run(command, env=env, cwd=folder, capture_output=True, text=True, timeout=300)
                output += resumed.stdout + resumed.stderr
                counts = re.search(r"(\d+) recovered after lost answers", resumed.stdout)
                adopted += int(counts.group(1)) if counts else 0
                if resumed.returncode == 0:
                    break
            with store.unit(KILL_TENANT) as uow:
                row = uow.boards.latest_board(cycle.id)
            board = miro.state.boards.get(row.miro_board_id) if row is not None else None
            plan = standard_plan(cycle)
            return KillResult(
                kill_at=kill_at,
                killed=switch.fired,
                returncode=first.returncode,
                boards_after_kill=boards_after_kill,
                items_after_kill=items_after_kill,
                planned=len(plan.items),
                resumed_runs=runs,
                adopted=adopted,
                comparison=compare(plan, board) if board else None,
                boards=len(miro.state.boards),
                journal_problems=journal_problems(store, KILL_TENANT, cycle.id, board) if board else ["no board"],
                output=output,
            )
        finally:
            store.close()
