"""What the next cycle carries: links to where each objective and key result came from, and the retrospective's
carry-over notes as draft ideas of the key result they name."""

from datetime import date

from addon.domain.method.closing import idea_home, next_cycle
from addon.domain.method.model import (
    CarriedFrom,
    Cycle,
    CycleStatus,
    Idea,
    KeyResult,
    KRStatus,
    Objective,
    ObjectiveType,
    RetroNote,
)


def closed_cycle(*notes: str) -> Cycle:
    done = KeyResult("Done already", target=5, current=5, owner="Ana", status=KRStatus.DONE)
    open_one = KeyResult("Demos booked", target=40, current=22, owner="Ana", ideas=[Idea("Webinars")])
    other = KeyResult("Questionnaires", target=10, current=2, owner="Dev")
    return Cycle(
        "Q1",
        date(2027, 1, 4),
        date(2027, 3, 31),
        status=CycleStatus.CLOSED,
        objectives=[
            Objective("Grow", ObjectiveType.COMMITMENT, "Ana", key_results=[done, open_one]),
            Objective("Trust", ObjectiveType.INSPIRATIONAL, "Dev", key_results=[other]),
            Objective("Learn", ObjectiveType.LEARNING, "Gus", key_results=[KeyResult("Talks", target=3)]),
        ],
        retro=[RetroNote("carry_over", note) for note in notes] + [RetroNote("worked", "Weekly calls")],
        id=7,
    )


def test_each_carried_objective_and_key_result_links_to_its_cycle_and_ref():
    follow, _ = next_cycle(closed_cycle(), start=date(2027, 4, 5), weeks=13, keep=["O1", "O3"])
    assert [o.carried_from for o in follow.objectives] == [CarriedFrom(7, "Q1", "O1"), CarriedFrom(7, "Q1", "O3")]
    assert [kr.carried_from.ref for o in follow.objectives for kr in o.key_results] == ["KR1.2", "KR3.1"]
    assert follow.objectives[0].key_results[0].history[0].reason == "from Q1 KR1.2"


def test_a_note_becomes_an_idea_of_the_key_result_it_names_else_of_its_objective_else_of_the_first():
    notes = ["More webinars for KR1.2", "Ask o2 customers", "KR1.1 again", "Hire someone"]
    follow, placed = next_cycle(closed_cycle(*notes), start=date(2027, 4, 5), weeks=13, keep=["O1", "O2"])
    assert placed == [
        ("More webinars for KR1.2", "KR1.1"),  # old KR1.2 is the new KR1.1 (KR1.1 was done, not carried)
        ("Ask o2 customers", "KR2.1"),
        ("KR1.1 again", "KR1.1"),  # names a key result that was not carried: the first key result
        ("Hire someone", "KR1.1"),
    ]
    first = follow.objectives[0].key_results[0]
    assert [(i.text, i.impact, i.effort) for i in first.ideas] == [
        ("Webinars", 5.0, 5.0),
        ("More webinars for KR1.2", 5.0, 5.0),
        ("KR1.1 again", 5.0, 5.0),
        ("Hire someone", 5.0, 5.0),
    ]


def test_a_note_that_repeats_a_kept_idea_is_not_added_twice():
    follow, placed = next_cycle(closed_cycle("Webinars"), start=date(2027, 4, 5), weeks=13, keep=["O1"])
    assert placed == [("Webinars", "KR1.1")]
    assert [i.text for i in follow.objectives[0].key_results[0].ideas] == ["Webinars"]


def test_notes_have_no_home_when_nothing_is_carried():
    follow, placed = next_cycle(closed_cycle("Hire someone"), start=date(2027, 4, 5), weeks=6, keep=[])
    assert follow.objectives == [] and placed == [("Hire someone", None)]


def test_idea_home_prefers_a_named_key_result_over_a_named_objective():
    carried, kept = {"KR1.2": "KR1.1", "KR2.1": "KR2.1"}, {"O1": ["KR1.1"], "O2": ["KR2.1"]}
    assert idea_home("O1 and KR2.1", carried, kept, "KR1.1") == "KR2.1"
    assert idea_home("nothing named", carried, kept, "KR1.1") == "KR1.1"
    assert idea_home("O9 unknown", {}, {}, None) is None
