// errors.mjs: problems shown at the fields they concern (a row of the viral-load table or a
// question), from logic's CaseError or from a row not yet complete, and the same problems
// listed in the answer panel.

import { el } from "../dom.mjs";

const ERROR_DELAY_MS = 600;

export function mountErrors(page, series) {
  const root = page.root;
  let timer = 0;
  let lastInput = -Infinity;
  let wanted = [];
  let waiting = false;

  page.on(page.form, "input", () => {
    lastInput = performance.now();
  });
  page.on(page.form, "focusout", () => {
    // A problem held back while its field was being edited shows once focus has left it.
    setTimeout(() => {
      if (waiting) show(wanted);
    }, 0);
  });
  page.signal.addEventListener("abort", () => clearTimeout(timer));

  /**
   * Show problems next to their fields: [{row, parts, message}] or [{field, message}].
   * Problems that went away disappear at once. New ones appear once typing has paused
   * (ERROR_DELAY_MS after the last input), and not while the reader is in the field concerned,
   * so text does not jump under their pointer or caret while they type.
   */
  function show(problems) {
    clearTimeout(timer);
    const slots = new Map(); // error slot -> {message, inputs}
    for (const problem of problems) {
      const slot = problem.row
        ? problem.row.querySelector("[data-wt-row-error]")
        : root.querySelector(`[data-wt-error-for="${CSS.escape(problem.field)}"]`);
      if (!slot) continue;
      const inputs = problem.row
        ? problem.parts.map((part) => series.part(problem.row, part))
        : [...page.fieldBox(problem.field).querySelectorAll("input")];
      slots.set(slot, { message: problem.message, inputs });
    }
    for (const slot of root.querySelectorAll(".wt-error:not([hidden])")) {
      if (slots.get(slot)?.message !== slot.textContent) {
        slot.hidden = true;
        slot.textContent = "";
      }
    }
    for (const input of root.querySelectorAll("[aria-invalid]")) {
      const keep = [...slots.values()].some((w) => w.inputs.includes(input));
      if (!keep) input.removeAttribute("aria-invalid");
    }
    const reveal = () => {
      let held = false;
      for (const [slot, { message, inputs }] of slots) {
        if (!slot.hidden && slot.textContent === message) continue;
        if (inputs.includes(document.activeElement)) {
          held = true; // shown when the reader leaves the field
          continue;
        }
        slot.textContent = message;
        slot.hidden = false;
        for (const input of inputs) input.setAttribute("aria-invalid", "true");
      }
      waiting = held;
      delete root.dataset.busy;
    };
    const wait = ERROR_DELAY_MS - (performance.now() - lastInput);
    if (slots.size && wait > 0) {
      root.dataset.busy = "true";
      timer = setTimeout(reveal, wait);
    } else {
      reveal();
    }
    wanted = problems;
  }

  /** Where a CaseError field points: a row of the course (with the part) or a question. */
  function locate(field, sentRows) {
    const match = /^([A-Za-z_]\w*)(?:\[(\d+)\])?(?:\.(week|date|copies))?/.exec(field ?? "");
    const name = match?.[1];
    const part = match?.[3] === "date" ? "week" : match?.[3]; // dates are typed in the week column
    const row = name === "viral_loads" && match[2] !== undefined ? sentRows[Number(match[2])] : null;
    if (row) {
      const index = series.rows().indexOf(row) + 1;
      const which = part ? `, ${part === "week" ? "week or date" : "value"}` : "";
      return { row, parts: part ? [part] : ["week", "copies"], where: `result ${index}${which}` };
    }
    if (name && page.fieldBox(name)) {
      return { field: name, where: page.data.fields[name]?.label ?? field };
    }
    return { where: field };
  }

  /** logic's CaseError (with every other unreadable row in `also`) located: [{where, message,
   *  row|field}], and the box listing them for the answer panel. */
  function caseError(error, sentRows) {
    const errors = [error, ...(Array.isArray(error.also) ? error.also : [])];
    const found = errors.map((e) => ({ ...locate(e.field, sentRows), message: e.message }));
    const box = el(
      "div",
      { class: "admonition warning wt-case-error", "data-wt-case-error": error.field ?? "" },
      el("p", { class: "admonition-title" }, "Check the form"),
      found.length === 1
        ? el("p", {}, `${found[0].where}: ${found[0].message}`)
        : el("ul", {}, found.map((f) => el("li", {}, `${f.where}: ${f.message}`))),
    );
    return { found, box };
  }

  return { show, caseError };
}
