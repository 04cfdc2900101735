// Site behaviour on top of Material for MkDocs, loaded as an ES module (extra_javascript with
// type: module). Material's instant navigation swaps page content without reloading, so this
// module runs once per visit and does its per-page set-up in document$.subscribe(...).
// Asset URLs are resolved from import.meta.url, so the site works under any base path.

const pyodideLoaderURL = new URL("../pyodide/loader.mjs", import.meta.url).href;

/** Lazily load the self-hosted Python runtime (shared by every page of the visit). */
export async function loadPython() {
  const { loadRuntime } = await import(pyodideLoaderURL);
  return loadRuntime();
}

/** `[data-runtime-check]` blocks: a button that loads the runtime and reports how long it took. */
function setUpRuntimeChecks(root) {
  for (const block of root.querySelectorAll("[data-runtime-check]")) {
    const button = block.querySelector("button");
    const output = block.querySelector("output");
    if (!button || !output || button.dataset.ready) continue;
    button.dataset.ready = "true";
    button.addEventListener("click", async () => {
      button.disabled = true;
      output.dataset.state = "loading";
      output.textContent = "Loading the Python runtime…";
      const started = performance.now();
      try {
        const { version } = await import(pyodideLoaderURL);
        const python = await loadPython();
        const answer = python.runPython(
          "import sys; f'Python {sys.version.split()[0]}: 1 + 1 = {1 + 1}'",
        );
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        output.dataset.state = "ready";
        output.textContent = `${answer} (Pyodide ${version}, ready in ${seconds} s)`;
      } catch (error) {
        output.dataset.state = "error";
        output.textContent = `The Python runtime did not load: ${error}`;
        button.disabled = false;
      }
    });
  }
}

/** Material 9's search dialog has no accessible name (axe: aria-dialog-name); Zensical's has.
 * Named here rather than in a copied theme partial, which would replace Zensical's search. */
function nameSearchDialog() {
  const dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
  dialog?.setAttribute("aria-label", "Search");
}

document$.subscribe(() => {
  nameSearchDialog();
  setUpRuntimeChecks(document);
});
