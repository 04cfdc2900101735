"""Benchmark: what the one grader and the one vocabulary add to a worker request, in CPython.

Not a test: it prints numbers. The baseline is ``logic.evaluate`` of the same case in the same
run (every request pays it): the walkthrough's answer now also carries ``word_case`` (its "Why"
lines in words), and a case page's check is ``logic.grading.grade`` (evaluate once, then grade
and word six questions). Run: ``.venv/bin/python tests/benchmarks/bench_grading.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import logic  # noqa: E402
from generator.core import Context  # noqa: E402
from generator.steps import cases  # noqa: E402
from logic.grading import grade  # noqa: E402
from logic.vocabulary import vocabulary, word_case  # noqa: E402
from tests.benchmarks.timing import median_us  # noqa: E402

ROUNDS, PER_ROUND = 15, 100


def main() -> None:
    case = next(c for c in cases.load_cases(Context()) if len(c.questions) == 6)
    questions = [
        {
            "ask": q.ask,
            "multi": q.kind.multi,
            "offered": [c.value for c in q.choices],
            "chosen": [q.choices[0].value],
        }
        for q in case.questions
    ]
    vocabulary()  # loaded once per process, before the worker's snapshot
    base = median_us(lambda: logic.evaluate(case.input), ROUNDS, PER_ROUND)
    worded = median_us(lambda: word_case(logic.evaluate(case.input)), ROUNDS, PER_ROUND)
    graded = median_us(lambda: grade(case.input, questions), ROUNDS, PER_ROUND)
    print(f"case {case.id} (6 questions), CPython {sys.version.split()[0]}")
    print(f"evaluate (baseline)        {base:8.0f} us  1.00x")
    print(f"evaluate + word_case       {worded:8.0f} us  {worded / base:.2f}x")
    print(f"grade (6 questions)        {graded:8.0f} us  {graded / base:.2f}x")


if __name__ == "__main__":
    main()
