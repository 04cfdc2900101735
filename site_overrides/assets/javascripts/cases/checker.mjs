// cases/checker.mjs: a case page's answer checker, the status line above the questions. It runs
// logic in this tab's Pyodide worker through logic-client.mjs (one runtime per tab, kept across
// instant navigation) and grades answers there with logic.grading, the one grader.
//
// The runtime starts only on intent (`start()`: the first focus or click on an answer, or saved
// answers to restore), or at once if starting costs no download (`startIfWarm()`). The status
// line says what it is doing; a failure offers "Try again" and points to the teacher's sheet; a
// runtime that times out but becomes ready later is used without another click.

import { el } from "../dom.mjs";

const CLIENT_URL = new URL("../logic-client.mjs", import.meta.url).href;
const OFFLINE_URL = new URL("../offline.mjs", import.meta.url).href;

function loadClient() {
  return import(CLIENT_URL);
}

export function failureMessage(answer) {
  if (answer?.error) return `The decision logic rejected this case: ${answer.error.message}`;
  return answer?.message ?? "The answer checker did not start.";
}

/** Whether starting the runtime now costs no download: it runs in this tab already (instant
 *  navigation keeps it), or the service worker holds its files. */
async function alreadyWarm() {
  if (performance.getEntriesByName("htf:logic-runtime-start").length) return true;
  try {
    return await (await import(OFFLINE_URL)).runtimeCached();
  } catch {
    return false;
  }
}

/** Mount the checker on its status line. `questions`: the page's questions as logic.grading
 *  takes them (without `chosen`), sent once to learn whether the case can be graded. */
export function mountChecker(status, { data, questions, signal }) {
  let probe = null; // the first grading, with nothing chosen: is the checker ready?
  let started = false;

  function runProbe() {
    probe ??= loadClient()
      .then((client) => client.grade(data.case, questions))
      .catch((error) => ({ ok: false, failure: "runtime", message: String(error) }));
    return probe;
  }

  function start() {
    if (started) return;
    started = true;
    status.dataset.state = "loading";
    status.textContent =
      "Preparing the answer checker (the decision logic runs in your browser)…";
    runProbe().then((answer) => {
      if (!signal.aborted) show(answer);
    });
  }

  /** A runtime that timed out may still become ready: then check again without a click. */
  function answerWhenReadyLate() {
    loadClient().then((client) => {
      let done = false;
      let stop = null;
      stop = client.onStatus(({ state }) => {
        if (done || state !== "ready" || signal.aborted) return;
        done = true;
        stop?.();
        probe = null;
        runProbe().then((late) => {
          if (!signal.aborted) show(late);
        });
      });
      if (done) stop();
      signal.addEventListener("abort", () => stop(), { once: true });
    });
  }

  function show(answer) {
    if (answer.ok) {
      status.textContent = "Answer checker ready: the decision logic runs in your browser.";
      status.dataset.state = "ready";
      return;
    }
    status.dataset.state = "error";
    if (answer.failure === "timeout") answerWhenReadyLate();
    status.replaceChildren(
      `${failureMessage(answer)} You can still compare your answers with the `,
      el("a", { href: data.links.teacher }, "teacher's sheet"),
      ". ",
      el("button", { type: "button", class: "md-button", "data-retry": true }, "Try again"),
    );
    status.querySelector("[data-retry]").addEventListener(
      "click",
      async () => {
        const client = await loadClient();
        client.restart();
        probe = null;
        status.dataset.state = "loading";
        status.textContent = "Starting the answer checker again…";
        show(await runProbe());
      },
      { signal },
    );
  }

  /** Grade answers (logic.grading.grade in the worker): {ok, result, questions} or a failure. */
  async function grade(chosenQuestions) {
    start();
    const ready = await runProbe();
    if (!ready.ok) return ready;
    return (await loadClient()).grade(data.case, chosenQuestions);
  }

  function idle() {
    status.dataset.state = "idle";
    status.textContent = "The answer checker starts when you choose an answer (the decision logic "
      + "runs in your browser).";
    alreadyWarm().then((warm) => {
      if (warm && !signal.aborted) start();
    });
  }

  return { start, grade, idle };
}
