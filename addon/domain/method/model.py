"""The OKR domain: cycles, objectives, key results, ideas, check-ins and retrospectives (standard library)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from addon.domain.errors import OkrError as OkrError  # re-exported: most callers know it from here


class Level(enum.StrEnum):
    """Whether a cycle holds the company's strategic OKRs or one team's OKRs."""

    COMPANY = "company"
    TEAM = "team"


class ObjectiveType(enum.StrEnum):
    """The GTM method's three kinds of objective, each with its own expected final score."""

    COMMITMENT = "commitment"
    INSPIRATIONAL = "inspirational"
    LEARNING = "learning"


class KRKind(enum.StrEnum):
    """How a key result's progress is computed from its values."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MILESTONE = "milestone"
    MAINTAIN = "maintain"


class KRStatus(enum.StrEnum):
    """Where a key result stands: drafted in its objective frame, or in a Kanban column."""

    DRAFT = "draft"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    AT_RISK = "at_risk"
    DONE = "done"


class CycleStatus(enum.StrEnum):
    """A cycle's life: drafted in a workshop, tracked through check-ins, then closed."""

    DRAFT = "draft"
    TRACKING = "tracking"
    CLOSED = "closed"


class IdeaStatus(enum.StrEnum):
    """How far an idea in an impact-effort matrix has got."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Quadrant(enum.StrEnum):
    """The four areas of an impact-effort matrix."""

    QUICK_WIN = "quick_win"  # high impact, low effort: do first
    BIG_BET = "big_bet"  # high impact, high effort: if resources allow
    FILL_IN = "fill_in"  # low impact, low effort
    MONEY_PIT = "money_pit"  # low impact, high effort: avoid


# Impact and effort are 0..10; the matrix splits each axis in the middle.
MATRIX_MIDPOINT = 5.0


def quadrant_for(impact: float, effort: float) -> Quadrant:
    """Return the quadrant of an idea; a value exactly on the midpoint counts as high."""
    high_impact = impact >= MATRIX_MIDPOINT
    high_effort = effort >= MATRIX_MIDPOINT
    if high_impact:
        return Quadrant.BIG_BET if high_effort else Quadrant.QUICK_WIN
    return Quadrant.MONEY_PIT if high_effort else Quadrant.FILL_IN


@dataclass
class Idea:
    """An initiative sticky in a key result's impact-effort matrix."""

    text: str
    impact: float = 5.0
    effort: float = 5.0
    status: IdeaStatus = IdeaStatus.NOT_STARTED
    id: int | None = None

    @property
    def quadrant(self) -> Quadrant:
        """The quadrant this idea's impact and effort place it in."""
        return quadrant_for(self.impact, self.effort)


@dataclass(frozen=True)
class KRChange:
    """One logged change to a key result set (method rule M9)."""

    on: date
    action: str  # "added" | "replaced" | "removed" | "carried" (by `next-cycle`); objectives: "added" | "updated"
    reason: str
    forced: bool = False
    previous_title: str | None = None


@dataclass(frozen=True)
class CarriedFrom:
    """Where `next-cycle` carried an objective or key result from: the closed cycle and its ref there."""

    cycle_id: int | None
    cycle: str  # the cycle's name when it was carried
    ref: str  # O2, KR2.3

    def as_dict(self) -> dict:
        """Return the link as plain JSON-ready values."""
        return {"cycle_id": self.cycle_id, "cycle": self.cycle, "ref": self.ref}


@dataclass
class KeyResult:
    """A measurable result that shows an objective is being reached."""

    title: str
    kind: KRKind = KRKind.INCREASE
    target: float | None = None
    start: float = 0.0
    current: float | None = None
    unit: str = ""
    owner: str | None = None
    due: date | None = None
    manual_score: float | None = None
    confidence: float | None = None
    status: KRStatus = KRStatus.DRAFT
    weight: float = 1.0
    ideas: list[Idea] = field(default_factory=list)
    history: list[KRChange] = field(default_factory=list)
    comment: str | None = None  # left for the next check-in (`kr update --comment`), cleared when it is recorded
    # A maintain key result's threshold: `at_least` alone, `at_most` alone, or both (`between`).
    at_least: float | None = None
    at_most: float | None = None
    id: int | None = None
    number: int | None = None  # its place in the objective for life (KR2.<number>); None until it is numbered
    carried_from: CarriedFrom | None = None


@dataclass(frozen=True)
class RemovedKeyResult:
    """What stays of a removed key result: its number (never given again), title and change log."""

    number: int
    title: str
    history: tuple[KRChange, ...] = ()


@dataclass
class Objective:
    """A qualitative goal of a cycle, with its key results."""

    title: str
    type: ObjectiveType | None = None
    owner: str | None = None
    aligned_to: str | None = None  # ref of the parent cycle's objective, e.g. "O2"
    learning_goal: str = ""
    key_results: list[KeyResult] = field(default_factory=list)
    id: int | None = None
    history: list[KRChange] = field(default_factory=list)  # changes to the objective itself while tracking
    removed: list[RemovedKeyResult] = field(default_factory=list)
    carried_from: CarriedFrom | None = None

    def _highest_given(self) -> int:
        taken = [kr.number for kr in self.key_results if kr.number] + [r.number for r in self.removed]
        return max(taken, default=0)

    def next_kr_number(self) -> int:
        """Return the number a new key result gets: after every number given so far, removed ones included."""
        return max([number for number, _ in self.numbered()] + [self._highest_given()]) + 1

    def fix_numbers(self) -> None:
        """Give every key result its number for good (before the list changes, so none takes another's)."""
        for number, kr in self.numbered():
            kr.number = number

    def numbered(self) -> list[tuple[int, KeyResult]]:
        """Return (number, key result) pairs in board order; a key result not numbered yet gets the next number.

        Numbers are stable: removing KR2.2 leaves KR2.3 as it is, so board items keyed by a ref never change owner.
        """
        free = self._highest_given() + 1
        pairs = []
        for kr in self.key_results:
            if kr.number:
                pairs.append((kr.number, kr))
            else:
                pairs.append((free, kr))
                free += 1
        return pairs

    def number_of(self, kr: KeyResult) -> int:
        """Return the number of one of this objective's key results (found by identity)."""
        return next(number for number, candidate in self.numbered() if candidate is kr)


@dataclass(frozen=True)
class KRSnapshot:
    """What one key result looked like at a check-in."""

    ref: str
    value: float | None
    score: float
    status: KRStatus
    confidence: float | None = None
    comment: str = ""


@dataclass
class CheckIn:
    """One of the cycle's accountability check-ins, changed only by an amendment that keeps the old version."""

    number: int
    on: date
    snapshots: list[KRSnapshot] = field(default_factory=list)
    note: str = ""
    history: list[dict] = field(default_factory=list)  # earlier versions, oldest first: {on, note, snapshots}


@dataclass
class RetroNote:
    """A sticky from the retrospective frame."""

    section: str  # worked | did_not_work | learned | carry_over
    text: str


@dataclass
class Cycle:
    """An OKR period at one level (company or team) with its objectives and check-ins."""

    name: str
    start: date
    end: date
    level: Level = Level.COMPANY
    team: str | None = None
    parent_id: int | None = None
    language: str = "en"
    checkin_dates: list[date] = field(default_factory=list)
    status: CycleStatus = CycleStatus.DRAFT
    objectives: list[Objective] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    retro: list[RetroNote] = field(default_factory=list)
    id: int | None = None
    closing: object | None = None  # a `closing.Closing` once the cycle is closed: its final scores

    def __post_init__(self) -> None:
        if not self.checkin_dates and self.start < self.end:
            self.checkin_dates = default_checkin_dates(self.start, self.end)

    def objective_ref(self, index: int) -> str:
        """Return the ref (O1..On) of the objective at a 0-based index."""
        return f"O{index + 1}"

    def refs(self):
        """Yield (ref, objective) and (ref, key result) pairs in board order."""
        for o_index, objective in enumerate(self.objectives, start=1):
            yield f"O{o_index}", objective
            for k_index, key_result in objective.numbered():
                yield f"KR{o_index}.{k_index}", key_result

    def key_results_by_ref(self) -> dict[str, tuple[Objective, KeyResult]]:
        """Map each key result's ref (KR2.3) to its objective and itself."""
        return {
            f"KR{o}.{k}": (objective, key_result)
            for o, objective in enumerate(self.objectives, start=1)
            for k, key_result in objective.numbered()
        }


CHECKINS_PER_CYCLE = 6


def default_checkin_dates(start: date, end: date) -> list[date]:
    """Spread the six check-ins evenly over the cycle; the last one falls on its end (rule M8)."""
    days = (end - start).days
    return [
        date.fromordinal(start.toordinal() + round(days * n / CHECKINS_PER_CYCLE))
        for n in range(1, CHECKINS_PER_CYCLE + 1)
    ]
