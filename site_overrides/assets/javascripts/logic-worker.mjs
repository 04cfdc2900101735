// The walkthrough's Web Worker (a module worker): runs the `logic` package in the self-hosted
// Pyodide runtime, off the page's main thread. Started once per tab by logic-client.mjs.
//
// Messages in:   {id, case}          a case object, as logic.evaluate takes it
// Messages out:  {type: "ready", logicVersion, pyodideVersion, ms, phases, timeOrigin}
//                                                     once, when Python is ready
//                {type: "failed", message}                           once, if it cannot start
//                {id, ok: true, result}                 logic.evaluate's answer
//                {id, ok: false, error: {field, message}}   the CaseError it raised
//                {id, ok: false, failure: "runtime", message}   anything else went wrong
//
// Everything it loads comes from this site (addresses in ../logic/bundle.mjs, generated):
// no packages, no CDN.

import {
  glue,
  indexURL,
  loadPyodide,
  lockFileURL,
  logicArchiveURL,
  logicVersion,
  pyodideVersion,
  stdLibURL,
} from "../logic/bundle.mjs";

const started = performance.now();

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// Milliseconds since the worker started, at the end of each phase (sent with "ready").
const phases = {};
const phase = (name) => {
  phases[name] = Math.round(performance.now() - started);
};

async function start() {
  // The archive downloads while the runtime starts.
  const archive = fetchBytes(logicArchiveURL);
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL,
    packageBaseUrl: indexURL, // never the CDN default
    stdLibURL,
    packages: [],
  });
  phase("runtime");
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(await archive, "zip", { extractDir: sitePackages });
  phase("unpack");
  const scope = pyodide.toPy({});
  pyodide.runPython(glue, { globals: scope });
  phase("import");
  return scope.get("evaluate_json");
}

let ready = false;
const runtime = start();

// A promise Pyodide rejects inside itself (e.g. a download that failed) must not go unreported:
// while starting, it is the start-up failure.
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  if (!ready) postMessage({ type: "failed", message: describe(event.reason) });
});

runtime.then(
  () => {
    ready = true;
    postMessage({
      type: "ready",
      logicVersion,
      pyodideVersion,
      ms: Math.round(performance.now() - started),
      phases,
      timeOrigin: performance.timeOrigin,
    });
  },
  (error) => postMessage({ type: "failed", message: describe(error) }),
);

function describe(error) {
  const text = String(error?.message ?? error);
  // Pyodide's errors can carry a long Python traceback: the last line says what happened.
  const lines = text.trim().split("\n");
  return lines[lines.length - 1].slice(0, 500);
}

self.addEventListener("message", async (event) => {
  const { id, case: caseObject } = event.data ?? {};
  let evaluateJSON;
  try {
    evaluateJSON = await runtime;
  } catch (error) {
    postMessage({ id, ok: false, failure: "runtime", message: describe(error) });
    return;
  }
  try {
    const answer = JSON.parse(evaluateJSON(JSON.stringify(caseObject ?? null)));
    postMessage({ id, ...answer });
  } catch (error) {
    postMessage({ id, ok: false, failure: "runtime", message: describe(error) });
  }
});
