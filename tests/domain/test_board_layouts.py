"""Board templates: the bundled GTM template loads, every label is translated, and mistakes are named."""

import copy
from datetime import date

import pytest
import yaml

from addon.adapters.board_layouts import (
    LAYOUTS_DIR,
    TemplateError,
    available_languages,
    available_templates,
    load_layout,
    validate_template,
)
from addon.domain.board.card_text import plain_text
from addon.domain.board.layout import plan_board
from addon.domain.method.model import Cycle, KeyResult, Objective, ObjectiveType


@pytest.fixture
def document():
    return yaml.safe_load((LAYOUTS_DIR / "gtm.yaml").read_text(encoding="utf-8"))


def labels_in(node, path=""):
    """Yield (path, label) for every dict that maps 'en' to a translation."""
    if isinstance(node, dict):
        if "en" in node:
            yield path, node
            return
        for key, value in node.items():
            yield from labels_in(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from labels_in(value, f"{path}.{index}")


def problems(document):
    with pytest.raises(TemplateError) as caught:
        validate_template(document)
    return caught.value.problems


def test_the_gtm_template_loads_with_english_and_french():
    template = load_layout()
    assert "gtm" in available_templates()
    assert available_languages(template) == ["en", "fr"]
    assert available_languages("gtm") == ["en", "fr"]
    assert [c["label"]["en"] for c in template["kanban"]["columns"]] == [
        "Not started",
        "In progress",
        "At risk",
        "Done",
    ]
    assert [s["label"]["en"] for s in template["retro"]["sections"]] == [
        "What worked",
        "What did not",
        "What we learned",
        "Carry over",
    ]


def test_every_label_is_in_every_language():
    template = load_layout()
    found = list(labels_in(template))
    assert len(found) > 60
    for path, label in found:
        assert set(label) == {"en", "fr"}, path
        assert all(label.values()), path


def test_a_missing_french_label_names_the_field(document):
    del document["kanban"]["columns"][2]["label"]["fr"]
    del document["labels"]["rules"]["M3"]["fr"]
    assert problems(document) == [
        "kanban.columns.2.label: missing language 'fr'",
        "labels.rules.M3: missing language 'fr'",
    ]


def test_the_error_message_names_the_file_and_field(tmp_path, document):
    del document["retro"]["sections"][0]["prompt"]["fr"]
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"mine\.yaml.*\n.*retro\.sections\.0\.prompt: missing language 'fr'"):
        load_layout(path)


def test_translations_must_use_the_same_placeholders(document):
    document["labels"]["period"]["fr"] = "du {debut} au {end}"
    assert problems(document) == ["labels.period.fr: uses placeholders ['debut', 'end'] but en uses ['end', 'start']"]


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["matrix"]["margin"].update(top=0), "matrix.margin.top: Must be greater than or equal to 1."),
        (lambda d: d["kanban"].update(colour="#fff"), "kanban.colour: Unknown field."),
        (lambda d: d["kanban"]["columns"][0].update(colour="blue"), "kanban.columns.0.colour: must be a hex colour"),
        (lambda d: d["retro"]["sections"][0].update(sticky="#ffffff"), "retro.sections.0.sticky: Must be one of"),
        (lambda d: d["labels"].pop("frame_log"), "labels.frame_log: Missing data for required field."),
        (lambda d: d["board"]["arrangement"][1].remove("log"), "board.arrangement: must place each of"),
        (lambda d: d["matrix"]["quadrants"][0].update(position="bottom_right"), "matrix.quadrants: quadrants must be"),
        (lambda d: d["labels"]["months"].update(fr=["janv."]), "labels.months: fr: must list the 12 month names"),
        (lambda d: d["kanban"]["columns"][1].update(status="not_started"), "kanban.columns: each column needs"),
    ],
)
def test_structural_mistakes_are_named(document, change, expected):
    change(document)
    assert any(p.startswith(expected) for p in problems(document)), problems(document)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(TemplateError, match="no such file"):
        load_layout(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("board: [unclosed", encoding="utf-8")
    with pytest.raises(TemplateError, match="not valid YAML"):
        load_layout(bad)


def cycle():
    krs = [KeyResult(f"KR {n}", target=10, owner="Ben", due=date(2027, 3, 1)) for n in range(3)]
    return Cycle(
        "Q1",
        date(2027, 1, 4),
        date(2027, 3, 31),
        objectives=[Objective("Win", ObjectiveType.COMMITMENT, "Ana", key_results=krs)],
    )


def test_a_facilitator_can_rename_a_column_without_python(document):
    document["kanban"]["columns"][2]["label"] = {"en": "Blocked", "fr": "Bloqué"}
    plan = plan_board(cycle(), validate_template(document), language="fr")
    assert plain_text(plan.item("kanban:column:at_risk").data["content"]) == "Bloqué"


def test_a_facilitator_can_add_a_language(document):
    document["languages"].append("de")
    for _, label in labels_in(document):
        label["de"] = copy.deepcopy(label["en"])
    document["kanban"]["columns"][3]["label"]["de"] = "Erledigt"
    template = validate_template(document)
    assert available_languages(template) == ["en", "fr", "de"]
    plan = plan_board(cycle(), template, language="de")
    assert plain_text(plan.item("kanban:column:done").data["content"]) == "Erledigt"


def test_an_added_language_must_cover_every_label(document):
    document["languages"].append("de")
    for _, label in labels_in(document):
        label["de"] = copy.deepcopy(label["en"])
    del document["labels"]["types"]["learning"]["de"]
    assert problems(document) == ["labels.types.learning: missing language 'de'"]


def test_a_language_the_template_lacks_is_refused():
    with pytest.raises(ValueError, match="no language 'de'.*en, fr"):
        plan_board(cycle(), load_layout(), language="de")
