"""Key-result card text: formatting, parsing (English and French), escaping and plain text."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.domain.board.card_text import (
    NBSP,
    escape_text,
    format_card_title,
    format_due_date,
    format_kr_description,
    format_placeholder_description,
    html_lines,
    parse_card_title,
    parse_due_date,
    parse_kr_description,
    plain_text,
)
from addon.domain.method.model import KeyResult, KRKind
from addon.domain.method.scoring import kr_score


def partners(current=6500.0, **kwargs):
    return KeyResult("Signed design partners", target=10000, current=current, unit="partners", **kwargs)


def test_english_description_reads_like_the_design():
    assert format_kr_description(partners(), 0.65) == "<p>Target: 10,000 partners · Current: 6,500 · Score: 0.65</p>"


def test_french_description_uses_french_labels_and_numbers():
    text = format_kr_description(partners(), 0.65, language="fr")
    assert text.replace(NBSP, " ") == "<p>Cible : 10 000 partners · Actuel : 6 500 · Score : 0,65</p>"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "kr, score",
    [
        (partners(), 0.65),
        (partners(current=1234567.25), 1.0),
        (KeyResult("Churn", kind=KRKind.DECREASE, start=8, target=5, current=6.5, unit="%"), 0.5),
        (KeyResult("Launch", kind=KRKind.MILESTONE, current=1), 1.0),
        (KeyResult("Launch", kind=KRKind.MILESTONE, current=0), 0.0),
        (partners(current=None), 0.0),
        (partners(manual_score=0.7), 0.7),
    ],
)
def test_description_round_trips(kr, score, language):
    parsed = parse_kr_description(format_kr_description(kr, score, language=language), language)
    assert parsed.problems == []
    assert parsed.current == kr.current
    assert parsed.score == score
    assert parsed.score_manual is (kr.manual_score is not None)
    assert parsed.language == language


@pytest.mark.parametrize("language", ["en", "fr"])
@given(score=st.floats(min_value=0, max_value=1))
def test_scores_round_trip(language, score):
    kr = partners()
    parsed = parse_kr_description(format_kr_description(kr, score, language=language))
    assert parsed.score == float(f"{score:.2f}")
    assert parsed.problems == []


@pytest.mark.parametrize(
    "text, current",
    [
        ("Current: 6,500", 6500),
        ("Actuel : 6 500", 6500),
        (f"Actuel : 6{NBSP}500", 6500),
        ("Actuel : 6\u202f500", 6500),
        ("Current: 6.5", 6.5),
        ("Current: 0.125", 0.125),
        ("Current: 1,500,000", 1_500_000),
        ("Current: 1,234.5", 1234.5),
        ("Current: 1,234.500", 1234.5),
        ("Current: -3", -3),
        ("Current: \u22123", -3),
        ("Current: 6,500 partners", 6500),
        ("Current: 70%", 70),
        ("Current: yes", 1),
        ("Current: no", 0),
        ("Actuel : 6,5", 6.5),
        ("Actuel : 6 500,25", 6500.25),
        ("Actuel&nbsp;: 1,234", 1.234),
        ("Actuel : oui", 1),
        ("Current: ?", None),
        ("Current:", None),
    ],
)
def test_current_formats(text, current):
    parsed = parse_kr_description(f"<p>{text}</p>")
    assert parsed.problems == []
    assert parsed.current == current


@pytest.mark.parametrize(
    "text, score",
    [
        ("Score: 0.7", 0.7),
        ("Score: 70%", 0.7),
        ("Score: 70 %", 0.7),
        ("Score: 1", 1.0),
        ("Score: 0", 0.0),
        ("Score: 100%", 1.0),
        ("Score: 0.70 (manual)", 0.7),
        ("Score: 0.650", 0.65),  # 0 before the point: a decimal, never thousands
    ],
)
def test_score_formats(text, score):
    parsed = parse_kr_description(f"<p>{text}</p>")
    assert parsed.problems == []
    assert parsed.score == pytest.approx(score)


def test_a_score_is_read_in_the_board_language_unless_the_labels_say_otherwise():
    assert parse_kr_description("<p>Score : 0,65</p>", "fr").score == 0.65
    assert parse_kr_description("<p>Score: 0.65</p>", "fr").problems  # a point is not French
    assert parse_kr_description("<p>Actuel : 1,5 · Score : 0,5</p>", "en").score == 0.5  # French labels
    assert parse_kr_description("<p>Score: 0,7</p>", "en").problems == [
        "Score: '0,7' is not a number on an English board (write 0.7)."
    ]


def test_french_commas_are_decimals_and_english_commas_group_thousands():
    assert parse_kr_description("<p>Current: 1,500</p>").current == 1500
    assert parse_kr_description("<p>Actuel : 1,500</p>").current == 1.5
    assert parse_kr_description("<p>Cible : 2 000 · Actuel : 1,500</p>").current == 1.5


@pytest.mark.parametrize(
    "text, field",
    [
        ("Score: abc", "Score"),
        ("Score: 1.7", "Score"),
        ("Score: 170%", "Score"),
        ("Score: -0.1", "Score"),
        ("Score: 0.5 great", "Score"),
        ("Current: -", "Current"),
        ("Current: lots", "Current"),
        ("Actuel : beaucoup", "Actuel"),
        ("Current: 1,,5", "Current"),
        # Text that a lenient reader would turn into another number than the one typed (issue cases):
        ("Current: 1e308", "Current"),
        ("Current: 0x10", "Current"),
        ("Current: 1_000", "Current"),
        ("Current: " + "9" * 400, "Current"),
        ("Current: 6.500", "Current"),  # 6.5 or 6500?
        ("Current: 6 500", "Current"),  # English boards group with commas: this would read 6
        ("Current: 1.2k", "Current"),
        ("Current: 1,5", "Current"),
        ("Current: 1.234,5", "Current"),
        ("Current: \u0661\u0662", "Current"),  # digits other than 0-9
        ("Actuel : 1.234", "Actuel"),
        ("Current: inf", "Current"),
        ("Current: nan", "Current"),
    ],
)
def test_bad_fields_give_problems_not_values(text, field):
    parsed = parse_kr_description(f"<p>Target: 10 · {text}</p>")
    assert parsed.current is None and parsed.score is None
    assert len(parsed.problems) == 1
    assert parsed.problems[0].startswith(f"{field}:")
    assert parsed.target == 10


def test_a_bad_field_leaves_the_good_one():
    parsed = parse_kr_description("<p>Current: 7,000 · Score: 1.7</p>")
    assert parsed.current == 7000
    assert parsed.score is None
    assert parsed.problems == ["Score: 1.7 is outside 0 to 1 (write 0.7 or 70%)."]


def test_a_repeated_field_is_a_problem():
    parsed = parse_kr_description("<p>Score: 0.5</p><p>Score: 0.6</p>")
    assert parsed.score is None
    assert parsed.problems == ["Score: the field appears 2 times; keep one."]


def test_fields_on_separate_lines_and_with_entities():
    parsed = parse_kr_description("<p>Target&#58; 10</p><p>Current: 6,500<br>Score: 0.65</p>")
    assert (parsed.target, parsed.current, parsed.score) == (10, 6500, 0.65)


def test_placeholder_description_parses_to_nothing():
    for language in ("en", "fr"):
        parsed = parse_kr_description(format_placeholder_description(language))
        assert (parsed.current, parsed.score, parsed.problems) == (None, None, [])


def test_escape_text_neutralises_html():
    escaped = escape_text('<script>alert("x")</script> R&D\x07\'')
    assert escaped == '&lt;script&gt;alert("x")&lt;/script&gt; R&amp;D\''
    assert "<" not in escaped


def test_user_text_survives_a_trip_through_miro_html():
    text = 'Tom & Jerry <b>"quoted"</b> 5 > 3'
    assert plain_text(html_lines([text])) == text
    assert plain_text(format_card_title("KR1.2", text)) == f"KR1.2 · {text}"


def test_description_escapes_the_unit():
    kr = KeyResult("x", target=5, current=1, unit="<b>R&D</b>")
    description = format_kr_description(kr, 0.2)
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in description
    assert parse_kr_description(description).current == 1


def test_plain_text_reads_lines_and_entities():
    assert plain_text("<p>a &amp; b</p><p>c&nbsp;d</p>") == "a & b\nc d"
    assert plain_text("one<br>two<br/>three") == "one\ntwo\nthree"
    assert plain_text("<p><strong>bold</strong> &lt;tag&gt; &#233;t&eacute;</p>") == "bold <tag> été"
    assert plain_text("") == "" and plain_text(None) == ""


def test_card_titles_round_trip():
    title = format_card_title("KR1.2", "Signed <partners> & co")
    assert title == "KR1.2 · Signed &lt;partners&gt; &amp; co"
    assert parse_card_title(title) == ("KR1.2", "Signed <partners> & co")
    assert parse_card_title("<p>O3: Win DACH</p>") == ("O3", "Win DACH")
    assert parse_card_title("Just a title") == (None, "Just a title")


def test_due_dates():
    assert format_due_date(date(2027, 3, 15)) == "2027-03-15T12:00:00.000Z"
    assert parse_due_date("2027-03-15T12:00:00.000Z") == date(2027, 3, 15)
    # Dates picked in Miro are the user's local midnight: Berlin (UTC+2) and New York (UTC-4).
    assert parse_due_date("2023-10-12T22:00:00.000Z") == date(2023, 10, 13)
    assert parse_due_date("2023-10-13T04:00:00.000Z") == date(2023, 10, 13)
    assert parse_due_date(None) is None


# Maintain thresholds and over-achievement ----------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, language, line",
    [
        ({"at_least": 99.5, "unit": "%"}, "en", "Keep ≥ 99.5%"),
        ({"at_least": 99.5, "unit": "%"}, "fr", "Garder ≥ 99,5 %"),
        ({"at_most": 25, "unit": "ms"}, "en", "Keep ≤ 25 ms"),
        ({"at_most": 2500, "unit": "ms"}, "fr", "Garder ≤ 2 500 ms"),
        ({"at_least": 8, "at_most": 10, "unit": "points"}, "en", "Keep between 8 and 10 points"),
        ({"at_least": 8.5, "at_most": 10}, "fr", "Garder entre 8,5 et 10"),
    ],
)
def test_a_maintain_card_shows_its_threshold_instead_of_a_target(fields, language, line):
    kr = KeyResult("Uptime", KRKind.MAINTAIN, current=9, **fields)
    text = plain_text(format_kr_description(kr, kr_score(kr), language=language))
    assert text.startswith(line + " · ")
    assert "Target" not in text and "Cible" not in text


def test_the_old_maintain_form_still_shows_start_and_target():
    kr = KeyResult("Uptime", KRKind.MAINTAIN, start=95, target=99, current=97)
    assert plain_text(format_kr_description(kr, 1.0)) == "Start: 95 · Target: 99 · Current: 97 · Score: 1.00"


@pytest.mark.parametrize("language, score", [("en", "Score: 1.00 (125%)"), ("fr", "Score : 1,00 (125 %)")])
def test_a_key_result_beyond_its_target_shows_its_progress_beside_the_capped_score(language, score):
    kr = KeyResult("Leads", target=100, current=125)
    assert plain_text(format_kr_description(kr, kr_score(kr), language=language)).endswith(score)


@pytest.mark.parametrize("current", [100, 100.4, 80])
def test_no_progress_is_shown_when_the_target_is_not_passed(current):
    kr = KeyResult("Leads", target=100, current=current)
    assert "(" not in plain_text(format_kr_description(kr, kr_score(kr)))


def test_a_manual_score_shows_manual_not_a_progress():
    kr = KeyResult("Leads", target=100, current=125, manual_score=0.9)
    assert plain_text(format_kr_description(kr, kr_score(kr))).endswith("Score: 0.90 (manual)")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "fields",
    [
        {"kind": KRKind.MAINTAIN, "at_least": 99.5, "unit": "%", "current": 99.7},
        {"kind": KRKind.MAINTAIN, "at_most": 25, "unit": "ms", "current": 27},
        {"kind": KRKind.MAINTAIN, "at_least": 8, "at_most": 10, "current": 9.5},
        {"kind": KRKind.INCREASE, "target": 100, "current": 125, "unit": "leads"},
        {"kind": KRKind.DECREASE, "start": 10, "target": 2, "current": 0},
    ],
)
def test_new_card_lines_read_back_as_written(language, fields):
    kr = KeyResult("Result", **fields)
    parsed = parse_kr_description(format_kr_description(kr, kr_score(kr), language=language), language)
    assert (parsed.current, parsed.score, parsed.score_manual, parsed.problems) == (
        kr.current,
        kr_score(kr),
        False,
        [],
    )
