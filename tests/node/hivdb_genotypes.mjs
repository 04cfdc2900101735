// Interprets genotype texts with logic.hivdb in Pyodide under Node and prints the outcomes as JSON.
// Usage: node tests/node/hivdb_genotypes.mjs <logic.zip> <genotypes.json> [rounds]
// genotypes.json: a list of texts, or {"texts": [...], "baseline_case": {...}}.
// Each text gives {"result": ...} or {"error": {"field", "message"}}, as CPython would; with
// rounds, also the median times (warm) of interpreting the first text and of logic.evaluate of
// the baseline case, in microseconds.
import { readFile } from "node:fs/promises";
import { startPyodide } from "./pyodide_runtime.mjs";

const [archivePath, genotypesPath, rounds] = process.argv.slice(2);
const pyodide = await startPyodide(archivePath);
pyodide.globals.set("texts_json", await readFile(genotypesPath, "utf8"));
pyodide.globals.set("rounds", Number(rounds || 0));
const out = pyodide.runPython(`
import json, statistics, sys, time
import logic, logic.hivdb
texts = json.loads(texts_json)
case = {"viral_loads": [{"week": 30, "copies": 1200}]}
if isinstance(texts, dict):
    texts, case = texts["texts"], texts["baseline_case"]
start = time.perf_counter()
logic.hivdb.load()
load_ms = (time.perf_counter() - start) * 1e3
def one(text):
    try:
        return {"result": logic.hivdb.interpret(text)}
    except logic.CaseError as error:
        return {"error": error.to_json()}
timing = {}
if rounds:
    def median_us(fn):
        samples = []
        for _ in range(rounds):
            t = time.perf_counter()
            for _ in range(20):
                fn()
            samples.append((time.perf_counter() - t) / 20 * 1e6)
        return statistics.median(samples)
    logic.evaluate(case)
    timing = {"load_ms": load_ms,
              "interpret_us": median_us(lambda: logic.hivdb.interpret(texts[0])),
              "baseline_us": median_us(lambda: logic.evaluate(case))}
json.dumps({"python": list(sys.version_info[:2]), "outcomes": [one(t) for t in texts], "timing": timing})
`);
process.stdout.write(out);
