"""Benchmark: parsing a regimen typed as drugs and deriving the guideline's resistance facts.

Not a test: it prints numbers. The baseline, timed in the same run, is ``logic.evaluate`` on the
case of ``bench_logic.py`` (what the walkthrough already runs per answer), so the ratios say how
much these steps add. Loading drugs.toml and genotype.toml (once per process, on first use) is
compared with loading the guideline data the same way.
Run: ``.venv/bin/python tests/benchmarks/bench_regimen_genotype.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_logic import CASE  # noqa: E402

import logic  # noqa: E402
from logic import genotype, regimen  # noqa: E402
from logic.guideline import load_from  # noqa: E402
from tests.benchmarks import timing  # noqa: E402

REGIMENS = ["TDF/FTC/EFV", "DRV/c + TAF/FTC", "dolutegravir, tenofovir alafenamide, emtricitabine"]
ROUNDS, PER_ROUND = 15, 200


def _output() -> dict:
    levels = {"EFV": 5, "NVP": 5, "3TC": 5, "FTC": 5, "ABC": 3}
    names = {
        "NRTI": "ABC AZT D4T DDI FTC 3TC TDF ISL",
        "NNRTI": "DOR EFV ETR NVP RPV DPV",
        "PI": "ATV/r DRV/r FPV/r IDV/r LPV/r NFV SQV/r TPV/r",
        "INSTI": "BIC CAB DTG EVG RAL",
    }
    drugs = [
        {"drug": d, "class": c, "level": levels.get(d, 1), "mutations": ["K103N", "M184V"]}
        for c, line in names.items()
        for d in line.split()
    ]
    genes = {"RT": "sequenced", "PR": "sequenced", "IN": "sequenced"}
    return {"genes": genes, "drugs": drugs}


def median_us(fn, rounds: int = ROUNDS, per_round: int = PER_ROUND) -> float:
    return timing.median_us(fn, rounds, per_round)


def load_us(fn, clear) -> float:
    samples = []
    for _ in range(ROUNDS):
        clear()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def main() -> None:
    output = _output()
    mutations = {"RT": ["K103N", "M184V"], "PR": [], "IN": []}
    logic.evaluate(CASE)
    genotype.derive(output, mutations)
    baseline = median_us(lambda: logic.evaluate(CASE))
    rows = [
        (f"parse_regimen {text!r}", median_us(lambda t=text: regimen.parse_regimen(t)))
        for text in REGIMENS
    ]
    rows.append(("derive (K103N + M184V)", median_us(lambda: genotype.derive(output, mutations))))
    print(
        f"median of {ROUNDS} rounds x {PER_ROUND} calls; baseline logic.evaluate {baseline:.1f}us"
    )
    print(f"{'step':<72}{'time':>10}{'ratio':>8}")
    for name, us in rows:
        print(f"{name:<72}{us:>8.1f}us{us / baseline:>8.2f}")

    def clear_extra() -> None:
        regimen._drug_data.cache_clear()
        genotype._genotype_data.cache_clear()

    def load_extra() -> None:
        regimen.drug_data()
        genotype.genotype_data()

    guide = load_us(lambda: load_from(None), lambda: None)
    extra = load_us(load_extra, clear_extra)  # guideline.load() stays cached, as in the worker
    print(
        f"data load: drugs + genotype {extra / 1000:.2f}ms, guideline {guide / 1000:.2f}ms, "
        f"ratio {extra / guide:.2f}"
    )


if __name__ == "__main__":
    main()
