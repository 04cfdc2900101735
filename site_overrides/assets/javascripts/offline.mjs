// offline.mjs: registers the site's service worker (sw.js at the site root, written after the
// build by generator/postbuild/offline.py) on every page, offers a new build to the reader, and
// asks the worker to keep the Python runtime once a page has used it. Loaded on every page
// (extra_javascript, type: module); addresses come from import.meta.url, so any base path works.
//
// * A new build is never swapped in silently: when one has installed and waits, a prompt says
//   "Updated guidance available" with its content date, and only the reader's "Reload" lets the
//   new worker take over (then the page reloads).
// * After a page's runtime is ready (performance mark "htf:logic-runtime-ready", from
//   logic-client.mjs), the worker is asked to fill its runtime cache, so the walkthrough and the
//   cases answer offline after one online visit.
// * runtimeCached() tells a case page whether starting the runtime costs no download.

import { el } from "./dom.mjs";

const workerURL = new URL("../../sw.js", import.meta.url);
const scope = new URL("../../", import.meta.url);
const ASK_TIMEOUT_MS = 1500;

const supported = "serviceWorker" in navigator;

/** Send a message to a service worker and wait for its answer (null after ASK_TIMEOUT_MS). */
function ask(worker, message, timeout = ASK_TIMEOUT_MS) {
  if (!worker) return Promise.resolve(null);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), timeout);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

/** Whether this site's worker holds every file one start of the Python runtime needs. */
export async function runtimeCached() {
  if (!supported || !navigator.serviceWorker.controller) return false;
  const answer = await ask(navigator.serviceWorker.controller, { type: "HTF_RUNTIME_CACHED" });
  return answer?.cached === true;
}

// ------------------------------------------------------------------ the update prompt

function showPrompt(worker, info) {
  document.querySelector("[data-htf-update]")?.remove();
  const dated = info?.contentDate ? ` (content of ${info.contentDate})` : "";
  const button = el("button", { type: "button" }, "Reload");
  const box = el(
    "div",
    { "data-htf-update": true, role: "status" },
    el("span", {}, `Updated guidance available${dated} — `),
    button,
  );
  // Styled through the CSSOM (allowed by the Content-Security-Policy, unlike style attributes).
  Object.assign(box.style, {
    position: "fixed",
    insetInline: "1rem",
    bottom: "1rem",
    zIndex: "10",
    padding: "0.75rem 1rem",
    borderRadius: "0.25rem",
    background: "#1a237e",
    color: "#fff",
    fontSize: "0.8rem",
    boxShadow: "0 2px 8px rgba(0,0,0,0.4)",
  });
  Object.assign(button.style, {
    minHeight: "2rem",
    minWidth: "24px",
    padding: "0.25rem 0.75rem",
    border: "2px solid #fff",
    borderRadius: "0.2rem",
    background: "#fff",
    color: "#1a237e",
    fontWeight: "700",
    cursor: "pointer",
  });
  button.addEventListener("click", () => {
    button.disabled = true;
    navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), {
      once: true,
    });
    worker.postMessage({ type: "SKIP_WAITING" }); // Workbox's own message: take over now
  });
  document.body.append(box);
}

async function offer(worker) {
  // Only an update: on a first visit there is no older build to replace.
  if (!worker || !navigator.serviceWorker.controller) return;
  showPrompt(worker, await ask(worker, { type: "HTF_BUILD_INFO" }));
}

function watchForUpdates(registration) {
  offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  });
  // Instant navigation does not reload pages, so look for a new build when the reader returns.
  let last = Date.now();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || Date.now() - last < 10 * 60_000) return;
    last = Date.now();
    registration.update().catch(() => {}); // offline: try again later
  });
}

// ------------------------------------------------------------------ the runtime cache

function keepRuntimeOnceUsed() {
  let asked = false;
  const keep = () => {
    if (asked) return;
    asked = true;
    navigator.serviceWorker.ready.then((registration) =>
      ask(registration.active, { type: "HTF_CACHE_RUNTIME" }, 600_000),
    );
  };
  const observer = new PerformanceObserver((list) => {
    if (list.getEntriesByName("htf:logic-runtime-ready").length) keep();
  });
  observer.observe({ type: "mark", buffered: true });
}

// ------------------------------------------------------------------ registration

async function register() {
  try {
    const registration = await navigator.serviceWorker.register(workerURL, {
      scope: scope.pathname,
      updateViaCache: "none",
    });
    watchForUpdates(registration);
    keepRuntimeOnceUsed();
  } catch {
    // No worker (a build without the post-build step, e.g. `mkdocs serve`): drop one left by an
    // earlier build, which would otherwise keep serving that build's pages.
    const old = await navigator.serviceWorker.getRegistration(scope.href).catch(() => null);
    if (!old) return;
    const response = await fetch(workerURL, { cache: "no-store" }).catch(() => null);
    if (response?.status === 404) await old.unregister();
  }
}

/** Resolves when installing the worker (about 1 MB of pages to download) would not slow the
 *  page down: after "load" and an idle moment, and after a Python runtime that is starting has
 *  become ready (at most 30 s), so that the walkthrough's first answer keeps the network. */
function whenQuiet() {
  return new Promise((resolve) => {
    const idle = () =>
      "requestIdleCallback" in window
        ? requestIdleCallback(() => resolve(), { timeout: 5_000 })
        : setTimeout(resolve, 1_000);
    const afterLoad = () => {
      const marks = (name) => performance.getEntriesByName(name).length;
      if (!marks("htf:logic-runtime-start") || marks("htf:logic-runtime-ready")) return idle();
      const observer = new PerformanceObserver((list) => {
        if (list.getEntriesByName("htf:logic-runtime-ready").length) idle();
      });
      observer.observe({ type: "mark" });
      setTimeout(idle, 30_000);
    };
    if (document.readyState === "complete") afterLoad();
    else addEventListener("load", afterLoad, { once: true });
  });
}

if (supported && !globalThis.__htfOffline) {
  globalThis.__htfOffline = true; // once per tab, whatever instant navigation does
  // A returning reader's worker is installed already: register (and look for updates) at once.
  (navigator.serviceWorker.controller ? Promise.resolve() : whenQuiet()).then(register);
}
