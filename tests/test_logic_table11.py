"""Table 11 rows with their options and ratings, and the cautions each case raises."""

import pytest

import logic

REBOUND = [
    {"week": 12, "copies": "<50"},
    {"week": 24, "copies": 2400},
    {"week": 28, "copies": 3100},
]
SUPPRESSED = [{"week": 12, "copies": "<50"}, {"week": 24, "copies": "<50"}]


def failing(**extra):
    return logic.evaluate({"viral_loads": REBOUND, **extra})


# Table 11 as printed (options in order, ratings exactly), written out here on purpose:
# this is the independent check of the data file against the source.
TABLE_11 = {
    "first_nnrti": [
        ("Boosted PI plus two NRTIs", "AIII"),
        ("DTG plus two NRTIs", "AI"),
        ("Boosted PI plus INSTI", "AIII"),
    ],
    "first_boosted_pi": [
        ("Continue the same regimen", "AII"),
        ("Another boosted PI plus two NRTIs", "AII"),
        ("INSTI plus two NRTIs", "AIII"),
        ("Another boosted PI plus INSTI", "BIII"),
    ],
    "first_insti": [
        ("Boosted PI plus two NRTIs", "AIII"),
        ("DTG plus two NRTIs", "AIII"),
        ("Boosted PI plus INSTI", "BIII"),
    ],
    "first_insti_ral_evg_resistance": [
        ("Boosted PI plus two NRTIs", "AIII"),
        ("DTG twice daily plus two active NRTIs", "AIII"),
        ("DTG twice daily plus a boosted PI", "AIII"),
    ],
    "later_active_options": [
        ("At least two, and preferably three, fully active agents", "AI"),
        ("Partially active drugs may be used when no other options are available.", ""),
        ("Consider using an ARV drug with a different mechanism of action.", ""),
    ],
}

ROW_CASES = {
    "first_nnrti": dict(
        history="first_regimen", failing_regimen="nnrti_2nrti", resistance=["nnrti"]
    ),
    "first_boosted_pi": dict(
        history="first_regimen", failing_regimen="boosted_pi_2nrti", resistance_test="no_mutations"
    ),
    "first_insti": dict(
        history="first_regimen",
        failing_regimen="insti_2nrti",
        resistance=["m184vi"],
        insti_genotype="done",
    ),
    "first_insti_ral_evg_resistance": dict(
        history="first_regimen", failing_regimen="insti_2nrti", resistance=["insti_ral_evg"]
    ),
    "later_active_options": dict(
        history="second_or_later", resistance=["nnrti", "m184vi"], fully_active_agents=2
    ),
    "later_extensive_resistance": dict(
        history="second_or_later",
        resistance=["nnrti", "pi", "insti_dtg"],
        fully_active_agents=1,
        fully_active_boosted_pi=False,
    ),
    "limited_history": dict(history="unknown"),
}


@pytest.mark.parametrize("scenario", sorted(ROW_CASES))
def test_each_row_is_reached(scenario):
    result = failing(**ROW_CASES[scenario])
    assert result["scenario"] == scenario
    assert result["table11_row"]["id"] == scenario
    assert result["options"], "every row has options"


@pytest.mark.parametrize("scenario", sorted(TABLE_11))
def test_options_and_ratings_as_printed(scenario):
    result = failing(**ROW_CASES[scenario])
    assert [(o["text"], o["rating"]) for o in result["options"]] == TABLE_11[scenario]


def test_every_row_and_option_in_table11_view():
    table = logic.table11()
    assert [row["id"] for row in table["rows"]] == list(ROW_CASES)
    assert [f["id"] for f in table["footnotes"]] == ["a", "b", "c", "d", "e"]
    key = {k["abbr"] for k in table["key"]}
    assert key == {
        "3TC", "ART", "ARV", "BIC", "CD4", "DRV", "DTG", "EVG", "FTC", "HBV",
        "INSTI", "MVC", "NNRTI", "NRTI", "NTD", "PI", "RAL",
    }  # fmt: skip


def test_qualifiers_present():
    nnrti = failing(**ROW_CASES["first_nnrti"])["options"]
    assert "at least one of the two NRTIs active" in nnrti[1]["qualifiers"]
    ral = failing(**ROW_CASES["first_insti_ral_evg_resistance"])
    assert any("twice daily" in q for q in ral["options"][1]["qualifiers"])
    assert ral["table11_row"]["row_note"].startswith("BIC has not been studied")
    pi = failing(**ROW_CASES["first_boosted_pi"])["options"]
    assert any("DTG is preferred" in q for q in pi[2]["qualifiers"])


def test_text_and_table_differences_are_derived():
    diffs = {(d["scenario"], d["option"]): d for d in logic.text_differences()}
    assert set(diffs) == {
        ("first_nnrti", "Boosted PI plus two NRTIs"),
        ("first_nnrti", "Boosted PI plus INSTI"),
        ("first_boosted_pi", "INSTI plus two NRTIs"),
        ("later_extensive_resistance", "Discontinuation of ARV drugs is not recommended."),
        ("first_boosted_pi", "Another boosted PI plus two NRTIs"),
        ("first_insti", "Boosted PI plus INSTI"),
        ("first_insti_ral_evg_resistance", "DTG twice daily plus two active NRTIs"),
        (
            "limited_history",
            "If no ARV history is available, consider initiating a regimen with drugs with high "
            "genetic barriers to resistance (e.g., DTG and/or boosted DRV).",
        ),
    }
    pi = diffs[("first_boosted_pi", "Another boosted PI plus two NRTIs")]
    assert (pi["table_rating"], pi["text_rating"]) == ("AII", "AIII")
    insti = diffs[("first_insti", "Boosted PI plus INSTI")]
    assert (insti["table_rating"], insti["text_rating"]) == ("BIII", "AIII")
    assert not diffs[("first_insti_ral_evg_resistance", "DTG twice daily plus two active NRTIs")][
        "rating_differs"
    ]
    # Table 11 leaves unrated what the text rates: an option, and a qualifier of an option.
    stop = diffs[("later_extensive_resistance", "Discontinuation of ARV drugs is not recommended.")]
    assert (stop["table_rating"], stop["text_rating"], stop["qualifier"]) == ("", "AI", "")
    dtg = diffs[("first_boosted_pi", "INSTI plus two NRTIs")]
    assert (dtg["option_rating"], dtg["table_rating"], dtg["text_rating"]) == ("AIII", "", "AIII")
    assert dtg["recommendation"] == "pi_dtg_preferred" and "DTG is preferred" in dtg["qualifier"]


FIRST = {"history": "first_regimen"}
LATER = {"history": "second_or_later"}


@pytest.mark.parametrize(
    ("extra", "reason", "ask"),
    [
        ({}, "needs_input", ["history"]),
        (FIRST, "needs_input", ["failing_regimen"]),
        (LATER, "needs_input", ["fully_active_agents"]),
        ({**FIRST, "failing_regimen": "other"}, "source_silent", []),
        ({**FIRST, "failing_regimen": "insti_2nrti"}, "needs_input", ["resistance_test"]),
        (
            {**FIRST, "failing_regimen": "insti_2nrti", "resistance": ["insti_dtg"]},
            "source_silent",
            [],
        ),
        (
            {**FIRST, "failing_regimen": "boosted_pi_2nrti", "resistance": ["pi"]},
            "source_silent",
            [],
        ),
        (
            {**FIRST, "failing_regimen": "nnrti_2nrti", "resistance_test": "no_mutations"},
            "no_resistance",
            [],
        ),
        ({**LATER, "resistance_test": "no_mutations"}, "no_resistance", []),
    ],
)
def test_no_row_says_why(extra, reason, ask):
    result = failing(**extra)
    assert result["scenario"] is None
    assert result["options"] == []
    assert result["scenario_reason"]["id"] == reason
    for field in ask:
        assert field in result["questions"]


def test_source_silent_points_to_expert():
    result = failing(
        history="first_regimen", failing_regimen="insti_2nrti", resistance=["insti_dtg"]
    )
    ids = [c["id"] for c in result["cautions"]]
    assert "source_silent" in ids
    assert "expert" in result["scenario_reason"]["text"]


def test_fully_active_agents_boundary():
    two = failing(history="second_or_later", resistance=["nnrti"], fully_active_agents=2)
    one = failing(
        history="second_or_later",
        resistance=["nnrti"],
        fully_active_agents=1,
        fully_active_boosted_pi=False,
    )
    assert two["scenario"] == "later_active_options"
    assert one["scenario"] == "later_extensive_resistance"


# --- cautions -------------------------------------------------------------------------


def caution_ids(result):
    return {c["id"] for c in result["cautions"]}


@pytest.mark.parametrize(
    ("case", "raised"),
    [
        ({"viral_loads": REBOUND, "hbv_coinfection": True}, True),
        ({"viral_loads": SUPPRESSED, "hbv_coinfection": True}, False),
        ({"viral_loads": REBOUND, "hbv_coinfection": False}, False),
    ],
)
def test_hbv_caution(case, raised):
    assert ("hbv_coinfection" in caution_ids(logic.evaluate(case))) is raised


def test_dtg_childbearing_caution_quotes_ntd_figures():
    result = failing(childbearing_potential=True, **ROW_CASES["first_nnrti"])
    caution = next(c for c in result["cautions"] if c["id"] == "dtg_childbearing")
    for figure in ("0.9%", "0.3%", "0.1%"):
        assert figure in caution["text"]
    assert {r["rating"] for r in caution["recommendations"]} >= {"AII", "AIII"}
    suppressed = logic.evaluate({"viral_loads": SUPPRESSED, "childbearing_potential": True})
    assert "dtg_childbearing" not in caution_ids(suppressed)


def test_m184vi_caution_only_with_m184vi():
    assert "m184vi" in caution_ids(failing(resistance=["m184vi"]))
    assert "m184vi" not in caution_ids(failing(resistance=["nnrti"]))


def test_bic_caution_only_after_ral_evg_failure():
    assert "bic_not_studied" in caution_ids(failing(**ROW_CASES["first_insti_ral_evg_resistance"]))
    assert "bic_not_studied" not in caution_ids(failing(**ROW_CASES["first_insti"]))


@pytest.mark.parametrize(("weeks", "raised"), [(0, False), (4, False), (4.5, True), (12, True)])
def test_resistance_test_timing_caution(weeks, raised):
    result = failing(weeks_off_art=weeks)
    assert ("resistance_test_timing" in caution_ids(result)) is raised


def test_no_interruption_with_viremia_not_when_suppressed():
    assert "no_interruption" in caution_ids(failing())
    llv = logic.evaluate({"viral_loads": [{"week": 30, "copies": 90}, {"week": 34, "copies": 80}]})
    assert "no_interruption" in caution_ids(llv)
    assert "no_interruption" not in caution_ids(logic.evaluate({"viral_loads": SUPPRESSED}))


def test_cns_escape_needs_suppressed_plasma():
    suppressed = logic.evaluate({"viral_loads": SUPPRESSED, "cns_symptoms": True})
    assert "cns_escape" in caution_ids(suppressed)
    ratings = [r["rating"] for c in suppressed["cautions"] for r in c["recommendations"]]
    assert ratings.count("CIII") == 3
    viremic = failing(cns_symptoms=True)
    assert "cns_escape" not in caution_ids(viremic)
    assert "cns_symptoms_with_viremia" in caution_ids(viremic)
    assert not caution_ids(logic.evaluate({"viral_loads": SUPPRESSED, "cns_symptoms": False}))


def test_adherence_cautions():
    pi = failing(adherence_concern=True, **ROW_CASES["first_boosted_pi"])
    assert {"adherence_support", "dtg_preferred_adherence"} <= caution_ids(pi)
    nnrti = failing(adherence_concern=True, **ROW_CASES["first_nnrti"])
    assert "dtg_preferred_adherence" not in caution_ids(nnrti)


def test_extensive_resistance_caution():
    result = failing(**ROW_CASES["later_extensive_resistance"])
    assert "extensive_resistance" in caution_ids(result)


def test_a_raised_caution_is_linked_to_the_options_whose_footnote_it_restates():
    """The DTG caution (footnote d) goes to DTG options only, and only when the case raises it."""
    case = {**ROW_CASES["first_nnrti"], "childbearing_potential": True}
    options = failing(**case)["options"]
    assert [o["cautions"] for o in options] == [
        ["dtg_childbearing"] if "d" in o["footnotes"] else [] for o in options
    ]
    assert any(o["cautions"] for o in options)
    assert all(not o["cautions"] for o in failing(**ROW_CASES["first_nnrti"])["options"])
