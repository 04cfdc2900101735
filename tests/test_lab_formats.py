"""Lab formats, table-driven: every accepted form with the value it stands for, and every
refused form with a message that names the row and the value and asks the question."""

import pytest

import logic


def first_result(copies, **extra):
    case = {"viral_loads": [{"week": 12, "copies": "<50"}, {"week": 24, "copies": copies}]}
    return logic.evaluate({**case, **extra})["case"]["viral_loads"][1]


ACCEPTED = [
    # printed form, copies/mL, below the LLOD
    ("1,200", 1200, False),
    ("1 200", 1200, False),
    ("1\u202f200", 1200, False),  # narrow no-break space, as some reports group digits
    ("1.2e3", 1200, False),
    ("1.2E+03", 1200, False),
    ("12,000 copies/mL", 12000, False),
    ("350 cp/mL", 350, False),
    ("<20", 0, True),
    ("<50", 0, True),
    ("< 50 copies/mL", 0, True),
    ("TND", 0, True),
    ("not detected", 0, True),
    ("Target not detected", 0, True),
    ("detected <20", 0, True),
    ("Detected, <20", 0, True),
    ("<20 detected", 0, True),
    ("4.2 log", round(10**4.2), False),
    ("log 4.2", round(10**4.2), False),
    ("4.2 log10", round(10**4.2), False),
    ("log10 3", 1000, False),
    ("150.5", 150.5, False),  # a decimal above the limit is an ordinary value
    (">10,000,000", 10_000_000, False),
    (49, 49, True),
]


@pytest.mark.parametrize(("printed", "copies", "below"), ACCEPTED)
def test_accepted_forms(printed, copies, below):
    entry = first_result(printed)
    assert (entry["copies"], entry["below_llod"]) == (copies, below)


def test_detected_below_the_limit_is_flagged():
    assert first_result("detected <20")["detected"] is True
    assert first_result("<20")["detected"] is False


REFUSED = [
    # printed form, words the message must contain
    ("12.000", "ambiguous"),
    ("1.200", "12,000"),
    ("150.000", "without the dot"),
    ("4.2", "log10 value?"),
    (4.2, "log10 value?"),
    ("1,200 IU/mL", "IU/mL"),
    ("350 IU", "IU/mL"),
    ("detected", "not a viral load"),
    ("1,2,3", "not a viral load"),
    ("lots", "not a viral load"),
    ("log 12", "between 0 and 9"),
    ("<1000", "set llod"),
    ("1" + " " * 30_000 + "x", "too long"),
    (10**400, "above any assay's range"),
]


@pytest.mark.parametrize(("printed", "words"), REFUSED, ids=[repr(r[0])[:20] for r in REFUSED])
def test_refused_forms_name_the_row_and_the_value(printed, words):
    with pytest.raises(logic.CaseError) as caught:
        first_result(printed)
    error = caught.value
    assert error.field == "viral_loads[1].copies"
    assert words in error.message
    assert len(error.message) < 400, "the message quotes a shortened value"


DATES = [
    ({"regimen_start": "2024-01-01"}, [{"date": "2024-01-15", "copies": "<50"}], None, 2.0),
    ({}, [{"date": "2024-01-15", "copies": "<50"}], "regimen_start", None),
    ({"regimen_start": "2024-01-01"}, [{"date": "03/04/2024", "copies": 5}], "YYYY-MM-DD", None),
    ({"regimen_start": "2024-01-01"}, [{"date": "2024-02-30", "copies": 5}], "calendar", None),
    ({"regimen_start": "2024-01-01"}, [{"date": "2023-12-31", "copies": 5}], "before", None),
    ({"regimen_start": "01/01/2024"}, [{"week": 2, "copies": 5}], "YYYY-MM-DD", None),
    (
        {"regimen_start": "2024-01-01"},
        [{"date": "2024-01-15", "week": 2, "copies": 5}],
        "not both",
        None,
    ),
]


@pytest.mark.parametrize(("extra", "loads", "words", "week"), DATES)
def test_dates(extra, loads, words, week):
    case = {"viral_loads": loads, **extra}
    if words is None:
        assert logic.evaluate(case)["case"]["viral_loads"][0]["week"] == week
        return
    with pytest.raises(logic.CaseError) as caught:
        logic.evaluate(case)
    assert words in str(caught.value)


def test_dated_and_weekly_rows_agree():
    weekly = logic.evaluate(
        {"viral_loads": [{"week": 12, "copies": "<50"}, {"week": 24, "copies": "<50"}]}
    )
    dated = logic.evaluate(
        {
            "regimen_start": "2024-01-01",
            "viral_loads": [
                {"date": "2024-03-25", "copies": "<50"},
                {"date": "2024-06-17", "copies": "<50"},
            ],
        }
    )
    assert [r["week"] for r in dated["case"]["viral_loads"]] == [12, 24]
    assert dated["response"] == weekly["response"]
