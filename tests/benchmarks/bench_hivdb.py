"""Benchmark: HIVdb interpretation of a 20-mutation genotype, and the first call's load time.

Not a test: it prints numbers. Baselines are measured in the same process: ``logic.evaluate`` of
the standard 10-result case of bench_logic.py (warm), and, for the first call, loading the
guideline data (``logic.guideline()``), which every page pays anyway. Cold figures come from
fresh interpreter processes (median of several). Run:
``.venv/bin/python tests/benchmarks/bench_hivdb.py``.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_logic import CASE  # noqa: E402

import logic  # noqa: E402
import logic.hivdb as hivdb  # noqa: E402
from generator.logic_bundle import archive_bytes  # noqa: E402
from tests.benchmarks import timing  # noqa: E402

GENOTYPE = (
    "RT: M41L, E44D, D67N, K70R, L74V, K103N, Y181C, M184V, G190A, L210W, T215Y, K219Q; "
    "PR: V32I, I47V, I54M, L76V, I84V, L90M; IN: G140S, Q148H"
)
ROUNDS, PER_ROUND, COLD_RUNS = 15, 200, 7

COLD = """
import json, time
t0 = time.perf_counter()
import logic
t1 = time.perf_counter()
logic.guideline()
t2 = time.perf_counter()
import logic.hivdb
logic.hivdb.load()
t3 = time.perf_counter()
logic.hivdb.interpret({genotype!r})
t4 = time.perf_counter()
print(json.dumps({{"import_logic": t1 - t0, "guideline": t2 - t1, "hivdb_load": t3 - t2,
                  "first_interpret": t4 - t3}}))
"""


def median_us(fn) -> float:
    return timing.median_us(fn, ROUNDS, PER_ROUND)


def cold() -> dict[str, float]:
    runs = []
    for _ in range(COLD_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", COLD.format(genotype=GENOTYPE)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        runs.append(json.loads(out))
    return {key: statistics.median(run[key] for run in runs) * 1e3 for key in runs[0]}


def pyodide() -> dict | None:
    """Warm interpretation and first load in Pyodide under Node (None without Node)."""
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "pyodide").is_dir():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        archive, texts = Path(tmp, "logic.zip"), Path(tmp, "genotypes.json")
        archive.write_bytes(archive_bytes())
        texts.write_text(json.dumps({"texts": [GENOTYPE], "baseline_case": CASE}))
        script = ROOT / "tests" / "node" / "hivdb_genotypes.mjs"
        run = subprocess.run(
            [node, str(script), str(archive), str(texts), str(ROUNDS)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
    return json.loads(run.stdout)["timing"]


def main() -> None:
    count = sum(len(found) for found in hivdb.parse_mutations(GENOTYPE).values())
    parsed = hivdb.parse_mutations(GENOTYPE)
    logic.evaluate(CASE)
    hivdb.interpret(GENOTYPE)
    baseline = median_us(lambda: logic.evaluate(CASE))
    text = median_us(lambda: hivdb.interpret(GENOTYPE))
    ready = median_us(lambda: hivdb.interpret(parsed))
    parse = median_us(lambda: hivdb.parse_mutations(GENOTYPE))
    # The whole answer with the genotype and a regimen by drugs (logic/clinical_inputs.py).
    with_genotype = {**CASE, "regimen": "TDF/FTC/EFV", "mutations": GENOTYPE}
    logic.evaluate(with_genotype)
    whole = median_us(lambda: logic.evaluate(with_genotype))
    print(f"CPython {sys.version.split()[0]}; warm: median of {ROUNDS} rounds x {PER_ROUND} calls")
    print(f"{'':<44}{'time':>10}{'x baseline':>12}")
    print(f"{'baseline: logic.evaluate (10-result case)':<44}{baseline:>8.1f}us{1:>12.2f}")
    for name, value in (
        (f"interpret, report text ({count} mutations)", text),
        ("interpret, already parsed form", ready),
        ("parse_mutations only", parse),
        ("logic.evaluate with regimen + genotype", whole),
    ):
        print(f"{name:<44}{value:>8.1f}us{value / baseline:>12.2f}")
    figures = cold()
    print(f"\nfresh process, median of {COLD_RUNS} runs")
    print(f"{'':<44}{'time':>10}{'x guideline':>12}")
    for key, label in (
        ("import_logic", "import logic"),
        ("guideline", "baseline: logic.guideline() (data load)"),
        ("hivdb_load", "logic.hivdb.load() (first genotype)"),
        ("first_interpret", "first interpret after load"),
    ):
        ms = figures[key]
        print(f"{label:<44}{ms:>8.2f}ms{ms / figures['guideline']:>12.2f}")
    wasm = pyodide()
    if wasm:
        print("\nPyodide under Node (the browser's Python), warm medians")
        ratio = wasm["interpret_us"] / wasm["baseline_us"]
        print(f"{'baseline: logic.evaluate (10-result case)':<44}{wasm['baseline_us']:>8.1f}us")
        print(f"{'interpret, report text':<44}{wasm['interpret_us']:>8.1f}us{ratio:>12.2f}")
        print(f"{'logic.hivdb.load() (first genotype)':<44}{wasm['load_ms']:>8.2f}ms")


if __name__ == "__main__":
    main()
