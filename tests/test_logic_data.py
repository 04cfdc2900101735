"""The data files are checked on load: a mistake names the file, the entry and the field."""

import shutil
from pathlib import Path

import pytest

import logic
from logic.guideline import DataError, load_from

DATA = Path(logic.__file__).parent / "data"


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / f"{name}.toml"
    text = path.read_text()
    assert old in text, f"test fixture out of date: {old!r} not in {name}.toml"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "recommendations",
            'id = "pi_maintain"\nsections = ["first-regimen-failure"]\nrating = "AII"',
            'id = "pi_maintain"\nsections = ["first-regimen-failure"]\nrating = "AIV"',
            "recommendations.toml: entry 'pi_maintain', field 'rating': unknown rating 'AIV'",
        ),
        (
            "table11",
            'text_recommendation = "pi_maintain"',
            'text_recommendation = "pi_maintian"',
            "table11.toml: entry 'first_boosted_pi option 1', field 'text_recommendation'",
        ),
        (
            "rules",
            'then = { scenario = "first_nnrti" }',
            'then = { scenario = "first_nrti" }',
            "rules.toml: entry 'T11-11', field 'then.scenario': unknown 'first_nrti'",
        ),
        (
            "rules",
            'latest_week = "< $incomplete_response_week"',
            'latest_week = "< $incomplete_week"',
            "rules.toml: entry 'RESP-04', field 'when.latest_week': unknown threshold",
        ),
        (
            "cautions",
            'section = "cns-escape"\nrecommendations = ["cns_csf_resistance"',
            'section = "cns-escapes"\nrecommendations = ["cns_csf_resistance"',
            "cautions.toml: entry 'cns_escape', field 'section': unknown section 'cns-escapes'",
        ),
        (
            "abbreviations",
            'abbr = "EVG"',
            'abbr = "DTG"',
            "abbreviations.toml: entry 'DTG', field 'abbr': defined twice",
        ),
        (
            "guideline",
            "detectable but below {failure_copies:,} copies/mL, confirmed.",
            "detectable but below {failure_copy:,} copies/mL, confirmed.",
            "guideline.toml: entry 'low_level_viremia', field 'text': unknown threshold",
        ),
        (
            "recommendations",
            'id = "cns_pk"\nsections = ["cns-escape"]\nrating = "CIII"\ntext = ',
            'id = "cns_pk"\nsections = ["cns-escape"]\nrating = "CIII"\ntexts = ',
            "recommendations.toml: entry 'cns_pk', field 'text': required field",
        ),
        (
            "rules",
            'source = { section = "multidrug-resistance", reading',
            'source = { section = "multidrug-resistance", page = "x", reading',
            "rules.toml: entry 'T11-06', field 'source.page': not a kind of source",
        ),
        (
            "table11",
            'text_recommendation = "pi_dtg_preferred"',
            'text_recommendation = "pi_dtg_preferrred"',
            "table11.toml: entry 'dtg_preferred', field 'text_recommendation'",
        ),
        (
            "table11",
            'text_recommendation = "pi_insti_2nrti"',
            'text_recommendation = "pi_insti_2nrti"\ntext_wording = "A second difference."',
            "table11.toml: entry 'first_boosted_pi option 3', field 'qualifiers': both the option",
        ),
    ],
)
def test_data_errors_name_file_entry_field(data_copy, name, old, new, message):
    edit(data_copy, name, old, new)
    with pytest.raises(DataError) as caught:
        load_from(data_copy)
    assert message in str(caught.value)


def test_shipped_data_loads_cleanly():
    assert load_from(DATA).thresholds == logic.guideline().thresholds


def test_every_rated_recommendation_has_a_real_rating():
    ratings = {r["rating"] for r in logic.guideline().recommendations.values()}
    assert ratings == {"", "AI", "AII", "AIII", "BII", "BIII", "CIII"}


def test_no_threshold_number_is_typed_into_text():
    """Numbers that are thresholds come from [thresholds], never typed into prose."""
    text = "\n".join(
        (DATA / f"{name}.toml").read_text()
        for name in ("recommendations", "cautions", "rules", "inputs")
    )
    for typed in ("200 copies", "1,000 copies", "500 copies", "week 24", "4 weeks", "2 to 4"):
        assert typed not in text, f"{typed!r} should be a {{threshold}}"
