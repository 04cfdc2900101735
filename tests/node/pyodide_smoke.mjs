// Load Pyodide from node_modules under Node and evaluate Python: fast feedback on the runtime
// without a browser. Run by tests/test_pyodide.py; prints one JSON line.
import { loadPyodide, version } from "pyodide";

const pyodide = await loadPyodide({ packages: [] });
const atLeast314 = pyodide.runPython("import sys; sys.version_info[:2] >= (3, 14)");
const python = pyodide.runPython("import sys; '.'.join(map(str, sys.version_info[:3]))");
const sum = pyodide.runPython("1 + 1");
console.log(JSON.stringify({ version, python, atLeast314, sum }));
