// The walkthrough's Web Worker (a module worker): runs the `logic` package in the self-hosted
// Pyodide runtime, off the page's main thread. Started once per tab by logic-client.mjs.
//
// Messages in:   {id, case}          a case object, as logic.evaluate takes it
//                {id, type: "grade", case, questions}   a case page's answers, for
//                                    logic.grading.grade (the one grader; see glue.py)
// Messages out:  {type: "ready", logicVersion, pyodideVersion, ms, phases, start, timeOrigin}
//                                                     once, when Python is ready
//                {type: "failed", message}                           once, if it cannot start
//                {id, ok: true, result, chart, words}   logic.evaluate's answer, its chart and
//                                    the case and trace in words (logic.vocabulary.word_case)
//                {id, ok: true, result, questions}      logic.grading.grade's answer
//                {id, ok: false, error: {field, message}}   the CaseError it raised
//                {id, ok: false, failure: "runtime", message}   anything else went wrong
//
// It starts Python from the build's memory snapshot (logic already imported and warmed up), which
// skips Python's own start-up. If the snapshot cannot be used it starts Python in full from the
// precompiled standard library; "ready" says which: start {from: "snapshot"} or
// {from: "full", reason}.
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
  snapshotStdLibURL,
  snapshotURL,
  stdLibURL,
} from "../logic/bundle.mjs";
import { fetchSnapshot } from "./snapshot-file.mjs";

// Milliseconds since this worker began (its time origin), at the end of each start-up phase:
// "modules" (its scripts fetched and run), "snapshot" (downloaded and unpacked), "runtime"
// (Python ready); after a full start also "unpack" and "import". Sent with "ready".
const phases = { modules: Math.round(performance.now()) };
const phase = (name) => {
  phases[name] = Math.round(performance.now());
};

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const runtimeOptions = {
  indexURL,
  lockFileURL,
  packageBaseUrl: indexURL, // never the CDN default
  packages: [],
};

/** Python with logic loaded and the glue run: from the snapshot, else in full.
 *  The snapshot was taken with logic imported, its data loaded and sample cases answered; logic
 *  reads no file after that (tests/test_logic_files.py), so it needs neither the archive nor
 *  the glue. */
async function startPython() {
  const snapshot = fetchSnapshot(snapshotURL);
  snapshot.then(() => phase("snapshot"), () => {}); // a failure is handled below, not reported
  try {
    const pyodide = await loadPyodide({
      ...runtimeOptions,
      stdLibURL: snapshotStdLibURL,
      _loadSnapshot: snapshot,
    });
    phase("runtime");
    return { pyodide, start: { from: "snapshot" } };
  } catch (error) {
    const archive = fetchBytes(logicArchiveURL); // downloads while the runtime starts
    archive.catch(() => {}); // awaited below
    const pyodide = await loadPyodide({ ...runtimeOptions, stdLibURL });
    phase("runtime");
    const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
    pyodide.unpackArchive(await archive, "zip", { extractDir: sitePackages });
    phase("unpack");
    pyodide.runPython(glue); // defines evaluate_json in __main__
    phase("import");
    return { pyodide, start: { from: "full", reason: describe(error) } };
  }
}

async function startRuntime() {
  const { pyodide, start } = await startPython();
  return {
    evaluateJSON: pyodide.globals.get("evaluate_json"),
    gradeJSON: pyodide.globals.get("grade_json"),
    start,
  };
}

let ready = false;
const runtime = startRuntime();

// A promise Pyodide rejects inside itself (e.g. a download that failed) must not go unreported:
// while starting, it is the start-up failure.
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  if (!ready) postMessage({ type: "failed", message: describe(event.reason) });
});

runtime.then(
  ({ start }) => {
    ready = true;
    postMessage({
      type: "ready",
      logicVersion,
      pyodideVersion,
      ms: Math.round(performance.now()),
      phases,
      start,
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
  const { id, type, case: caseObject, questions } = event.data ?? {};
  let evaluateJSON;
  let gradeJSON;
  try {
    ({ evaluateJSON, gradeJSON } = await runtime);
  } catch (error) {
    postMessage({ id, ok: false, failure: "runtime", message: describe(error) });
    return;
  }
  try {
    const answer =
      type === "grade"
        ? JSON.parse(gradeJSON(JSON.stringify({ case: caseObject ?? null, questions })))
        : JSON.parse(evaluateJSON(JSON.stringify(caseObject ?? null)));
    postMessage({ id, ...answer });
  } catch (error) {
    postMessage({ id, ok: false, failure: "runtime", message: describe(error) });
  }
});
