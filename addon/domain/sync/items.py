"""Sync of ideas (matrix, impact and effort from their position; text), retrospective notes and objective cards.

Each handler reads the item as the board shows it now, takes the base from the journal (or the state recorded at
creation), merges each field three ways, applies the board's side to the merged cycle and plans the patch that
brings the item to the store's side.
"""

from __future__ import annotations

from addon.domain.board import card_text
from addon.domain.board.layout import position_for_scores
from addon.domain.method.messages import say
from addon.domain.method.model import ObjectiveType
from addon.domain.sync.cards import unchanged_since_sync
from addon.domain.sync.context import Context, JournalEntry, Settle, detached
from addon.domain.sync.meaning import BoardItem, idea_at, meaning_at, read_objective_card, sticky_text
from addon.domain.sync.merge import (
    BOARD_WINS,
    NEWER_WINS,
    BoardPatch,
    idea_fields,
    note_fields,
    objective_fields,
)

IDEA_FIELDS = (
    ("matrix", BOARD_WINS, None, "move"),
    ("impact", BOARD_WINS, "impact", "move"),
    ("effort", BOARD_WINS, "effort", "move"),
    ("text", NEWER_WINS, "text", "value"),
)


def _read_idea(ctx: Context, item: BoardItem, fallback: dict) -> tuple[dict, bool]:
    placement = idea_at(ctx.areas, item.x, item.y)
    out = dict(fallback)
    if placement is not None:
        out["matrix"], out["impact"], out["effort"] = placement
    out["text"] = sticky_text(item) or fallback["text"]
    return out, placement is None


def _find_idea(ctx: Context, idea_id):
    # Indexed once per decision: a board holds hundreds of ideas. An idea moved to another key result in this
    # decision is not looked up again.
    if ctx.ideas is None:
        ctx.ideas = {
            idea.id: (f"O{o}", f"KR{o}.{k}", kr, idea)
            for o, objective in enumerate(ctx.cycle.objectives, start=1)
            for k, kr in objective.numbered()
            for idea in kr.ideas
        }
    return ctx.ideas.get(idea_id)


def _idea_id(entry: JournalEntry) -> int | None:
    fields = (entry.synced or {}).get("fields") or {}
    if fields.get("idea_id") is not None:
        return fields["idea_id"]
    tail = entry.key.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def idea(ctx: Context, entry: JournalEntry, item: BoardItem) -> None:
    """Sync an idea sticky: matrix, impact and effort from its position; its text."""
    found = _find_idea(ctx, _idea_id(entry))
    if found is None:
        detached(ctx, entry, "The idea of")
        return
    objective_ref, kr_ref, kr, the_idea = found
    matrix = ctx.matrix_ref(objective_ref, kr_ref)
    store = idea_fields(the_idea, matrix)
    fields = (entry.synced or {}).get("fields")
    base = fields or _read_idea(ctx, ctx.base_item(entry, item), store)[0]
    quiet = unchanged_since_sync(entry, item)
    board, unplaced = (dict(base), False) if quiet else _read_idea(ctx, item, base)
    if unplaced:
        ctx.finding(entry.key, kr_ref, "unplaced", say("sync.idea_unplaced", ctx.inp.language, ref=kr_ref))
    results = {}
    for name, rule, column, kind in IDEA_FIELDS:
        merged = ctx.merge(
            base.get(name),
            board.get(name),
            store.get(name),
            rule=rule,
            board_time=item.modified_at,
            store_time=ctx.edit_time("idea", the_idea.id, column) if column else None,
        )
        results[name] = merged
        if name == "matrix" and merged.to_store and not _move_idea(ctx, entry, the_idea, kr, merged.value):
            ctx.finding(
                entry.key,
                kr_ref,
                "deferred",
                say("sync.idea_moved_without_kr", ctx.inp.language, ref=kr_ref, matrix=merged.value),
            )
            continue
        ctx.record(entry.key, kr_ref, name, merged, base.get(name), board.get(name), store.get(name), kind)
        if merged.to_store and name != "matrix":
            setattr(the_idea, name, merged.value)
    final_matrix = results["matrix"].value if entry.key in ctx.decision.retags else matrix
    data = position = None
    if results["text"].to_board:
        data = {"content": card_text.html_lines([the_idea.text])}
    if results["impact"].to_board or results["effort"].to_board:
        position = _idea_position(ctx, item, final_matrix, the_idea)
    if data or position:
        ctx.decision.patches.append(BoardPatch(entry.key, kr_ref, item.id, item.type, "store", data, position))
    ctx.decision.settled[entry.key] = Settle("idea", the_idea, {"matrix": final_matrix}, listed=board)


def _move_idea(ctx: Context, entry: JournalEntry, the_idea, kr, matrix: str) -> bool:
    """Move an idea to the key result whose matrix it was dropped in; False when that key result is unknown."""
    if ctx.inp.matrices == "per_objective":
        index = int(matrix[1:]) - 1
        objective = ctx.cycle.objectives[index] if 0 <= index < len(ctx.cycle.objectives) else None
        target = objective.key_results[0] if objective and objective.key_results else None
        target_ref = f"KR{index + 1}.{objective.numbered()[0][0]}" if target else None
    else:
        found = ctx.find_kr(None, matrix)
        target, target_ref = (found[2], found[1]) if found else (None, None)
    if target is None:
        return False
    kr.ideas[:] = [i for i in kr.ideas if i is not the_idea]
    target.ideas.append(the_idea)
    ctx.decision.retags[entry.key] = ("idea", target_ref)
    return True


def _idea_position(ctx: Context, item: BoardItem, matrix: str, the_idea) -> dict | None:
    plot = next((a for a in ctx.areas if a.role == "matrix" and a.meaning == matrix), None)
    if plot is None:
        return None
    x, y = position_for_scores(plot, the_idea.impact, the_idea.effort)
    frame = ctx.items.get(item.parent_id) if item.parent_id else None
    if frame is not None and frame.x is not None:
        x, y = x - frame.top_left[0], y - frame.top_left[1]
    return {"x": round(x, 2), "y": round(y, 2)}


def retro_note(ctx: Context, entry: JournalEntry, item: BoardItem) -> None:
    """Sync a retrospective sticky: its section (position) and text."""
    base = (entry.synced or {}).get("fields") or {}
    note = next((n for n in ctx.cycle.retro if note_fields(n) == base), None)
    if note is None:
        detached(ctx, entry, "The retrospective note of section")
        return
    section = meaning_at(ctx.areas, item.x, item.y, "retro_section")
    if section is None:
        ctx.finding(entry.key, base.get("section"), "unplaced", say("sync.retro_unplaced", ctx.inp.language))
    board = {"section": section or base["section"], "text": sticky_text(item) or base["text"]}
    for name, rule in (("section", BOARD_WINS), ("text", NEWER_WINS)):
        merged = ctx.merge(base[name], board[name], note_fields(note)[name], rule=rule, board_time=item.modified_at)
        ctx.record(
            entry.key,
            note.section,
            name,
            merged,
            base[name],
            board[name],
            note_fields(note)[name],
            "move" if name == "section" else "value",
        )
        if merged.to_store:
            setattr(note, name, merged.value)
    ctx.decision.settled[entry.key] = Settle("note", note)


def find_objective(ctx: Context, objective_id: int | None, ref: str | None):
    """Return (ref, objective) by store id, else by ref."""
    for o, objective in enumerate(ctx.cycle.objectives, start=1):
        if (objective.id == objective_id) if objective_id is not None else (f"O{o}" == ref):
            return f"O{o}", objective
    return None


def objective_card(ctx: Context, entry: JournalEntry, item: BoardItem) -> None:
    """Sync an objective card: title, type and owner (a missing line is no reading, not a deletion)."""
    fields = (entry.synced or {}).get("fields")
    found = find_objective(ctx, (fields or {}).get("objective_id"), entry.entity)
    if found is None:
        detached(ctx, entry, "Objective")
        return
    ref, objective = found
    store = objective_fields(objective)
    base = fields or _read_objective(ctx, ctx.base_item(entry, item), store)
    board = base if unchanged_since_sync(entry, item) else _read_objective(ctx, item, base)
    to_board = False
    for name in ("title", "type", "owner"):
        merged = ctx.merge(
            base.get(name),
            board.get(name),
            store.get(name),
            rule=NEWER_WINS,
            board_time=item.modified_at,
            store_time=ctx.edit_time("objective", objective.id, name),
        )
        ctx.record(entry.key, ref, name, merged, base.get(name), board.get(name), store.get(name), "value")
        if merged.to_store:
            value = ObjectiveType(merged.value) if name == "type" and merged.value else merged.value
            setattr(objective, name, value)
        to_board |= merged.to_board
    planned = next((i for i in ctx.merged_plan.items if i.key == f"objective:{ref}"), None) if to_board else None
    if planned is not None and planned.role == "objective_card":
        data = {"title": planned.data["title"], "description": planned.data["description"]}
        ctx.decision.patches.append(BoardPatch(entry.key, ref, item.id, item.type, "store", data))
    ctx.decision.settled[entry.key] = Settle("objective", objective, listed=board)


def _read_objective(ctx: Context, item: BoardItem, fallback: dict) -> dict:
    reading = read_objective_card(item.data, ctx.words)
    return {
        **fallback,
        "title": reading.title or fallback["title"],
        "type": reading.type or fallback["type"],
        "owner": reading.owner or fallback["owner"],
    }
