// form.mjs: the walkthrough form <-> a case. Reading the case the form describes (for logic),
// putting a case from a link into the form (each value kept exactly as the link gave it, and
// every problem worded at its question), and the questions shown only under a condition.

import { show } from "./words.mjs";

const NUMBER_TEXT = /^\s*[0-9]+(\.[0-9]+)?\s*$/;
// A date in any day-month-year order (03/04/2024, 2024-03-04): sent as a date, for logic to
// accept (ISO) or refuse with its reason, never read as a week.
const DATE_LIKE = /^\s*[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}\s*$/;

const isPlainObject = (value) =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function numberOrText(text) {
  const number = NUMBER_TEXT.test(text) ? Number(text) : NaN;
  return Number.isFinite(number) ? number : text; // 400 digits are text, not Infinity
}

function rawOr(rawJSON, text, fallback) {
  if (rawJSON !== undefined) {
    const raw = JSON.parse(rawJSON);
    if (String(raw) === text) return raw;
  }
  return fallback();
}

export function mountForm(page, series) {
  const { form, data } = page;
  const restored = new Map(); // field -> {value, display}: values as the link gave them

  /** A question asked only under a condition (`requires` in logic/data/inputs.toml, written
   *  into the page as data-requires-field/-value) is shown while the condition holds. Hidden, its
   *  answer stays in the form (back when the condition holds again) but is not sent to logic.
   *  A value a link gave stays in view, and sent, until the reader changes the condition's
   *  answer: a link's case is never changed behind the reader's back. */
  function applyRequirements(event) {
    const changedName = event?.target?.name;
    for (const box of form.querySelectorAll("[data-requires-field]")) {
      const field = box.dataset.requiresField;
      if (changedName === field) delete box.dataset.fromLink;
      const chosen = form.querySelector(`input[name="${CSS.escape(field)}"]:checked`);
      const met = chosen?.value === box.dataset.requiresValue;
      box.hidden = !met && box.dataset.fromLink === undefined;
    }
  }

  function readField(id, field, box) {
    const link = restored.get(id);
    let display;
    let value;
    if (field.kind === "number" || field.kind === "integer" || field.kind === "date") {
      const text = box.querySelector("input").value.trim();
      display = text;
      value = text ? (field.kind === "date" ? text : numberOrText(text)) : undefined;
    } else if (field.kind === "text") {
      const text = box.querySelector("input, textarea").value.trim();
      display = text;
      value = text || undefined;
    } else if (field.kind === "choice") {
      const chosen = box.querySelector("input:checked")?.value ?? "";
      display = chosen;
      value = chosen || undefined;
    } else if (field.kind === "multi") {
      const ticked = [...box.querySelectorAll("input:checked")].map((input) => input.value);
      display = JSON.stringify(ticked);
      value = ticked.length ? ticked : undefined;
    } else if (field.kind === "boolean") {
      const checked = box.querySelector("input").checked;
      display = String(checked);
      value = checked ? true : undefined;
    }
    if (link && link.display === display) return link.value;
    return value;
  }

  /** The case the form describes, which row each viral_loads item came from, and the rows
   *  with only a week or only a value (left out until both are there). */
  function readForm() {
    const caseObject = {};
    const sentRows = [];
    const incomplete = [];
    const items = [];
    for (const row of series.rows()) {
      const week = series.part(row, "week").value.trim();
      const copies = series.part(row, "copies").value.trim();
      if (!week && !copies) continue;
      if (!week || !copies) {
        incomplete.push({ row, missing: week ? "copies" : "week" }); // not sent until complete
        continue;
      }
      // The first column takes a week or a date; anything with a - or / is sent as a date,
      // so logic refuses an ambiguous form such as 03/04/2024 at this row.
      const when = rawOr(row.dataset.rawWeek, week, () =>
        DATE_LIKE.test(week) ? week : numberOrText(week),
      );
      const isDate = typeof when === "string" && DATE_LIKE.test(when);
      items.push({
        [isDate ? "date" : "week"]: when,
        copies: rawOr(row.dataset.rawCopies, copies, () => copies),
      });
      sentRows.push(row);
    }
    if (items.length) caseObject.viral_loads = items;
    for (const [id, field] of Object.entries(data.fields)) {
      if (field.kind === "series") continue;
      const box = page.fieldBox(id);
      if (!box || box.hidden) continue;
      const value = readField(id, field, box);
      if (value !== undefined) caseObject[id] = value;
    }
    return { caseObject, sentRows, incomplete, empty: items.length === 0 };
  }

  function fillSeries(value, label, problems) {
    if (!Array.isArray(value)) {
      problems.push(`${label}: ${show(value)} is not a list of results; it was left blank.`);
      return;
    }
    const max = series.max();
    if (value.length > max) {
      problems.push(`${label}: the link has ${value.length} results; only the first ${max} were used.`);
    }
    series.resetRows(0);
    value.slice(0, max).forEach((item, i) => {
      const where = `${label}, result ${i + 1}`;
      if (!isPlainObject(item)) {
        problems.push(`${where}: ${show(item)} is not a result; it was left out.`);
        return;
      }
      const known = ["week", "date", "copies"];
      const extra = Object.keys(item).filter((key) => !known.includes(key));
      if (extra.length) problems.push(`${where}: ${show(extra[0])} was ignored.`);
      const row = series.addRow();
      for (const part of ["week", "copies"]) {
        const raw = part === "week" ? (item.week ?? item.date) : item[part];
        if (raw === undefined || raw === null) continue;
        if (typeof raw === "number" || (typeof raw === "string" && raw.length <= 100)) {
          series.part(row, part).value = String(raw);
          row.dataset[part === "week" ? "rawWeek" : "rawCopies"] = JSON.stringify(raw);
        } else {
          problems.push(`${where}: ${show(raw)} cannot be a ${part}; it was left blank.`);
        }
      }
    });
    while (series.rows().length < 1) series.addRow();
  }

  /** Every control back to unanswered, without a "reset" event (that means "Clear the form"). */
  function resetControls() {
    for (const input of form.querySelectorAll("input, textarea")) {
      if (input.type === "radio") input.checked = input.value === "";
      else if (input.type === "checkbox") input.checked = false;
      else input.value = "";
    }
    series.resetRows();
    restored.clear();
    for (const box of form.querySelectorAll("[data-from-link]")) delete box.dataset.fromLink;
  }

  /** Put a case (from a link) into the form; returns the problems found, as sentences. */
  function fillForm(caseObject) {
    const problems = [];
    resetControls();
    if (!isPlainObject(caseObject)) {
      problems.push(`The link holds ${show(caseObject)}, not a case.`);
      return problems;
    }
    for (const key of Object.keys(caseObject)) {
      if (!Object.hasOwn(data.fields, key)) {
        problems.push(`The link names an unknown question, ${show(key)}: it was ignored.`);
      }
    }
    for (const [id, field] of Object.entries(data.fields)) {
      if (!Object.hasOwn(caseObject, id) || caseObject[id] === null) continue;
      const value = caseObject[id];
      const label = field.label;
      const problem = (what) => problems.push(`${label}: ${what}; it was left blank.`);
      const box = page.fieldBox(id);
      if (box?.dataset.requiresField) box.dataset.fromLink = "true";
      if (field.kind === "series") {
        fillSeries(value, label, problems);
      } else if (field.kind === "number" || field.kind === "integer" || field.kind === "date") {
        if (typeof value === "number" || (typeof value === "string" && value.length <= 100)) {
          box.querySelector("input").value = String(value);
          restored.set(id, { value, display: String(value).trim() });
        } else {
          problem(`${show(value)} is not a number`);
        }
      } else if (field.kind === "text") {
        const list = Array.isArray(value) && value.every((item) => typeof item === "string");
        if ((typeof value === "string" || list) && String(value).length <= 4000) {
          const shown = list ? value.join(" + ") : value;
          box.querySelector("input, textarea").value = shown;
          restored.set(id, { value, display: shown.trim() });
        } else {
          problem(`${show(value)} is not text`);
        }
      } else if (field.kind === "choice") {
        if (typeof value === "string" && Object.hasOwn(field.choices, value)) {
          box.querySelector(`input[value="${CSS.escape(value)}"]`).checked = true;
          restored.set(id, { value, display: value });
        } else {
          problem(`${show(value)} is not one of the choices`);
        }
      } else if (field.kind === "multi") {
        if (!Array.isArray(value)) {
          problem(`${show(value)} is not a list of choices`);
          continue;
        }
        const good = value.filter(
          (item) => typeof item === "string" && Object.hasOwn(field.choices, item),
        );
        for (const item of value.filter((item) => !good.includes(item))) {
          problems.push(`${label}: ${show(item)} is not one of the choices; it was ignored.`);
        }
        for (const item of good) {
          box.querySelector(`input[value="${CSS.escape(item)}"]`).checked = true;
        }
        if (good.length === value.length) {
          const order = Object.keys(field.choices).filter((choice) => good.includes(choice));
          restored.set(id, { value, display: JSON.stringify(order) });
        }
      } else if (field.kind === "boolean") {
        if (typeof value === "boolean") {
          box.querySelector("input").checked = value;
          restored.set(id, { value, display: String(value) });
        } else {
          problem(`${show(value)} is not true or false`);
        }
      }
    }
    applyRequirements();
    return problems;
  }

  /** After the form's own reset ("Clear the form"): fresh rows, no link values. */
  function cleared() {
    series.resetRows();
    restored.clear();
    for (const box of form.querySelectorAll("[data-from-link]")) delete box.dataset.fromLink;
    applyRequirements();
  }

  applyRequirements();
  return { readForm, fillForm, resetControls, applyRequirements, cleared };
}
