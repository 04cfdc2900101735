"""logic's one vocabulary (logic/vocabulary.toml, logic/vocabulary.py): every fact the decision
tables and the question schema use is worded, conditions read as words, and a mistake in the file
is one line naming the file, the entry and the field."""

from __future__ import annotations

import copy

import pytest

import logic
import logic.vocabulary
from generator.core import Context, GeneratorError, collect
from generator.steps import cases
from logic.vocabulary import Vocabulary, VocabularyError, read, vocabulary, word_case, word_trace

FAILING = {
    "viral_loads": [
        {"week": 0, "copies": "<50"},
        {"week": 24, "copies": "1,200"},
        {"week": 28, "copies": "1,500"},
    ]
}


def test_every_fact_of_the_question_schema_and_the_tables_has_words():
    words = vocabulary()
    schema = logic.question_schema()
    fields = [f for step in schema["steps"] for f in step["fields"]]
    assert fields
    for field in fields:
        assert words.label(field["id"]) == field["label"]
        for choice in field.get("choices", []):
            assert words.value(field["id"], choice["value"]) == choice["label"]
    for table in logic.guideline().tables.values():
        for fact in table["inputs"]:
            assert words.label(fact) != fact, fact
            for condition in [r["when"][fact] for r in table["rules"] if fact in r.get("when", {})]:
                text = words.condition(fact, condition)
                assert "$" not in text and "{" not in text and "?" not in text, (fact, text)


@pytest.mark.parametrize(
    ("fact", "condition", "expected"),
    [
        ("weeks_off_art", "(0, $resistance_test_window_weeks]", "above 0 and at most 4"),
        ("latest_copies", "> $resistance_test_copies", "above 1,000 copies/mL"),
        ("latest_copies", ["?", "<= 200"], "not answered or at most 200 copies/mL"),
        (
            "latest_band",
            ["low_level", "failure_level"],
            "detectable but below 200 copies/mL or 200 copies/mL or more",
        ),
        ("failure", True, "yes"),
        ("scenario", "first_nnrti", "First regimen: NNRTI-based"),
    ],
)
def test_conditions_read_as_words(fact, condition, expected):
    assert vocabulary().condition(fact, condition) == expected


def test_values_carry_the_fact_s_unit_and_print_numbers_once():
    words = vocabulary()
    assert words.value("latest_copies", 1500.0) == "1,500 copies/mL"
    assert words.value("latest_week", 28) == "28"
    assert words.value("resistance", ["nnrti", "pi"]) == "NNRTI resistance, PI resistance"
    assert words.value("resistance", []) == "none"
    assert words.value("hbv_coinfection", None) == "not answered"
    assert words.label("res_nnrti") == "Resistance found: NNRTI resistance"


def test_ratings_in_words():
    words = vocabulary()
    assert words.rating_title("AI").startswith("AI — Strong recommendation; ")
    assert words.rating_words("BII").startswith("moderate recommendation, based on ")
    with pytest.raises(ValueError, match="unknown rating 'AIV'"):
        words.rating_title("AIV")


def test_word_case_gives_each_trace_entry_its_facts_in_words():
    result = logic.evaluate({**FAILING, "hbv_coinfection": True})
    words = word_case(result)
    assert [e["rule"] for e in words["trace"]] == [e["rule"] for e in result["trace"]]
    first = words["trace"][0]
    assert first["inputs"] == vocabulary().inputs(result["trace"][0]["inputs"])
    assert "Latest result: 200 copies/mL or more" in first["inputs"]
    assert word_trace(result) == words["trace"]
    hbv = next(f for f in words["facts"] if f["field"] == "hbv_coinfection")
    assert (
        hbv["value"] == "yes"
        and hbv["label"] == logic.guideline().fields["hbv_coinfection"]["label"]
    )


def test_every_rule_s_conclusion_reads_in_words_without_identifiers():
    """The walkthrough's folded "why" (page data "conclusions"): each rule's ``then`` in words,
    never its ids (a row's one label, a recommendation's own text)."""
    g, words = logic.guideline(), vocabulary()
    ids = set(g.rows) | set(g.recommendations) | set(g.cautions) | set(g.reasons)
    for table in g.tables.values():
        for rule in table["rules"]:
            lines = words.conclusion(rule["then"])
            assert lines, rule["id"]
            for line in lines:
                assert not ids & set(line.replace(":", " ").split()), (rule["id"], line)
                assert "{" not in line, (rule["id"], line)
    row = next(r for t in g.tables.values() for r in t["rules"] if "scenario" in r["then"])
    assert words.conclusion(row["then"]) == [f"Table 11 row: {words.rows[row['then']['scenario']]}"]


def test_the_latest_result_in_words_names_the_llod_when_below_it():
    words = vocabulary()
    failing = word_case(logic.evaluate(FAILING))
    assert (failing["latest"], failing["latest_week"]) == ("1,500 copies/mL", "28")
    below = logic.evaluate({"viral_loads": [{"week": 24, "copies": "<50"}], "llod": 50})
    assert words.latest(below)["latest"] == "below the LLOD (50 copies/mL)"


def _broken(change) -> str:
    raw = copy.deepcopy(read())
    change(raw)
    with pytest.raises(VocabularyError) as raised:
        Vocabulary(raw, logic.guideline())
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda raw: raw["facts"].pop("latest_band"),
            "entry 'facts.latest_band', field 'label': decision table 'response' reads this fact",
        ),
        (
            lambda raw: raw["bands"].update(low_level="below {failure_copy:,}"),
            "entry 'bands', field 'low_level': unknown placeholder {failure_copy}",
        ),
        (
            lambda raw: raw["facts"]["latest_band"].update(values="band"),
            "entry 'facts.latest_band', field 'values': 'band' is not one of",
        ),
        (
            lambda raw: raw["rows"].pop("first_nnrti"),
            "entry 'rows', field 'first_nnrti': missing: word it",
        ),
        (
            lambda raw: raw["facts"]["failure"].update(label="two\nlines"),
            "entry 'facts.failure', field 'label': must be a non-empty, single-line string",
        ),
        (
            lambda raw: raw["facts"]["failure"].update(colour="red"),
            "entry 'facts.failure', field 'colour': unknown field",
        ),
        (
            lambda raw: raw["conclusions"].pop("caution"),
            "entry 'conclusions', field 'caution': missing: word it",
        ),
        (
            lambda raw: raw["conclusions"].update(scenario="Row: {row}"),
            "entry 'conclusions', field 'scenario': unknown placeholder {row}",
        ),
    ],
)
def test_a_mistake_in_the_vocabulary_is_one_line_naming_file_entry_and_field(change, expected):
    message = _broken(change)
    assert message.startswith("logic/vocabulary.toml: ")
    assert expected in message


def test_the_build_stops_on_a_broken_vocabulary_with_its_one_line(monkeypatch):
    raw = copy.deepcopy(read())
    raw["rows"].pop("first_nnrti")
    monkeypatch.setattr(logic.vocabulary, "read", lambda: raw)
    logic.vocabulary._vocabulary.cache_clear()
    try:
        with pytest.raises(GeneratorError) as raised:
            collect([cases.step], Context())
    finally:
        monkeypatch.undo()
        logic.vocabulary._vocabulary.cache_clear()
    assert str(raised.value) == (
        "logic/vocabulary.toml: entry 'rows', field 'first_nnrti': missing: word it"
    )
    assert vocabulary().rows["first_nnrti"]
