// Replays logic test-vector cases in Pyodide under Node and prints the results as JSON.
// Usage: node tests/node/logic_vectors.mjs <logic.zip> <vectors.json>
// Each case gives {"result": ...} or {"error": {"field", "message"}}, as CPython would.
import { readFile } from "node:fs/promises";
import { startPyodide } from "./pyodide_runtime.mjs";

const [archivePath, vectorsPath] = process.argv.slice(2);
const pyodide = await startPyodide(archivePath);
const vectors = JSON.parse(await readFile(vectorsPath, "utf8")).vectors;
pyodide.globals.set("cases_json", JSON.stringify(vectors.map((v) => v.case)));
const out = pyodide.runPython(`
import json, sys, logic
def one(case):
    try:
        return {"result": logic.evaluate(case)}
    except logic.CaseError as error:
        return {"error": error.to_json()}
json.dumps({"python": list(sys.version_info[:2]), "outcomes": [one(c) for c in json.loads(cases_json)]})
`);
process.stdout.write(out);
