// logic-client.mjs: the one way page code runs the `logic` package in the browser.
//
// ONE runtime per tab: a module Web Worker (logic-worker.mjs) running the self-hosted Pyodide,
// created on first use and kept for the life of the tab. Material's instant navigation keeps this
// module (and so the worker) alive from page to page; nothing here depends on the current page.
// Every address is resolved from import.meta.url, so the site works under any base path.
//
// API (stable: the walkthrough and the cases pages both import it):
//
//   import { ready, evaluate, grade, status, onStatus, restart, TIMEOUT_MS } from
//     ".../logic-client.mjs";
//
//   ready() -> Promise<{logicVersion, pyodideVersion, ms, phases, start, workerStarted}>
//       Starts the runtime if it is not started (calling it early is how a page warms it up) and
//       resolves once Python and `logic` are loaded (`ms`: the worker's start-up time; `phases`:
//       ms into it at which each start-up phase ended, see logic-worker.mjs; `start`:
//       {from: "snapshot"}, or {from: "full", reason} if the memory snapshot could not be used;
//       `workerStarted`: when the worker began, in this page's performance time). Rejects with
//       {ok: false, failure: "runtime" | "timeout", message} if the runtime fails to start or
//       has not answered within TIMEOUT_MS of this call.
//
//   evaluate(caseObject) -> Promise of exactly one of
//       {ok: true, result, chart, words}        logic.evaluate(case)'s answer (JSON-like), the
//                                               course's chart, and `words`: what a page shows
//                                               of it in words (logic.vocabulary.word_case:
//                                               {trace: [{rule, table, inputs: ["Fact: value"]}],
//                                               facts: [{field, label, value}]})
//       {ok: false, error: {field, message}}    the logic.CaseError it raised: `field` names the
//                                               input, e.g. "history" or "viral_loads[2].copies"
//       {ok: false, failure: "runtime" | "timeout", message}
//                                               the runtime failed, or no answer in TIMEOUT_MS
//       It never rejects. It starts the runtime if needed; calls made while Python is loading are
//       answered once it is ready (the timeout still counts from the call).
//
//   grade(caseObject, questions) -> Promise, as evaluate's, of {ok: true, result, questions}:
//       logic.grading.grade, the one grader of the case pages. `questions` are
//       [{ask, multi, offered: [values], chosen: [values] (optional)}]; each answer is
//       {correct, right (null if nothing chosen), why: [{rule, inputs: ["Fact: value"], source}],
//       words}.
//
//   status() -> "idle" | "loading" | "ready" | "failed"
//   onStatus(listener) -> unsubscribe function; listener({state, info, failure}) is called at
//       once with the current state, then on each change
//   restart()  unless ready: drop the runtime (failed, or still loading after a timeout) and
//       start a fresh worker; evaluate() calls still waiting are sent to the new one
//   A runtime that becomes ready after its callers timed out still reports "ready" through
//   onStatus, so a page can answer then without being asked again.
//   TIMEOUT_MS  20000

export const TIMEOUT_MS = 20_000;

const workerURL = new URL("./logic-worker.mjs", import.meta.url);

let worker = null;
let state = "idle";
let info = null; // {logicVersion, pyodideVersion, ms} once ready
let failure = null; // {ok: false, failure: "runtime", message} once failed
let nextId = 1;
const pending = new Map(); // id -> {resolve, timer, plain}
const readyWaiters = new Set(); // {resolve, reject, timer}
const listeners = new Set();

function setState(next) {
  state = next;
  for (const listener of listeners) {
    try {
      listener({ state, info, failure });
    } catch (error) {
      console.error(error);
    }
  }
}

function start() {
  if (worker || state === "failed") return;
  const early = adoptEarlyWorker();
  if (!early) {
    performance.mark("htf:logic-runtime-start");
    try {
      worker = new Worker(workerURL, { type: "module", name: "logic" });
    } catch (error) {
      fail(`the worker could not be created (${error})`);
      return;
    }
  }
  worker.addEventListener("message", onMessage);
  worker.addEventListener("error", onError);
  worker.addEventListener("messageerror", () => fail("a message from the worker was unreadable"));
  setState("loading");
  // Replay what the early worker said before this module was there to listen.
  for (const event of early?.events ?? []) {
    if (event.type === "message") onMessage(event);
    else onError(event);
  }
}

/** A worker started from the page's head (site_overrides/partials/logic-runtime-eager.html),
 *  taken over once: same script, so the same protocol. */
function adoptEarlyWorker() {
  const early = globalThis.__htfLogicWorker;
  if (!early) return null;
  delete globalThis.__htfLogicWorker;
  if (early.url !== workerURL.href) {
    early.worker.terminate(); // another build of the site: start our own
    return null;
  }
  early.stop();
  worker = early.worker;
  return early;
}

function onError(event) {
  event.preventDefault?.();
  fail(event.message || "the worker's scripts could not be loaded");
}

function onMessage(event) {
  const data = event.data ?? {};
  if (data.type === "ready") {
    info = {
      logicVersion: data.logicVersion,
      pyodideVersion: data.pyodideVersion,
      ms: data.ms,
      phases: data.phases,
      start: data.start,
      workerStarted: data.timeOrigin - performance.timeOrigin,
    };
    performance.mark("htf:logic-runtime-ready");
    for (const waiter of readyWaiters) settleWaiter(waiter, true);
    setState("ready");
    return;
  }
  if (data.type === "failed") {
    fail(data.message);
    return;
  }
  const request = pending.get(data.id);
  if (!request) return; // answered after its timeout: the caller has moved on
  pending.delete(data.id);
  clearTimeout(request.timer);
  const { id: _id, ...answer } = data;
  request.resolve(answer);
}

function settleWaiter(waiter, ok, reason) {
  readyWaiters.delete(waiter);
  clearTimeout(waiter.timer);
  if (ok) waiter.resolve(info);
  else waiter.reject(reason);
}

function fail(message) {
  if (state === "failed") return;
  failure = { ok: false, failure: "runtime", message: `The Python runtime failed: ${message}` };
  worker?.terminate();
  worker = null;
  for (const [id, request] of pending) {
    pending.delete(id);
    clearTimeout(request.timer);
    request.resolve(failure);
  }
  for (const waiter of readyWaiters) settleWaiter(waiter, false, failure);
  setState("failed");
}

function timeoutAnswer() {
  return {
    ok: false,
    failure: "timeout",
    message: `The Python runtime has not answered in ${TIMEOUT_MS / 1000} s.`,
  };
}

export function ready() {
  start();
  if (state === "ready") return Promise.resolve(info);
  if (state === "failed") return Promise.reject(failure);
  return new Promise((resolve, reject) => {
    const waiter = { resolve, reject, timer: 0 };
    waiter.timer = setTimeout(() => settleWaiter(waiter, false, timeoutAnswer()), TIMEOUT_MS);
    readyWaiters.add(waiter);
  });
}

export function evaluate(caseObject) {
  return send({ case: caseObject ?? null });
}

export function grade(caseObject, questions) {
  return send({ type: "grade", case: caseObject ?? null, questions: questions ?? [] });
}

/** Send one request (its fields JSON-like, as logic takes them) and resolve with the answer. */
function send(message) {
  let plain;
  try {
    plain = JSON.parse(JSON.stringify(message)); // JSON-like, as logic takes it
  } catch (error) {
    return Promise.resolve({
      ok: false,
      error: { field: "case", message: `not JSON-like data (${error.message})` },
    });
  }
  start();
  if (state === "failed") return Promise.resolve(failure);
  return new Promise((resolve) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve(timeoutAnswer());
    }, TIMEOUT_MS);
    pending.set(id, { resolve, timer, plain });
    worker.postMessage({ id, ...plain });
  });
}

export function status() {
  return state;
}

export function onStatus(listener) {
  listeners.add(listener);
  listener({ state, info, failure }); // the current state first, then each change
  return () => listeners.delete(listener);
}

export function restart() {
  if (state === "ready") return;
  // A worker that timed out may be stuck for good (a stalled download, a stopped worker):
  // replace it rather than wait on it again.
  worker?.terminate();
  globalThis.__htfLogicWorker?.worker.terminate(); // an early worker not adopted yet
  delete globalThis.__htfLogicWorker;
  worker = null;
  failure = null;
  info = null;
  state = "idle";
  start();
  for (const [id, waiting] of pending) worker?.postMessage({ id, ...waiting.plain });
}
