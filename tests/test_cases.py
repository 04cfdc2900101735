"""The case library: every case file validates, the library covers what logic can conclude, and
a case file whose stated answer disagrees with logic stops the build with a message that names
the file, the case and the question (leaving the previous output as it was)."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
from pathlib import Path

import pytest

import logic
from generator import core, ratings, site_links
from generator.core import ContentError, Context, generate
from generator.steps import cases
from logic.vocabulary import vocabulary
from tests.support import search_entries

CASES_DIR = core.CONTENT_DIR / "cases"


@pytest.fixture(scope="module")
def library() -> cases.Library:
    return cases.load_library(Context())


@pytest.fixture(scope="module")
def all_cases(library) -> list[cases.Case]:
    return cases.load_cases(Context(), library)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {path: text for path, text in cases.step(Context())}


@pytest.fixture
def content(tmp_path: Path) -> Context:
    """A context whose content folder is a temporary copy, safe to break."""
    shutil.copytree(core.CONTENT_DIR, tmp_path / "content")
    return Context(content_dir=tmp_path / "content")


def case_file(context: Context, case_id: str) -> Path:
    return context.content_dir / "cases" / f"{case_id}.toml"


def edit(context: Context, case_id: str, old: str, new: str) -> None:
    path = case_file(context, case_id)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- the case files


def test_every_case_file_validates(all_cases):
    files = sorted(p.stem for p in CASES_DIR.glob("*.toml") if not p.name.startswith("_"))
    assert sorted(case.id for case in all_cases) == files
    assert len(all_cases) >= 15
    for case in all_cases:
        assert case.questions, case.id
        # The input is the one the case file gives, and logic accepts it as it stands.
        assert logic.evaluate(case.input) == case.result


def test_library_covers_every_conclusion_logic_can_reach(all_cases):
    """Computed here from logic's data and fresh evaluations, not from the generator's lists."""
    guideline = logic.guideline()
    results = {case.id: logic.evaluate(case.input) for case in all_cases}
    reached = {
        "response": {r["response"] for r in results.values()},
        "viremia level": {r["viremia"]["level"] for r in results.values()},
        "Table 11 row": {r["scenario"] for r in results.values() if r["scenario"]},
        "caution": {c["id"] for r in results.values() for c in r["cautions"]},
        "reason for no row": {
            r["scenario_reason"]["id"] for r in results.values() if r["scenario_reason"]
        },
        "repeat": {
            e["then"]["repeat"]
            for r in results.values()
            for e in r["trace"]
            if "repeat" in e["then"]
        },
    }
    required = {
        "response": set(guideline.responses),
        "viremia level": set(guideline.viremia_levels),
        "Table 11 row": set(guideline.rows),
        "caution": set(guideline.cautions),
        # The paths the issue names: the source is silent; no resistance; not failure at all.
        "reason for no row": {"source_silent", "no_resistance", "not_failure"},
        # Results that need confirmation, both kinds, and "too early to judge".
        "repeat": set(guideline.repeats),
    }
    missing = {kind: sorted(required[kind] - reached[kind]) for kind in required}
    assert not any(missing.values()), f"not covered by any case: {missing}"


def test_boundaries_are_taught_side_by_side(all_cases):
    # Blip vs rebound vs a single detectable result: each appears as the answer of a case that
    # asks the response question, so a trainee meets the boundary, not just the definition.
    asked = {case.result["response"] for case in all_cases if case.question("response") is not None}
    assert {"blip", "rebound", "needs_confirmation", "low_level_viremia"} <= asked
    sources = {
        entry["rule"]
        for case in all_cases
        for entry in case.result["trace"]
        if entry["table"] == "scenario" or entry["table"] == "row_fit"
    }
    # The source is silent both for a regimen Table 11 leaves out and for resistance outside
    # a row's considerations.
    silent = {
        rule["id"]
        for table in ("scenario", "row_fit")
        for rule in logic.guideline().tables[table]["rules"]
        if rule["then"].get("reason") == "source_silent"
    }
    assert len(sources & silent) >= 2


def test_every_question_kind_is_asked_and_every_answer_is_reachable(all_cases, library):
    asked = {q.ask for case in all_cases for q in case.questions}
    assert asked == set(cases.KINDS)
    for case in all_cases:
        for question in case.questions:
            values = [choice.value for choice in question.choices]
            assert set(question.correct) <= set(values), (case.id, question.ask)
            if not question.kind.multi:
                assert question.correct, (case.id, question.ask)
            # A question that every answer passes teaches nothing.
            assert len(question.correct) < len(values), (case.id, question.ask)


def test_stated_answers_are_logics_answers(all_cases):
    """Where a case file states what its author expects, it is what logic concludes."""
    checked = 0
    for case in all_cases:
        for question in case.questions:
            if question.expected is None:
                continue
            expected = question.expected
            items = expected if isinstance(expected, list) else [expected]
            assert sorted(str(i) for i in items) == sorted(question.correct), (
                case.id,
                question.ask,
            )
            checked += 1
    assert checked >= 60


# --------------------------------------------------------------------------- build errors


def test_a_wrong_expected_answer_stops_the_build_and_keeps_the_previous_output(
    content: Context, tmp_path: Path
):
    docs = tmp_path / "docs"
    generate([cases.step], content, docs_dir=docs)
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    assert docs / "cases" / "blip-or-rebound.md" in before

    edit(content, "blip-or-rebound", 'expected = "blip"', 'expected = "rebound"')
    with pytest.raises(ContentError) as caught:
        generate([cases.step], content, docs_dir=docs)
    message = str(caught.value)
    assert message.startswith(str(case_file(content, "blip-or-rebound")))
    assert "entry 'blip-or-rebound'" in message
    assert "field 'questions[0].expected'" in message
    assert "question 1 (Response)" in message
    assert "expects rebound, but logic gives blip" in message
    assert "RESP-02" in message  # the rule that decided it
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before


def test_a_wrong_multiple_answer_names_the_question(content: Context):
    edit(
        content,
        "nnrti-failure-with-hepatitis-b",
        'expected = ["hbv_coinfection", "m184vi", "no_interruption", "no_pi_monotherapy"]',
        'expected = ["hbv_coinfection", "no_interruption"]',
    )
    with pytest.raises(ContentError) as caught:
        cases.load_cases(content)
    message = str(caught.value)
    assert "entry 'nnrti-failure-with-hepatitis-b'" in message
    assert "question 6 (Cautions)" in message
    assert "logic gives hbv_coinfection, m184vi, no_interruption, no_pi_monotherapy" in message


@pytest.mark.parametrize(
    ("case_id", "old", "new", "field", "words"),
    [
        (
            "blip-or-rebound",
            '{ week = 72, copies = "310" }',
            '{ week = 72, copies = "lots" }',
            "case.viral_loads[2].copies",
            "is not a viral load",
        ),
        (
            "blip-or-rebound",
            'topic = "response"',
            'topic = "blips"',
            "topic",
            "is not one of",
        ),
        (
            "blip-or-rebound",
            "At his routine visit",
            "At 310 copies/mL, at his routine visit",
            "vignette",
            "do not retype them",
        ),
        (
            "blip-or-rebound",
            'id = "blip-or-rebound"',
            'id = "blip"',
            "id",
            "the file's name",
        ),
        (
            "blip-or-rebound",
            'ask = "scenario"',
            'ask = "viremia_level"',
            "questions[2].ask",
            "asked twice",
        ),
        (
            "blip-or-rebound",
            'ask = "viremia_level"',
            'ask = "cautions"',
            "questions[2].ask",
            "ask in the order",
        ),
        (
            "low-level-viremia",
            '"llv_monitor", "resistance_test_above_1000"',
            '"llv_monitor", "stop_everything"',
            "questions[2].choices[3]",
            "not a recommendation a decision rule can give",
        ),
        (
            "blip-or-rebound",
            'ask = "scenario"',
            'ask = "scenario"\nchoices = ["not_failure", "first_nnrti"]',
            "questions[2].choices",
            "takes its choices from logic",
        ),
        (
            "blip-or-rebound",
            'ask = "scenario"\nexpected = "not_failure"',
            'ask = "best_option"',
            "questions[2]",
            "no Table 11 row applies",
        ),
        (
            "insti-failure-genotype-pending",
            'ask = "cautions"',
            'ask = "scenario"\n\n[[questions]]\nask = "cautions"',
            "questions[3]",
            "cannot place this case without: resistance_test",
        ),
        (
            "insti-failure-ral-evg-resistance",
            'ask = "cautions"',
            'ask = "best_option"\n\n[[questions]]\nask = "cautions"',
            "questions[3]",
            "no answer could be wrong",
        ),
        (
            "blip-or-rebound",
            'ask = "response"',
            'ask = "response"\nhint = "think"',
            "questions[0].hint",
            "unknown field",
        ),
    ],
)
def test_content_errors_name_file_case_and_field(content, case_id, old, new, field, words):
    edit(content, case_id, old, new)
    with pytest.raises(ContentError) as caught:
        cases.load_cases(content)
    error = caught.value
    assert error.file.endswith(f"cases/{case_id}.toml")
    assert error.entry == case_id
    assert error.field == field
    assert words in error.message


def page_json(text: str) -> dict:
    match = re.search(r'<div id="htf-case-data" hidden data-case-json="([^"]*)"></div>', text)
    assert match, "no embedded case data"
    return json.loads(html.unescape(match.group(1)))


def test_case_pages_hold_questions_and_data_but_no_answers(all_cases, pages):
    for case in all_cases:
        text = pages[case.page]
        data = page_json(text)
        assert data["case"] == case.input
        assert "correct" not in json.dumps(data)
        # The static form holds the same choices, in the same order, as the data.
        for question in data["questions"]:
            fieldset = re.search(
                rf'<fieldset [^>]*data-question="{question["number"]}".*?</fieldset>', text, re.S
            )
            assert fieldset, (case.id, question["number"])
            values = re.findall(r'<input type="\w+" name="[^"]+" value="([^"]*)"', fieldset[0])
            assert [html.unescape(v) for v in values] == [c["value"] for c in question["choices"]]


def test_embedded_data_is_inert_in_its_attribute():
    data = {"x": '</div><script>alert("1")</script> & more'}
    text = cases.data_attribute(data)
    assert not set('<>"') & set(text)
    assert json.loads(html.unescape(text)) == data


def test_walkthrough_link_carries_the_case(all_cases, pages):
    for case in all_cases:
        # A Markdown link, which both builders resolve (site_links.walkthrough_link).
        match = re.search(
            r"\]\(([^)]*walkthrough/index\.md\?case=([A-Za-z0-9_-]+))\)", pages[case.page]
        )
        assert match, case.id
        payload = match.group(2)
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert decoded == case.input
        assert match.group(1).startswith("../walkthrough/index.md?case=")


def test_printable_sheet_has_the_questions_and_no_answers(all_cases, pages):
    rule_ids = {rule["id"] for t in logic.guideline().tables.values() for rule in t["rules"]}
    for case in all_cases:
        sheet = pages[case.print_page]
        for question in case.questions:
            assert question.kind.prompt in sheet
            for choice in question.choices:
                assert f"- ☐ {choice.label}" in sheet
        assert not [rule for rule in rule_ids if re.search(rf"\b{rule}\b", sheet)], case.id
        assert "Answer" not in sheet and "htf-case-data" not in sheet


def test_a_caution_on_the_best_option_is_said_beside_the_answer(all_cases, pages):
    """Where the highest-rated option is one a raised caution limits (DTG for a person who may
    become pregnant), the teacher's sheet says so next to the answer, not only among cautions."""
    checked = 0
    for case in all_cases:
        question = case.question("best_option")
        if not question:
            continue
        sheet = pages[case.teacher_page]
        titles = {c["id"]: c["title"] for c in case.result["cautions"]}
        for n in question.correct:
            for caution_id in case.result["options"][int(n) - 1]["cautions"]:
                assert f"**For this patient:** the caution “{titles[caution_id]}”" in sheet
                checked += 1
    assert checked >= 2  # the two DTG cases of the library


def test_teacher_sheet_gives_logics_answers_with_rules_ratings_and_sources(all_cases, pages):
    guideline = logic.guideline()
    for case in all_cases:
        sheet = pages[case.teacher_page]
        result = case.result
        assert f"Answer: {result['response_label']}" in sheet or not case.question("response")
        for entry in result["trace"]:
            assert f"**{entry['rule']}**" in sheet or not _asked_about(case, entry), entry
        for caution in result["cautions"]:
            if case.question("cautions"):
                assert f'!!! warning "{caution["title"]}"' in sheet
        for section in {e["source"]["section"] for e in result["trace"]}:
            if any(
                _asked_about(case, e) for e in result["trace"] if e["source"]["section"] == section
            ):
                link = site_links.relative(
                    site_links.section_link(section, logic.guideline()), case.teacher_page
                )
                assert f"]({link})" in sheet, (case.id, section)
        assert logic.__version__ in sheet
        assert guideline.source["section"] in sheet
    # A rated answer carries the shared rating badge, linked to the rating scheme.
    sheet = pages["cases/teacher/nnrti-failure-with-hepatitis-b.md"]
    link = site_links.relative(site_links.rating_link("AI"), "cases/teacher/x.md")
    title = ratings.rating_title("AI", logic.guideline())
    assert f'[AI]({link} "{title}"){{ .rating-badge data-rating="AI" }}' in sheet
    # Where the text and Table 11 differ, the sheet says so (derived by logic).
    assert '!!! note "Text and Table 11 differ: Boosted PI plus INSTI"' in sheet


def _asked_about(case: cases.Case, entry: dict) -> bool:
    tables = {
        "response": "response",
        "viremia": "viremia_level",
        "scenario": "scenario",
        "row_fit": "scenario",
        "cautions": "cautions",
    }
    if entry["then"].get("recommendations") and case.question("management"):
        return True
    return tables.get(entry["table"]) in {q.ask for q in case.questions}


def test_index_lists_every_case_with_topic_difficulty_and_coverage(all_cases, library, pages):
    index = pages[cases.INDEX_PAGE]
    for case in all_cases:
        item = re.search(rf'<li [^>]*data-case="{case.id}"[^>]*>.*?</li>', index, re.S)
        assert item, case.id
        assert f'data-topic="{case.topic}"' in item[0]
        assert f'data-difficulty="{case.difficulty}"' in item[0]
        assert library.topics[case.topic] in html.unescape(item[0])
        assert library.difficulties[case.difficulty] in html.unescape(item[0])
        assert f'href="{case.id}/"' in item[0]
        assert f'href="teacher/{case.id}/"' in item[0] and f'href="print/{case.id}/"' in item[0]
    # The filters are hidden until the script shows them: without JavaScript, a plain list.
    assert re.search(r"<div [^>]*data-htf-case-filters[^>]*hidden", index)
    for label in logic.guideline().cautions.values():
        assert f"| {label['title']} |" in index


def test_raw_html_links_are_relative_to_the_page():
    built = site_links.built_url
    assert (
        built("guideline/ratings.md#rating-AI", "cases/x.md")
        == "../../guideline/ratings/#rating-AI"
    )
    assert built("cases/index.md", "cases/x.md") == "../"
    assert built("cases/x.md", "cases/index.md") == "x/"
    assert built("cases/teacher/x.md", "cases/print/x.md") == "../../teacher/x/"
    assert built("walkthrough/index.md#case=abc", "cases/teacher/x.md") == (
        "../../../walkthrough/#case=abc"
    )
    assert built("guideline/table-11.md#x", "walkthrough/index.md") == "../guideline/table-11/#x"
    assert built("index.md", "index.md") == "./"


def test_rule_conditions_read_as_words():
    words = vocabulary()
    thresholds = logic.guideline().thresholds
    rule = next(r for r in logic.guideline().tables["management"]["rules"] if r["id"] == "MGT-08")
    text = words.when_text(rule)
    assert f"above 0 and at most {thresholds['resistance_test_window_weeks']}" in text
    assert "$" not in text and "{" not in text
    for table in logic.guideline().tables.values():
        for rule in table["rules"]:
            assert "$" not in words.when_text(rule), rule["id"]


def test_site_search_finds_case_pages_but_not_their_sheets(built_site):
    """The teacher's sheets hold the answers and the printable sheets repeat the case pages: a
    trainee searching the site meets neither."""
    pages = {doc["location"].split("#")[0] for doc in search_entries(built_site)}
    assert "cases/" in pages and any(re.fullmatch(r"cases/[a-z0-9-]+/", p) for p in pages)
    assert sorted(p for p in pages if p.startswith(("cases/teacher/", "cases/print/"))) == []
