"""Response definitions at and around their thresholds, and the viremia levels."""

import pytest

import logic


def vl(*pairs):
    return [{"week": week, "copies": copies} for week, copies in pairs]


def response(*pairs, **extra):
    return logic.evaluate({"viral_loads": vl(*pairs), **extra})


@pytest.mark.parametrize(
    ("pairs", "expected", "failure"),
    [
        # confirmed suppression needs two results below the LLOD
        (((12, "<50"), (24, "<50")), "suppression", False),
        (((24, "<50"),), "needs_confirmation", False),
        # blip: isolated detectable value between suppressed ones
        (((12, "<50"), (24, 480), (28, "<50")), "blip", False),
        (((12, "<50"), (24, 5000), (28, "TND")), "blip", False),
        # two detectable values, then back below: not a blip; confirm resuppression
        (((8, "<50"), (24, 300), (28, 400), (32, "<50")), "needs_confirmation", False),
        # rebound: confirmed >= 200 after suppression
        (((12, "<50"), (24, 200), (28, 250)), "rebound", True),
        (((12, "<50"), (24, 199), (28, 250)), "needs_confirmation", False),
        (((12, "<50"), (24, 250), (28, 199)), "needs_confirmation", False),
        # single detectable value after suppression: could be a blip or a rebound
        (((12, "<50"), (24, "<50"), (36, 5000)), "needs_confirmation", False),
        # low-level viremia: confirmed detectable < 200
        (((12, "<50"), (24, 60), (28, 199)), "low_level_viremia", False),
        (((30, 150), (36, 120)), "low_level_viremia", False),
        # the LLOD itself is detectable; one below it is not
        (((12, "<50"), (24, 50), (28, 50)), "low_level_viremia", False),
        (((12, "<50"), (24, 49), (28, 49)), "suppression", False),
        # incomplete response: two >= 200 from week 24, never suppressed
        (((24, 200), (28, 300)), "incomplete_response", True),
        (((23, 5000), (28, 3000)), "needs_confirmation", False),
        (((24, 199), (28, 300)), "needs_confirmation", False),
        # before week 24 with no suppression yet: too early to call
        (((4, 50000), (12, 3000)), "too_early", False),
        (((8, 150), (12, 120)), "too_early", False),
        (((23.9, 900),), "too_early", False),
        (((24, 900),), "needs_confirmation", False),
    ],
)
def test_response_definitions(pairs, expected, failure):
    result = response(*pairs)
    assert result["response"] == expected
    assert result["failure"] is failure


def test_results_out_of_order_are_sorted_not_misread():
    ordered = response((12, "<50"), (24, 300), (28, 400))
    shuffled = response((28, 400), (12, "<50"), (24, 300))
    assert shuffled["response"] == ordered["response"] == "rebound"
    assert [r["week"] for r in shuffled["case"]["viral_loads"]] == [12, 24, 28]


@pytest.mark.parametrize(
    ("copies", "level"),
    [
        ("<20", "below_llod"),
        (50, "low_level"),
        (199, "low_level"),
        (200, "moderate"),
        (999, "moderate"),
        (1000, "high"),
        ("1,200", "high"),
    ],
)
def test_viremia_level_boundaries(copies, level):
    result = response((12, "<50"), (24, copies), (28, copies))
    assert result["viremia"]["level"] == level


def test_llv_management_continue_and_monitor():
    result = response((12, "<50"), (24, 80), (28, 120))
    ratings = {m["id"]: m["rating"] for m in result["management"]}
    assert ratings == {"confirm_and_assess": "", "llv_no_change": "AII", "llv_monitor": "AIII"}
    assert result["scenario"] is None
    assert result["scenario_reason"]["id"] == "not_failure"


@pytest.mark.parametrize(
    ("copies", "expected"),
    [
        # Below 500 copies/mL the source gives no resistance test (too low to test): the
        # AI "test on the regimen" advice used to appear here (issue 10).
        (499, set()),
        (500, {"resistance_test_500_to_1000", "resistance_test_on_regimen"}),
        (1000, {"resistance_test_500_to_1000", "resistance_test_on_regimen"}),
        (1001, {"resistance_test_above_1000", "resistance_test_on_regimen"}),
    ],
)
def test_resistance_testing_thresholds(copies, expected):
    result = response((12, "<50"), (24, copies), (28, copies), resistance_test="not_done")
    tests = {m["id"] for m in result["management"] if m["id"].startswith("resistance_test")}
    assert tests == expected


@pytest.mark.parametrize(
    ("weeks_off", "timing", "rating"),
    [
        (0, "resistance_test_on_regimen", "AI"),
        (2, "resistance_test_within_window", "AII"),
        (4, "resistance_test_within_window", "AII"),
        (4.5, "resistance_test_after_window", "CIII"),
    ],
)
def test_resistance_test_timing_by_weeks_off_art(weeks_off, timing, rating):
    result = response(
        (12, "<50"), (24, 5000), (28, 8000), resistance_test="not_done", weeks_off_art=weeks_off
    )
    by_id = {m["id"]: m["rating"] for m in result["management"]}
    assert by_id[timing] == rating
    others = {"resistance_test_on_regimen", "resistance_test_within_window"}
    others |= {"resistance_test_after_window"}
    assert not (others - {timing}) & set(by_id)


def test_no_mutations_pathway_repeat_two_to_four_weeks():
    result = response((12, "<50"), (24, 5000), (28, 8000), resistance_test="no_mutations")
    by_id = {m["id"]: m for m in result["management"]}
    assert by_id["no_resistance_repeat_vl"]["rating"] == "CIII"
    assert "2 to 4 weeks" in by_id["no_resistance_repeat_vl"]["text"]
    assert "500" in by_id["no_resistance_repeat_vl"]["text"]
    assert {"no_resistance_adherence", "no_resistance_workup"} <= set(by_id)


def test_unconfirmed_level_only_asks_to_confirm():
    result = response((12, "<50"), (24, "<50"), (36, 50000))
    assert [m["id"] for m in result["management"]] == ["confirm_and_assess"]
    assert result["repeat"]["what"].startswith("Repeat the viral load")


def test_definitions_quote_the_thresholds_from_data():
    data = logic.guideline()
    text = data.definitions["incomplete_response"]["text"]
    assert f"{data.thresholds['failure_copies']:,} copies/mL" in text
    assert f"{data.thresholds['incomplete_response_week']} weeks" in text


def test_every_conclusion_is_traced_to_a_rule_and_a_source():
    result = response((12, "<50"), (24, 300), (28, 400), history="first_regimen")
    tables = [step["table"] for step in result["trace"]]
    assert tables[0] == "response"
    for step in result["trace"]:
        assert step["rule"] and step["source"]["section"] in logic.guideline().sections
    rated = [s for s in result["trace"] if s["source"].get("rating")]
    assert rated, "at least one rated source in the trace"
