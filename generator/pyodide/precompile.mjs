// Build-time precompile (called by generator/logic_bundle.py on a cache miss; not shipped).
//
//   node generator/pyodide/precompile.mjs <pyodide package dir> <logic.zip> <output dir>
//
// Loads Pyodide from node_modules exactly as the browser worker does (no packages), unpacks the
// logic archive, runs the worker glue (glue.py) on sample cases, then runs precompile.py inside
// Pyodide to write python_stdlib.zip, logic.zip (with .pyc) and report.json into <output dir>.
// Prints the report as one line of JSON.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [pyodideArg, logicZip, outDir] = process.argv.slice(2);
if (!pyodideArg || !logicZip || !outDir) {
  process.stderr.write("usage: precompile.mjs <pyodide dir> <logic.zip> <output dir>\n");
  process.exit(2);
}
process.on("unhandledRejection", (error) => {
  process.stderr.write(`${String(error?.stack ?? error).slice(0, 6000)}\n`);
  process.exit(1);
});

const pyodideDir = path.resolve(pyodideArg);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, packages: [] });
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");

// Exactly what the worker does: unpack the archive, run the glue.
const archive = new Uint8Array(await readFile(logicZip));
pyodide.unpackArchive(archive, "zip", { extractDir: sitePackages });
const glue = await readFile(path.join(here, "glue.py"), "utf8");
const glueScope = pyodide.toPy({});
pyodide.runPython(glue, { globals: glueScope });

const tool = pyodide.toPy({});
pyodide.runPython(await readFile(path.join(here, "precompile.py"), "utf8"), { globals: tool });
const used = tool.get("exercise")(glueScope.get("evaluate_json"));

pyodide.FS.mkdirTree("/precompile/out");
pyodide.FS.writeFile("/precompile/logic.zip", archive);
const report = tool
  .get("build")(used, "/precompile/logic.zip", glue, "/precompile/out")
  .toJs({ dict_converter: Object.fromEntries });

await mkdir(outDir, { recursive: true });
for (const name of ["python_stdlib.zip", "logic.zip", "report.json"]) {
  await writeFile(path.join(outDir, name), pyodide.FS.readFile(`/precompile/out/${name}`));
}
process.stdout.write(`${JSON.stringify({ ...report, selected: report.selected.length })}\n`);
