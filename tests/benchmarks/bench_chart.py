"""Benchmark: ``logic.chart.render_svg`` and ``render_table`` on a 30-result course, in CPython
and in Pyodide under Node (the walkthrough's worker draws the chart there).

Not a test: it prints numbers. Each runtime also times a baseline in the same run,
``json.dumps`` of the same course (what the worker pays anyway to hand a result to the page), so
the ratio can be compared across noisy machines.
Run: ``.venv/bin/python tests/benchmarks/bench_chart.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.timing import MEDIAN_US_SOURCE  # noqa: E402

CHART = ROOT / "logic" / "chart.py"
ROUNDS, PER_ROUND = 15, 100

# Run as is by both runtimes, with `render_svg` and `render_table` in scope.
TIMER = (
    MEDIAN_US_SOURCE
    + """
import json
def bench(course, rounds, per_round):
    return {
        "svg_bytes": len(render_svg(course, title="t", description="d")),
        "baseline_us": median_us(lambda: json.dumps(course), rounds, per_round),
        "render_svg_us": median_us(
            lambda: render_svg(course, title="t", description="d"), rounds, per_round
        ),
        "render_table_us": median_us(lambda: render_table(course), rounds, per_round),
    }
"""
)

NODE_SCRIPT = """
import { readFile } from "node:fs/promises";
import path from "node:path";
const dir = path.resolve("node_modules/pyodide");
const { loadPyodide } = await import(path.join(dir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: dir + path.sep, packages: [] });
py.FS.writeFile("/home/pyodide/chart.py", await readFile(process.argv[2], "utf8"));
let input = "";
for await (const chunk of process.stdin) input += chunk;
py.globals.set("job", input);
process.stdout.write(py.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide")
from chart import render_svg, render_table
job = json.loads(job)
exec(job["timer"])
json.dumps(bench(job["course"], job["rounds"], job["per"]))
`));
"""


def course_of(n: int) -> dict:
    """A dated n-result course: response, suppression with two blips, an ongoing rebound."""
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
        band = "undetectable" if below else "low_level" if copies < 200 else "failure_level"
        day = (date(2024, 1, 10) + timedelta(weeks=week)).isoformat()
        points.append(
            {"week": week, "date": day, "copies": copies, "below_llod": below, "band": band}
            | {"mark": mark}
        )
    episode = {
        "kind": "rebound",
        "label": "Confirmed rebound",
        "start_week": points[n - 4]["week"],
        "end_week": points[-1]["week"],
        "points": list(range(n - 4, n)),
        "confirmed": True,
        "ongoing": True,
    }
    return {
        "llod": 50,
        "failure_copies": 200,
        "resistance_test_copies": 1000,
        "points": points,
        "episodes": [episode],
        "first_suppressed_week": 12.0,
        "stopped_week": None,
        "restarted_week": None,
    }


def cpython(course: dict) -> dict:
    sys.path.insert(0, str(ROOT))
    from logic.chart import render_svg, render_table

    scope = {"render_svg": render_svg, "render_table": render_table}
    exec(TIMER, scope)
    return scope["bench"](course, ROUNDS, PER_ROUND)


def pyodide(course: dict) -> dict | None:
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "pyodide").is_dir():
        return None
    job = json.dumps({"timer": TIMER, "course": course, "rounds": ROUNDS, "per": PER_ROUND})
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "bench.mjs")
        script.write_text(NODE_SCRIPT)
        run = subprocess.run(
            [node, str(script), str(CHART)],
            input=job,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
    if run.returncode:
        raise SystemExit(run.stderr[-2000:])
    return json.loads(run.stdout)


def main() -> None:
    course = course_of(30)
    rows = [("CPython " + sys.version.split()[0], cpython(course))]
    wasm = pyodide(course)
    if wasm:
        rows.append(("Pyodide (Node)", wasm))
    print(f"30-result dated course, median of {ROUNDS} rounds x {PER_ROUND} calls")
    print(f"SVG {rows[0][1]['svg_bytes']:,} bytes; baseline: json.dumps of the course")
    print(f"{'runtime':<22}{'baseline':>11}{'render_svg':>12}{'ratio':>7}{'table':>11}{'ratio':>7}")
    for name, r in rows:
        base, svg, table = r["baseline_us"], r["render_svg_us"], r["render_table_us"]
        print(
            f"{name:<22}{base:>9.1f}us{svg:>10.1f}us{svg / base:>7.1f}"
            f"{table:>9.1f}us{table / base:>7.1f}"
        )


if __name__ == "__main__":
    main()
