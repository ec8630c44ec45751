"""Board generation on the emulator: every planned item exactly once, resumable, and fast in calls."""

from collections import Counter
from pathlib import Path

import pytest

from addon.adapters.board_layouts import load_layout
from addon.adapters.plan_file import load_plan
from addon.domain.board.layout import plan_board
from addon.domain.board.rollup import with_rollup
from addon.domain.method.model import Cycle
from addon.services.generation.generator import BoardGenerator, GenerationError

EXAMPLES = Path(__file__).parent.parent.parent / "examples"


class Crash(BaseException):
    """Stands for the process being killed: nothing after it runs, nothing is cleaned up."""


def imported(store, name="company-q1.yaml", tenant="t1") -> Cycle:
    with store.unit(tenant) as uow:
        return uow.cycles.add(load_plan(EXAMPLES / name).cycle)


def board_items(miro, board_id):
    return [item for item in miro.state.boards[board_id].items.values()]


def planned(cycle):
    """The plan as the generator makes it (a company cycle's has its roll-up frame; no team cycles here)."""
    return with_rollup(plan_board(cycle, load_layout()), cycle, [], load_layout(), "en")


def test_generation_creates_exactly_the_planned_items(sqlite_store, gateway, miro):
    cycle = imported(sqlite_store)
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    plan = planned(cycle)
    assert summary.created == summary.planned == len(plan.items)
    on_board = Counter(item.type for item in board_items(miro, summary.board_id))
    assert on_board == Counter(item.type for item in plan.items)


def test_running_generation_again_creates_nothing(sqlite_store, gateway):
    cycle = imported(sqlite_store)
    first = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    again = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    assert again.board_id == first.board_id
    assert again.created == 0 and again.already_there == first.planned


def test_generation_uses_bulk_calls_for_children(sqlite_store, gateway):
    cycle = imported(sqlite_store)
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    operations = summary.usage["operations"]
    children = summary.planned - operations["create-frame-item"]["requests"]
    assert operations["create-items"]["requests"] == -(-children // 20)


def test_a_crash_mid_generation_resumes_without_duplicates(sqlite_store, gateway, miro):
    cycle = imported(sqlite_store)
    calls = {"n": 0}
    real_bulk = gateway.create_bulk

    def crashing_bulk(board_id, bodies):
        calls["n"] += 1
        real_bulk(board_id, bodies)  # Miro created them, then the process dies before recording
        raise Crash()

    gateway.create_bulk = crashing_bulk
    with pytest.raises(Crash):
        BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    gateway.create_bulk = real_bulk
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    assert summary.adopted > 0
    items = board_items(miro, summary.board_id)
    assert len(items) == summary.planned
    assert Counter(item.type for item in items) == Counter(item.type for item in planned(cycle).items)


def test_a_refused_item_stops_with_a_clear_error_and_the_journal_resumes(sqlite_store, gateway, monkeypatch):
    cycle = imported(sqlite_store)
    from miro_client import BadRequest

    def refuse(board_id, bodies):
        raise BadRequest(400, "invalidParameters", "bad sticky")

    monkeypatch.setattr(gateway, "create_bulk", refuse)
    with pytest.raises(GenerationError, match="Miro refused"):
        BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    monkeypatch.undo()
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    assert summary.created + summary.adopted + summary.already_there == summary.planned


def test_new_board_option_creates_a_second_board(sqlite_store, gateway):
    cycle = imported(sqlite_store)
    first = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    second = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id), board="new")
    assert second.board_id != first.board_id and second.created == second.planned


def test_workshop_mode_puts_placeholders_on_a_blank_cycle(sqlite_store, gateway, miro):
    cycle = imported(sqlite_store)
    with sqlite_store.unit("t1") as uow:
        blank = uow.cycles.get(cycle.id)
        blank.objectives = []
        uow.cycles.save(blank)
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    cards = [i for i in board_items(miro, summary.board_id) if i.type == "card"]
    assert len(cards) == 3 * 3 + 3  # three placeholder objectives with three placeholder key results each


def test_cards_are_assigned_to_the_member_named_by_their_owner(sqlite_store, gateway, miro):
    cycle = imported(sqlite_store)
    summary = BoardGenerator(sqlite_store, "t1", gateway).run(str(cycle.id))
    with sqlite_store.unit("t1") as uow:
        entries = uow.boards.entries(uow.boards.latest_board(cycle.id).id)
    board = miro.state.boards[summary.board_id]
    ana = miro.state.find_user("Ana")
    owned_by_ana = board.items[entries["card:KR3.3"].miro_item_id]  # owner "Ana": the board's creator
    owned_by_ben = board.items[entries["card:KR1.1"].miro_item_id]  # Ben is not a member of a new board
    assert owned_by_ana.data.get("assigneeId") == ana.id
    assert "assigneeId" not in owned_by_ben.data


def test_a_board_over_the_minute_budget_says_so_up_front_and_while_waiting(sqlite_store):
    from addon.adapters.miro_gateway import MiroGateway
    from miro_client import MiroClient
    from miro_emulator.config import EmulatorConfig
    from miro_emulator.testing import EmulatorServer
    from tests.miro_client.miro_testkit import SharedClock

    cycle = imported(sqlite_store)
    clock, told = SharedClock(), []
    with EmulatorServer(EmulatorConfig(credits_per_minute=10_000, clock=clock.time)) as emulator:
        client = MiroClient(emulator.token, base_url=emulator.base_url, clock=clock.time, sleep=clock.sleep)
        summary = BoardGenerator(sqlite_store, "t1", MiroGateway(client), on_wait=told.append).run(str(cycle.id))
        on_board = Counter(item.type for item in board_items(emulator, summary.board_id))
    plan = planned(cycle)
    needed = 100 * len(plan.items)
    windows = -(-(needed + 500) // 10_000)  # the board's creation (500) comes first
    assert told[0].startswith(f"This board needs about {needed:,} credits and Miro allows 10,000 a minute")
    assert "9,500 left now): expect about" in told[0]
    waits = told[1:]
    assert len(waits) == windows - 1 and all("waiting" in message for message in waits)
    assert summary.usage["retries"] == 0  # the budget was waited for, never overspent into 429s
    assert 0 < summary.usage["waited_seconds"] <= 60 * (windows - 1)
    assert on_board == Counter(item.type for item in plan.items)
