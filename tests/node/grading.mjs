// Runs the worker's glue (generator/pyodide/glue.py) in Pyodide under Node and grades requests
// with its grade_json, as the case pages' worker does. Prints the answers as JSON.
// Usage: node tests/node/grading.mjs <logic.zip> <requests.json>   (a list of {case, questions})
import { readFile } from "node:fs/promises";
import { startPyodide } from "./pyodide_runtime.mjs";

const [archivePath, requestsPath] = process.argv.slice(2);
const pyodide = await startPyodide(archivePath);
pyodide.runPython(await readFile("generator/pyodide/glue.py", "utf8"));
const gradeJSON = pyodide.globals.get("grade_json");
const requests = JSON.parse(await readFile(requestsPath, "utf8"));
const python = pyodide.runPython("import sys; list(sys.version_info[:2])").toJs();
const answers = requests.map((request) => JSON.parse(gradeJSON(JSON.stringify(request))));
process.stdout.write(JSON.stringify({ python, answers }));
