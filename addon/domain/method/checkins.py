"""When a check-in may be recorded, and how a recorded one is corrected (its earlier version kept)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from addon.domain.errors import OkrError
from addon.domain.method.model import CheckIn, Cycle, KRSnapshot


class CheckinDateRefused(OkrError):
    """A check-in date outside the cycle, or out of order with the recorded ones."""


def check_new_date(cycle: Cycle, on: date, *, explicit: bool) -> None:
    """Refuse a date for the next check-in that is outside the cycle or not after the last recorded one."""
    how = "give --on a day" if explicit else f"it is {on}: give --on a day"
    if not cycle.start <= on <= cycle.end:
        raise CheckinDateRefused(
            f"A check-in of {cycle.name} on {on} is outside the cycle ({cycle.start} to {cycle.end}); nothing was "
            f"recorded. {how[0].upper() + how[1:]} within the cycle."
        )
    if cycle.checkins:
        last = cycle.checkins[-1]
        if on < last.on:
            raise CheckinDateRefused(
                f"Check-in {last.number + 1} on {on} would come before check-in {last.number} ({last.on}): check-ins "
                f"are recorded in order; nothing was recorded. To correct check-in {last.number}, use "
                f"`okrboard checkin {cycle.id} --amend {last.number}`."
            )
        if on == last.on:
            raise CheckinDateRefused(
                f"Check-in {last.number} was recorded on {on} already; nothing was recorded. To correct it, use "
                f"`okrboard checkin {cycle.id} --amend {last.number}`."
            )


def amend(cycle: Cycle, number: int, snapshots: list[KRSnapshot], *, on: date | None, note: str | None) -> CheckIn:
    """Replace check-in `number` with new snapshots (and date or note when given), keeping the old version."""
    recorded = {checkin.number: checkin for checkin in cycle.checkins}
    if number not in recorded:
        have = ", ".join(str(n) for n in recorded) or "none yet"
        raise CheckinDateRefused(f"{cycle.name} has no check-in {number} to correct (recorded: {have}).")
    old = recorded[number]
    on = on or old.on
    before = recorded.get(number - 1)
    after = recorded.get(number + 1)
    if not cycle.start <= on <= cycle.end:
        raise CheckinDateRefused(
            f"Check-in {number} cannot be dated {on}: outside the cycle ({cycle.start} to {cycle.end})."
        )
    if (before and on <= before.on) or (after and on >= after.on):
        window = f"after {before.on}" if before else ""
        window += (" and " if before and after else "") + (f"before {after.on}" if after else "")
        raise CheckinDateRefused(f"Check-in {number} cannot be dated {on}: it must be {window}, to stay in order.")
    earlier = {"on": old.on.isoformat(), "note": old.note, "snapshots": [snapshot_json(s) for s in old.snapshots]}
    new = replace(
        old, on=on, note=old.note if note is None else note, snapshots=snapshots, history=[*old.history, earlier]
    )
    cycle.checkins[cycle.checkins.index(old)] = new
    return new


def snapshot_json(snapshot: KRSnapshot) -> dict:
    """Return a snapshot as JSON-ready data."""
    return {
        "ref": snapshot.ref,
        "value": snapshot.value,
        "score": snapshot.score,
        "status": str(snapshot.status),
        "confidence": snapshot.confidence,
        "comment": snapshot.comment,
    }
