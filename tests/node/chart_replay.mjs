// Renders viral-load courses with logic/chart.py in Pyodide under Node and prints the SVG and
// table of each as JSON, for tests/test_chart.py to compare byte for byte with CPython's.
// Usage: node tests/node/chart_replay.mjs <chart.py> <courses.json>
// chart.py is loaded on its own (as `chart`): the renderer needs nothing else from `logic`.
import { readFile } from "node:fs/promises";
import { startPyodide } from "./pyodide_runtime.mjs";

const [chartPath, coursesPath] = process.argv.slice(2);
const pyodide = await startPyodide();
pyodide.FS.writeFile("/home/pyodide/chart.py", await readFile(chartPath, "utf8"));
pyodide.globals.set("courses_json", await readFile(coursesPath, "utf8"));
const out = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide")
import chart
courses = json.loads(courses_json)
json.dumps({
    "python": list(sys.version_info[:2]),
    "svg": {k: chart.render_svg(c, title=k, description="d", id_prefix=k) for k, c in courses.items()},
    "table": {k: chart.render_table(c) for k, c in courses.items()},
})
`);
process.stdout.write(out);
