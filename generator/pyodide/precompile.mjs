// Build-time precompile (called by generator/logic_bundle.py on a cache miss; not shipped).
//
//   node generator/pyodide/precompile.mjs <pyodide package dir> <logic.zip> <output dir>
//
// Loads Pyodide from node_modules exactly as the browser worker does (no packages), unpacks the
// logic archive, runs the worker glue (glue.py) on sample cases, then runs precompile.py inside
// Pyodide to write python_stdlib.zip, logic.zip (with .pyc) and report.json into <output dir>.
//
// Then the worker's memory snapshot: a second Pyodide, started from those two zips exactly as
// the worker's full start does, runs the glue and the sample cases; precompile.py's
// prepare_snapshot writes snapshot_stdlib.zip; Pyodide's makeMemorySnapshot() gives
// snapshot.raw (generator/logic_bundle.py packs it into snapshot.bin for the web).
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
const indexURL = pyodideDir + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL, packages: [] });
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");

// Exactly what the worker does: unpack the archive, run the glue.
const archive = new Uint8Array(await readFile(logicZip));
pyodide.unpackArchive(archive, "zip", { extractDir: sitePackages });
const glue = await readFile(path.join(here, "glue.py"), "utf8");
const toolSource = await readFile(path.join(here, "precompile.py"), "utf8");
const glueScope = pyodide.toPy({});
pyodide.runPython(glue, { globals: glueScope });

const tool = pyodide.toPy({});
pyodide.runPython(toolSource, { globals: tool });
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

// The snapshot. Glue and sample cases run through runPython in __main__, never through a proxy:
// a snapshot cannot hold references from Python to JavaScript objects it cannot name.
const snap = await loadPyodide({
  indexURL,
  packages: [],
  stdLibURL: path.join(outDir, "python_stdlib.zip"),
  _makeSnapshot: true,
});
snap.unpackArchive(new Uint8Array(await readFile(path.join(outDir, "logic.zip"))), "zip", {
  extractDir: snap.runPython("import site; site.getsitepackages()[0]"),
});
snap.runPython(glue);
const toolDir = "/precompile/tool"; // on sys.path only while prepare_snapshot runs
snap.FS.mkdirTree(toolDir);
snap.FS.writeFile(`${toolDir}/precompile.py`, toolSource);
const scope = snap.runPython("dict()");
const snapshotReport = JSON.parse(
  snap.runPython(
    `import json, sys
sys.path.insert(0, "${toolDir}")
from __main__ import evaluate_json
from precompile import prepare_snapshot
json.dumps(prepare_snapshot(evaluate_json, "/precompile/snapshot_stdlib.zip"))`,
    { globals: scope },
  ),
);
scope.destroy();
const snapshotStdlib = snap.FS.readFile("/precompile/snapshot_stdlib.zip");
await writeFile(path.join(outDir, "snapshot_stdlib.zip"), snapshotStdlib);
await writeFile(path.join(outDir, "snapshot.raw"), snap.makeMemorySnapshot());
Object.assign(report, snapshotReport);
await writeFile(path.join(outDir, "report.json"), JSON.stringify(report, null, 1));

process.stdout.write(`${JSON.stringify({ ...report, selected: report.selected.length })}\n`);
