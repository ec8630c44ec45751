"""Captures: what the team adds on the board enters the store.

- A new card or sticky note in an objective frame -> a draft key result of that objective (rule M9 applies).
- A new sticky note in an impact-effort matrix -> an idea of that matrix's key result.
- A new sticky note in a retrospective section -> a retrospective note.
- A placeholder card whose title the team overwrote -> an objective (title, type, owner) or a key result.
Anything else on the board is ignored. An empty item waits until it has text. A capture that cannot be made yet
(a key result for an objective not yet in the store, a matrix without its key result) is reported and retried
on the next sync: the item stays unjournaled, so nothing is lost.
"""

from __future__ import annotations

from datetime import date

from addon.domain.method.changes import ChangeRefused, add_key_result
from addon.domain.method.messages import say
from addon.domain.method.model import Idea, KeyResult, KRStatus, Objective, ObjectiveType, RetroNote
from addon.domain.method.rules import MAX_KEY_RESULTS
from addon.domain.sync.cards import card_data
from addon.domain.sync.context import Context, JournalEntry, Settle
from addon.domain.sync.items import find_objective
from addon.domain.sync.meaning import (
    BoardItem,
    CardReading,
    idea_at,
    meaning_at,
    read_card,
    read_objective_card,
    status_at,
    sticky_text,
)
from addon.domain.sync.merge import BoardPatch, Capture, StoreChange

CAPTURE_REASON = "captured from the board"
CAPTURED_TYPES = ("card", "sticky_note")  # the only item types a new item is captured from


def _base_title(entry: JournalEntry, read) -> str:
    return read((entry.synced or {}).get("data") or {}).title


def placeholder_objective(ctx: Context, entry: JournalEntry, item: BoardItem) -> None:
    """Turn an overwritten objective placeholder into the objective of its frame."""
    reading = read_objective_card(item.data, ctx.words)
    if not reading.title or reading.title == _base_title(entry, lambda d: read_objective_card(d, ctx.words)):
        return
    number, objectives = int(entry.entity[1:]), ctx.cycle.objectives
    if number > len(objectives) + 1:
        ctx.finding(
            entry.key,
            entry.entity,
            "deferred",
            say("sync.objective_not_yet", ctx.inp.language, entity=entry.entity, objective=f"O{len(objectives) + 1}"),
        )
        return
    found = find_objective(ctx, None, entry.entity)
    if found is not None:
        objective = found[1]
        for name, value in (("title", reading.title), ("type", reading.type), ("owner", reading.owner)):
            old = str(objective.type) if name == "type" and objective.type else getattr(objective, name)
            if value and value != old:
                ctx.decision.changes.append(StoreChange(entry.key, entry.entity, name, old, value, "value"))
                setattr(objective, name, ObjectiveType(value) if name == "type" else value)
    else:
        objective = Objective(
            title=reading.title, owner=reading.owner, type=ObjectiveType(reading.type) if reading.type else None
        )
        objectives.append(objective)
        ctx.decision.captures.append(
            Capture(
                "objective", item.id, entry.key, "objective_card", objective, entry.entity, reading.title, existing=True
            )
        )
    ctx.decision.retags[entry.key] = ("objective_card", entry.entity)
    ctx.decision.settled[entry.key] = Settle("objective", objective)


def placeholder_kr(ctx: Context, entry: JournalEntry, item: BoardItem) -> None:
    """Turn an overwritten key-result placeholder into a draft key result of its objective."""
    reading = read_card(item.data, ctx.inp.language)
    if not reading.title or reading.title == _base_title(entry, lambda data: read_card(data, ctx.inp.language)):
        return
    objective = int(entry.entity[2:].split(".")[0])
    capture_kr(ctx, item, objective, reading.title, reading, entry.key, "kr_card", existing=True)


def capture_kr(
    ctx: Context,
    item: BoardItem,
    number: int,
    title: str,
    reading: CardReading | None,
    key: str,
    role: str,
    existing: bool = False,
) -> None:
    """Add a draft key result to objective `number` from a card or sticky note."""
    if number > len(ctx.cycle.objectives):
        ctx.finding(
            None,
            f"O{number}",
            "deferred",
            say("sync.kr_without_objective", ctx.inp.language, objective=f"O{number}"),
        )
        return
    objective = ctx.cycle.objectives[number - 1]
    values = reading.values if reading else {}
    for problem in reading.problems.values() if reading else ():
        ctx.finding(
            None, f"O{number}", "bad_text", say("sync.new_kr_bad_text", ctx.inp.language, title=title, problem=problem)
        )
    status = status_at(ctx.areas, item.x, item.y, f"O{number}") or KRStatus.DRAFT
    due = reading.due if reading else None
    kr = KeyResult(
        title=title,
        target=values.get("target"),
        current=values.get("current"),
        manual_score=values.get("score"),
        status=status,
        due=date.fromisoformat(due) if due else None,
    )
    try:
        add_key_result(ctx.cycle, objective, kr, on=ctx.inp.today, reason=CAPTURE_REASON, places=MAX_KEY_RESULTS)
    except ChangeRefused as refused:
        not_taken = say("sync.new_kr_not_taken", ctx.inp.language, title=title, reason=refused)
        ctx.finding(None, f"O{number}", "deferred", not_taken)
        return
    ref = f"KR{number}.{objective.number_of(kr)}"
    ctx.decision.captures.append(Capture("key_result", item.id, key, role, kr, ref, title, existing))
    if existing:
        ctx.decision.retags[key] = (role, ref)
    ctx.decision.settled[key] = Settle("kr", kr, {"assignee": reading.assignee if reading else None})
    if role == "kr_card":
        data = card_data(ctx, item, ref, kr, {})
        if data and not ctx.left_alone(item):
            ctx.decision.owed.add(key)  # just typed: normalised once it is left alone (cards.py)
        elif data:
            ctx.decision.patches.append(BoardPatch(key, ref, item.id, item.type, "normalise", data))


def new_item(ctx: Context, item: BoardItem) -> None:
    """Capture an item the journal does not know, if it sits where the method expects new things."""
    if item.type not in CAPTURED_TYPES or item.x is None:
        return
    reading = read_card(item.data, ctx.inp.language) if item.type == "card" else None
    text = reading.title if reading else sticky_text(item)
    if not text:
        return
    key = f"new:{item.id}"
    objective_ref = meaning_at(ctx.areas, item.x, item.y, "objective_frame")
    if objective_ref:
        capture_kr(
            ctx, item, int(objective_ref[1:]), text, reading, key, "kr_card" if item.type == "card" else "kr_sticky"
        )
    elif item.type == "sticky_note" and (placement := idea_at(ctx.areas, item.x, item.y)) is not None:
        _capture_idea(ctx, item, key, text, *placement)
    elif item.type == "sticky_note" and (section := meaning_at(ctx.areas, item.x, item.y, "retro_section")):
        note = RetroNote(section=section, text=text)
        ctx.cycle.retro.append(note)
        ctx.decision.captures.append(Capture("retro_note", item.id, key, "retro_note", note, section, text))
        ctx.decision.settled[key] = Settle("note", note)


def _capture_idea(
    ctx: Context, item: BoardItem, key: str, text: str, matrix: str, impact: float, effort: float
) -> None:
    if ctx.inp.matrices == "per_objective":
        found = find_objective(ctx, None, matrix)
        krs = found[1].key_results if found else []
        target, ref = (krs[0], f"KR{matrix[1:]}.{found[1].numbered()[0][0]}") if krs else (None, None)
    else:
        found = ctx.find_kr(None, matrix)
        target, ref = (found[2], found[1]) if found else (None, None)
    if target is None:
        ctx.finding(
            None,
            matrix,
            "deferred",
            say("sync.idea_without_kr", ctx.inp.language, matrix=matrix),
        )
        return
    idea = Idea(text=text, impact=impact, effort=effort)
    target.ideas.append(idea)
    ctx.decision.captures.append(Capture("idea", item.id, key, "idea", idea, ref, text))
    ctx.decision.settled[key] = Settle("idea", idea, {"matrix": matrix})


def journal_key(capture: Capture, taken: set[str]) -> str:
    """Return the journal key of a captured item (after saving, so ideas have ids): the key the board plan
    would give it when free, so a later `generate` does not add a second item for it."""
    if capture.existing:
        return capture.key
    wanted = {
        "key_result": f"card:{capture.ref}" if capture.role == "kr_card" else None,
        "idea": f"idea:{capture.ref}:{getattr(capture.entity, 'id', None)}",
    }.get(capture.kind)
    return wanted if wanted and wanted not in taken else f"captured:{capture.item_id}"


def journal_entity(capture: Capture) -> str | None:
    """Return what a captured item's journal entry stands for (a ref, or a retro section)."""
    return capture.ref
