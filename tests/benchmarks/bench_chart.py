"""Benchmark: ``logic.chart.render_svg`` and ``render_table`` on a 30-result course.

Not a test: it prints numbers. The baseline, timed in the same run, is ``json.dumps`` of the
same course (what the worker pays anyway to hand a result to the page), so the ratio can be
compared across noisy machines. Run: ``.venv/bin/python tests/benchmarks/bench_chart.py``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from logic.chart import render_svg, render_table  # noqa: E402

ROUNDS, PER_ROUND = 15, 200


def course_of(n: int) -> dict:
    """A 30-result course: response, suppression with a blip, a confirmed rebound, dated."""
    points = []
    for i in range(n):
        week = 4.0 * i
        if i < 3:
            copies, mark = 85000.0 / 10**i, "before_suppression"
        elif i in (9, 21):
            copies, mark = 150.0, "blip"
        elif i >= n - 4:
            copies, mark = 5000.0 + 500 * i, "episode"
        else:
            copies, mark = 40.0, "suppressed"
        below = mark == "suppressed"
        points.append(
            {
                "week": week,
                "date": (date(2024, 1, 10) + timedelta(weeks=week)).isoformat(),
                "copies": copies,
                "below_llod": below,
                "band": "undetectable"
                if below
                else "low_level"
                if copies < 200
                else "failure_level",
                "mark": mark,
            }
        )
    return {
        "llod": 50,
        "failure_copies": 200,
        "resistance_test_copies": 1000,
        "points": points,
        "episodes": [
            {
                "kind": "rebound",
                "label": "Confirmed rebound",
                "start_week": points[n - 4]["week"],
                "end_week": points[-1]["week"],
                "points": list(range(n - 4, n)),
                "confirmed": True,
                "ongoing": True,
            }
        ],
        "first_suppressed_week": 12.0,
        "stopped_week": None,
        "restarted_week": None,
    }


def median_us(fn) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(PER_ROUND):
            fn()
        samples.append((time.perf_counter() - start) / PER_ROUND * 1e6)
    return statistics.median(samples)


def main() -> None:
    course = course_of(30)
    svg = render_svg(course, title="t", description="d")
    baseline = median_us(lambda: json.dumps(course))
    timings = {
        "render_svg": median_us(lambda: render_svg(course, title="t", description="d")),
        "render_table": median_us(lambda: render_table(course)),
    }
    print(f"30-result course; SVG {len(svg):,} bytes, table {len(render_table(course)):,} bytes")
    print(f"baseline json.dumps(course): {baseline:8.1f} µs")
    for name, us in timings.items():
        print(f"{name:28s} {us:8.1f} µs  ({us / baseline:.1f}× baseline)")


if __name__ == "__main__":
    main()
