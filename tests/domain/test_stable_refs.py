"""Any sequence of key results added and removed: a key result's ref never changes, and no ref is given twice."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from addon.domain.method.changes import add_key_result, remove_key_result
from addon.domain.method.model import Cycle, CycleStatus, KeyResult, Objective

START, END = date(2027, 1, 4), date(2027, 3, 31)
# (True, objective) adds a key result to it; (False, objective, n) removes its n-th key result (if it has one)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just(True), st.integers(0, 2)),
        st.tuples(st.just(False), st.integers(0, 2), st.integers(0, 4)),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(STEPS, st.sampled_from([CycleStatus.DRAFT, CycleStatus.TRACKING]))
def test_refs_are_for_life(steps, status):
    cycle = Cycle("Q1", START, END, status=status, objectives=[Objective(f"Goal {n}") for n in range(3)])
    for objective in cycle.objectives:
        objective.key_results = [KeyResult(f"{objective.title} seed {k}") for k in range(3)]
    ever: dict[str, str] = {}  # every ref given so far -> the title it was given to
    for made, step in enumerate([None, *steps]):  # None: look at the refs before any change
        if step is not None:
            objective = cycle.objectives[step[1]]
            if step[0] and len(objective.key_results) < 5:
                add_key_result(cycle, objective, KeyResult(f"new {made}"), on=START, reason="more")
            elif not step[0] and 1 < len(objective.key_results) > step[2]:
                remove_key_result(cycle, objective, objective.key_results[step[2]], on=START, reason="less")
        for ref, item in cycle.refs():
            if ref.startswith("KR"):
                assert ever.setdefault(ref, item.title) == item.title, f"{ref} was given to two key results"
