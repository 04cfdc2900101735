// genotype-view.mjs: the walkthrough's regimen and genotype parts. The drug picker (type-ahead
// over logic's drug names, written into the page at build time) and, in the answer, the HIVdb
// susceptibility table and the facts logic derived from it. Every clinical word shown here comes
// from logic's result or from the page data (logic/data via generator/steps/walkthrough.py).

import { el } from "./dom.mjs";

const SEPARATOR = /(\s*(?:[+,;&]|\band\b|\bplus\b|\bwith\b)\s*)(?!.*(?:[+,;&]|\band\b|\bplus\b|\bwith\b))/i;
const MAX_SUGGESTIONS = 12;

/** Type-ahead for a regimen typed as several drugs: the suggestions follow the part after the
 *  last separator ("DTG + TD" offers "DTG + TDF", "DTG + TDF/FTC"...), so each drug of the
 *  regimen can be picked with the keyboard from the browser's own list. Returns unmount(). */
export function mountDrugPicker(input, names) {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list || !names?.length) return () => {};
  const update = () => {
    const text = input.value;
    const match = SEPARATOR.exec(text);
    const head = match ? text.slice(0, match.index + match[1].length) : "";
    const part = (match ? text.slice(head.length) : text).trim().toLowerCase();
    const found = part
      ? names.filter((name) => name.toLowerCase().startsWith(part)).slice(0, MAX_SUGGESTIONS)
      : names.slice(0, MAX_SUGGESTIONS);
    list.replaceChildren(...found.map((name) => el("option", { value: head + name })));
  };
  input.addEventListener("input", update);
  update();
  return () => input.removeEventListener("input", update);
}

/** A derived value in the form's own words: choice labels from the page data. */
function valueWords(field, value) {
  if (Array.isArray(value)) {
    return value.length ? value.map((v) => field?.choices?.[v] ?? v).join(", ") : "none";
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return field?.choices?.[value] ?? String(value);
}

/** Beside each question the genotype or the drugs answered: what logic derived, and that the
 *  user's own answer there wins. `result` null clears the notes. */
export function markDerived(root, result, data) {
  for (const node of root.querySelectorAll("[data-wt-derived]")) node.remove();
  for (const fact of result?.derived ?? []) {
    const box = root.querySelector(`[data-wt-field="${CSS.escape(fact.field)}"]`);
    if (!box) continue;
    const field = data.fields[fact.field];
    const text = fact.overridden
      ? fact.note
      : `From the ${fact.field === "failing_regimen" ? "drugs entered" : "genotype"}: ` +
        `${valueWords(field, fact.value)}${fact.derived_from ? ` (${fact.derived_from})` : ""}. ` +
        "An answer you give here is used instead.";
    const anchor = box.querySelector(".wt-help, .wt-label") ?? box.firstElementChild;
    anchor.after(el("p", { class: "wt-derived", "data-wt-derived": fact.field }, text));
  }
}

function levelCell(drug) {
  return el(
    "td",
    {},
    el("span", { class: "gt-level", "data-level": drug.level }, drug.label),
  );
}

function classTable(drugClass, drugs) {
  return el(
    "table",
    { class: "gt-table", "data-gt-class": drugClass },
    el("caption", {}, drugClass),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col" }, "Drug"),
        el("th", { scope: "col" }, "Level"),
        el("th", { scope: "col" }, "Score"),
        el("th", { scope: "col" }, "Mutations scored"),
      ),
    ),
    el(
      "tbody",
      {},
      drugs.map((drug) =>
        el(
          "tr",
          { "data-drug": drug.drug },
          el("th", { scope: "row" }, drug.drug),
          levelCell(drug),
          el("td", {}, String(drug.score)),
          el("td", {}, drug.mutations.join(", ") || "—"),
        ),
      ),
    ),
  );
}

function derivedItem(fact, data, links) {
  const field = data.fields[fact.field];
  return el(
    "li",
    { "data-derived": fact.field, "data-overridden": String(fact.overridden) },
    el("strong", {}, `${field?.label ?? fact.field}: `),
    valueWords(field, fact.value),
    fact.derived_from ? ` — ${fact.derived_from}` : "",
    ". ",
    el("span", { class: "wt-source" }, "(", links.ruleLink(fact.rule), ", ", links.sectionLink(fact.source.section), ")"),
    fact.source.reading ? el("span", { class: "wt-reading" }, ` ${fact.source.reading}`) : null,
    fact.note ? el("span", { class: "wt-derived-note" }, ` ${fact.note}`) : null,
  );
}

/** The answer's genotype part: null when the case has no genotype and no regimen by drugs.
 *  `links` are the page's sectionLink(id) and ruleLink(id). */
export function renderGenotype(result, data, links) {
  const table = result.susceptibility;
  if (!table && !result.derived?.length) return null;
  const section = el(
    "section",
    { class: "wt-block gt-block", "data-wt-block": "genotype" },
    el("h3", {}, table ? "Genotype: susceptibility by drug" : "Regimen by drugs"),
  );
  if (table) {
    const info = table.algorithm;
    section.append(el("p", { class: "gt-algorithm" }, info.attribution));
    const genes = Object.entries(table.genes);
    const read = genes.filter(([, state]) => state === "sequenced").map(([gene]) => gene);
    const unread = genes.filter(([, state]) => state !== "sequenced").map(([gene]) => gene);
    section.append(
      el(
        "p",
        {},
        `Genes in the report: ${read.join(", ")}.`,
        unread.length ? ` Not in the report (no result for their drugs): ${unread.join(", ")}.` : "",
      ),
    );
    const classes = [...new Set(table.drugs.map((drug) => drug.class))];
    section.append(
      el(
        "div",
        { class: "gt-tables" },
        classes.map((drugClass) =>
          classTable(drugClass, table.drugs.filter((drug) => drug.class === drugClass)),
        ),
      ),
    );
    section.append(
      el("p", { class: "gt-limits-title" }, el("strong", {}, "What a genotype cannot tell")),
      el("ul", { class: "gt-limits" }, table.limits.map((limit) => el("li", {}, limit.text))),
    );
  }
  const notes = [...(result.genotype?.warnings ?? []), ...(result.genotype?.outside ?? [])];
  if (notes.length) {
    section.append(
      el("ul", { class: "gt-notes", role: "note" }, notes.map((note) => el("li", {}, note.message))),
    );
  }
  if (result.derived?.length) {
    section.append(
      el("p", {}, el("strong", {}, "Read into the questions (your own answers win):")),
      el("ul", { class: "gt-derived" }, result.derived.map((fact) => derivedItem(fact, data, links))),
    );
  }
  return section;
}

/** The genotype part of the copied summary, as lines of text (none without a genotype). */
export function genotypeSummary(result, data) {
  const table = result.susceptibility;
  const lines = [];
  if (table) {
    lines.push(`Genotype: ${table.algorithm.attribution}`);
    const resistant = table.drugs.filter((drug) => drug.level > 1);
    lines.push(
      resistant.length
        ? `  Above Susceptible: ${resistant.map((d) => `${d.drug} ${d.label}`).join("; ")}`
        : "  Every drug scored Susceptible.",
    );
  }
  for (const fact of result.derived ?? []) {
    const field = data.fields[fact.field];
    const note = fact.overridden ? ` (${fact.note})` : "";
    lines.push(`  Derived ${field?.label ?? fact.field}: ${valueWords(field, fact.value)}${note}`);
  }
  return lines;
}
