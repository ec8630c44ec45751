"""Sync of key-result cards (and key results captured from sticky notes).

A card's fields are read as it shows them now (column from its position; current value, target, score, title,
due date, assignee from its text), its base comes from the journal (or the state recorded at creation), and each
field is merged three ways. The card is then patched to the merged state: store-side changes, the normalised
line after a parsed edit, and a note for text that could not be read. A patch that would only normalise the line
(or add the note) waits until the card has been left alone for ten minutes by Miro's clock, so nobody's typing
is rewritten; the journal marks the card until then. While the card shows the note, each sync that reads it
reports the note again ("noted on the card"), so the record of problems agrees with the card. A card whose Miro
`modifiedAt` is the one recorded at the last sync (and that owes no normalising) is not read again.
"""

from __future__ import annotations

from datetime import date

from addon.domain.board import card_text
from addon.domain.method.messages import say
from addon.domain.method.model import KRKind, KRStatus
from addon.domain.sync.context import Context, JournalEntry, Settle, detached, owes_normalising
from addon.domain.sync.meaning import (
    BoardItem,
    annotation_line,
    annotations_on,
    norm,
    read_card,
    status_at,
    sticky_text,
    without_annotations,
)
from addon.domain.sync.merge import BOARD_WINS, NEWER_WINS, BoardPatch, card_text_for, kr_fields, same

# (field, conflict rule, store column whose edit time counts, kind of change)
KR_FIELDS = (
    ("status", BOARD_WINS, "status", "move"),
    ("current", NEWER_WINS, "current", "value"),
    ("target", NEWER_WINS, "target", "value"),
    ("at_least", NEWER_WINS, "at_least", "value"),
    ("at_most", NEWER_WINS, "at_most", "value"),
    ("manual", NEWER_WINS, "manual_score", "value"),
    ("title", NEWER_WINS, "title", "value"),
    ("due", NEWER_WINS, "due", "value"),
    ("owner", NEWER_WINS, "owner", "value"),
)
STICKY_KR_FIELDS = ("status", "title")


def unchanged_since_sync(entry: JournalEntry, item: BoardItem) -> bool:
    """Whether the item is exactly as the last sync left it (same Miro modifiedAt, a merge base on record) and
    owes no normalising."""
    synced = entry.synced or {}
    unchanged = "fields" in synced and item.modified_at is not None and item.modified_at == entry.modified_at
    return unchanged and not owes_normalising(entry)


def member_for(members, owner: str | None) -> str | None:
    """Return the board member id of an owner's name (full name, else a unique first name)."""
    if not owner or not members:
        return None
    wanted = norm(owner).lower()
    exact = [mid for mid, name in members.items() if norm(name).lower() == wanted]
    first = [mid for mid, name in members.items() if norm(name).lower().split(" ")[:1] == [wanted]]
    return (exact or (first if len(first) == 1 else [None]))[0]


def read_kr(
    ctx: Context,
    item: BoardItem,
    fallback: dict,
    objective_ref: str,
    sticky: bool,
    as_base: bool = False,
    milestone: bool = False,
    maintain: bool = False,
) -> tuple[dict, dict, bool]:
    """Return (fields as the board shows them, unreadable fields, unplaced) of a key result's item.

    Fields the item does not show keep the fallback (the base; for a base, the store's value). A milestone's
    target is always "yes": it is not read.
    """
    status = status_at(ctx.areas, item.x, item.y, objective_ref)
    out = {**fallback, "status": str(status) if status else fallback["status"]}
    if sticky:
        out["title"] = sticky_text(item) or fallback["title"]
        return out, {}, status is None
    reading = read_card(item.data, ctx.inp.language)
    out["title"] = reading.title or fallback["title"]
    out["current"] = reading.values.get("current", fallback["current"])
    if not milestone:
        out["target"] = reading.values.get("target", fallback["target"])
    for name in ("at_least", "at_most"):  # a threshold line; only a maintain card has one (else it is ignored)
        out[name] = reading.values.get(name, fallback.get(name)) if maintain else fallback.get(name)
    shown = reading.values.get("score")
    if as_base and "score" in reading.values:
        out["score"], out["manual"] = shown, shown if reading.manual else None
    elif "score" in reading.values and not same(shown, fallback["score"]):
        out["score"], out["manual"] = shown, shown  # a score typed on the card is a manual score
    out["due"] = fallback["due"] if "due" in reading.problems else reading.due
    out["assignee"] = reading.assignee
    return out, reading.problems, status is None


def _owner_from_assignee(ctx: Context, entry: JournalEntry, ref: str, board: dict, base: dict) -> None:
    """A card assigned to someone else names a new owner: the board member's name."""
    assignee = board.get("assignee")
    if not assignee or assignee == base.get("assignee"):
        return
    if ctx.inp.members is None:
        ctx.decision.needs_members = True
    elif assignee in ctx.inp.members:
        board["owner"] = ctx.inp.members[assignee]
    else:
        ctx.finding(
            entry.key,
            ref,
            "unknown_assignee",
            say("sync.unknown_assignee", ctx.inp.language, ref=ref, assignee=assignee),
        )


def _set_kr(kr, name: str, value) -> None:
    if name == "status":
        kr.status = KRStatus(value)
    elif name == "manual":
        kr.manual_score = value
    elif name == "due":
        kr.due = date.fromisoformat(value) if value else None
    else:
        setattr(kr, name, value)


def kr_card(ctx: Context, entry: JournalEntry, item: BoardItem) -> None:
    """Sync a key-result card."""
    _key_result(ctx, entry, item, sticky=False)


def kr_sticky(ctx: Context, entry: JournalEntry, item: BoardItem) -> None:
    """Sync a key result captured from a sticky note (title and status only)."""
    _key_result(ctx, entry, item, sticky=True)


def _key_result(ctx: Context, entry: JournalEntry, item: BoardItem, sticky: bool) -> None:
    fields = (entry.synced or {}).get("fields")
    found = ctx.find_kr((fields or {}).get("kr_id"), entry.entity)
    if found is None:
        detached(ctx, entry, "Key result")
        return
    objective_ref, ref, kr = found
    store = {**kr_fields(kr, ctx.inp.language), "assignee": None}
    milestone, maintain = kr.kind is KRKind.MILESTONE, kr.kind is KRKind.MAINTAIN
    base = (
        fields or read_kr(ctx, ctx.base_item(entry, item), store, objective_ref, sticky, True, milestone, maintain)[0]
    )
    quiet = unchanged_since_sync(entry, item)
    board, problems, unplaced = (
        (dict(base), {}, False)
        if quiet
        else read_kr(ctx, item, base, objective_ref, sticky, milestone=milestone, maintain=maintain)
    )
    if not quiet and not sticky:
        _owner_from_assignee(ctx, entry, ref, board, base)
    if unplaced:
        ctx.finding(
            entry.key,
            ref,
            "unplaced",
            say("sync.card_unplaced", ctx.inp.language, ref=ref),
        )
    results = {}
    for name, rule, column, kind in KR_FIELDS:
        if sticky and name not in STICKY_KR_FIELDS:
            continue
        merged = ctx.merge(
            base.get(name),
            board.get(name),
            store.get(name),
            rule=rule,
            board_time=item.modified_at,
            store_time=ctx.edit_time("kr", kr.id, column),
        )
        ctx.record(entry.key, ref, name, merged, base.get(name), board.get(name), store.get(name), kind)
        if merged.to_store:
            _set_kr(kr, name, merged.value)
        results[name] = merged
    extra = {"assignee": board.get("assignee")}
    data = (
        {}
        if quiet and not any(m.to_board for m in results.values())
        else (_sticky_data(item, kr) if sticky else card_data(ctx, item, ref, kr, problems))
    )
    if results.get("owner") and results["owner"].to_board:
        member = member_for(ctx.inp.members, kr.owner)
        ctx.decision.needs_members |= ctx.inp.members is None
        if member and member != extra["assignee"]:
            data["assigneeId"] = extra["assignee"] = member
    position = parent = None
    if results["status"].to_board:
        planned = next((i for i in ctx.merged_plan.items if i.key == f"card:{ref}"), None)
        target = ctx.frame_position(planned.parent_key, planned.x, planned.y) if planned else None
        if target is None:
            extra["status"] = base.get("status")  # the card stays where it is: keep the old base
        else:
            parent, position = target
    reason = "store" if any(m.to_board for m in results.values()) or position else "normalise"
    if data and reason == "normalise" and not ctx.left_alone(item):
        ctx.decision.owed.add(entry.key)  # someone may be typing on it: normalise it once it is left alone
    elif data or position:
        ctx.decision.patches.append(
            BoardPatch(entry.key, ref, item.id, item.type, reason, data or None, position, parent)
        )
    ctx.decision.settled[entry.key] = Settle("kr", kr, extra, listed=board)
    noting = bool(problems) and "description" in data and entry.key not in ctx.decision.owed
    _card_problems(ctx, entry, ref, item, problems, noting, quiet or sticky)


def _card_problems(ctx: Context, entry: JournalEntry, ref: str, item, problems: dict, noting: bool, unread: bool):
    """Report text that could not be read: as bad text, or as noted on the card once the card shows the note.

    The note stays on the card after the rewrite, so each sync that reads it lists it again until a teammate
    fixes the text or deletes the note line; the record of problems agrees with the card.
    """
    language = ctx.inp.language
    if noting:
        notes = [annotation_line(problem, language) for problem in problems.values()]
    else:
        for problem in problems.values():
            ctx.finding(entry.key, ref, "bad_text", say("sync.bad_text", language, ref=ref, problem=problem))
        notes = [] if unread or problems else annotations_on(item.data.get("description"))
    for note in notes:
        ctx.finding(entry.key, ref, "bad_text", say("sync.noted_on_card", language, ref=ref, note=note))


def card_data(ctx: Context, item: BoardItem, ref: str, kr, problems: dict) -> dict:
    """Return the card data to write so the card reads as the store says (empty when it already does)."""
    desired = card_text_for(ref, kr, ctx.inp.language, problems)
    data = {}
    if norm(card_text.plain_text(item.data.get("title"))) != norm(card_text.plain_text(desired.title)):
        data["title"] = desired.title
    if problems or without_annotations(item.data.get("description")) != norm(card_text.plain_text(desired.description)):
        data["description"] = desired.data()["description"]
    try:
        shown_due = card_text.parse_due_date(item.data.get("dueDate"))
    except ValueError:
        shown_due = None
    if kr.due and shown_due != kr.due:
        data["dueDate"] = desired.due
    return data


def _sticky_data(item: BoardItem, kr) -> dict:
    if sticky_text(item) == norm(kr.title):
        return {}
    return {"content": card_text.html_lines([kr.title])}
