// runtime.mjs: the walkthrough's view of the Python runtime (logic-client.mjs): the loading and
// ready line, the failure box with "Try again", and recovery when a late runtime arrives.

import { TIMEOUT_MS, onStatus, ready, restart } from "../logic-client.mjs";

/** `answer()` is called once the runtime is ready; returns {showFailure(answer), isReady()}. */
export function mountRuntime(page, answer) {
  const root = page.root;
  const status = root.querySelector("[data-wt-status]");
  const failure = root.querySelector("[data-wt-failure]");
  let isReady = false;

  function start() {
    page.setState("loading");
    ready().then(
      () => {
        isReady = true;
        answer();
      },
      (problem) => showFailure(problem),
    );
  }

  function showFailure(problem) {
    page.setState("failed");
    const reason =
      problem?.failure === "timeout"
        ? `The Python runtime that runs the decision rules has not answered in ` +
          `${TIMEOUT_MS / 1000} seconds.`
        : problem?.message || "The Python runtime that runs the decision rules did not load.";
    failure.querySelector("[data-wt-failure-text]").textContent =
      `${reason} No answer can be computed here until it loads.`;
    failure.hidden = false;
    status.hidden = true;
    page.resultBox.replaceChildren();
    page.announce(`The interactive walkthrough could not start. Links to ${page.data.guideline.options_table} follow.`, 0);
  }

  /** The runtime became ready after a timeout was shown: answer now, without a click. */
  function recovered() {
    failure.hidden = true;
    status.hidden = false;
    isReady = true;
    page.setState("loading");
    answer();
  }

  function onRuntime({ state, info }) {
    if (state === "loading") {
      status.hidden = false;
    } else if (state === "ready" && info) {
      status.querySelector("[data-wt-status-text]").textContent =
        `Decision rules ready: logic ${info.logicVersion}, running in your browser ` +
        `(Pyodide ${info.pyodideVersion}).`;
      status.dataset.state = "ready";
      if (root.dataset.state === "failed") recovered();
    }
  }

  page.on(root.querySelector("[data-wt-retry]"), "click", () => {
    failure.hidden = true;
    restart();
    start();
  });
  const unsubscribe = onStatus(onRuntime);
  page.signal.addEventListener("abort", unsubscribe);
  return { start, showFailure, isReady: () => isReady };
}
