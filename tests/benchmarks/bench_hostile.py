"""Benchmark: the worst time ``logic.evaluate`` takes on hostile input (huge integers, nesting
20,000 deep, 50,000-character whitespace runs), as a ratio to an ordinary 10-result case timed
in the same process. Not a test: it prints numbers. Linear, bounded parsing keeps the worst
ratio small; before this work "1" + 30,000 spaces + "x" took 5 s.

Run: ``.venv/bin/python tests/benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import logic  # noqa: E402
from tests.benchmarks import timing  # noqa: E402
from tests.benchmarks.bench_logic import CASE  # noqa: E402
from tests.hostile_inputs import nested  # noqa: E402

HOSTILE = {
    "huge integer (10^2000) as a value": {"viral_loads": [{"week": 12, "copies": 10**2000}]},
    "huge integer as the LLOD": {"viral_loads": [{"week": 12, "copies": 5}], "llod": 10**2000},
    "list nested 20,000 deep": {"viral_loads": nested(20_000)},
    "value nested 20,000 deep": {"viral_loads": [{"week": 1, "copies": nested(20_000)}]},
    "'1' + 50,000 spaces + 'x'": {"viral_loads": [{"week": 1, "copies": "1" + " " * 50_000 + "x"}]},
    "50,000-character key": {"viral_loads": [{"week": 1, "copies": 5}], "k" * 50_000: 1},
    "50,000-character date": {
        "regimen_start": "2024-01-01",
        "viral_loads": [{"date": " " * 50_000 + "1", "copies": 5}],
    },
}


def median_us(case, rounds: int = 9, per_round: int = 50) -> float:
    def attempt():
        with contextlib.suppress(logic.CaseError):
            logic.evaluate(case)

    return timing.median_us(attempt, rounds, per_round)


def main() -> None:
    logic.evaluate(CASE)  # data loaded once per process
    baseline = median_us(CASE)
    print(f"baseline: logic.evaluate on a 10-result case, {baseline:.1f} us")
    print(f"{'hostile input':<40}{'time':>12}{'ratio':>8}")
    worst = 0.0
    for name, case in HOSTILE.items():
        took = median_us(case)
        worst = max(worst, took / baseline)
        print(f"{name:<40}{took:>10.1f}us{took / baseline:>8.2f}")
    print(f"worst ratio: {worst:.2f} (each is a CaseError, never another exception)")


if __name__ == "__main__":
    main()
