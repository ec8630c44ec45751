"""The quiet sync: a board and a store unchanged since the last sync cost the listing and nothing else."""

import re

import pytest
from sqlalchemy import event

from addon.domain.board.items import ListedItem
from addon.domain.board.journal import JournalEntry
from addon.domain.sync.decide import board_as_journaled
from addon.services.kr_update import update_key_result
from addon.services.sync_board import sync_cycle
from tests.services.sync_kit import TENANT, Team, generated_board

WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)
READ_TABLES = re.compile(r"\bFROM (objectives|key_results|ideas)\b", re.IGNORECASE)


@pytest.fixture
def settled(sqlite_store, gateway):
    board = generated_board(sqlite_store, gateway)
    sync_cycle(sqlite_store, TENANT, str(board.cycle_id), gateway)  # journals every merge base
    return board


class Statements:
    """The SQL a store runs while the block runs."""

    def __init__(self, store):
        self.engine, self.seen = store.engine, []

    def _record(self, _conn, _cursor, statement, *_):
        self.seen.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def written_tables(self) -> set[str]:
        return {found.group(1).lower() for s in self.seen if (found := WRITE.match(s))}

    def read_the_cycle(self) -> bool:
        return any(READ_TABLES.search(s) for s in self.seen)


def sync(store, board, gateway):
    return sync_cycle(store, TENANT, str(board.cycle_id), gateway)


def test_a_quiet_sync_makes_no_write_call_and_writes_nothing_but_its_lease(sqlite_store, gateway, settled):
    with Statements(sqlite_store) as sql:
        result = sync(sqlite_store, settled, gateway)
    assert result.quiet and result.findings == []
    assert result.usage["writes"] == 0
    assert result.usage["reads"] == 1  # the board itself: its ownership marker is checked on every sync
    assert sql.written_tables() <= {"locks"}  # the board's lease, taken and given back
    assert not sql.read_the_cycle()  # nothing to decide: the cycle is not even loaded


def test_one_item_changed_on_the_board_is_still_picked_up(sqlite_store, gateway, miro, settled):
    assert sync(sqlite_store, settled, gateway).quiet
    Team(miro, settled).move_card_to_column("KR1.2", "done")
    moved = sync(sqlite_store, settled, gateway)
    assert [(m["ref"], m["new"]) for m in moved.moves] == [("KR1.2", "done")]
    with sqlite_store.unit(TENANT) as uow:
        assert str(uow.cycles.get(settled.cycle_id).key_results_by_ref()["KR1.2"][1].status) == "done"
    with Statements(sqlite_store) as sql:
        assert sync(sqlite_store, settled, gateway).quiet
    assert sql.written_tables() <= {"locks"}


def test_a_store_change_since_the_last_sync_turns_the_fast_path_off(sqlite_store, gateway, miro, settled):
    update_key_result(sqlite_store, TENANT, str(settled.cycle_id), "KR1.1", current="3")
    result = sync(sqlite_store, settled, gateway)  # the board is as the journal has it: the store is not
    assert [p["ref"] for p in result.patches] == ["KR1.1"] and result.usage["writes"] == 1
    assert "Current: 3" in Team(miro, settled).item("card:KR1.1")["data"]["description"]
    assert sync(sqlite_store, settled, gateway).quiet


def test_a_frame_moved_by_the_team_is_noted_once_then_syncs_are_quiet_again(sqlite_store, gateway, miro, settled):
    team = Team(miro, settled)
    frame_id = settled.ids["frame:kanban"]
    where = team.item("frame:kanban")["position"]
    team.client.update_frame(settled.board_id, frame_id, position={"x": where["x"] + 40, "y": where["y"]})
    first = sync(sqlite_store, settled, gateway)
    assert first.quiet and first.usage["writes"] == 0
    with Statements(sqlite_store) as sql:
        assert sync(sqlite_store, settled, gateway).quiet
    assert sql.written_tables() <= {"locks"}


def entry(key, item_id, modified="t1", state="created", role="kr_card", synced=None):
    return JournalEntry(key, role, None, state, item_id, {"fields": {}} if synced is None else synced, modified)


def test_a_board_is_as_journaled_only_when_nothing_there_is_new_changed_or_absent():
    entries = {"a": entry("a", "1"), "b": entry("b", "2"), "gone": entry("gone", "3", state="missing")}
    listing = [ListedItem("1", "card", modified_at="t1"), ListedItem("2", "card", modified_at="t1")]
    assert board_as_journaled(entries, listing)
    assert board_as_journaled(entries, [*listing, ListedItem("9", "connector", modified_at="t5")])  # never read
    assert not board_as_journaled(entries, [*listing, ListedItem("9", "sticky_note", modified_at="t5")])  # new
    assert not board_as_journaled(entries, [listing[0], ListedItem("2", "card", modified_at="t2")])  # changed
    assert not board_as_journaled(entries, listing[:1])  # absent: sync asks Miro whether it is gone
    assert not board_as_journaled(entries, [*listing, ListedItem("3", "card", modified_at="t1")])  # back again
    assert not board_as_journaled({"a": entry("a", "1", synced={})}, listing[:1])  # no merge base yet
