"""The report model: a cycle's state and history as plain data, built from the store (and a fresh sync).

`build_report` is pure: it takes a cycle and what the store knows about its board and returns a dict that is a
superset of `cycle show --format json` (`cycle_view`): every key of that view, unchanged, plus the report's own
keys (documented in docs/reports.md). The formats under `addon/reports/` only present this model.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from datetime import date

from addon.domain.board.roles import JournalState
from addon.domain.errors import OkrError
from addon.domain.method.health import LOW_CONFIDENCE, expected_score
from addon.domain.method.model import CheckIn, Cycle, CycleStatus, KRStatus, Quadrant
from addon.domain.method.rules import Finding, Severity, check_cycle
from addon.domain.method.scoring import SCORE_BANDS, band_verdict, cycle_score, objective_score
from addon.services.cycles import cycle_view
from addon.services.ports import BoardGateway, Store
from addon.services.report_text import attention_message
from addon.services.rollup import alignment, supported_by, team_cycles

REPORT_VERSION = 1
# Impact-effort ranking: the order the method works a matrix in (quick wins first, money pits last).
QUADRANT_ORDER = (Quadrant.QUICK_WIN, Quadrant.BIG_BET, Quadrant.FILL_IN, Quadrant.MONEY_PIT)
ACTIONS = {
    Quadrant.QUICK_WIN: "do_first",
    Quadrant.BIG_BET: "big_bet",
    Quadrant.FILL_IN: "fill_in",
    Quadrant.MONEY_PIT: "avoid",
}
RETRO_SECTIONS = ("worked", "did_not_work", "learned", "carry_over")


class ReportRefused(OkrError):
    """The report cannot be made as asked (e.g. a check-in that is not recorded)."""


@dataclass
class BoardFacts:
    """What the store and the last sync know about a cycle's board, for the attention list."""

    board_id: str | None = None
    view_link: str | None = None
    last_synced_at: str | None = None
    missing: list[str] = field(default_factory=list)  # journal keys of items gone from the board
    card_problems: list[dict] = field(default_factory=list)  # what the last sync could not read or take
    unplaced: list[dict] = field(default_factory=list)  # items the last sync found outside every area
    conflicts: list[dict] = field(default_factory=list)
    pictures: dict[int, bytes] = field(default_factory=dict)  # check-in number -> PNG of the board then


def as_of_checkin(cycle: Cycle, number: int) -> Cycle:
    """Return a copy of the cycle as it stood at a recorded check-in: its values and only the check-ins so far."""
    recorded = {c.number: c for c in cycle.checkins}
    if number not in recorded:
        done = ", ".join(str(n) for n in sorted(recorded)) or "none"
        raise ReportRefused(f"--checkin: check-in {number} of {cycle.name} is not recorded (recorded: {done}).")
    past = copy.deepcopy(cycle)
    past.checkins = [c for c in past.checkins if c.number <= number]
    by_ref = past.key_results_by_ref()
    for snap in recorded[number].snapshots:
        if snap.ref not in by_ref:
            continue
        _, kr = by_ref[snap.ref]
        kr.current, kr.status, kr.confidence, kr.comment = snap.value, snap.status, snap.confidence, snap.comment
        kr.manual_score = snap.score  # the score the check-in recorded, whatever it was computed from
    return past


def teams_at(teams: list[Cycle], on: date) -> tuple[list[Cycle], list[CheckIn | None]]:
    """Return each team cycle as its latest check-in on or before `on` recorded it, and that check-in.

    A team cycle with no check-in by then is returned as it is, with None: the report says "no check-in yet".
    """
    past, used = [], []
    for team in teams:
        latest = next((c for c in reversed(team.checkins) if c.on <= on), None)
        past.append(as_of_checkin(team, latest.number) if latest else team)
        used.append(latest)
    return past, used


def _ranking(kr) -> list[dict]:
    ordered = sorted(kr.ideas, key=lambda i: (QUADRANT_ORDER.index(i.quadrant), -i.impact, i.effort, i.text))
    return [
        {
            "rank": rank,
            "text": i.text,
            "quadrant": str(i.quadrant),
            "action": ACTIONS[i.quadrant],
            "impact": i.impact,
            "effort": i.effort,
            "status": str(i.status),
        }
        for rank, i in enumerate(ordered, start=1)
    ]


def _history(cycle: Cycle, ref: str) -> list[dict]:
    rows = []
    for checkin in cycle.checkins:
        for snap in checkin.snapshots:
            if snap.ref == ref:
                rows.append(
                    {
                        "checkin": checkin.number,
                        "date": checkin.on.isoformat(),
                        "value": snap.value,
                        "score": snap.score,
                        "status": str(snap.status),
                        "confidence": snap.confidence,
                        "comment": snap.comment,
                    }
                )
    return rows


def _checkin_summary(cycle: Cycle) -> list[dict]:
    """Per recorded check-in: each objective's score from its snapshots, and how many cards each column held."""
    rows = []
    for checkin in cycle.checkins:
        scores = {snap.ref: snap for snap in checkin.snapshots}
        objectives = {}
        for o_index, objective in enumerate(cycle.objectives, start=1):
            weighted = [
                (scores[f"KR{o_index}.{k}"].score, max(0.0, kr.weight))
                for k, kr in objective.numbered()
                if f"KR{o_index}.{k}" in scores
            ]
            total = sum(w for _, w in weighted)
            objectives[f"O{o_index}"] = round(sum(v * w for v, w in weighted) / total, 2) if total > 0 else None
        kanban = {str(status): 0 for status in KRStatus}
        for snap in checkin.snapshots:
            kanban[str(snap.status)] += 1
        rows.append(
            {"checkin": checkin.number, "date": checkin.on.isoformat(), "objectives": objectives, "kanban": kanban}
        )
    return rows


def _attention(cycle: Cycle, view: dict, facts: BoardFacts, findings: list[Finding], today: date) -> list[dict]:
    items: list[dict] = []

    def add(kind: str, ref: str, **detail) -> None:
        items.append({"kind": kind, "ref": ref, **detail})

    for objective in view["objectives"]:
        for kr in objective["key_results"]:
            health = (kr["health"] or {}).get("health")
            if health not in (None, "on_track") and kr["status"] != str(KRStatus.DONE):
                add("off_pace", kr["ref"], health=health, score=kr["score"], expected=kr["expected"])
            if kr["confidence"] is not None and kr["confidence"] < LOW_CONFIDENCE:
                add("low_confidence", kr["ref"], confidence=kr["confidence"])
    done = {c.number for c in cycle.checkins}
    for number, due in enumerate(cycle.checkin_dates, start=1):
        if due < today and number not in done and str(cycle.status) == "tracking":
            add("missed_checkin", f"checkin{number}", number=number, due=due.isoformat())
    for key in facts.missing:
        add("missing_from_board", key.split(":", 1)[-1] if key.startswith("card:") else key, key=key)
    for problem in facts.card_problems:
        add("card_problem", problem.get("ref") or "", text=problem.get("message", ""))
    for problem in facts.unplaced:
        add("unplaced", problem.get("ref") or "", text=problem.get("message", ""))
    for conflict in facts.conflicts:
        add(
            "conflict",
            conflict.get("ref") or conflict.get("key", ""),
            field=conflict.get("field"),
            kept=conflict.get("resolution"),
        )
    for finding in findings:
        if finding.severity is not Severity.INFO:
            add("finding", finding.ref, rule=finding.rule, severity=str(finding.severity), text=finding.message)
    for item in items:
        item["message"] = attention_message(item, cycle.language)
    return items


def build_report(
    cycle: Cycle,
    findings: list[Finding],
    facts: BoardFacts,
    *,
    today: date,
    checkin: int | None = None,
    synced: bool = False,
    teams: list[Cycle] | None = None,
) -> dict:
    """Return the report of a cycle (or of the cycle as it stood at check-in `checkin`) as plain data.

    A company cycle's report carries its team cycles (`teams`) with each team objective's company objective,
    and under each company objective the team objectives aligned to it: as they stand now, or at a check-in
    as each team cycle's latest check-in on or before the company's recorded them.
    """
    team_checkins = None
    if checkin is not None:
        cycle = as_of_checkin(cycle, checkin)
        today = cycle.checkins[-1].on
        teams, team_checkins = teams_at(teams or [], today)
    view = cycle_view(cycle, findings, facts.conflicts, today=today, teams=teams)
    view["team_cycles"] = alignment(cycle, teams or [], team_checkins)
    for objective, data in zip(cycle.objectives, view["objectives"], strict=True):
        data["learning_goal"] = objective.learning_goal
        data["supported_by"] = supported_by(view["team_cycles"], data["ref"])
        score = objective_score(objective)
        data["band"] = None
        if objective.type is not None:
            low, high = SCORE_BANDS[objective.type]
            verdict = str(band_verdict(score, objective.type)) if score is not None else None
            data["band"] = {"low": low, "high": high, "verdict": verdict}
        for kr, kr_data in zip(objective.key_results, data["key_results"], strict=True):
            kr_data["expected"] = round(expected_score(cycle, objective.type, today, kr.due), 2)
            kr_data["weight"] = kr.weight
            kr_data["comment"] = kr.comment or ""
            for change in kr_data["changes"]:  # cycle show's entries, with the names the report's tables use
                change["date"], change["previous_title"] = change["on"], change["previous"]
            kr_data["history"] = _history(cycle, kr_data["ref"])
            kr_data["ranking"] = _ranking(kr)
    score = cycle_score(cycle)
    view["report"] = {
        "version": REPORT_VERSION,
        "as_of": today.isoformat(),
        "checkin": checkin,
        "language": cycle.language,
        "score": round(score, 2) if score is not None else None,
        "synced": synced,
        "closing": (
            {"date": cycle.closing.on.isoformat(), "scores": [asdict(s) for s in cycle.closing.scores]}
            if cycle.closing
            else None
        ),
        "board": {"id": facts.board_id, "view_link": facts.view_link, "last_synced_at": facts.last_synced_at},
    }
    view["attention"] = _attention(cycle, view, facts, findings, today)
    view["change_log"] = [
        {"ref": kr["ref"], **change} for o in view["objectives"] for kr in o["key_results"] for change in kr["changes"]
    ]
    view["change_log"] += [  # objectives' own changes, and removed key results' (kept with their refs)
        {"ref": item["ref"], **change, "date": change["on"], "previous_title": change["previous"]}
        for o in view["objectives"]
        for item in [o, *o.get("removed_key_results", [])]
        for change in item.get("changes", [])
    ]
    view["change_log"].sort(key=lambda row: (row["date"], row["ref"]))
    view["checkin_summary"] = _checkin_summary(cycle)
    view["retrospective"] = {s: [n.text for n in cycle.retro if n.section == s] for s in RETRO_SECTIONS}
    return view


@dataclass
class Report:
    """A report's data (JSON-ready) and the pictures of the board at each recorded check-in (PNG bytes)."""

    data: dict
    pictures: dict[int, bytes] = field(default_factory=dict)


def load_report(
    store: Store,
    tenant: str,
    cycle_ref: str,
    gateway: BoardGateway | None,
    *,
    today: date,
    checkin: int | None = None,
    sync: bool = True,
) -> Report:
    """Sync the cycle's board (unless told not to), then build its report from the store."""
    from addon.services.sync_board import sync_cycle

    facts = BoardFacts()
    with store.unit(tenant) as uow:
        if uow.cycles.find(cycle_ref).status is CycleStatus.CLOSED:
            sync = False  # a closed cycle's report is its record: the board is no longer read
    if sync:
        if gateway is None:
            raise ReportRefused("A report syncs the board first: configure Miro, or pass --no-sync.")
        sync_cycle(store, tenant, cycle_ref, gateway)
    with store.unit(tenant) as uow:
        cycle = uow.cycles.find(cycle_ref)
        parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        board = uow.boards.latest_board(cycle.id)
        if board is not None:
            facts.board_id, facts.view_link = board.miro_board_id, board.view_link
            facts.last_synced_at = board.last_synced_at.isoformat() if board.last_synced_at else None
            facts.missing = sorted(
                key for key, e in uow.boards.entries(board.id).items() if e.state == JournalState.MISSING
            )
            facts.pictures = uow.boards.pictures(cycle.id)
            # The last sync's problems as the store keeps them: the same with or without a sync just now.
            problems = uow.boards.problems(board.id)
            facts.unplaced = [p for p in problems if p.get("kind") == "unplaced"]
            facts.card_problems = [p for p in problems if p.get("kind") != "unplaced"]
        facts.conflicts = uow.boards.conflicts(cycle.id)
        teams = team_cycles(uow, cycle)
    # The same findings as `cycle show` (its superset); missed check-ins are in the attention list instead.
    findings = check_cycle(cycle, parent=parent)
    data = build_report(cycle, findings, facts, today=today, checkin=checkin, synced=sync, teams=teams)
    last = checkin or max(facts.pictures, default=0)
    return Report(data, {n: png for n, png in sorted(facts.pictures.items()) if n <= last})
