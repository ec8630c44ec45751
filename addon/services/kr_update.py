"""Change a key result in the store (`okrboard kr update`); the next sync writes it to its card."""

from __future__ import annotations

from dataclasses import dataclass

from addon.domain.method.model import KeyResult, OkrError
from addon.domain.method.scoring import kr_score
from addon.domain.numbers import NumberError, parse_number
from addon.services.locked import changing_cycle
from addon.services.ports import Store

CLEAR_WORDS = {"none", "auto", "clear"}


class KRUpdateError(OkrError):
    """A key-result update that cannot be made (unknown ref, value out of range, unreadable number)."""


@dataclass(frozen=True)
class KRUpdate:
    """A key result after an update."""

    ref: str
    title: str
    current: float | None
    manual_score: float | None
    score: float
    confidence: float | None
    comment: str | None


def read_number(text: str, language: str, *, what: str, share: bool = False) -> float | None:
    """Read a number as a person types it (`6,500`, `6 500`, `0,7`, `70%`); `none` clears (scores only)."""
    if share and text.strip().lower() in CLEAR_WORDS:
        return None
    try:
        value = parse_number(text, language, share=share)
    except NumberError as error:
        raise KRUpdateError(f"{what}: {error}.") from None
    if share and not 0.0 <= value <= 1.0:
        raise KRUpdateError(f"{what}: {text} is outside 0 to 1 (write 0.7 or 70%).")
    return value


def update_key_result(
    store: Store,
    tenant: str,
    cycle_ref: str,
    ref: str,
    *,
    current: str | None = None,
    score: str | None = None,
    confidence: str | None = None,
    comment: str | None = None,
) -> KRUpdate:
    """Change a key result's current value, manual score (`none` clears it), confidence and comment."""
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):  # a sync writing this cycle now waits
        found = cycle.key_results_by_ref().get(ref.strip().upper())
        if found is None:
            known = ", ".join(cycle.key_results_by_ref()) or "none"
            raise KRUpdateError(f"{cycle.name} has no key result {ref} (it has {known}).")
        kr: KeyResult = found[1]
        if current is not None:
            kr.current = read_number(current, cycle.language, what="--current")
        if score is not None:
            kr.manual_score = read_number(score, cycle.language, what="--score", share=True)
        if confidence is not None:
            kr.confidence = read_number(confidence, cycle.language, what="--confidence", share=True)
        if comment is not None:
            kr.comment = comment
        uow.cycles.save(cycle)
        return KRUpdate(
            ref.strip().upper(), kr.title, kr.current, kr.manual_score, kr_score(kr), kr.confidence, kr.comment
        )
