// state.mjs: the case in the page address. A link's case (the fragment, "#case=…") fills the
// form, with any part it could not use reported; each change of the form writes the case back
// into the fragment, so the page can be bookmarked or shared as it stands.

import { el } from "../dom.mjs";
import { decodeFragment, encodeCase } from "../walkthrough.mjs";
import { show } from "./words.mjs";

/** `update()` answers the case the form now describes. */
export function mountState(page, form, update) {
  const problemsBox = page.root.querySelector("[data-wt-link-problems]");
  let fragment;

  /** The case in the address, into the form; returns whether there was one. */
  function restore() {
    const decoded = decodeFragment(location.hash);
    if (decoded === null) return false;
    const dropped = (decoded.dropped ?? []).map(
      ({ field, problem }) => `${page.data.fields[field]?.label ?? show(field)}: ${problem}; it was left blank.`,
    );
    const problems = decoded.error ? [decoded.error] : [...dropped, ...form.fillForm(decoded.case)];
    problemsBox.querySelector("[data-wt-link-problems-list]").replaceChildren(
      ...problems.map((text) => el("li", {}, text)),
    );
    problemsBox.hidden = problems.length === 0;
    fragment = location.hash.slice(1);
    update();
    return true;
  }

  /** The form's case, into the address (replacing the entry: typing is not history). */
  function record() {
    const { caseObject, empty } = form.readForm();
    const next = empty && Object.keys(caseObject).length === 0 ? "" : encodeCase(caseObject);
    if (next === fragment) return;
    fragment = next;
    const url = new URL(location.href);
    url.hash = next;
    history.replaceState(history.state, "", next ? url.href : url.href.replace(/#.*$/, ""));
  }

  function hideProblems() {
    problemsBox.hidden = true;
  }

  page.on(window, "hashchange", restore);
  return { restore, record, hideProblems };
}
