"""The sync state machine (reliability T-6): random board and store edits, failed pages, concurrent syncs, a
teammate typing between a sync's listing and its writes, and Miro's clock drifting from ours.

Invariants, checked on the emulator and a real store:
- every edit is applied, or recorded as a conflict (and then the store holds the winner's value);
- no team edit is overwritten without a conflict record: a card typed on after the listing still shows what was
  typed once that sync ends, and the next one merges it;
- a complete sync is followed, once the cards are left alone (Miro's clock moved past the ten minutes after which
  a card's line is normalised), by a sync that only normalises, then by a quiet one, after which board and store
  agree;
- an incomplete listing changes nothing: no deletion, no store change, no write; a busy board is left alone.

OKRBOARD_STATEMACHINE_EXAMPLES sets the number of examples (default 100; the full run is 1,000) and
OKRBOARD_STATEMACHINE_STEPS the steps per example (default 20).
"""

from __future__ import annotations

import math
import os
import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from addon.adapters.locks import SyncBusy, board_lease
from addon.adapters.miro_gateway import MiroGateway
from addon.domain.board import card_text
from addon.domain.method.model import Cycle, KeyResult, KRStatus, Objective, ObjectiveType
from addon.domain.numbers import parse_number
from addon.domain.sync.context import NORMALISE_AFTER
from addon.domain.sync.meaning import idea_at, listing_items, read_card, status_at
from addon.domain.sync.merge import kr_fields
from addon.services.kr_update import update_key_result
from addon.services.sync_board import sync_cycle
from miro_client import MiroClient
from miro_emulator.config import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.services.sync_kit import FailingPages, Team, generated_board

EXAMPLES = int(os.environ.get("OKRBOARD_STATEMACHINE_EXAMPLES", "100"))
STEPS = int(os.environ.get("OKRBOARD_STATEMACHINE_STEPS", "20"))
REFS = ["KR1.1", "KR1.2", "KR2.1", "KR2.2"]
COLUMNS = ["not_started", "in_progress", "at_risk", "done"]
SCORES = st.sampled_from([0.1, 0.25, 0.4, 0.5, 0.65, 0.7, 0.9, 1.0])
SCORE_TEXT = st.sampled_from(["{:.2f}", "{:.1f}", "{:.0%}", "fr"])
BAD = ["Score: abc", "Score: 1.7", "Current: -"]
SKEWS = [-300, -90, 0, 90, 300]  # seconds Miro's clock runs off ours: within and beyond the 2-minute window
# Between a complete sync and the next, Miro's clock moves on by more than the ten minutes after which a card is
# normalised, plus the widest swing of the skew (so a card counts as left alone whatever the skew did).
LEFT_ALONE = NORMALISE_AFTER.total_seconds() + (max(SKEWS) - min(SKEWS)) + 1


def small_cycle() -> Cycle:
    objectives = [
        Objective(
            f"Objective {o}",
            ObjectiveType.COMMITMENT,
            "Ana",
            key_results=[KeyResult(f"Result {o}.{k}", target=10, owner="Ben", due=date(2027, 3, 15)) for k in (1, 2)],
        )
        for o in (1, 2)
    ]
    return Cycle("State machine", date(2027, 1, 4), date(2027, 3, 31), objectives=objectives)


def _shown(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


class SyncMachine(RuleBasedStateMachine):
    """One board per example; rules are what the team and the store do, and syncs."""

    store = miro = gateway = None  # set by the test

    def __init__(self):
        super().__init__()
        # The emulator serves every example: Miro's clock goes on from where the last one left it (a clock that
        # went back would make the items it stamped look modified in the future).
        self.skew, self.idle = 0.0, self.miro.config.clock_offset
        self.miro.set_clock_offset(self.idle)
        self.tenant = f"sm-{uuid.uuid4().hex[:8]}"
        self.board = generated_board(self.store, self.gateway, cycle=small_cycle(), tenant=self.tenant)
        self.team = Team(self.miro, self.board)
        self.pending_board: dict[tuple[str, str], object] = {}
        self.pending_store: dict[tuple[str, str], object] = {}
        self.bad: set[str] = set()
        self.deleted: set[str] = set()
        self.unreported_deletions: set[str] = set()
        self.ideas: list[tuple[str, str, float, float]] = []
        self.stickies: dict[str, str] = {}  # idea text -> sticky id
        self.captured: set[str] = set()  # ideas a complete sync has taken into the store
        self.dropped: set[str] = set()  # ideas deleted in the store
        self.typed: str | None = None  # the latest line typed on a card
        self.base = self._snapshot()

    # -- reading both sides ---------------------------------------------------------------------------------
    def cycle(self):
        with self.store.unit(self.tenant) as uow:
            return uow.cycles.get(self.board.cycle_id)

    def store_value(self, ref: str, field: str, cycle=None):
        kr = (cycle or self.cycle()).key_results_by_ref()[ref][1]
        return {"status": str(kr.status), "current": kr.current, "manual": kr.manual_score}[field]

    def _snapshot(self) -> dict:
        cycle = self.cycle()
        base = {
            (ref, field): self.store_value(ref, field, cycle)
            for ref in REFS
            for field in ("status", "current", "manual")
        }
        base.update(
            {(ref, "shown_score"): kr_fields(cycle.key_results_by_ref()[ref][1], "en")["score"] for ref in REFS}
        )
        return base

    def card(self, ref: str):
        return read_card(self.team.item(f"card:{ref}")["data"])

    def sync(self, gateway=None):
        return sync_cycle(self.store, self.tenant, str(self.board.cycle_id), gateway or self.gateway)

    # -- the team on the board ------------------------------------------------------------------------------
    def _board_edit(self, ref: str, field: str, value) -> None:
        if value == self.base[(ref, field)]:
            self.pending_board.pop((ref, field), None)  # back to what was synced: no edit
        else:
            self.pending_board[(ref, field)] = value

    @rule(ref=st.sampled_from(REFS), column=st.sampled_from(COLUMNS + ["outside"]), slot=st.integers(0, 3))
    def board_move(self, ref, column, slot):
        assume(ref not in self.deleted)
        if column == "outside":
            self.team.move_card_to(ref, -90_000, -90_000 - slot * 300)
            self.pending_board.pop((ref, "status"), None)  # unplaced: no reading
        else:
            self.team.move_card_to_column(ref, column, slot)
            self._board_edit(ref, "status", column)

    def _keep(self, ref: str, field: str, value) -> str:
        """Write back a field as the card shows it; a field the card does not show reads `?`: a cleared value."""
        if value is None:
            self._board_edit(ref, field, None)
        return _shown(value)

    @rule(
        ref=st.sampled_from(REFS), value=st.integers(0, 12), score_field=st.booleans(), score=SCORES, style=SCORE_TEXT
    )
    def board_type(self, ref, value, score_field, score, style):
        assume(ref not in self.deleted)
        self._type(ref, value, score_field, score, style)

    def _type(self, ref, value, score_field, score, style) -> None:
        """Type a current value or a score on a card, keeping the rest of its line as the card shows it."""
        card = self.card(ref)
        current, shown = card.values.get("current"), card.values.get("score")
        target = "Target: 10"
        if score_field:
            text = f"{score:.2f}".replace(".", ",") if style == "fr" else style.format(score)
            typed = parse_number(text, "fr" if style == "fr" else "en", share=True)
            # Sync compares a typed score with the score the card showed at the last sync, not with the text
            # there now (which may be unreadable): typing that same score again is no edit.
            base_score = self.base[(ref, "shown_score")]
            self._board_edit(ref, "manual", self.base[(ref, "manual")] if math.isclose(typed, base_score) else typed)
            kept = self._keep(ref, "current", current)
            if style == "fr":  # a teammate typing in French: French labels, so the card reads as French
                target, line = "Cible : 10", f"Actuel : {kept.replace('.', ',')} · Score : {text}"
            else:
                line = f"Current: {kept} · Score: {text}"
        else:
            self._board_edit(ref, "current", float(value))
            line = f"Current: {value} · Score: {self._keep(ref, 'manual', shown)}"
        self.typed = f"{target} · {line}"
        self.team.edit_description(ref, self.typed)
        self.bad.discard(ref)

    @rule(ref=st.sampled_from(REFS), bad=st.sampled_from(BAD))
    def board_bad_text(self, ref, bad):
        assume(ref not in self.deleted)
        card = self.card(ref)
        if bad.startswith("Score"):
            keep = f"Current: {self._keep(ref, 'current', card.values.get('current'))}"
        else:
            keep = f"Score: {self._keep(ref, 'manual', card.values.get('score'))}"
        self.team.edit_description(ref, f"Target: 10 · {keep} · {bad}")
        self.pending_board.pop((ref, "manual" if bad.startswith("Score") else "current"), None)
        self.bad.add(ref)

    @rule(ref=st.sampled_from(REFS), impact=st.integers(0, 10), effort=st.integers(0, 10))
    def board_add_idea(self, ref, impact, effort):
        text = f"Idea {len(self.ideas) + len(self.dropped) + 1} for {ref}"
        sticky = self.team.sticky_in_matrix(ref, text, impact=impact, effort=effort)
        self.ideas.append((ref, text, float(impact), float(effort)))
        self.stickies[text] = sticky["id"]

    @precondition(lambda self: self.ideas)
    @rule(data=st.data(), impact=st.integers(0, 10), effort=st.integers(0, 10))
    def board_move_idea(self, data, impact, effort):
        index = data.draw(st.integers(0, len(self.ideas) - 1))
        ref, text, _, _ = self.ideas[index]
        self.team.move_sticky(self.stickies[text], ref, impact=impact, effort=effort)
        self.ideas[index] = (ref, text, float(impact), float(effort))

    @precondition(lambda self: any(text in self.captured for _, text, _, _ in self.ideas))
    @rule(data=st.data())
    def store_delete_idea(self, data):
        captured = [idea for idea in self.ideas if idea[1] in self.captured]
        ref, text, _, _ = data.draw(st.sampled_from(captured))
        with self.store.unit(self.tenant) as uow:
            cycle = uow.cycles.get(self.board.cycle_id)
            kr = cycle.key_results_by_ref()[ref][1]
            kr.ideas = [idea for idea in kr.ideas if idea.text != text]
            uow.cycles.save(cycle)
        self.ideas = [idea for idea in self.ideas if idea[1] != text]
        self.dropped.add(text)  # its sticky stays on the board; sync must not bring the idea back

    @precondition(lambda self: len(self.deleted) < 2)
    @rule(ref=st.sampled_from(REFS))
    def board_delete_card(self, ref):
        assume(ref not in self.deleted)
        self.team.delete(f"card:{ref}")
        self.deleted.add(ref)
        self.unreported_deletions.add(ref)
        self.bad.discard(ref)
        for field in ("status", "current", "manual"):
            self.pending_board.pop((ref, field), None)

    # -- the store ------------------------------------------------------------------------------------------
    def _store_edit(self, ref: str, field: str, value) -> None:
        if value == self.base[(ref, field)]:
            self.pending_store.pop((ref, field), None)
        else:
            self.pending_store[(ref, field)] = value

    @rule(ref=st.sampled_from(REFS), value=st.integers(0, 12))
    def store_set_current(self, ref, value):
        update_key_result(self.store, self.tenant, str(self.board.cycle_id), ref, current=str(value))
        self._store_edit(ref, "current", float(value))

    @rule(ref=st.sampled_from(REFS), score=SCORES | st.none())
    def store_set_score(self, ref, score):
        update_key_result(
            self.store, self.tenant, str(self.board.cycle_id), ref, score="none" if score is None else f"{score}"
        )
        self._store_edit(ref, "manual", score)

    @rule(ref=st.sampled_from(REFS), status=st.sampled_from(COLUMNS))
    def store_set_status(self, ref, status):
        with self.store.unit(self.tenant) as uow:
            cycle = uow.cycles.get(self.board.cycle_id)
            cycle.key_results_by_ref()[ref][1].status = KRStatus(status)
            uow.cycles.save(cycle)
        self._store_edit(ref, "status", status)

    # -- Miro's clock -------------------------------------------------------------------------------------
    def _set_clock(self) -> None:
        # `skew`: how far Miro's clock runs off ours now; `idle`: how far it was moved on to leave the cards alone
        self.miro.set_clock_offset(self.idle + self.skew)

    @rule(skew=st.sampled_from(SKEWS))
    def miros_clock_drifts(self, skew):
        self.skew = float(skew)
        self._set_clock()

    # -- syncs ----------------------------------------------------------------------------------------------
    @rule()
    def sync_complete(self):
        self._complete([])

    @rule(
        ref=st.sampled_from(REFS), value=st.integers(0, 12), score_field=st.booleans(), score=SCORES, style=SCORE_TEXT
    )
    def sync_while_a_teammate_types(self, ref, value, score_field, score, style):
        """Ben types on a card after the sync's listing, before its next request (its read before a write)."""
        assume(ref not in self.deleted)
        landed = []

        def ben_types():
            self._type(ref, value, score_field, score, style)
            landed.append(self.typed)

        self.miro.edit_between(ben_types)
        raced = self.sync()
        assert raced.complete
        if not landed:  # the sync sent nothing after its listing: Ben types right after it
            self.miro.emulator.races.clear()
            ben_types()
        shown = card_text.plain_text(self.team.item(f"card:{ref}")["data"]["description"])
        assert shown == landed[0], f"{ref}: Ben typed {landed[0]!r}, the card shows {shown!r}"
        assert {s["ref"] for s in raced.skipped} <= {ref}
        self._complete([raced])

    def _complete(self, earlier: list) -> None:
        """A complete sync, checked with what earlier syncs since the last complete one reported; then, once the
        cards are left alone, one that only normalises, and a quiet one."""
        result = self.sync()
        assert result.complete
        self._check_edits(result, earlier)
        self.idle += LEFT_ALONE
        self._set_clock()
        normalised = self.sync()
        assert normalised.moves == normalised.values == normalised.conflicts == [], normalised.as_dict()
        assert normalised.skipped == [] and {p["reason"] for p in normalised.patches} <= {"normalise"}
        again = self.sync()
        assert again.quiet, again.as_dict()
        assert again.usage["writes"] == 0
        self._check_agreement()
        self.pending_board, self.pending_store, self.bad = {}, {}, set()
        self.captured |= {text for _, text, _, _ in self.ideas}
        self.base = self._snapshot()

    @rule(pages=st.integers(0, 1))
    def sync_fails_mid_listing(self, pages):
        before_cycle, before_entries = self.cycle(), self._entries()
        result = self.sync(FailingPages(self.gateway, pages))
        assert not result.complete and result.usage["writes"] == 0
        assert result.missing == [] and result.moves == [] and result.values == []
        assert self.cycle() == before_cycle and self._entries() == before_entries

    @rule()
    def sync_while_another_runs(self):
        before = self.cycle()
        with board_lease(self.store.engine, self.board.board_id, holder="other-worker"):
            with pytest.raises(SyncBusy):
                self.sync()
        assert self.cycle() == before

    def _entries(self):
        with self.store.unit(self.tenant) as uow:
            board = uow.boards.latest_board(self.board.cycle_id)
            return uow.boards.entries(board.id)

    # -- checks ---------------------------------------------------------------------------------------------
    def _check_edits(self, result, earlier: list) -> None:
        syncs = [*earlier, result]
        conflicts = {(c["ref"], c["field"]): c for done in syncs for c in done.conflicts}  # the latest one counts
        cycle = self.cycle()
        for key in set(self.pending_board) | set(self.pending_store):
            ref, field = key
            now = self.store_value(ref, field, cycle)
            on_board, in_store = key in self.pending_board, key in self.pending_store
            if on_board and in_store and self.pending_board[key] != self.pending_store[key]:
                conflict = conflicts.get(key)
                assert conflict is not None, f"edits on both sides of {key} without a recorded conflict"
                winner = self.pending_board[key] if conflict["resolution"] == "board" else self.pending_store[key]
                assert now == winner
            elif on_board and key not in conflicts:
                assert now == self.pending_board[key], f"board edit {key}={self.pending_board[key]} lost: {now}"
            elif in_store and key not in conflicts:
                assert now == self.pending_store[key], f"store edit {key}={self.pending_store[key]} lost: {now}"
        reported = {f["ref"] for done in syncs for f in done.findings if f["kind"] == "bad_text"}
        assert self.bad <= reported
        assert {m["ref"] for done in syncs for m in done.missing} == {f"{r}" for r in self.unreported_deletions}
        self.unreported_deletions = set()
        stored_ideas = {
            idea.text: (ref, idea) for ref, (_, kr) in cycle.key_results_by_ref().items() for idea in kr.ideas
        }
        assert not self.dropped & set(stored_ideas), "an idea deleted in the store came back"
        for ref, text, impact, effort in self.ideas:
            assert text in stored_ideas and stored_ideas[text][0] == ref
            idea = stored_ideas[text][1]
            assert abs(idea.impact - impact) <= 0.11 and abs(idea.effort - effort) <= 0.11
        assert len(cycle.key_results_by_ref()) == len(REFS)  # nothing deleted from the store

    def _check_agreement(self) -> None:
        cycle = self.cycle()
        items = listing_items(self.gateway.iter_items(self.board.board_id))
        areas = self.board.plan.areas
        ids = self.board.ids
        for ref, (_, kr) in cycle.key_results_by_ref().items():
            if ref in self.deleted:
                continue
            card = items[ids[f"card:{ref}"]]
            shown = kr_fields(kr, "en")
            reading = read_card(card.data)
            assert reading.values.get("current") == shown["current"]
            assert reading.values.get("score") == shown["score"]
            status = status_at(areas, card.x, card.y, f"O{ref[2]}")
            assert status is None or str(status) == str(kr.status)
        for idea_text, (ref, idea) in {
            i.text: (r, i) for r, (_, k) in cycle.key_results_by_ref().items() for i in k.ideas
        }.items():
            sticky = next(
                i
                for i in items.values()
                if i.type == "sticky_note" and card_text.plain_text(i.data.get("content")) == idea_text
            )
            matrix, impact, effort = idea_at(areas, sticky.x, sticky.y)
            assert matrix == ref and abs(impact - idea.impact) <= 0.11 and abs(effort - idea.effort) <= 0.11

    def teardown(self):
        self.team.close()

    @invariant()
    def store_keeps_every_key_result(self):
        assert len(self.cycle().key_results_by_ref()) == len(REFS)


@pytest.fixture
def busy_miro():
    """An emulator whose credit budget a thousand examples cannot exhaust (rate limits are tested elsewhere)."""
    with EmulatorServer(EmulatorConfig(credits_per_minute=10**12)) as server:
        yield server


@pytest.mark.slow
@pytest.mark.timeout(max(300, EXAMPLES * STEPS // 2))  # about 0.1 s a step, with room for shrinking
def test_sync_state_machine(sqlite_store, busy_miro):
    SyncMachine.store, SyncMachine.miro = sqlite_store, busy_miro
    SyncMachine.gateway = MiroGateway(
        MiroClient(busy_miro.token, base_url=busy_miro.base_url, sleep=lambda _seconds: None)
    )
    run_state_machine_as_test(
        SyncMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
        ),
    )
