// Starts the `logic` runtime's worker while the walkthrough page is still being parsed: loaded
// as an async classic script from the head (site_overrides/partials/logic-runtime-eager.html),
// so it runs as soon as it arrives, without waiting for the stylesheets or the page's modules.
// A file rather than an inline script, so that the Content-Security-Policy needs no hash for it.
// logic-client.mjs adopts this worker (window.__htfLogicWorker) and replays the messages that
// arrived before it loaded; without this script it starts the worker itself, later.
(() => {
  try {
    const url = new URL("logic-worker.mjs", document.currentScript.src);
    const worker = new Worker(url, { type: "module", name: "logic" });
    const events = [];
    const keep = (event) => events.push(event);
    worker.addEventListener("message", keep);
    worker.addEventListener("error", keep);
    const stop = () => {
      worker.removeEventListener("message", keep);
      worker.removeEventListener("error", keep);
    };
    performance.mark("htf:logic-runtime-start");
    window.__htfLogicWorker = { worker, url: url.href, events, stop };
  } catch {
    // logic-client.mjs starts the worker itself and reports any failure.
  }
})();
