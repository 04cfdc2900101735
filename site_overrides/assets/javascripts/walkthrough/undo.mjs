// undo.mjs: "Clear the form" can be undone. Clearing a case adds a history entry (the page
// without the case), so Back brings the case back; and a message in a live region offers Undo,
// which puts the case back at once.

/** `clear()` empties the form (and writes the address); `restore()` reads the case from the
 *  address into the form. */
export function mountUndo(page, clear, restore) {
  const box = page.root.querySelector("[data-wt-undo]");
  const button = box.querySelector("[data-wt-undo-button]");
  const clearButton = page.root.querySelector("[data-wt-clear]");
  let previous = null; // the address with the case, before it was cleared

  function onReset() {
    const before = location.href;
    const hadCase = location.hash.startsWith("#case=");
    setTimeout(() => {
      // The form resets its own controls after this event: clear once it has.
      if (hadCase) history.pushState(history.state, "", before.replace(/#.*$/, ""));
      clear();
      previous = hadCase ? before : null;
      box.hidden = !hadCase;
    }, 0);
  }

  function undo() {
    if (!previous) return;
    history.replaceState(history.state, "", previous);
    previous = null;
    box.hidden = true;
    restore();
    clearButton.focus(); // the Undo button has gone: keep the reader's place
  }

  page.on(page.form, "reset", onReset);
  page.on(button, "click", undo);
  // Any other change (or Back) makes the offer stale.
  page.on(page.form, "input", () => {
    previous = null;
    box.hidden = true;
  });
  page.on(window, "hashchange", () => {
    if (location.hash.startsWith("#case=")) box.hidden = true;
  });
}
