// summary.mjs: the answer as plain text ("Copy summary") and the Print button.

import { el } from "../dom.mjs";
import { caseAddress } from "../fragment.mjs";
import { genotypeSummary } from "../genotype-view.mjs";
import { formatNumber } from "./words.mjs";

/** The case as entered, in the form's order: [label, value in words] for each question answered
 *  (`caseObject` is form.readForm()'s: what is sent to logic, as typed). */
export function caseEntries(caseObject, data) {
  const entries = [];
  for (const [id, field] of Object.entries(data.fields)) {
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

/** The summary of `result` as lines of text, in the answer's order. */
export function summaryText(result, data) {
  const lines = ["HIV virologic failure: scenario walkthrough summary", `Case: ${caseAddress(location.hash)}`];
  const loads = result.case.viral_loads
    .map((r) => `week ${formatNumber(r.week)}: ${r.below_llod ? "below the LLOD" : `${formatNumber(r.copies)} copies/mL`}`)
    .join("; ");
  lines.push(`Viral loads (LLOD ${formatNumber(result.case.llod)} copies/mL): ${loads}`);
  for (const [id, field] of Object.entries(data.fields)) {
    const value = result.case[id];
    if (field.kind === "series" || id === "llod" || value === null || value === undefined) continue;
    if (Array.isArray(value) && !value.length) continue;
    const shown = Array.isArray(value)
      ? value.map((v) => field.choices[v] ?? v).join(", ")
      : typeof value === "boolean"
        ? value ? "yes" : "no"
        : field.choices[value] ?? formatNumber(value);
    lines.push(`${field.label}: ${shown}`);
  }
  lines.push("");
  lines.push(`Response: ${result.response_label}`);
  if (result.definition) lines.push(`  ${result.definition.term}: ${result.definition.text}`);
  if (result.repeat) lines.push(`  Next: ${result.repeat.what} ${result.repeat.when}`);
  lines.push(...genotypeSummary(result, data));
  lines.push(`Viremia: ${result.viremia.label}`);
  for (const rec of result.management) {
    lines.push(`  - ${rec.text}${rec.rating ? ` (${rec.rating})` : ""}`);
  }
  if (result.scenario) {
    lines.push(`Table 11: ${result.table11_row.group}: ${result.table11_row.failing_regimen}`);
    result.options.forEach((option, i) => {
      const qualifiers = option.qualifiers.length ? ` — ${option.qualifiers.join("; ")}` : "";
      lines.push(`  ${i + 1}. ${option.text}${option.rating ? ` (${option.rating})` : ""}${qualifiers}`);
    });
  } else if (result.scenario_reason) {
    lines.push(`Table 11: ${result.scenario_reason.text}`);
  }
  if (result.cautions.length) {
    lines.push("Cautions:");
    for (const caution of result.cautions) lines.push(`  - ${caution.title}: ${caution.text}`);
  }
  if (result.questions.length) {
    lines.push(`Still needed: ${result.questions.map((id) => data.fields[id]?.label ?? id).join("; ")}`);
  }
  lines.push(`Rules applied: ${result.trace.map((entry) => entry.rule).join(", ")}`);
  lines.push("");
  lines.push(
    `Based on: ${data.guideline.title}, section "${data.guideline.section}", last updated ` +
      `${data.guideline.last_updated_long}. Decision rules: logic ${result.logic_version}.`,
  );
  lines.push("An educational summary, not a substitute for clinical judgement or expert advice.");
  return lines.join("\n");
}

/** The Copy summary and Print buttons; `current()` is the result on show (or null). */
export function mountSummary(page, current) {
  const root = page.root;
  const status = root.querySelector("[data-wt-copy-status]");

  async function copy() {
    const result = current();
    if (!result) return;
    const text = summaryText(result, page.data);
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

  page.on(page.copyButton, "click", copy);
  page.on(root.querySelector("[data-wt-print]"), "click", () => window.print());
  page.on(window, "beforeprint", () => {
    for (const details of root.querySelectorAll("details.wt-trace")) details.open = true;
  });
}
