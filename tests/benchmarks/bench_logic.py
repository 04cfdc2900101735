"""Benchmark: ``logic.evaluate`` on a 10-result history, in CPython and in Pyodide under Node.

Not a test: it prints numbers. Each runtime also times a baseline in the same run (a JSON
round trip of the same case, which any caller of ``evaluate`` pays anyway), so the ratio can
be compared across noisy machines. Run: ``.venv/bin/python tests/benchmarks/bench_logic.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import logic  # noqa: E402
from generator.logic_bundle import archive_bytes  # noqa: E402
from tests.benchmarks.timing import MEDIAN_US_SOURCE  # noqa: E402

CASE = {
    "viral_loads": [
        {"week": w, "copies": c}
        for w, c in [
            (4, "85,000"), (8, "2,300"), (12, "<50"), (16, "<50"), (24, "TND"),
            (32, "<50"), (40, 180), (44, "<50"), (52, "1,200"), (56, "3.4e3"),
        ]
    ],
    "history": "first_regimen",
    "failing_regimen": "nnrti_2nrti",
    "resistance": ["nnrti", "m184vi"],
    "hbv_coinfection": True,
    "childbearing_potential": True,
}  # fmt: skip

# A 30-result course as a lab prints it, by date: suppression, a blip, a confirmed rebound,
# a lower result that does not resolve it (the whole-course reading of issue 10).
COURSE_30 = {
    "regimen_start": "2021-01-04",
    "viral_loads": [
        {"date": f"{2021 + (i * 6) // 52}-{1 + ((i * 6) % 52) // 5 % 12:02d}-{10 + i % 18:02d}",
         "copies": value}
        for i, value in enumerate(
            ["85,000", "2,300", "<50", "<50", "TND", "<50", 180, "<50", "<20", "<50"]
            + ["<50"] * 10
            + ["1,200", "3.4e3", "4.1 log", "5 400", 150, "6,100", "7,000", 320, "9,900", 240]
        )
    ],
    "history": "first_regimen",
    "failing_regimen": "nnrti_2nrti",
    "resistance": ["nnrti", "m184vi"],
}  # fmt: skip

ROUNDS, PER_ROUND = 15, 200

TIMER = (
    MEDIAN_US_SOURCE
    + """
import json
def bench(evaluate, case, rounds, per_round):
    evaluate(case)  # warm: data loaded once per process
    text = json.dumps(case)
    return {
        "evaluate_us": median_us(lambda: evaluate(case), rounds, per_round),
        "baseline_us": median_us(lambda: json.loads(text), rounds, per_round),
    }
"""
)


def cpython(case: dict = CASE) -> dict:
    scope: dict = {}
    exec(TIMER, scope)
    return scope["bench"](logic.evaluate, case, ROUNDS, PER_ROUND)


def pyodide() -> dict | None:
    node = shutil.which("node")
    if not node:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp, "logic.zip")
        archive.write_bytes(archive_bytes())
        script = Path(tmp, "bench.mjs")
        script.write_text(NODE_SCRIPT)
        run = subprocess.run(
            [node, str(script), str(archive)],
            input=json.dumps({"timer": TIMER, "case": CASE, "rounds": ROUNDS, "per": PER_ROUND}),
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
    return json.loads(run.stdout)


NODE_SCRIPT = """
import { readFile } from "node:fs/promises";
import path from "node:path";
const dir = path.resolve("node_modules/pyodide");
const { loadPyodide } = await import(path.join(dir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: dir + path.sep, packages: [] });
py.unpackArchive(new Uint8Array(await readFile(process.argv[2])), "zip",
  { extractDir: "/lib/python3.14/site-packages" });
let input = "";
for await (const chunk of process.stdin) input += chunk;
py.globals.set("job", input);
process.stdout.write(py.runPython(`
import json, logic
job = json.loads(job)
exec(job["timer"])
json.dumps(bench(logic.evaluate, job["case"], job["rounds"], job["per"]))
`));
"""


def main() -> None:
    rows = [("CPython " + sys.version.split()[0], cpython())]
    wasm = pyodide()
    if wasm:
        rows.append(("Pyodide (Node)", wasm))
    print(f"logic.evaluate, 10-result history, median of {ROUNDS} rounds x {PER_ROUND} calls")
    print(f"{'runtime':<22}{'evaluate':>12}{'baseline':>12}{'ratio':>8}")
    for name, r in rows:
        ratio = r["evaluate_us"] / r["baseline_us"]
        print(f"{name:<22}{r['evaluate_us']:>10.1f}us{r['baseline_us']:>10.1f}us{ratio:>8.1f}")
    long = cpython(COURSE_30)
    ratio = long["evaluate_us"] / long["baseline_us"]
    print(f"30-result dated course (CPython; target <= 200 us): {long['evaluate_us']:.1f}us,")
    print(f"  baseline {long['baseline_us']:.1f}us, ratio {ratio:.1f}")


if __name__ == "__main__":
    main()
