"""Inputs an attacker or a broken link could send to ``logic.evaluate``: huge integers, deep
nesting, long whitespace runs, long keys. Shared by the property test and the benchmark."""

from __future__ import annotations

from hypothesis import strategies as st

FIELDS = ["viral_loads", "llod", "history", "resistance", "weeks_off_art", "regimen_start"]


def nested(depth: int, leaf=0):
    """A list nested ``depth`` deep, built without recursion."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


HUGE_INTS = st.integers(min_value=10**300, max_value=10**2000) | st.integers(
    min_value=-(10**2000), max_value=-(10**300)
)
DEEP = st.integers(500, 20_000).map(nested)
WHITESPACE = st.builds(
    lambda a, n, b: a + " " * n + b, st.sampled_from(["1", "<", "log"]), st.integers(1_000, 50_000),
    st.sampled_from(["x", "0", "copies"]),
)  # fmt: skip
LONG_TEXT = st.text(min_size=1_000, max_size=5_000)
HOSTILE = HUGE_INTS | DEEP | WHITESPACE | LONG_TEXT


@st.composite
def hostile_cases(draw):
    """A case with one hostile value put somewhere a reader's input can reach."""
    value = draw(HOSTILE)
    where = draw(st.sampled_from(["copies", "week", "date", "field", "key", "list"]))
    row = {"week": 12, "copies": "<50"}
    case: dict = {"viral_loads": [row, {"week": 24, "copies": 3000}]}
    if where in ("copies", "week"):
        row[where] = value
    elif where == "date":
        case["regimen_start"] = "2024-01-01"
        case["viral_loads"] = [{"date": value, "copies": 5}]
    elif where == "field":
        case[draw(st.sampled_from(FIELDS))] = value
    elif where == "key":
        case[value if isinstance(value, str) else "k" * 50_000] = 1
    else:
        case["viral_loads"] = value
    return case
