"""Closing a cycle (final scores and per-type verdicts, then read-only) and what its next cycle carries over."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from addon.domain.errors import OkrError
from addon.domain.method.messages import say
from addon.domain.method.model import (
    CarriedFrom,
    Cycle,
    CycleStatus,
    Idea,
    KeyResult,
    KRChange,
    KRStatus,
    Objective,
    ObjectiveType,
    default_checkin_dates,
)
from addon.domain.method.scoring import SCORE_BANDS, band_verdict, kr_score, objective_score


class CycleClosed(OkrError):
    """The cycle is closed: nothing in it may change any more."""


def ensure_open(cycle: Cycle) -> None:
    """Refuse any change to a closed cycle, saying what to do instead."""
    if cycle.status is CycleStatus.CLOSED:
        ref, lang = cycle.id or cycle.name, cycle.language
        if cycle.closing:
            raise CycleClosed(say("close.read_only", lang, name=cycle.name, on=cycle.closing.on, cycle=ref))
        raise CycleClosed(say("close.read_only_undated", lang, name=cycle.name, cycle=ref))


# What each type's final score should say (method rule M10): a commitment is met or not, the others land in
# their band or not.
VERDICT_WORDS = {
    ObjectiveType.COMMITMENT: {"in": "met", "below": "not met", "above": "met"},
    ObjectiveType.INSPIRATIONAL: {"in": "in band", "below": "below band", "above": "above band"},
    ObjectiveType.LEARNING: {"in": "in band", "below": "below band", "above": "above band"},
}


@dataclass(frozen=True)
class FinalScore:
    """An objective's final score and what it says for its type."""

    ref: str
    score: float | None
    type: str | None
    band: str | None  # below | in | above (None without a type or a score)
    verdict: str  # met / not met (commitment), in band / below band / above band, or "no type"


@dataclass(frozen=True)
class Closing:
    """When a cycle was closed and its objectives' final scores."""

    on: date
    scores: list[FinalScore] = field(default_factory=list)


def final_scores(cycle: Cycle) -> list[FinalScore]:
    """Return each objective's final score and its per-type verdict."""
    finals = []
    for index, objective in enumerate(cycle.objectives, start=1):
        score = objective_score(objective)
        rounded = round(score, 2) if score is not None else None
        if objective.type is None or score is None:
            finals.append(FinalScore(f"O{index}", rounded, str(objective.type) if objective.type else None, None, "-"))
            continue
        band = band_verdict(score, objective.type)
        finals.append(
            FinalScore(f"O{index}", rounded, str(objective.type), str(band), VERDICT_WORDS[objective.type][band])
        )
    return finals


def close(cycle: Cycle, on: date) -> Closing:
    """Close a tracked cycle: record its final scores; from now on it is read-only."""
    ensure_open(cycle)
    if cycle.status is not CycleStatus.TRACKING:
        raise OkrError(say("close.not_tracking", cycle.language, name=cycle.name))
    cycle.closing = Closing(on=on, scores=final_scores(cycle))
    cycle.status = CycleStatus.CLOSED
    return cycle.closing


def band_text(objective_type: ObjectiveType) -> str:
    """Return the expected band of a type as people write it (1.0, 0.5-0.7)."""
    low, high = SCORE_BANDS[objective_type]
    return f"{low:.1f}" if low == high else f"{low:.1f}-{high:.1f}"


def _unfinished(kr) -> bool:
    return kr.status is not KRStatus.DONE and kr_score(kr) < 1.0


# A carry-over note that names a key result (KR1.2) or an objective (O1) of the closed cycle goes there.
NAMED_KR = re.compile(r"\bKR(\d+)\.(\d+)\b", re.IGNORECASE)
NAMED_OBJECTIVE = re.compile(r"\bO(\d+)\b", re.IGNORECASE)


def idea_home(note: str, carried: dict[str, str], kept: dict[str, list[str]], first: str | None) -> str | None:
    """Return the new cycle's key result a carry-over note becomes an idea of: the carried key result it names
    (KR1.2), else the first carried key result of the objective it names (O1), else the new cycle's first key
    result (None when the new cycle has none).

    `carried` maps old key-result refs to new ones, `kept` old objective refs to their new key-result refs.
    """
    for match in NAMED_KR.finditer(note):
        new = carried.get(f"KR{int(match.group(1))}.{int(match.group(2))}")
        if new:
            return new
    for match in NAMED_OBJECTIVE.finditer(note):
        refs = kept.get(f"O{int(match.group(1))}")
        if refs:
            return refs[0]
    return first


def _draft(kr: KeyResult, start: date, link: CarriedFrom, language: str) -> KeyResult:
    """Return an unfinished key result as a draft of the next cycle: progress reset, where it came from noted."""
    draft = copy.deepcopy(kr)
    draft.id, draft.status, draft.comment, draft.carried_from = None, KRStatus.DRAFT, None, link
    draft.number = None  # numbered afresh in the new cycle
    draft.start = kr.current if kr.current is not None and kr.kind.value in ("increase", "decrease") else kr.start
    draft.current, draft.manual_score, draft.confidence, draft.due = None, None, None, None
    draft.ideas = [i for i in copy.deepcopy(kr.ideas) if i.status.value != "done"]
    for idea in draft.ideas:
        idea.id = None
    draft.history = [KRChange(start, "carried", say("next.carried_reason", language, cycle=link.cycle, ref=link.ref))]
    return draft


def next_cycle(
    closed: Cycle, *, start: date, weeks: int, keep: list[str], name: str | None = None
) -> tuple[Cycle, list[tuple[str, str | None]]]:
    """Return the draft of the cycle after `closed`: same level, team and parent; the kept objectives with their
    unfinished key results as drafts with progress reset, each objective and key result linked to where it came
    from; the retrospective's carry-over notes as draft ideas (impact and effort 5, for the team to place) of the
    key result `idea_home` picks.

    Also returns each carry-over note with the new key result it became an idea of (None: no key result to hold it).
    """
    refs = {f"O{i}": o for i, o in enumerate(closed.objectives, start=1)}
    unknown = [ref for ref in keep if ref not in refs]
    if unknown:
        shown = {"unknown": ", ".join(unknown), "refs": ", ".join(refs)}
        raise OkrError(say("next.unknown_keep", closed.language, name=closed.name, **shown))
    if weeks not in (6, 13):
        raise OkrError(say("next.weeks", closed.language, weeks=weeks))
    end = start + timedelta(weeks=weeks) - timedelta(days=1)
    objectives, carried, kept = [], {}, {}
    for ref in keep:
        source: Objective = refs[ref]
        objective = copy.deepcopy(source)
        objective.id, objective.carried_from = None, CarriedFrom(closed.id, closed.name, ref)
        objective.history, objective.removed = [], []
        new_ref = f"O{len(objectives) + 1}"
        objective.key_results, kept[ref] = [], []
        for k_index, kr in source.numbered():
            if _unfinished(kr):
                old = f"{ref.replace('O', 'KR')}.{k_index}"
                link = CarriedFrom(closed.id, closed.name, old)
                objective.key_results.append(_draft(kr, start, link, closed.language))
                carried[old] = f"{new_ref.replace('O', 'KR')}.{len(objective.key_results)}"
                kept[ref].append(carried[old])
        objectives.append(objective)
    follow = Cycle(
        name=name or f"{closed.name} (next)",
        start=start,
        end=end,
        level=closed.level,
        team=closed.team,
        parent_id=closed.parent_id,
        language=closed.language,
        checkin_dates=default_checkin_dates(start, end),
        objectives=objectives,
    )
    first = next(iter(carried.values()), None)
    by_ref = follow.key_results_by_ref()
    notes = []
    for note in (n.text for n in closed.retro if n.section == "carry_over"):
        home = idea_home(note, carried, kept, first)
        if home is not None and all(idea.text != note for idea in by_ref[home][1].ideas):
            by_ref[home][1].ideas.append(Idea(note))
        notes.append((note, home))
    return follow, notes
