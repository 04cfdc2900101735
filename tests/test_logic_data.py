"""The data files are checked on load: a mistake names the file, the entry and the field."""

import copy
import re
import shutil
import sys
from pathlib import Path

import pytest

import logic
from logic.guideline import DataError, from_parsed, load_from

DATA = Path(logic.__file__).parent / "editions" / logic.DEFAULT_EDITION
guideline_data = sys.modules["logic.guideline_data"]


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / logic.DEFAULT_EDITION
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


# --- every kind of corruption: one line naming the file (and entry and field) ---------------

FIVE_MB = "x" * 5_000_000


def replace(old: str, new: str):
    return replace_bytes(old.encode(), new.encode())


def replace_bytes(old: bytes, new: bytes):
    def corrupt(text: bytes) -> bytes:
        assert old in text, f"test fixture out of date: {old!r}"
        return text.replace(old, new, 1)

    return corrupt


def nest(text: bytes) -> bytes:
    return text + b"\ndeep = " + b"[" * 50_000 + b"]" * 50_000 + b"\n"


@pytest.mark.parametrize(
    ("name", "corrupt", "expected"),
    [
        (
            "guideline",
            replace("failure_copies = 200", 'failure_copies = "200"'),
            "guideline.toml: entry 'thresholds', field 'failure_copies': must be a number, "
            "not '200'",
        ),
        (
            "guideline",
            replace("default_llod = 50", "default_llod = true"),
            "guideline.toml: entry 'thresholds', field 'default_llod': must be a number, not True",
        ),
        (
            "recommendations",
            replace('sections = ["key-considerations", "summary"]', 'sections = "summary"'),
            "recommendations.toml: entry 'expert_advice', field 'sections': must be a list of ids",
        ),
        (
            "recommendations",
            replace_bytes(b"Evaluate virologic", b"Evaluate \xffvirologic"),
            "recommendations.toml: entry '-', field '-': not UTF-8: byte 0xff on line",
        ),
        (
            "cautions",
            replace("Possible isolated CNS escape", FIVE_MB),
            "cautions.toml: entry '-', field '-': file is over the limit of 1,000,000 bytes",
        ),
        (
            "cautions",
            replace("Possible isolated CNS escape", "y" * 20_000),
            "cautions.toml: entry 'cns_escape', field 'title': text of 20,000 characters is over "
            "the limit of 10,000",
        ),
        (
            "table11",
            replace('rating = "AI"\ntext_recommendation = "nnrti_dtg_2nrti"', 'rating = "AI'),
            "table11.toml: entry '-', field '-': not valid TOML: ",
        ),
        ("table11", nest, "table11.toml: entry '-', field '-': not valid TOML: nested too deeply"),
        (
            "table11",
            replace('text = "DTG plus two NRTIs"\nqualifiers', "text = 2\nqualifiers"),
            "table11.toml: entry 'first_nnrti option 2', field 'text': must be text, not 2",
        ),
        (
            "table11",
            replace(
                'id = "first_nnrti"\ngroup = "First regimen failure"\n', 'id = "first_nnrti"\n'
            ),
            "table11.toml: entry 'first_nnrti', field 'group': required field is missing",
        ),
        (
            "guideline",
            replace('id = "suppression"\nterm = "Virologic suppression"\n', 'id = "suppression"\n'),
            "guideline.toml: entry 'suppression', field 'term': required field is missing",
        ),
        (
            "rules",
            replace('latest_week = "< $incomplete_response_week"', "latest_week = { below = 24 }"),
            "rules.toml: entry 'RESP-04', field 'when.latest_week': must be '?', text, a number, "
            "true/false or a list of these, not {'below': 24}",
        ),
        (
            "rules",
            replace('latest_week = "< $incomplete_response_week"', 'latest_week = "< $week_24"'),
            "rules.toml: entry 'RESP-04', field 'when.latest_week': unknown threshold '$week_24'",
        ),
        (
            "rules",
            replace('when = { history = "unknown" }', 'when = { history = "unkown" }'),
            "rules.toml: entry 'T11-02', field 'when.history': 'unkown' is not a value of "
            "history (first_regimen, second_or_later, unknown)",
        ),
        (
            "rules",
            replace("hbv_coinfection = true, regimen", "hbv_coinfection = 1, regimen"),
            "rules.toml: entry 'CAU-01', field 'when.hbv_coinfection': 1 is not a value of "
            "hbv_coinfection (True, False)",
        ),
        (
            "rules",
            replace('then = { response = "too_early"', 'then = { response = ["too_early"]'),
            "rules.toml: entry 'RESP-04', field 'then.response': must be text, not ['too_early']",
        ),
        (
            "guideline",
            replace("{failure_copies:,} copies/mL, confirmed.", "{failure_copies:q} copies/mL."),
            "guideline.toml: entry 'low_level_viremia', field 'text': cannot fill in a threshold: "
            "Unknown format code 'q'",
        ),
        (
            "inputs",
            replace("step = 1", 'step = "1"'),
            "inputs.toml: entry 'viral_loads', field 'step': must be a whole number, not '1'",
        ),
        (
            "abbreviations",
            lambda text: b"",
            "abbreviations.toml: entry 'abbreviations', field 'abbreviations': required table "
            "or list is missing",
        ),
    ],
    ids=[
        "string threshold",
        "bool threshold",
        "text for a list of ids",
        "non-UTF-8",
        "5 MB string",
        "20,000-character string",
        "bad TOML",
        "nested too deeply",
        "number for text",
        "missing field in a row",
        "missing field in a definition",
        "table in a rule condition",
        "unknown threshold in a condition",
        "misspelt choice in a condition",
        "number for a yes/no in a condition",
        "list for text in a rule's then",
        "bad threshold format",
        "text for a whole number",
        "empty file",
    ],
)
def test_every_corruption_is_one_line_naming_file_entry_field(data_copy, name, corrupt, expected):
    path = data_copy / f"{name}.toml"
    path.write_bytes(corrupt(path.read_bytes()))
    with pytest.raises(DataError) as caught:
        load_from(data_copy)
    message = str(caught.value)
    assert message.startswith(f"{data_copy}/{expected}"), message
    assert "\n" not in message and len(message) < 300
    # Raised without a chained exception, so nothing but the message reaches a reader.
    error = caught.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_a_missing_data_file_is_named(data_copy):
    (data_copy / "cautions.toml").unlink()
    with pytest.raises(DataError, match=rf"^{data_copy}/cautions.toml: .*cannot read the file"):
        load_from(data_copy)


def _leaves(value, path=()):
    yield path, value
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _leaves(item, (*path, key))


def _wrong(value):
    """A value of another type, as a slip in a data file would give."""
    if isinstance(value, str):
        return 7
    if isinstance(value, dict):
        return ["x"]
    return "x"  # for numbers, booleans and lists


def test_any_field_of_the_wrong_type_is_a_data_error():
    """Every field (one per shape: the first row's, not every row's) set to a value of
    another type, or removed: the data loads, or a one-line DataError names file, entry and
    field; never another exception."""
    pristine = {name: guideline_data._read(name, DATA) for name in guideline_data.DATA_FILES}
    tried = refused = 0
    for name, data in pristine.items():
        shapes = set()
        for path, value in _leaves(data):
            shape = tuple(key if isinstance(key, str) else 0 for key in path)
            if not path or shape in shapes:
                continue
            shapes.add(shape)
            for remove in (False, True):
                raw = copy.deepcopy(pristine)
                parent = raw[name]
                for key in path[:-1]:
                    parent = parent[key]
                if remove and not isinstance(parent, dict):
                    continue
                if remove:
                    del parent[path[-1]]
                else:
                    parent[path[-1]] = _wrong(value)
                tried += 1
                try:
                    from_parsed(raw)
                except DataError as error:
                    refused += 1
                    # (a removed threshold or id may be reported where it is used)
                    where = r"logic/editions/dhhs-2019-12-18/\w+\.toml: entry '[^']+', field "
                    assert re.match(where, str(error))
                    assert "\n" not in str(error)
    assert tried > 300 and refused > tried // 2, (tried, refused)
