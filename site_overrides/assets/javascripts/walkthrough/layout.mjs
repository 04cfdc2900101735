// layout.mjs: the answer within reach on a phone. A "Jump to the answer" button stays in view
// (fixed at the bottom of a narrow screen) while the verdict card is out of view; a case that
// arrives by a link lands on its answer, and one the reader returns to (Back) at the place they
// left it; and, once answered, the form folds into a one-line summary of what was entered, with
// a button (aria-expanded) that opens it again to edit.
// On a wide screen the answer stands beside the form, and the CSS shows none of this.

import { el } from "../dom.mjs";

export function mountLayout(page, caseWords) {
  const root = page.root;
  const jump = root.querySelector("[data-wt-jump]");
  const summary = root.querySelector("[data-wt-case-summary]");
  const toggle = root.querySelector("[data-wt-edit]");
  let verdictInView = false;
  let land = false;
  let returnY = null;

  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) verdictInView = entry.isIntersecting;
    showJump();
  });
  page.signal.addEventListener("abort", () => observer.disconnect());

  function showJump() {
    jump.hidden = root.dataset.state !== "result" || verdictInView;
  }

  function setCollapsed(collapsed) {
    if (collapsed) root.dataset.formCollapsed = "true";
    else delete root.dataset.formCollapsed;
    toggle.setAttribute("aria-expanded", String(!collapsed));
    toggle.textContent = collapsed ? "Edit the case" : "Fold the form";
  }

  function toVerdict() {
    const verdict = root.querySelector("#wt-verdict");
    if (!verdict) return;
    verdict.scrollIntoView({ block: "start" });
    verdict.focus({ preventScroll: true });
  }

  /** A new answer is on show (`result` null: none). */
  function answered(result) {
    const verdict = root.querySelector("#wt-verdict");
    observer.disconnect();
    verdictInView = false;
    if (verdict) observer.observe(verdict);
    summary.hidden = !result;
    if (result) {
      summary.querySelector("[data-wt-case-text]").replaceChildren(
        ...caseWords().flatMap(([label, value], i) => [i ? "; " : "", el("span", {}, `${label}: ${value}`)]),
      );
    } else {
      setCollapsed(false);
    }
    if (land) {
      land = false; // only the link's own answer, never one to a later edit
      if (result) {
        setCollapsed(true);
        toVerdict();
      }
    }
    if (returnY !== null) {
      // Material scrolled there before the answer made the page long enough to reach it.
      if (result) window.scrollTo(0, returnY);
      returnY = null;
    }
    showJump();
  }

  /** The next answer is the one a link asked for: show it, not the form. */
  function landOnAnswer() {
    land = true;
  }

  /** The reader came back to this case (its history entry): once it is answered, go back to
   *  `y`, where they were. */
  function returnTo(y) {
    returnY = y;
  }

  page.on(jump, "click", () => {
    setCollapsed(true);
    toVerdict();
  });
  page.on(toggle, "click", () => {
    const collapsed = toggle.getAttribute("aria-expanded") === "true";
    setCollapsed(collapsed);
    if (!collapsed) page.form.querySelector("input, textarea")?.focus();
  });
  setCollapsed(false);
  return { answered, landOnAnswer, returnTo };
}
