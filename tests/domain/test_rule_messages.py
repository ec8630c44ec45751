"""The rule-message catalogue: every message in every language, with the same placeholders, used by the rules."""

from datetime import date
from string import Formatter

import pytest

from addon.domain.method.model import Cycle, KeyResult, KRKind, Level, Objective, ObjectiveType
from addon.domain.method.rule_messages import LANGUAGES, MESSAGES, render
from addon.domain.method.rules import check_alignment, check_cycle

RULES = [f"M{n}" for n in range(1, 13)]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def sample(key: str) -> dict:
    names = placeholders(MESSAGES[key]["en"])
    return {name: "commitment" if name == "type" else 2.5 for name in names}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_written_in_every_language(key):
    assert set(MESSAGES[key]) == set(LANGUAGES)
    assert all(text.strip() for text in MESSAGES[key].values())


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_language_of_a_message_has_the_same_placeholders(key):
    english = placeholders(MESSAGES[key]["en"])
    for language in LANGUAGES:
        assert placeholders(MESSAGES[key][language]) == english, language
        assert "{" not in render(key, language, sample(key))


def test_every_rule_has_messages_and_every_key_names_its_rule():
    assert {key.split(".")[0] for key in MESSAGES} == set(RULES)
    assert all(key.split(".")[0] in RULES for key in MESSAGES)


def test_french_messages_write_numbers_with_a_decimal_comma_and_say_the_type_in_french():
    params = {"score": 0.5, "type": "commitment"}
    assert render("M10.below", "fr", params) == (
        "Le score final 0,50 est sous la fourchette attendue d'un objectif d'engagement."
    )
    assert render("M10.below", "en", params) == "Final score 0.50 is below the band expected of a commitment objective."


def test_a_language_the_catalogue_lacks_gets_the_english_message():
    assert render("M4.no_owner", "de", {}) == "The objective has no owner."


def french_cycle() -> Cycle:
    crooked = KeyResult("Satisfaction", kind=KRKind.INCREASE, start=10.0, target=5.0, owner="", due=None)
    return Cycle(
        "T1",
        date(2027, 1, 1),
        date(2027, 6, 30),
        objectives=[Objective("Gagner 3 marchés", None, "", key_results=[crooked])],
        language="fr",
        level=Level.TEAM,
    )


def test_a_french_cycle_gets_every_rule_message_in_french():
    findings = check_cycle(french_cycle())
    messages = {f.rule: f.message for f in findings}
    assert (
        messages["M3"]
        == "L'objectif « Gagner 3 marchés » contient un chiffre ; gardez les chiffres pour ses résultats clés."
    )
    assert messages["M12"] == "Le cycle d'équipe n'est lié à aucun cycle d'entreprise."
    assert "sa cible (5) est sous son départ (10)" in messages["M6"]
    assert {f.rule for f in findings} >= {"M1", "M2", "M3", "M4", "M5", "M6", "M7", "M12"}
    for f in findings:
        assert f.message == f.text("fr") != f.text("en"), f.key


def test_a_finding_says_itself_in_english_on_an_english_board_of_a_french_cycle():
    team = french_cycle()
    company = Cycle("Q1", team.start, team.end, objectives=[Objective("Grow", ObjectiveType.COMMITMENT, "Ana")])
    team.objectives[0].aligned_to = "O4"
    (unknown,) = [f for f in check_alignment(team, company) if f.ref == "O1"]
    assert unknown.text("en") == "The objective is aligned to O4, which the company cycle does not have."
    assert unknown.text("fr") == "L'objectif est aligné sur O4, que le cycle d'entreprise n'a pas."
