"""Cycle repository: maps the domain's cycles to rows and back, always within one tenant."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from addon.adapters.orm import CheckInRow, CycleRow, IdeaRow, KeyResultRow, ObjectiveRow, RetroNoteRow
from addon.domain.method.closing import Closing, FinalScore, ensure_open
from addon.domain.method.model import (
    CarriedFrom,
    CheckIn,
    Cycle,
    CycleStatus,
    Idea,
    IdeaStatus,
    KeyResult,
    KRChange,
    KRKind,
    KRSnapshot,
    KRStatus,
    Level,
    Objective,
    ObjectiveType,
    RemovedKeyResult,
    RetroNote,
)
from addon.services.ports import CycleNotFound, CycleSummary, ambiguous

# Load a cycle with its children in a few queries instead of one per objective and key result.
WHOLE_CYCLE = [
    selectinload(CycleRow.objectives).selectinload(ObjectiveRow.key_results).selectinload(KeyResultRow.ideas),
    selectinload(CycleRow.checkins),
    selectinload(CycleRow.retro_notes),
]


def _history_to_json(history: list[KRChange]) -> list[dict]:
    return [
        {
            "on": c.on.isoformat(),
            "action": c.action,
            "reason": c.reason,
            "forced": c.forced,
            "previous_title": c.previous_title,
        }
        for c in history
    ]


def _history_from_json(items: list[dict]) -> list[KRChange]:
    return [
        KRChange(
            on=date.fromisoformat(c["on"]),
            action=c["action"],
            reason=c["reason"],
            forced=c["forced"],
            previous_title=c.get("previous_title"),
        )
        for c in items
    ]


def _snapshot_to_json(s: KRSnapshot) -> dict:
    return {
        "ref": s.ref,
        "value": s.value,
        "score": s.score,
        "status": str(s.status),
        "confidence": s.confidence,
        "comment": s.comment,
    }


def _kr_from_row(row: KeyResultRow) -> KeyResult:
    return KeyResult(
        id=row.id,
        title=row.title,
        kind=KRKind(row.kind),
        start=row.start_value,
        target=row.target,
        current=row.current,
        unit=row.unit,
        owner=row.owner,
        due=row.due,
        manual_score=row.manual_score,
        confidence=row.confidence,
        at_least=row.at_least,
        at_most=row.at_most,
        status=KRStatus(row.status),
        weight=row.weight,
        history=_history_from_json(row.history or []),
        comment=row.comment,
        number=row.position,
        carried_from=_carried_from_json(row.carried_from),
        ideas=[
            Idea(id=i.id, text=i.text, impact=i.impact, effort=i.effort, status=IdeaStatus(i.status)) for i in row.ideas
        ],
    )


def _carried_to_json(link: CarriedFrom | None) -> dict | None:
    return link.as_dict() if link else None


def _carried_from_json(data: dict | None) -> CarriedFrom | None:
    return CarriedFrom(data.get("cycle_id"), data.get("cycle", ""), data.get("ref", "")) if data else None


def _closing_to_json(closing: Closing | None) -> dict | None:
    if closing is None:
        return None
    return {"on": closing.on.isoformat(), "scores": [asdict(s) for s in closing.scores]}


def _closing_from_json(data: dict | None) -> Closing | None:
    if not data:
        return None
    return Closing(on=date.fromisoformat(data["on"]), scores=[FinalScore(**s) for s in data["scores"]])


def to_domain(row: CycleRow) -> Cycle:
    """Build the domain cycle from its row and children."""
    return Cycle(
        id=row.id,
        name=row.name,
        level=Level(row.level),
        team=row.team,
        parent_id=row.parent_id,
        start=row.start,
        end=row.end,
        language=row.language,
        status=CycleStatus(row.status),
        closing=_closing_from_json(row.closing),
        checkin_dates=[date.fromisoformat(d) for d in row.checkin_dates],
        objectives=[
            Objective(
                id=o.id,
                title=o.title,
                type=ObjectiveType(o.type) if o.type else None,
                owner=o.owner,
                aligned_to=o.aligned_to,
                learning_goal=o.learning_goal,
                carried_from=_carried_from_json(o.carried_from),
                key_results=[_kr_from_row(k) for k in o.key_results],
                history=_history_from_json(o.history or []),
                removed=[_removed_from_json(r) for r in o.removed_key_results or []],
            )
            for o in row.objectives
        ],
        checkins=[
            CheckIn(
                number=c.number,
                on=c.on,
                note=c.note,
                snapshots=[
                    KRSnapshot(
                        ref=s["ref"],
                        value=s["value"],
                        score=s["score"],
                        status=KRStatus(s["status"]),
                        confidence=s.get("confidence"),
                        comment=s.get("comment", ""),
                    )
                    for s in c.snapshots
                ],
                history=list(c.history or []),
            )
            for c in row.checkins
        ],
        retro=[RetroNote(section=n.section, text=n.text) for n in row.retro_notes],
    )


def _sync_list(rows: list, items: list, make_row, update_row) -> None:
    """Make `rows` mirror `items` in order: update by id, create the new, drop the removed."""
    by_id = {row.id: row for row in rows}
    kept = []
    for position, item in enumerate(items, start=1):
        row = by_id.get(item.id) if item.id is not None else None
        if row is None:
            row = make_row()
        update_row(row, item, position)
        kept.append(row)
    rows[:] = kept


def _update_kr(row: KeyResultRow, kr: KeyResult, position: int) -> None:
    row.position, row.title, row.kind = position, kr.title, str(kr.kind)
    row.start_value, row.target, row.current, row.unit = kr.start, kr.target, kr.current, kr.unit
    row.owner, row.due, row.manual_score, row.confidence = kr.owner, kr.due, kr.manual_score, kr.confidence
    row.status, row.weight, row.history = str(kr.status), kr.weight, _history_to_json(kr.history)
    row.comment, row.carried_from = kr.comment, _carried_to_json(kr.carried_from)
    row.at_least, row.at_most = kr.at_least, kr.at_most

    def update_idea(idea_row: IdeaRow, idea: Idea, _position: int) -> None:
        idea_row.text, idea_row.impact, idea_row.effort, idea_row.status = (
            idea.text,
            idea.impact,
            idea.effort,
            str(idea.status),
        )

    _sync_list(row.ideas, kr.ideas, IdeaRow, update_idea)


def _removed_to_json(removed: RemovedKeyResult) -> dict:
    return {"number": removed.number, "title": removed.title, "history": _history_to_json(list(removed.history))}


def _removed_from_json(data: dict) -> RemovedKeyResult:
    return RemovedKeyResult(data["number"], data["title"], tuple(_history_from_json(data.get("history") or [])))


def _update_objective(row: ObjectiveRow, objective: Objective, position: int) -> None:
    row.position, row.title, row.owner = position, objective.title, objective.owner
    row.type = str(objective.type) if objective.type else None
    row.aligned_to, row.learning_goal = objective.aligned_to, objective.learning_goal
    row.carried_from = _carried_to_json(objective.carried_from)
    row.history = _history_to_json(objective.history)
    row.removed_key_results = [_removed_to_json(r) for r in objective.removed]
    # A key result's position is its number for life (KR2.<number>), gaps left by removed ones included.
    numbers = {id(kr): number for number, kr in objective.numbered()}
    _sync_list(
        row.key_results,
        objective.key_results,
        KeyResultRow,
        lambda kr_row, kr, _index: _update_kr(kr_row, kr, numbers[id(kr)]),
    )


def apply_to_row(cycle: Cycle, row: CycleRow) -> None:
    """Copy the domain cycle onto its row and children (in place, keeping ids)."""
    row.name, row.level, row.team, row.parent_id = cycle.name, str(cycle.level), cycle.team, cycle.parent_id
    row.start, row.end, row.language, row.status = cycle.start, cycle.end, cycle.language, str(cycle.status)
    row.checkin_dates = [d.isoformat() for d in cycle.checkin_dates]
    row.closing = _closing_to_json(cycle.closing)
    _sync_list(row.objectives, cycle.objectives, ObjectiveRow, _update_objective)
    recorded = {c.number: c for c in row.checkins}
    for checkin in cycle.checkins:
        stored = recorded.get(checkin.number)
        if stored is not None and len(checkin.history) > len(stored.history or []):  # an amendment
            stored.on, stored.note, stored.history = checkin.on, checkin.note, list(checkin.history)
            stored.snapshots = [_snapshot_to_json(s) for s in checkin.snapshots]
        if stored is None:  # otherwise a recorded check-in stays as it was
            row.checkins.append(
                CheckInRow(
                    number=checkin.number,
                    on=checkin.on,
                    note=checkin.note,
                    snapshots=[_snapshot_to_json(s) for s in checkin.snapshots],
                )
            )
    row.retro_notes[:] = [RetroNoteRow(section=n.section, text=n.text) for n in cycle.retro]


def _assign_ids(cycle: Cycle, row: CycleRow) -> None:
    cycle.id = row.id
    for objective, o_row in zip(cycle.objectives, row.objectives, strict=True):
        objective.id = o_row.id
        for kr, k_row in zip(objective.key_results, o_row.key_results, strict=True):
            kr.id, kr.number = k_row.id, k_row.position
            for idea, i_row in zip(kr.ideas, k_row.ideas, strict=True):
                idea.id = i_row.id


class CycleRepository:
    """Reads and writes cycles of one tenant in a session."""

    def __init__(self, session: Session, tenant_id: str):
        self.session = session
        self.tenant_id = tenant_id

    def _row(self, cycle_id: int) -> CycleRow:
        row = self.session.get(CycleRow, cycle_id, options=WHOLE_CYCLE)
        if row is None or row.tenant_id != self.tenant_id:
            raise CycleNotFound(f"no cycle {cycle_id}")
        return row

    def add(self, cycle: Cycle) -> Cycle:
        """Store a new cycle and give it (and its children) ids."""
        row = CycleRow(tenant_id=self.tenant_id)
        apply_to_row(cycle, row)
        self.session.add(row)
        self.session.flush()
        _assign_ids(cycle, row)
        return cycle

    def save(self, cycle: Cycle) -> Cycle:
        """Write back a changed cycle from this repository (a new revision); a closed cycle refuses every change."""
        row = self._row(cycle.id)
        if row.status == str(CycleStatus.CLOSED):
            ensure_open(to_domain(row))
        apply_to_row(cycle, row)
        row.revision = (row.revision or 0) + 1
        self.session.flush()
        _assign_ids(cycle, row)
        return cycle

    def get(self, cycle_id: int) -> Cycle:
        """Return a cycle by id, or raise CycleNotFound."""
        return to_domain(self._row(cycle_id))

    def find(self, id_or_name: str) -> Cycle:
        """Return a cycle by id or by exact name; raises CycleAmbiguous when several cycles have that name."""
        if re.fullmatch(r"[0-9]{1,18}", str(id_or_name)):  # ids fit in 64 bits; else a name
            return self.get(int(id_or_name))
        rows = self.session.scalars(
            select(CycleRow)
            .options(*WHOLE_CYCLE)
            .where(CycleRow.tenant_id == self.tenant_id, CycleRow.name == id_or_name)
            .order_by(CycleRow.id)
        ).all()
        if not rows:
            raise CycleNotFound(f"no cycle named '{id_or_name}'")
        if len(rows) > 1:
            raise ambiguous(id_or_name, [to_domain(row) for row in rows])
        return to_domain(rows[0])

    def delete(self, cycle_id: int) -> None:
        """Delete a cycle with everything recorded about it (its boards' journals too)."""
        row = self.session.get(CycleRow, cycle_id)
        if row is None or row.tenant_id != self.tenant_id:
            raise CycleNotFound(f"no cycle {cycle_id}")
        self.session.delete(row)
        self.session.flush()

    def summary(self, id_or_name: str) -> CycleSummary:
        """Return a cycle's id, name, parent and revision by id or name, without loading its objectives."""
        query = select(
            CycleRow.id,
            CycleRow.name,
            CycleRow.parent_id,
            CycleRow.revision,
            CycleRow.status == str(CycleStatus.CLOSED),
        ).where(CycleRow.tenant_id == self.tenant_id)
        if re.fullmatch(r"[0-9]{1,18}", str(id_or_name)):  # ids fit in 64 bits; else a name
            found = self.session.execute(query.where(CycleRow.id == int(id_or_name))).first()
            missing = f"no cycle {id_or_name}"
        else:
            named = self.session.execute(query.where(CycleRow.name == id_or_name)).all()
            if len(named) > 1:
                self.find(id_or_name)  # raises the error that lists the cycles sharing the name
            found = named[0] if named else None
            missing = f"no cycle named '{id_or_name}'"
        if found is None:
            raise CycleNotFound(missing)
        return CycleSummary(*found)

    def children(self, parent_id: int) -> list[CycleSummary]:
        """Return the summaries of the cycles linked to a parent cycle (a company cycle's team cycles), oldest first."""
        rows = self.session.execute(
            select(
                CycleRow.id,
                CycleRow.name,
                CycleRow.parent_id,
                CycleRow.revision,
                CycleRow.status == str(CycleStatus.CLOSED),
            )
            .where(CycleRow.tenant_id == self.tenant_id, CycleRow.parent_id == parent_id)
            .order_by(CycleRow.id)
        ).all()
        return [CycleSummary(*row) for row in rows]

    def list(self) -> list[Cycle]:
        """Return the tenant's cycles, newest first."""
        rows = self.session.scalars(
            select(CycleRow)
            .options(*WHOLE_CYCLE)
            .where(CycleRow.tenant_id == self.tenant_id)
            .order_by(CycleRow.id.desc())
        )
        return [to_domain(row) for row in rows]
