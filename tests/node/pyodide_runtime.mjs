// The one way the Node test scripts start Pyodide: from node_modules (npm ci), no packages,
// and with errors printed short (Pyodide's carry its minified source). With an archive, the
// `logic` zip is unpacked into site-packages as the browser worker unpacks it.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const pyodideDir = path.dirname(require.resolve("pyodide/package.json"));

process.on("unhandledRejection", (error) => {
  process.stderr.write(`${String(error).slice(0, 4000)}\n`);
  process.exit(1);
});

export async function startPyodide(logicArchive) {
  const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
  const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, packages: [] });
  if (logicArchive) {
    pyodide.unpackArchive(new Uint8Array(await readFile(logicArchive)), "zip", {
      extractDir: "/lib/python3.14/site-packages",
    });
  }
  return pyodide;
}
