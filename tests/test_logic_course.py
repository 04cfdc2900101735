"""The whole viral-load course: episodes, history kept in the answer, time off treatment, and
the fixes of issue 10 (each failed before the course was read as a whole)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logic


def course(*pairs, **extra):
    loads = [{"week": week, "copies": copies} for week, copies in pairs]
    return logic.evaluate({"viral_loads": loads, **extra})


def kinds(result):
    return [(e["kind"], e["ongoing"]) for e in result["course"]["episodes"]]


NNRTI_M184 = dict(
    history="first_regimen", failing_regimen="nnrti_2nrti", resistance=["nnrti", "m184vi"]
)


def test_a_confirmed_rebound_is_not_erased_by_one_later_lower_result():
    result = course((12, "<50"), (24, "<50"), (36, "5,000"), (40, "6,000"), (44, 150), **NNRTI_M184)
    assert result["response"] == "rebound" and result["failure"]
    assert result["scenario"] == "first_nnrti"
    assert result["repeat"]["what"].startswith("The confirmed failure earlier")
    assert kinds(result) == [("rebound", True)]
    assert "Confirmed rebound at weeks 36–40, continuing." in result["course"]["summary"]
    assert "resistance_change_soon" in [m["id"] for m in result["management"]]


def test_a_confirmed_return_below_the_llod_resolves_the_episode():
    result = course((12, "<50"), (24, "4,000"), (28, "5,000"), (36, "<50"), (40, "<50"))
    assert result["response"] == "suppression"
    assert kinds(result) == [("rebound", False)]


def test_one_result_below_the_llod_after_a_rebound_needs_confirming():
    result = course((12, "<50"), (24, "4,000"), (28, "5,000"), (36, "<50"))
    assert result["response"] == "needs_confirmation"
    assert "after a confirmed failure" in result["repeat"]["what"]


def test_repeated_non_consecutive_viremia_is_not_left_unconfirmed():
    values = [(12, "<50"), (24, "<50")]
    values += [(28 + 4 * i, 300 if i % 2 == 0 else 150) for i in range(8)]
    result = course(*values)
    assert result["response"] == "intermittent_viremia"
    assert result["scenario_reason"]["id"] == "persistence_undefined"
    assert "persistence_undefined" in {c["id"] for c in result["cautions"]}
    assert "expert" in result["scenario_reason"]["text"]


def test_a_single_failure_level_result_after_low_level_results_still_needs_confirmation():
    result = course((12, "<50"), (24, "<50"), (28, 150), (32, 300))
    assert result["response"] == "needs_confirmation"


def test_incomplete_response_episode_and_marks():
    result = course((0, "95,000"), (12, "2,400"), (26, 620), (28, 540))
    assert result["response"] == "incomplete_response"
    marks = [p["mark"] for p in result["course"]["points"]]
    assert marks == ["before_suppression", "before_suppression", "episode", "episode"]


def test_blip_is_marked():
    result = course((12, "<50"), (24, 480), (28, "<50"))
    assert [p["mark"] for p in result["course"]["points"]] == ["suppressed", "blip", "suppressed"]
    assert any("blip" in line for line in result["course"]["summary"])


def test_off_art_is_never_too_early_and_reaches_the_limited_history_row():
    result = course((4, "50,000"), history="unknown", weeks_off_art=20)
    assert result["response"] == "off_art"
    assert result["scenario"] == "limited_history"
    assert "resistance_test_after_window" in [m["id"] for m in result["management"]]


def test_off_art_with_known_history_points_to_expert_advice():
    result = course(
        (12, "<50"),
        (150, "<50"),
        (161, "45,000"),
        art_status="stopped",
        weeks_off_art=6,
        history="first_regimen",
        failing_regimen="insti_2nrti",
    )
    assert result["response"] == "off_art"
    assert result["scenario_reason"]["id"] == "off_art_unconfirmed"


def test_stopped_without_weeks_asks_for_them():
    result = course((4, "50,000"), art_status="stopped", history="unknown")
    assert "weeks_off_art" in result["questions"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (dict(art_status="on_art", weeks_off_art=3), "weeks_off_art"),
        (dict(art_status="stopped", weeks_off_art=0), "weeks_off_art"),
        (dict(art_status="on_art", weeks_since_restart=3), "weeks_since_restart"),
    ],
)
def test_art_status_and_weeks_must_agree(extra, field):
    with pytest.raises(logic.CaseError) as caught:
        course((12, "<50"), **extra)
    assert caught.value.field == field


def test_restarted_counts_as_on_treatment_for_resistance_testing():
    result = course(
        (12, "<50"), (24, "3,000"), (28, "4,000"), art_status="restarted", weeks_since_restart=3
    )
    assert "resistance_test_above_1000" in [m["id"] for m in result["management"]]
    assert "resistance_test_on_regimen" in [m["id"] for m in result["management"]]


def test_cns_escape_raises_the_regimen_modifiers():
    result = course(
        (12, "<50"),
        (24, "<50"),
        cns_symptoms=True,
        hbv_coinfection=True,
        childbearing_potential=True,
    )
    ids = {c["id"] for c in result["cautions"]}
    assert {"cns_escape", "hbv_coinfection", "dtg_childbearing"} <= ids


def test_insti_failure_asks_whether_integrase_was_genotyped():
    base = dict(history="first_regimen", failing_regimen="insti_2nrti", resistance=["m184vi"])
    asked = course((12, "<50"), (24, 2400), (28, 3100), **base)
    assert asked["questions"] == ["insti_genotype"]
    assert "insti_resistance_test" in [m["id"] for m in asked["management"]]
    missing = course((12, "<50"), (24, 2400), (28, 3100), insti_genotype="not_done", **base)
    assert missing["scenario_reason"]["id"] == "insti_genotype_needed"
    done = course((12, "<50"), (24, 2400), (28, 3100), insti_genotype="done", **base)
    assert done["scenario"] == "first_insti"


def test_boosted_pi_first_line_shows_the_conditions_for_continuing():
    base = dict(history="first_regimen", failing_regimen="boosted_pi_2nrti")
    plain = course((12, "<50"), (24, 2400), (28, 3100), resistance=["m184vi"], **base)
    first = plain["options"][0]
    assert first["text"] == "Continue the same regimen"
    assert first["cautions"] == ["pi_continue_conditions"]
    more = course((12, "<50"), (24, 2400), (28, 3100), resistance=["m184vi", "other_nrti"], **base)
    assert more["options"][0]["cautions"] == ["pi_continue_conditions", "pi_continue_resistance"]
    nrti_options = [o for o in more["options"] if "nrti_by_resistance" in o["cautions"]]
    assert [o["text"] for o in nrti_options] == [
        "Another boosted PI plus two NRTIs",
        "INSTI plus two NRTIs",
    ]


def test_pi_monotherapy_is_surfaced_after_nnrti_first_line_failure():
    result = course((12, "<50"), (24, 2400), (28, 3100), **NNRTI_M184)
    caution = next(c for c in result["cautions"] if c["id"] == "no_pi_monotherapy")
    assert caution["recommendations"][0]["rating"] == "AI"


def test_second_line_with_a_fully_active_boosted_pi_has_active_options():
    base = dict(history="second_or_later", resistance=["nnrti", "m184vi"], fully_active_agents=1)
    asked = course((12, "<50"), (24, 2400), (28, 3100), **base)
    assert asked["questions"] == ["fully_active_boosted_pi"]
    yes = course((12, "<50"), (24, 2400), (28, 3100), fully_active_boosted_pi=True, **base)
    assert yes["scenario"] == "later_active_options"
    no = course((12, "<50"), (24, 2400), (28, 3100), fully_active_boosted_pi=False, **base)
    assert no["scenario"] == "later_extensive_resistance"


@pytest.mark.parametrize(
    ("copies", "tests"),
    [
        (300, set()),
        (499, set()),
        (600, {"resistance_test_500_to_1000", "resistance_test_on_regimen"}),
        (5000, {"resistance_test_above_1000", "resistance_test_on_regimen"}),
    ],
)
def test_resistance_test_advice_follows_the_level(copies, tests):
    result = course((12, "<50"), (24, copies), (28, copies), resistance_test="not_done")
    ids = [m["id"] for m in result["management"]]
    assert {i for i in ids if i.startswith("resistance_test")} == tests
    assert ("vl_200_to_1000_empirical" in ids) == (copies < 1000)


def test_no_resistance_work_up_below_1000_does_not_claim_the_1000_statement():
    result = course((12, "<50"), (24, 600), (28, 640), resistance_test="no_mutations")
    ids = [m["id"] for m in result["management"]]
    assert "no_resistance_workup" in ids and "no_resistance_adherence" not in ids
    high = course((12, "<50"), (24, 6000), (28, 6400), resistance_test="no_mutations")
    assert "no_resistance_adherence" in [m["id"] for m in high["management"]]


# --- random courses ------------------------------------------------------------------

VALUES = st.one_of(
    st.sampled_from(["<50", "<20", "TND", "detected <20", "1,200", "4.2 log", "150", "300"]),
    st.integers(0, 10_000_000),
    st.integers(50, 10_000_000).map(float),
)
AMBIGUOUS = st.sampled_from(["12.000", "4.2", "1,200 IU/mL", "03/04/2024"])


@st.composite
def courses(draw):
    count = draw(st.integers(10, 100))
    weeks = sorted(draw(st.sets(st.integers(0, 600), min_size=count, max_size=count)))
    dated = draw(st.booleans())
    start = datetime.date(2020, 1, 6)
    rows = []
    for week in weeks:
        when = (
            {"date": (start + datetime.timedelta(weeks=week)).isoformat()}
            if dated
            else {"week": week}
        )
        rows.append({**when, "copies": draw(VALUES)})
    if draw(st.integers(0, 9)) == 0:  # now and then one value a lab prints ambiguously
        rows[draw(st.integers(0, count - 1))]["copies"] = draw(AMBIGUOUS)
    case = {"viral_loads": draw(st.permutations(rows))}
    if dated:
        case["regimen_start"] = start.isoformat()
    return case


def confirmed_return_below_llod_after(points, index):
    below = [p["below_llod"] for p in points[index + 1 :]]
    return any(a and b for a, b in zip(below, below[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(courses())
def test_random_courses_give_a_result_or_a_case_error(case):
    try:
        result = logic.evaluate(case)
    except logic.CaseError as error:
        assert error.field.startswith("viral_loads[")
        return
    points = result["course"]["points"]
    for episode in result["course"]["episodes"]:
        if episode["kind"] not in ("rebound", "incomplete_response"):
            continue
        if result["response"] == "suppression":
            assert confirmed_return_below_llod_after(points, episode["points"][-1])
