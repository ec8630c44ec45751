"""Generation under faults (5xx, timeouts, 429, lost answers): the board ends with exactly its plan.

OKRBOARD_FAULT_SCHEDULES sets how many seeded schedules run (default 20, well under a minute);
`python bench/faults.py --schedules 200` runs the full set and records it in docs/benchmarks.md. The scripted
tests below pin the cases the random schedules hit rarely.
"""

import os
from pathlib import Path

import pytest
import requests

from addon.adapters.plan_file import load_plan
from addon.domain.method.model import Idea
from addon.services.generation.generator import BoardGenerator, GenerationError
from miro_client import BadRequest, MiroCreateOutcomeUnknown, MiroError
from miro_emulator.config import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.services import fault_schedules as schedules

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCHEDULES = int(os.environ.get("OKRBOARD_FAULT_SCHEDULES", "20"))
BULK = "POST /v2/boards/{board_id}/items/bulk"
LIST_ITEMS = "GET /v2/boards/{board_id}/items"


@pytest.fixture(scope="module")
def shared_miro():
    """One emulator for the schedules (reset by each), with room for many generations a minute."""
    with EmulatorServer(EmulatorConfig(credits_per_minute=10_000_000)) as server:
        yield server


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    """One SQLite store for the schedules; each imports the plan as a new cycle."""
    from addon.adapters.store import Store

    opened = Store.open(f"sqlite:///{tmp_path_factory.mktemp('faults') / 'store.sqlite3'}")
    yield opened
    opened.close()


def script_faults(miro, *faults: tuple[int, str, str | None]) -> None:
    """Fail chosen requests: (nth among requests of the route, kind, "METHOD /route" or None for any)."""
    script = [{"nth": nth, "kind": kind, "match": match} for nth, kind, match in faults]
    requests.put(
        f"{miro.base_url}/_emulator/faults", json={"script": script, "timeout_seconds": 0.05}, timeout=10
    ).raise_for_status()


def imported(store, cycle, tenant="t1"):
    with store.unit(tenant) as uow:
        return uow.cycles.add(cycle)


def assert_exactly_the_plan(store, miro, cycle, board_id, tenant="t1"):
    board = miro.state.boards[board_id]
    comparison = schedules.compare(schedules.standard_plan(cycle), board)
    assert (comparison.duplicates, comparison.missing, comparison.unexpected) == (0, 0, 0)
    assert schedules.journal_problems(store, tenant, cycle.id, board) == []


def test_the_standard_board_without_faults_is_exactly_the_plan(shared_miro, shared_store):
    result = schedules.run_schedule(shared_miro, shared_store, schedules.Schedule(seed=-1, rates={}, concurrency=4))
    assert result.exact, schedules.describe(result)
    assert result.runs == 1 and not result.faults


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(SCHEDULES))
def test_generation_under_a_fault_schedule_ends_with_exactly_the_plan(shared_miro, shared_store, seed):
    result = schedules.run_schedule(shared_miro, shared_store, schedules.Schedule.from_seed(seed))
    assert result.exact, schedules.describe(result)
    assert sum(result.faults.values()) > 0, "the schedule injected no fault"


def test_items_planned_on_one_spot_are_adopted_once_each(sqlite_store, gateway, miro):
    cycle = load_plan(EXAMPLES / "company-q1.yaml").cycle
    cycle.objectives[0].key_results[0].ideas = [Idea("Webinar", 7, 3), Idea("Meetup", 7, 3)]  # one spot
    cycle = imported(sqlite_store, cycle)
    real_bulk = gateway.create_bulk

    def created_but_answer_lost(board_id, bodies):
        real_bulk(board_id, bodies)
        raise MiroCreateOutcomeUnknown(method="POST", path="/bulk", body=bodies, cause=MiroError("lost"))

    gateway.create_bulk = created_but_answer_lost  # every answer lost: the next round must adopt them all
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    assert summary.adopted == summary.planned - summary.usage["operations"]["create-frame-item"]["requests"]
    assert_exactly_the_plan(sqlite_store, miro, cycle, summary.board_id)


def test_a_lost_answer_to_the_board_creation_finds_the_board_even_with_a_long_name(sqlite_store, gateway, miro):
    cycle = load_plan(EXAMPLES / "company-q1.yaml").cycle
    cycle.name = "GTM " + "very long cycle name " * 9  # the description is cut at 300 characters
    tenant = "3458764500000000011-" + "t" * 30
    cycle = imported(sqlite_store, cycle, tenant)
    script_faults(miro, (1, "lost", "POST /v2/boards"))
    summary = BoardGenerator(sqlite_store, tenant, gateway).run(str(cycle.id))
    assert len(miro.state.boards) == 1
    assert_exactly_the_plan(sqlite_store, miro, cycle, summary.board_id, tenant)


def test_a_board_listing_that_fails_holds_maybe_created_items_and_generation_completes(sqlite_store, gateway, miro):
    cycle = imported(sqlite_store, load_plan(EXAMPLES / "company-q1.yaml").cycle)
    # The first bulk answer is lost; the listing to adopt its items then fails beyond the client's retries.
    script_faults(miro, (1, "lost", BULK), *[(n, "5xx", LIST_ITEMS) for n in range(1, 5)])
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    assert summary.adopted == 20 and summary.rounds == 3
    assert_exactly_the_plan(sqlite_store, miro, cycle, summary.board_id)


def test_a_refusal_lets_requests_in_flight_finish_and_records_them(sqlite_store, gateway, miro):
    cycle = imported(sqlite_store, load_plan(EXAMPLES / "company-q1.yaml").cycle)
    real_create = gateway.client.create_frame

    def refuse_the_retro_frame(board_id, **fields):
        if "Retro" in fields["data"].get("title", ""):
            raise BadRequest(400, "invalidParameters", "bad frame")
        return real_create(board_id, **fields)

    gateway.client.create_frame = refuse_the_retro_frame
    with pytest.raises(GenerationError, match="Miro refused"):
        BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    gateway.client.create_frame = real_create
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    assert summary.adopted == 0  # nothing Miro confirmed was left unrecorded by the refused run
    assert_exactly_the_plan(sqlite_store, miro, cycle, summary.board_id)


def test_children_go_out_while_frames_are_still_being_created(sqlite_store, gateway, miro):
    cycle = imported(sqlite_store, load_plan(schedules.STANDARD_PLAN).cycle)
    calls = []
    real_create, real_bulk = gateway.create_one, gateway.create_bulk
    gateway.create_one = lambda board_id, body: calls.append("frame") or real_create(board_id, body)
    gateway.create_bulk = lambda board_id, bodies: calls.append("bulk") or real_bulk(board_id, bodies)
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    assert calls.index("bulk") < len(calls) - 1 - calls[::-1].index("frame")
    assert summary.rounds == 1 and "get-board-members" not in summary.usage["operations"]  # a new board
    assert_exactly_the_plan(sqlite_store, miro, cycle, summary.board_id)


def test_adoption_tolerates_float_noise_in_listed_positions(sqlite_store, gateway, miro):
    cycle = imported(sqlite_store, load_plan(EXAMPLES / "company-q1.yaml").cycle)
    real_bulk, real_list = gateway.create_bulk, gateway.client.iter_items

    def created_but_answer_lost(board_id, bodies):
        real_bulk(board_id, bodies)
        raise MiroCreateOutcomeUnknown(method="POST", path="/bulk", body=bodies, cause=MiroError("lost"))

    def noisy_listing(board_id, **kwargs):
        # Miro's floats need not be the ones sent, e.g. 12.5 coming back as 12.5000001 (rounds to 13, not 12).
        for item in real_list(board_id, **kwargs):
            position = item["position"]
            yield {**item, "position": {**position, "x": position["x"] + 0.4, "y": position["y"] - 0.4}}

    gateway.create_bulk, gateway.client.iter_items = created_but_answer_lost, noisy_listing
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    assert summary.adopted == summary.planned - summary.usage["operations"]["create-frame-item"]["requests"]
    assert_exactly_the_plan(sqlite_store, miro, cycle, summary.board_id)
