"""Add or replace key results during a cycle (rule M9): refused after mid-cycle unless forced, always logged."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from addon.domain.method.changes import ChangeRefused, add_key_result, remove_key_result, replace_key_result
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import Cycle, CycleStatus, KeyResult, KRKind, KRStatus, OkrError, RemovedKeyResult
from addon.domain.method.rules import MAX_KEY_RESULTS, Severity, check_key_result
from addon.domain.numbers import NumberError, parse_number
from addon.services.locked import changing_cycle
from addon.services.ports import Store

# Given as text (a person's typing), read in the cycle's language.
NUMBER_FIELDS = ("start", "target", "at_least", "at_most")
THRESHOLDS = ("at_least", "at_most", "between")

KR_REF = re.compile(r"^KR([1-9]\d*)\.([1-9]\d*)$")
OBJECTIVE_REF = re.compile(r"^O([1-9]\d*)$")


class UnknownRef(OkrError):
    """A ref (O2, KR2.3) that names nothing in the cycle."""


class BadValue(OkrError):
    """A value given for a key result that cannot be read."""


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _number(name: str, text: str, language: str) -> float:
    try:
        return parse_number(text, language)
    except NumberError as error:
        raise BadValue(f"{_option(name)}: {error}.") from None


def _read_numbers(fields: dict, language: str) -> dict:
    """Return the fields with their numbers given as text read by the app's number grammar."""
    read = dict(fields)
    for name in NUMBER_FIELDS:
        if isinstance(read.get(name), str):
            read[name] = _number(name, read[name], language)
    between = read.pop("between", None)
    if between is not None:
        low, high = (_number("between", text, language) if isinstance(text, str) else text for text in between)
        if low > high:
            raise BadValue(f"--between: write the lower bound first ({high:g} {low:g}).")
        read["at_least"], read["at_most"] = low, high
    return read


def _threshold_changes(fields: dict, kind: KRKind) -> dict:
    """Check the threshold options against the kind; a new threshold replaces the old one and any target."""
    given = [name for name in THRESHOLDS if fields.get(name) is not None]
    if not given:
        return {} if kind is KRKind.MAINTAIN else {"at_least": None, "at_most": None}
    if kind is not KRKind.MAINTAIN:
        raise BadValue(f"{_option(given[0])}: only a maintain key result has a threshold (--kind maintain).")
    if len(given) > 1:
        raise BadValue(f"give one of --at-least, --at-most or --between, not {' and '.join(map(_option, given))}.")
    for name in ("target", "start"):
        if fields.get(name) is not None:
            raise BadValue(f"{_option(name)}: a maintain key result with {_option(given[0])} has no {name}.")
    return {"at_least": None, "at_most": None, "target": None, "start": 0.0}


def _incomplete(cycle, ref: str, kr: KeyResult) -> None:
    """Refuse a key result that would not be measurable or owned (M6, M7) on a tracked cycle."""
    problems = [f for f in check_key_result(ref, kr, cycle) if f.severity is Severity.ERROR]
    if problems and cycle.status is not CycleStatus.DRAFT:
        raise ChangeRefused(problems, cycle.language)


def add_to_cycle(
    store: Store,
    tenant: str,
    cycle_ref: str,
    objective_ref: str,
    fields: dict,
    *,
    on: date,
    reason: str,
    force: bool = False,
) -> str:
    """Add a key result (its fields; numbers may be text) to an objective and return its ref (KR2.4)."""
    match = OBJECTIVE_REF.match(objective_ref)
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):
        kind = fields.get("kind") or KRKind.INCREASE
        read = {**_threshold_changes(fields, kind), **_read_numbers(fields, cycle.language)}
        kr = KeyResult(**read)
        if not match or int(match.group(1)) > len(cycle.objectives):
            raise UnknownRef(f"{objective_ref}: no such objective in {cycle.name} (O1..O{len(cycle.objectives)})")
        index = int(match.group(1)) - 1
        objective = cycle.objectives[index]
        ref = f"KR{index + 1}.{objective.next_kr_number()}"
        if cycle.status is not CycleStatus.DRAFT:
            kr.status = KRStatus.NOT_STARTED
        _incomplete(cycle, ref, kr)
        places = MAX_KEY_RESULTS if uow.boards.latest_board(cycle.id) else None  # a fresh board makes room
        add_key_result(cycle, objective, kr, on=on, reason=reason, forced=force, places=places)
        uow.cycles.save(cycle)
        return ref


def replace_in_cycle(
    store: Store, tenant: str, cycle_ref: str, kr_ref: str, changes: dict, *, on: date, reason: str, force: bool = False
) -> KeyResult:
    """Replace a key result by a new one in the same place; fields not given are kept, values start afresh."""
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):
        found = cycle.key_results_by_ref().get(kr_ref)
        if found is None:
            raise UnknownRef(f"{kr_ref}: no such key result in {cycle.name}")
        objective, old = found
        index = objective.key_results.index(old)
        kind = changes.get("kind") or old.kind
        changes = {**_threshold_changes(changes, kind), **_read_numbers(changes, cycle.language)}
        new = replace(old, **changes, current=None, manual_score=None, confidence=None, history=[])
        _incomplete(cycle, kr_ref, new)
        new.ideas = old.ideas  # the ideas stay in the same matrix on the board
        replaced = replace_key_result(cycle, objective, index, new, on=on, reason=reason, forced=force)
        uow.cycles.save(cycle)
        return replaced


def require_reason(cycle: Cycle, reason: str | None) -> str:
    """Return the reason of a change; a tracked cycle logs every change with one (M9), a draft needs none."""
    reason = (reason or "").strip()
    if not reason and cycle.status is not CycleStatus.DRAFT:
        raise BadValue(f"--reason: {cycle.name} is tracking, so the change is logged with its reason; give one.")
    return reason


def remove_from_cycle(
    store: Store,
    tenant: str,
    cycle_ref: str,
    kr_ref: str,
    *,
    on: date,
    reason: str | None,
    force: bool = False,
) -> RemovedKeyResult:
    """Remove a key result; its ref is never given again, so its items on the board never stand for another."""
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):
        ensure_open(cycle)
        found = cycle.key_results_by_ref().get(kr_ref.strip().upper())
        if found is None:
            known = ", ".join(cycle.key_results_by_ref()) or "none"
            raise UnknownRef(f"{kr_ref}: no such key result in {cycle.name} (it has {known})")
        objective, kr = found
        removed = remove_key_result(
            cycle, objective, kr, on=on, reason=require_reason(cycle, reason) or "removed", forced=force
        )
        uow.cycles.save(cycle)
        return removed
