"""A company cycle's roll-up: the team cycles under it and the team objectives under the company objectives."""

from __future__ import annotations

from addon.domain.method.model import CheckIn, Cycle, Level
from addon.domain.method.rules import CYCLE_REF, check_alignment
from addon.domain.method.scoring import cycle_score, objective_score
from addon.services.ports import UnitOfWork


def _rounded(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def team_cycles(uow: UnitOfWork, cycle: Cycle) -> list[Cycle]:
    """Return the team cycles linked to a company cycle (by their parent link), oldest first."""
    if cycle.level is not Level.COMPANY or cycle.id is None:
        return []
    return [uow.cycles.get(child.id) for child in uow.cycles.children(cycle.id)]


def team_summaries(teams: list[Cycle]) -> list[dict]:
    """Return each team cycle's id, name, team, status and score (the mean of its objective scores)."""
    return [
        {"id": t.id, "name": t.name, "team": t.team, "status": str(t.status), "score": _rounded(cycle_score(t))}
        for t in teams
    ]


def alignment(company: Cycle, teams: list[Cycle], checkins: list[CheckIn | None] | None = None) -> list[dict]:
    """Return each team cycle's summary with its objectives, the company objective each aligns to, and the
    M12 findings: an objective aligned to nothing (or to an objective the company lacks) carries the finding.

    `checkins` (one per team, in a report at a company check-in) says which check-in of each team cycle its
    scores come from; None for a team means it had no check-in yet, so it has no scores to show.
    """
    titles = {f"O{n}": o.title for n, o in enumerate(company.objectives, start=1)}
    rows = []
    for position, (team, summary) in enumerate(zip(teams, team_summaries(teams), strict=True)):
        at: CheckIn | None = checkins[position] if checkins is not None else None
        no_checkin_yet = checkins is not None and at is None
        # Rule M12 decides what "not aligned" means, not this module; it speaks the company cycle's language.
        found = [f.in_language(company.language) for f in check_alignment(team, company)]
        by_ref = {f.ref: f for f in found}
        objectives = []
        for index, objective in enumerate(team.objectives, start=1):
            ref = f"O{index}"
            objectives.append(
                {
                    "ref": ref,
                    "title": objective.title,
                    "owner": objective.owner,
                    "score": None if no_checkin_yet else _rounded(objective_score(objective)),
                    "aligned_to": objective.aligned_to,
                    "aligned_title": titles.get(objective.aligned_to or ""),
                    "finding": by_ref[ref].as_dict() if ref in by_ref else None,
                }
            )
        cycle_findings = [f.as_dict() for f in found if f.ref == CYCLE_REF]
        as_of = {"checkin": {"number": at.number, "date": at.on.isoformat()} if at else None}
        as_of["no_checkin_yet"] = no_checkin_yet
        if no_checkin_yet:
            summary["score"] = None
        rows.append(summary | as_of | {"objectives": objectives, "findings": cycle_findings})
    return rows


def supported_by(tree: list[dict], company_ref: str) -> list[dict]:
    """Return the team objectives aligned to one company objective (the alignment tree's branch under it)."""
    return [
        {"cycle_id": team["id"], "team": team["team"], "ref": o["ref"], "title": o["title"], "score": o["score"]}
        for team in tree
        for o in team["objectives"]
        if o["aligned_to"] == company_ref and o["finding"] is None
    ]
