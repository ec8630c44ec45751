"""Sync a cycle's board and its store (imperative shell around `addon.domain.sync.decide`).

One sync: take the board's lease; read the journal; list every item (one complete scan); confirm absent items
with a GET (404 = gone); decide; write the store in one unit of work; patch the board; after each PATCH keep
Miro's answer as the new base so our own writes never come back as edits.

Read before write: Miro has no conditional update, so right before each PATCH the item is read again; when its
`modifiedAt` moved since the listing, someone changed it meanwhile, and the PATCH is not sent: the item's base
becomes what the listing showed, and the next sync merges the team's new edit with the store's. The lease is
renewed between pages and before every write (`BoardLease.heartbeat`); a sync that lost it stops before writing
the store or the board (LeaseLost).

A quiet sync stops after the listing: when every listed item has the `modifiedAt` the journal recorded, none is
missing or new, and the store's stamp (the cycle's and its parent's revisions, the board layout) is the one the
last complete sync left, there is nothing to decide, so the cycle is not even loaded and nothing is written.
Everything a quiet sync reads (the cycle's summary, the journal, the stamps, the lease) goes through the store's
`reader` and Core tables, which need no ORM.
Otherwise, with the store unchanged, the decision looks only at the items that changed on the board.

If any page of the listing fails, the sync changes nothing at all (no store change, no patch, no deletion) and
says so: positions need their parent frames, captures need to know every item, and deletions need a complete
scan, so a partial listing cannot be applied safely. The next sync starts over.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache

from addon.adapters.board_layouts import load_layout
from addon.domain.board.items import ListedItem
from addon.domain.board.layout import plan_board
from addon.domain.board.roles import JournalState, Role
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import OkrError
from addon.domain.sync.captures import journal_entity, journal_key
from addon.domain.sync.context import OWES
from addon.domain.sync.decide import HANDLERS, PLACEHOLDERS, SyncDecision, SyncInput, board_as_journaled, decide
from addon.domain.sync.merge import DEFAULT_CLOCK_SKEW_SECONDS
from addon.services.clock import utcnow
from addon.services.gc_burst import gc_for_burst
from addon.services.ownership import check_owned
from addon.services.ports import BoardError, BoardGateway, BoardNotFound, Store, StoreReads, UnitOfWork
from addon.services.rollup_frame import refresh_rollup
from addon.services.sync_problems import record_problems


@lru_cache(maxsize=1)
def _template() -> dict:
    # Read once per process: a --watch loop syncs every minute, and the file only changes with a release.
    return load_layout()


@lru_cache(maxsize=1)
def _template_digest() -> str:
    # Part of the store's stamp: a new board layout changes what sync would decide, as a store edit does.
    text = json.dumps(_template(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class SyncRefused(OkrError):
    """The cycle cannot be synced (no board yet)."""


@dataclass
class SyncResult:
    """What one sync did, for people (CLI) and scripts (JSON)."""

    board_id: str
    complete: bool = True
    items: int = 0
    moves: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    new_items: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    patches: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # patches not sent: the item changed after the listing
    # What is still wrong on the board by the record this sync left (boards.sync_problems), found now or before.
    open_problems: list[dict] = field(default_factory=list)
    usage: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def quiet(self) -> bool:
        """Whether nothing changed on either side (findings may still be reported)."""
        changed = self.moves or self.values or self.new_items or self.conflicts or self.missing or self.patches
        return not (changed or self.skipped)

    def as_dict(self) -> dict:
        """Return the result as JSON-ready data."""
        return {**asdict(self), "quiet": self.quiet}


def _usage_delta(before: dict, after: dict) -> dict:
    ops_before, ops_after = before.get("operations", {}), after.get("operations", {})

    def count(name: str) -> int:
        return ops_after.get(name, {}).get("requests", 0) - ops_before.get(name, {}).get("requests", 0)

    writes = sum(count(name) for name in ops_after if name.startswith(("update-", "create-", "delete-")))
    return {
        "requests": after.get("requests", 0) - before.get("requests", 0),
        "credits": after.get("credits", 0) - before.get("credits", 0),
        "list_calls": count("get-items"),
        "reads": count("get-specific-item") + count("get-specific-board"),  # the board: its ownership marker
        "writes": writes,
    }


def _matrices(entries) -> str:
    per_objective = any(e.role == Role.MATRIX_FRAME and (e.entity or "").startswith("O") for e in entries.values())
    return "per_objective" if per_objective else "per_kr"


class BoardSync:
    """One sync of a cycle's board; `run` does it under the board's lease."""

    def __init__(
        self,
        store: Store,
        tenant: str,
        gateway: BoardGateway,
        *,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        holder: str | None = None,
        clock_skew: float | None = None,
    ):
        self.store, self.tenant, self.gateway, self.clock = store, tenant, gateway, clock
        # The skew window comes with the gateway (OKRBOARD_CLOCK_SKEW where it was built) unless given here.
        self.monotonic, self.holder = monotonic, holder
        skew = gateway.clock_skew if clock_skew is None else clock_skew  # the gateway's: OKRBOARD_CLOCK_SKEW
        self.clock_skew = DEFAULT_CLOCK_SKEW_SECONDS if skew is None else skew
        self.template = _template()
        self.lease = None  # the board's lease while `run` holds it
        self.board_now = None  # Miro's clock when the listing was read
        self.reads_before_writes = 0

    def run(self, cycle_ref: str) -> SyncResult:
        """Sync the cycle's newest board; raises SyncBusy when another sync of that board is running."""
        started, usage = self.monotonic(), self.gateway.usage()
        with self.store.reader(self.tenant) as view:
            cycle = view.cycles.summary(cycle_ref)
            board = view.boards.latest_board(cycle.id)
        if cycle.closed:  # a closed cycle's board is an archive: its edits no longer count
            with self.store.unit(self.tenant) as uow:
                ensure_open(uow.cycles.get(cycle.id))
        if board is None:
            raise SyncRefused(f"{cycle.name} has no board yet: run `okrboard generate {cycle.id}` first.")
        self.cycle_id, self.board_row, self.board_id = cycle.id, board.id, board.miro_board_id
        self.language, self.record = board.language, board
        result = SyncResult(board_id=self.board_id)
        with self.store.board_lease(self.board_id, clock=self.clock, holder=self.holder) as lease, gc_for_burst():
            self.lease = lease
            if self._owned(result):
                self._sync(result)
                if result.complete:  # a quiet sync leaves the record as it was: its problems are still there
                    with self.store.reader(self.tenant) as view:
                        result.open_problems = view.boards.problems(self.board_row)
                refresh_rollup(  # company boards
                    self.store, self.tenant, self.gateway, self.record, result, before_write=lease.heartbeat
                )
        result.usage = _usage_delta(usage, self.gateway.usage())
        result.usage["reads_before_writes"] = self.reads_before_writes
        result.usage["skipped_writes"] = len(result.skipped)
        result.seconds = round(self.monotonic() - started, 3)
        return result

    def _owned(self, result: SyncResult) -> bool:
        """Check the board still carries this cycle's marker before reading anything from it (raises
        BoardNotOwned); False when Miro could not be asked, which changes nothing, like an incomplete listing."""
        try:
            found = self.gateway.get_board(self.board_id)
        except BoardNotFound as error:
            raise SyncRefused(
                f"Board {self.board_id} is no longer on Miro ({error}); nothing was changed. Run "
                f"`okrboard generate {self.cycle_id} --board new` for a new board."
            ) from error
        except BoardError as error:
            result.complete = False
            message = f"The board could not be read ({error}); nothing was changed. The next sync starts over."
            result.findings.append({"kind": "incomplete", "key": None, "ref": None, "message": message})
            return False
        with self.store.reader(self.tenant) as view:
            upgraded = check_owned(view, self.tenant, self.record, found)
        if upgraded:
            with self.store.unit(self.tenant) as uow:
                uow.boards.set_marker(self.board_row, upgraded)
        return True

    def _stamp(self, uow: UnitOfWork | StoreReads) -> str:
        """The store's state as sync sees it: what, changed, could change a decision about an unchanged board."""
        cycle = uow.cycles.summary(str(self.cycle_id))
        parent = uow.cycles.summary(str(cycle.parent_id)) if cycle.parent_id else None
        parent_part = f"{parent.id}.{parent.revision}" if parent else "-"
        return f"cycle {cycle.revision}; parent {parent_part}; layout {_template_digest()}"

    def _inputs(self, uow, entries, listing, gone, store_unchanged: bool) -> SyncInput:
        cycle = uow.cycles.get(self.cycle_id)
        parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        matrices = _matrices(entries)
        plan = plan_board(cycle, self.template, language=self.language, parent=parent, matrices=matrices)
        return SyncInput(
            cycle=cycle,
            entries=entries,
            listing=listing,
            plan=plan,
            template=self.template,
            language=self.language,
            matrices=matrices,
            parent=parent,
            edit_times=uow.boards.edit_times(self.cycle_id),
            gone=gone,
            today=self.clock().date(),
            store_unchanged=store_unchanged,
            copy_cycle=False,  # loaded for this decision only
            board_now=self.board_now,
            clock_skew=self.clock_skew,
        )

    def _sync(self, result: SyncResult) -> None:
        # Read only, through the store's Core reads: a quiet sync never loads the ORM (docs/benchmarks.md).
        with self.store.reader(self.tenant) as view:  # the journal, read once per sync, and the stamp
            entries = view.boards.entries(self.board_row)
            synced_stamp = view.boards.board(self.cycle_id, self.board_id).synced_stamp
            stamp = self._stamp(view)
        try:
            listing = []
            for item in self.gateway.iter_items(self.board_id):
                listing.append(item)
                self.lease.heartbeat()  # renews only when due: a clock read per item, an UPDATE now and then
            self.board_now = self.gateway.miro_time()  # Miro's clock as it answered the listing's last page
        except BoardError as error:
            result.complete = False
            result.findings.append(
                {
                    "kind": "incomplete",
                    "key": None,
                    "ref": None,
                    "message": (
                        f"The board could not be listed completely ({error}); nothing was changed. "
                        "The next sync starts over."
                    ),
                }
            )
            return
        result.items = len(listing)
        if stamp == synced_stamp and board_as_journaled(entries, listing):
            return  # quiet: nothing to decide, nothing to write
        gone = self._confirm_gone(entries, {item.id for item in listing})
        raws = {item.id: item for item in listing}
        self.lease.heartbeat()  # a sync that lost its lease writes nothing
        # Decide inside the writing unit, after locking the cycle: a store edit made meanwhile is merged, never
        # overwritten, and a `kr update` arriving now waits for this unit to end.
        with self.store.unit(self.tenant) as uow:
            uow.lock_cycle(self.cycle_id)
            inputs = self._inputs(uow, entries, listing, gone, store_unchanged=self._stamp(uow) == synced_stamp)
            decision = decide(inputs)
            if decision.needs_members:  # rare: a card's assignee changed; ask Miro who that is
                inputs.members = self._members()
                inputs.cycle = uow.cycles.get(self.cycle_id)  # the first decision changed the one it had
                decision = decide(inputs)
            keys = self._write_store(uow, decision, raws, entries)
            record_problems(uow, self.board_row, inputs, decision)  # for reports made without a sync
            stamp = self._stamp(uow)  # with our own save in it
            # The stamp says "board and store in step": not true until every patch has landed.
            uow.boards.mark_synced(self.board_row, self.clock(), None if decision.patches else stamp)
        if self._patch(decision, keys, raws, result) and decision.patches:
            with self.store.unit(self.tenant) as uow:
                uow.boards.mark_synced(self.board_row, self.clock(), stamp)
        _report(decision, keys, result)

    def _confirm_gone(self, entries, listed: set[str]) -> frozenset[str]:
        """Return the ids of journaled items absent from the complete listing that Miro confirms are gone."""
        gone = set()
        for entry in entries.values():
            if entry.miro_item_id and entry.state == JournalState.CREATED and entry.miro_item_id not in listed:
                self.lease.heartbeat()
                try:
                    self.gateway.get_item(self.board_id, entry.miro_item_id)
                except BoardNotFound:
                    gone.add(entry.miro_item_id)
                except BoardError:
                    pass  # unconfirmed: a later sync decides
        return frozenset(gone)

    def _members(self) -> dict[str, str]:
        try:
            return self.gateway.member_names(self.board_id)
        except BoardError:
            return {}

    def _write_store(
        self, uow: UnitOfWork, decision: SyncDecision, raws: dict[str, ListedItem], entries
    ) -> dict[str, str]:
        """Save the merged cycle, conflicts and journal in the open unit; return temporary -> journal keys."""
        journal = uow.boards
        if decision.store_changed:
            uow.cycles.save(decision.cycle)
        journal.record_conflicts(self.board_row, [c.as_record() for c in decision.conflicts])
        taken = set(entries)
        keys = {}
        for capture in decision.captures:
            key = journal_key(capture, taken)
            taken.add(key)
            keys[capture.key] = key
            if not capture.existing:
                journal.add_item(
                    self.board_row,
                    key,
                    capture.role,
                    journal_entity(capture),
                    capture.item_id,
                    raws[capture.item_id].base_state(),
                    raws[capture.item_id].modified_at,
                )
        for key, (role, entity) in decision.retags.items():
            journal.retag(self.board_row, key, role, entity)
        for key, state in decision.states.items():
            journal.set_state(self.board_row, key, state)
        patched = {p.key for p in decision.patches}
        for key in decision.settled:
            if key in patched:
                continue  # its base moves only once the patch has landed
            final = keys.get(key, key)
            entry = entries.get(final)
            raw = (
                raws[entry.miro_item_id] if entry else raws[next(c.item_id for c in decision.captures if c.key == key)]
            )
            synced = {**raw.base_state(), "fields": decision.base_fields(key)}
            if key in decision.owed:
                synced[OWES] = True  # its line is left as typed; normalised once nobody touches it (cards.py)
            if entry is None or entry.synced != synced or entry.modified_at != raw.modified_at:
                journal.update_synced(self.board_row, final, synced, raw.modified_at)
        # An item sync keeps no merge base of (a frame, a label, an empty placeholder) may still change on the
        # board, e.g. a frame moved: note its new modifiedAt, so the next sync can tell the board is unchanged.
        touched = set(decision.settled) | set(decision.states) | set(decision.retags) | patched
        for key, entry in entries.items():
            raw = raws.get(entry.miro_item_id) if entry.miro_item_id else None
            keeps_no_base = entry.role in PLACEHOLDERS or entry.role not in HANDLERS
            if raw is None or key in touched or entry.state != JournalState.CREATED or not keeps_no_base:
                continue
            if entry.modified_at != raw.modified_at:
                journal.update_synced(self.board_row, key, entry.synced, raw.modified_at)
        return keys

    def _patch(
        self, decision: SyncDecision, keys: dict[str, str], raws: dict[str, ListedItem], result: SyncResult
    ) -> bool:
        """Send the decision's patches, each after reading its item again; return whether every one landed."""
        landed = True
        for patch in decision.patches:
            self.lease.heartbeat()
            changed = self._changed_since_listing(patch, raws[patch.item_id], result)
            if changed is not None:
                if changed:
                    self._leave_for_next_sync(decision, patch, keys, raws[patch.item_id], result)
                landed = False
                continue
            try:
                answer = self.gateway.update_item(
                    self.board_id,
                    patch.item_type,
                    patch.item_id,
                    data=patch.data,
                    position=patch.position,
                    parent_id=patch.parent_id,
                )
            except BoardError as error:
                result.findings.append(
                    {
                        "kind": "patch_failed",
                        "key": patch.key,
                        "ref": patch.ref,
                        "message": (
                            f"{patch.ref}: the board could not be updated ({error}); the next sync tries again."
                        ),
                    }
                )
                landed = False
                continue
            # A move the team made between our listing and this PATCH is in the answer: then keep no
            # modifiedAt, so the next sync reads the item again instead of taking it as ours.
            moved_meanwhile = patch.position is None and answer.placement != raws[patch.item_id].placement
            with self.store.unit(self.tenant) as uow:
                uow.boards.update_synced(
                    self.board_row,
                    keys.get(patch.key, patch.key),
                    {**answer.base_state(), "fields": decision.fields(patch.key)},
                    None if moved_meanwhile else answer.modified_at,
                )
            result.patches.append(
                {
                    "key": keys.get(patch.key, patch.key),
                    "ref": patch.ref,
                    "reason": patch.reason,
                    "data": sorted(patch.data or {}),
                    "moved": patch.position is not None,
                }
            )
        return landed

    def _changed_since_listing(self, patch, listed: ListedItem, result: SyncResult) -> bool | None:
        """Read the item again before its PATCH: None when it is as listed (send it), True when it changed since
        the listing (skip it), False when it could not be read (skip it, reported as a failed write)."""
        self.reads_before_writes += 1
        try:
            fresh = self.gateway.get_item(self.board_id, patch.item_id)
        except BoardNotFound:
            return True  # deleted meanwhile: the next sync confirms it gone
        except BoardError as error:
            message = f"{patch.ref}: the item could not be read before writing ({error}); the next sync tries again."
            result.findings.append({"kind": "patch_failed", "key": patch.key, "ref": patch.ref, "message": message})
            return False
        return None if fresh.modified_at == listed.modified_at else True

    def _leave_for_next_sync(self, decision, patch, keys: dict[str, str], listed: ListedItem, result) -> None:
        """The item changed under this sync: keep, as its base, what the listing showed (the store has the board's
        side of it now), so the next sync merges the team's new edit against that, and a store change still due
        is still a change."""
        key = keys.get(patch.key, patch.key)
        settle = decision.settled.get(patch.key)
        if settle is not None and settle.listed is not None:
            with self.store.unit(self.tenant) as uow:
                uow.boards.update_synced(
                    self.board_row, key, {**listed.base_state(), "fields": settle.listed}, listed.modified_at
                )
        message = (
            f"{patch.ref}: changed on the board after the listing; not written, so nothing typed meanwhile is "
            "lost. The next sync merges it."
        )
        result.skipped.append({"key": key, "ref": patch.ref, "reason": patch.reason, "message": message})


def _report(decision: SyncDecision, keys: dict[str, str], result: SyncResult) -> None:
    for change in decision.changes:
        row = {
            "key": keys.get(change.key, change.key),
            "ref": change.ref,
            "field": change.field,
            "old": change.old,
            "new": change.new,
        }
        (result.moves if change.kind == "move" else result.values).append(row)
    result.new_items += [
        {"kind": c.kind, "ref": c.ref, "text": c.text, "item_id": c.item_id, "key": keys.get(c.key, c.key)}
        for c in decision.captures
    ]
    result.conflicts += [{**c.as_record(), "key": keys.get(c.key, c.key)} for c in decision.conflicts]
    result.findings += [{"kind": f.kind, "key": f.key, "ref": f.ref, "message": f.message} for f in decision.findings]
    result.missing += [{"key": m.key, "ref": m.ref, "role": m.role, "item_id": m.item_id} for m in decision.missing]


def sync_cycle(
    store: Store,
    tenant: str,
    cycle_ref: str,
    gateway: BoardGateway,
    *,
    clock: Callable[[], datetime] = utcnow,
    holder: str | None = None,
    clock_skew: float | None = None,
) -> SyncResult:
    """Sync a cycle's board with the store (see the module docstring); raises SyncBusy if a sync is running
    (LeaseLost, a SyncBusy, if another took the board over while this one ran)."""
    return BoardSync(store, tenant, gateway, clock=clock, holder=holder, clock_skew=clock_skew).run(cycle_ref)


def cycle_conflicts(store: Store, tenant: str, cycle_id: int) -> list[dict]:
    """Return the sync conflicts recorded for a cycle, newest first (for `cycle show`)."""
    with store.unit(tenant) as uow:
        return uow.boards.conflicts(cycle_id)
