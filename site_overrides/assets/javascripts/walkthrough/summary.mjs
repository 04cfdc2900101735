// summary.mjs: the answer as a summary, one model for two readers: "Copy summary" (plain text)
// and the printed sheet (one A4 page for a standard case). Both give, in this order: the case as
// entered (the form's order), the verdict, the options with their ratings, the cautions, the
// next steps and the guideline's date with the logic version; the print adds the viral-load
// chart, and the rule trace only when the reader asks for it. No internal identifiers.

import { el } from "../dom.mjs";
import { caseAddress } from "../fragment.mjs";
import { genotypeSummary } from "../genotype-view.mjs";
import { highestRated } from "./verdict.mjs";

/** The case as entered, in the form's order: [label, value in words] for each question answered
 *  (`caseObject` is form.readForm()'s: what is sent to logic, as typed). */
export function caseEntries(caseObject, data) {
  const entries = [];
  for (const id of data.field_order ?? Object.keys(data.fields)) {
    const field = data.fields[id];
    const value = caseObject[id];
    if (value === undefined || value === null) continue;
    if (field.kind === "series") {
      const results = value.map((item) => `${item.date ?? `week ${item.week}`}: ${item.copies}`);
      entries.push([field.label, results.join("; ")]);
    } else if (Array.isArray(value)) {
      if (value.length) entries.push([field.label, value.map((v) => field.choices?.[v] ?? v).join(field.kind === "multi" ? ", " : " + ")]);
    } else if (typeof value === "boolean") {
      entries.push([field.label, value ? "yes" : "no"]);
    } else {
      entries.push([field.label, field.choices?.[value] ?? String(value)]);
    }
  }
  return entries;
}

const rated = (text, rating) => `${text}${rating ? ` (${rating})` : ""}`;

/** The summary as sections: [{heading, items: [{text, sub: [text]}]}]. */
export function summaryModel(result, caseObject, data) {
  const item = (text, sub = []) => ({ text, sub });
  const sections = [];
  sections.push({ heading: "The case", items: caseEntries(caseObject, data).map(([label, value]) => item(`${label}: ${value}`)) });
  const table = data.guideline.options_table; // the edition's options table ("Table 11")
  const verdict = [item(`Response: ${result.response_label}`)];
  if (result.definition) verdict.push(item(`Definition met: ${result.definition.term}. ${result.definition.text}`));
  if (result.scenario) {
    verdict.push(item(`${table} row: ${result.table11_row.group}: ${result.table11_row.failing_regimen}`));
  } else if (result.scenario_reason) {
    verdict.push(item(`${table}: ${result.scenario_reason.text}`));
  }
  sections.push({ heading: "Answer", items: verdict });
  if (result.scenario) {
    const top = highestRated(result.options, data.rating_order ?? []);
    sections.push({
      heading: `Options, in ${table}'s order`,
      items: result.options.map((option, i) => {
        const title = (id) => result.cautions.find((c) => c.id === id)?.title ?? id;
        const qualifiers = option.qualifiers.length ? ` — ${option.qualifiers.join("; ")}` : "";
        const mark = top.has(option) ? ` — Highest rated${top.size > 1 ? " (tied)" : ""}` : "";
        return item(
          `${i + 1}. ${rated(option.text, option.rating)}${mark}${qualifiers}`,
          option.cautions.map((id) => `Caution for this patient: ${title(id)}`),
        );
      }),
    });
  }
  if (result.cautions.length) {
    sections.push({ heading: "Cautions", items: result.cautions.map((c) => item(`${c.title}: ${c.text}`)) });
  }
  const next = [];
  if (result.repeat) next.push(item(`Repeat: ${result.repeat.what} ${result.repeat.when}`));
  next.push(item(`Level of viremia: ${result.viremia.label}`));
  for (const rec of result.management) next.push(item(rated(rec.text, rec.rating)));
  if (result.questions.length) {
    next.push(item(`Still needed for a fuller answer: ${result.questions.map((id) => data.fields[id]?.label ?? id).join("; ")}`));
  }
  sections.push({ heading: "Next steps", items: next });
  const genotype = genotypeSummary(result, data);
  if (genotype.length) sections.push({ heading: "Genotype", items: genotype.map((line) => item(line.trim())) });
  sections.push({
    heading: "Source",
    items: [
      item(
        `${data.guideline.title}, section "${data.guideline.section}", last updated ` +
          `${data.guideline.last_updated_long}. Decision rules: logic ${result.logic_version}.`,
      ),
      item(data.rating_legend ?? ""),
      item("An educational summary, not a substitute for clinical judgement or expert advice."),
    ].filter((entry) => entry.text),
  });
  return sections;
}

/** The summary as plain text (the copied one), ending with the link that reopens the case. */
export function summaryText(result, caseObject, data) {
  const lines = ["HIV virologic failure: scenario walkthrough summary"];
  for (const section of summaryModel(result, caseObject, data)) {
    lines.push("", `${section.heading}:`);
    for (const entry of section.items) {
      lines.push(`  ${entry.text}`);
      for (const sub of entry.sub) lines.push(`     ${sub}`);
    }
  }
  lines.push("", `Case: ${caseAddress(location.hash)}`);
  return lines.join("\n");
}

/** The printed sheet: the same sections, with the viral-load chart from the answer on show. */
function printSheet(result, caseObject, data, resultBox) {
  const chart = resultBox.querySelector(".vl-figure svg")?.cloneNode(true);
  const sections = summaryModel(result, caseObject, data).map((section) =>
    el(
      "section",
      { class: "wt-print-section" },
      el("h3", {}, section.heading),
      el("ul", {}, section.items.map((entry) => el("li", {}, entry.text, entry.sub.length ? el("ul", {}, entry.sub.map((s) => el("li", {}, s))) : null))),
    ),
  );
  if (chart) {
    chart.removeAttribute("id");
    for (const node of chart.querySelectorAll("[id]")) node.removeAttribute("id");
    // beside the case and the verdict (floated right): their lines are short
    sections.unshift(el("figure", { class: "wt-print-chart" }, chart));
  }
  return sections;
}

/** The Copy summary and Print buttons; `current()` is {result, caseObject} on show (or null). */
export function mountSummary(page, current) {
  const root = page.root;
  const status = root.querySelector("[data-wt-copy-status]");
  const sheet = root.querySelector("[data-wt-print-sheet]");
  const withTrace = root.querySelector("[data-wt-print-trace]");

  async function copy() {
    const shown = current();
    if (!shown) return;
    const text = summaryText(shown.result, shown.caseObject, page.data);
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Summary copied.";
    } catch {
      const area = el("textarea", { class: "wt-copy-fallback", readonly: true, "aria-label": "Summary" });
      area.value = text;
      status.replaceChildren("Copying is blocked here: select the summary below and copy it.", area);
      area.select();
    }
  }

  /** The sheet for the answer on show (called with each answer). */
  function refresh() {
    const shown = current();
    sheet.replaceChildren(...(shown ? printSheet(shown.result, shown.caseObject, page.data, page.resultBox) : []));
  }

  function traceChoice() {
    if (withTrace.checked) root.dataset.printTrace = "true";
    else delete root.dataset.printTrace;
  }

  page.on(page.copyButton, "click", copy);
  page.on(root.querySelector("[data-wt-print]"), "click", () => window.print());
  page.on(withTrace, "change", traceChoice);
  page.on(window, "beforeprint", () => {
    if (!withTrace.checked) return;
    for (const details of root.querySelectorAll("details.wt-trace")) details.open = true;
  });
  traceChoice();
  return { refresh };
}
