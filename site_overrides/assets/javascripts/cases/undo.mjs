// cases/undo.mjs: "Undo" after a reset on the case pages (issue 12). A reset shows a message with
// an Undo button in a polite live region, and adds a history entry: the Undo button, or Back,
// puts the progress back. The offer ends when the reader answers again (undoing would then
// overwrite newer answers), when it is used, or when the page goes (its AbortSignal).
//
// Material's instant navigation ignores a Back that keeps the page's path, so Back stays on this
// page and only this module acts on it.

import { el } from "../dom.mjs";

let serial = 0;

/** Offer to undo a reset. `note`: the live region for the message; `message`: what was reset;
 *  `restore()`: put it back (returns what to say). Returns {cancel()}. */
export function offerUndo(note, { message, restore, signal }) {
  const id = `htf-undo-${++serial}`;
  const done = new AbortController(); // ends the offer: used, cancelled, or the page has gone
  const stop = done.signal;
  signal.addEventListener("abort", () => done.abort(), { once: true });
  history.pushState({ ...(history.state ?? {}), htfUndo: id }, "", location.href);

  function undo(how) {
    if (done.signal.aborted) return;
    done.abort();
    note.replaceChildren(restore());
    if (how === "button") {
      // The button is gone: keep the keyboard focus on its message rather than lose it.
      note.setAttribute("tabindex", "-1");
      note.focus();
    }
  }

  const button = el(
    "button",
    { type: "button", class: "md-button htf-undo", "data-undo": true },
    "Undo",
  );
  button.addEventListener("click", () => undo("button"), { signal: stop });
  note.replaceChildren(`${message} `, button);
  // Back from the entry the reset added: the entry before it is this page before the reset.
  window.addEventListener(
    "popstate",
    (event) => {
      if (event.state?.htfUndo !== id) undo("back");
    },
    { signal: stop },
  );
  return {
    button,
    cancel() {
      if (done.signal.aborted) return;
      done.abort();
      button.remove();
    },
  };
}
