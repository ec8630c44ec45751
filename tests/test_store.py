"""The store keeps cycles whole, per tenant, on SQLite and PostgreSQL."""

from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from addon.adapters.database import is_current
from addon.adapters.orm import Base
from addon.adapters.plan_file import load_plan
from addon.adapters.repository import CycleNotFound
from addon.domain.method.model import CheckIn, CycleStatus, Idea, KRChange, KRSnapshot, KRStatus

EXAMPLES = Path(__file__).parent.parent / "examples"


def imported(store, tenant="team-1"):
    cycle = load_plan(EXAMPLES / "company-q1.yaml").cycle
    with store.unit(tenant) as uow:
        return uow.cycles.add(cycle)


def test_a_stored_cycle_reads_back_equal(store):
    cycle = imported(store)
    with store.unit("team-1") as uow:
        again = uow.cycles.get(cycle.id)
    assert again == cycle


def test_changes_are_saved_in_place_keeping_ids(store):
    cycle = imported(store)
    kr_id = cycle.objectives[0].key_results[0].id
    with store.unit("team-1") as uow:
        loaded = uow.cycles.get(cycle.id)
        kr = loaded.objectives[0].key_results[0]
        kr.current, kr.status = 3, KRStatus.IN_PROGRESS
        kr.ideas.append(Idea(text="Webinar with a bank", impact=8, effort=2))
        kr.history.append(KRChange(on=date(2027, 1, 20), action="replaced", reason="sharper", forced=False))
        del loaded.objectives[2]
        uow.cycles.save(loaded)
    with store.unit("team-1") as uow:
        after = uow.cycles.get(cycle.id)
    kr = after.objectives[0].key_results[0]
    assert kr.id == kr_id and kr.current == 3 and kr.status is KRStatus.IN_PROGRESS
    assert kr.ideas[0].text == "Webinar with a bank" and kr.ideas[0].id is not None
    assert kr.history[0].reason == "sharper"
    assert len(after.objectives) == 2


def test_a_recorded_checkin_is_never_rewritten(store):
    cycle = imported(store)
    snapshot = KRSnapshot(ref="KR1.1", value=1, score=0.2, status=KRStatus.IN_PROGRESS)
    with store.unit("team-1") as uow:
        loaded = uow.cycles.get(cycle.id)
        loaded.status = CycleStatus.TRACKING
        loaded.checkins.append(CheckIn(number=1, on=date(2027, 1, 18), snapshots=[snapshot]))
        uow.cycles.save(loaded)
    with store.unit("team-1") as uow:
        loaded = uow.cycles.get(cycle.id)
        loaded.checkins[0].note = "rewritten"
        uow.cycles.save(loaded)
    with store.unit("team-1") as uow:
        after = uow.cycles.get(cycle.id)
    assert after.checkins[0].note == "" and after.checkins[0].snapshots == [snapshot]


def test_another_tenant_cannot_see_or_find_a_cycle(store):
    cycle = imported(store, tenant="team-1")
    with store.unit("team-2") as uow:
        with pytest.raises(CycleNotFound):
            uow.cycles.get(cycle.id)
        with pytest.raises(CycleNotFound):
            uow.cycles.find(cycle.name)
        assert uow.cycles.list() == []


def test_find_accepts_an_id_or_a_name(store):
    cycle = imported(store)
    with store.unit("team-1") as uow:
        assert uow.cycles.find(str(cycle.id)).id == cycle.id
        assert uow.cycles.find("GTM Q1 2027").id == cycle.id


def test_an_error_inside_a_unit_rolls_everything_back(store):
    cycle = imported(store)
    with pytest.raises(RuntimeError), store.unit("team-1") as uow:
        loaded = uow.cycles.get(cycle.id)
        loaded.name = "renamed"
        uow.cycles.save(loaded)
        raise RuntimeError("boom")
    with store.unit("team-1") as uow:
        assert uow.cycles.get(cycle.id).name == "GTM Q1 2027"


def test_migrations_produce_exactly_the_models(store):
    assert is_current(store.engine)
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_board_journal_moves_items_from_planned_to_sent_to_created(store):
    cycle = imported(store)
    with store.unit("team-1") as uow:
        board = uow.boards.add_board(cycle.id, "uXjVOD6LSME=", None, "en")
        assert uow.boards.plan(board.id, [("frame:o1", "frame", "O1"), ("card:kr1", "kr_card", "KR1")]) == 2
        assert uow.boards.plan(board.id, [("frame:o1", "frame", "O1"), ("text:t", "text", None)]) == 1  # known kept
        uow.boards.mark_sent(board.id, ["frame:o1", "card:kr1"])
        uow.boards.record_created(
            board.id, {"frame:o1": ("3458764", {"data": {"title": "O1"}}, "2026-01-02T03:04:05Z")}
        )
        uow.boards.mark_sent(board.id, ["frame:o1"])  # created stays created
        entries = uow.boards.entries(board.id)
    assert {key: entry.state for key, entry in entries.items()} == {
        "frame:o1": "created",
        "card:kr1": "sent",
        "text:t": "planned",
    }
    created = entries["frame:o1"]
    assert (created.miro_item_id, created.synced, created.modified_at) == (
        "3458764",
        {"data": {"title": "O1"}},
        "2026-01-02T03:04:05Z",
    )


def test_recording_an_item_the_journal_never_planned_is_refused_and_rolled_back(store):
    cycle = imported(store)
    with store.unit("team-1") as uow:
        board = uow.boards.add_board(cycle.id, "uXjVOD6LSME=", None, "en")
        uow.boards.plan(board.id, [("frame:o1", "frame", "O1")])
    with pytest.raises(LookupError, match="1 of the created items are not in the journal"):
        with store.unit("team-1") as uow:
            uow.boards.record_created(board.id, {"frame:o1": ("1", {}, None), "frame:o9": ("2", {}, None)})
    with store.unit("team-1") as uow:
        assert uow.boards.entries(board.id)["frame:o1"].state == "planned"


def test_the_newest_migration_is_read_from_the_files_as_alembic_reads_it():
    from alembic.script import ScriptDirectory

    from addon.adapters.database import alembic_config, head_revisions

    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config(None)).get_heads())


def test_branches_and_merges_of_migrations_have_the_right_heads(tmp_path):
    from addon.adapters.database import head_revisions

    files = {
        "a.py": "revision = 'a'\ndown_revision = None\n",
        "b.py": "revision: str = 'b'\ndown_revision = 'a'\n",
        "c.py": 'revision = "c"\ndown_revision = "a"\n',
    }
    for name, source in files.items():
        (tmp_path / name).write_text(source)
    assert head_revisions(tmp_path) == {"b", "c"}
    (tmp_path / "d.py").write_text("revision = 'd'\ndown_revision = ('b', 'c')\n")
    assert head_revisions(tmp_path) == {"d"}


def test_a_store_behind_the_newest_migration_is_brought_up_to_date_when_opened(tmp_path):
    from addon.adapters.database import make_engine, stored_revisions, upgrade
    from addon.adapters.store import Store

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    assert stored_revisions(engine) == set()  # a new database has no version table
    upgrade(engine, "0001")
    assert not is_current(engine)
    store = Store.open(url)
    assert is_current(store.engine)
    store.close()
    engine.dispose()
