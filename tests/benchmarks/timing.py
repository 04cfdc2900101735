"""The benchmark scripts' one timer: the median, over rounds, of microseconds per call.

``MEDIAN_US_SOURCE`` is the timer as text, so that the scripts timing Pyodide too run the same
code there (sent with their job); CPython uses :func:`median_us`, made from that text."""

from __future__ import annotations

MEDIAN_US_SOURCE = """
import statistics, time
def median_us(fn, rounds, per_round):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            fn()
        samples.append((time.perf_counter() - start) / per_round * 1e6)
    return statistics.median(samples)
"""

_scope: dict = {}
exec(MEDIAN_US_SOURCE, _scope)
median_us = _scope["median_us"]
