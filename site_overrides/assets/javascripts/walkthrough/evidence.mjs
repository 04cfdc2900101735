// evidence.mjs: the answer's "Evidence" part and its links: a rating badge (to its entry in
// the rating scheme), a source section, the definition as applied, the Table 11 row's
// considerations and notes, and where the section's text and Table 11 differ. Addresses and
// titles come from the page data.

import { el } from "../dom.mjs";

export function evidenceLinks(data, ruleLink) {
  function badge(rating) {
    if (!rating) return null;
    const known = data.ratings[rating];
    if (!known) return el("span", { class: "rating-badge", "data-rating": rating }, rating);
    return el("a", { class: "rating-badge", "data-rating": rating, href: known.url, title: known.title }, rating);
  }

  function sectionLink(sectionId, text) {
    const section = data.sections[sectionId];
    if (!section) return el("span", {}, text ?? sectionId);
    return el("a", { href: section.url }, text ?? section.title);
  }

  return { badge, sectionLink, ruleLink };
}

function renderVariant(option, links, table) {
  const variant = option.text_variant;
  return el(
    "li",
    { class: "wt-variant" },
    el("strong", {}, `${option.text}: `),
    variant.wording || variant.text,
    variant.qualifier
      ? el("span", {}, " The text rates the qualifier above ", links.badge(variant.text_rating), `; ${table} rates only the option.`)
      : variant.rating_differs
        ? el("span", {}, " Text rating: ", links.badge(variant.text_rating) ?? "none", `; ${table} rating: `, links.badge(variant.table_rating) ?? "none", ".")
        : null,
  );
}

/** The sources the answer rests on: the definition, the row's section and every section a rule
 *  that fired cites, once each, in the order they were used. */
function sources(result) {
  const ids = [];
  if (result.table11_row?.section) ids.push(result.table11_row.section);
  for (const entry of result.trace) ids.push(entry.source.section);
  return [...new Set(ids)];
}

export function renderEvidence(result, data, links) {
  const definition = result.definition;
  const row = result.scenario ? result.table11_row : null;
  const notes = new Set(result.scenario ? result.options.flatMap((option) => option.footnotes) : []);
  const variants = result.scenario ? result.options.filter((option) => option.text_variant) : [];
  return el(
    "section",
    { class: "wt-block wt-evidence", "data-wt-block": "evidence" },
    el("h3", {}, "Evidence"),
    el(
      "p",
      { class: "wt-rating-legend" },
      data.rating_legend ?? "",
      " ",
      el("a", { href: data.ratings_page }, "The rating scheme"),
      ".",
    ),
    definition
      ? el("p", {}, el("strong", {}, `${definition.term}: `), definition.text, " ", el("em", {}, `Applied here: ${definition.applied}`))
      : null,
    row
      ? el(
        "div",
        { "data-wt-block": "table11" },
        el("p", {}, el("strong", {}, "Resistance considerations for this row: "), row.resistance),
        el("p", {}, el("strong", {}, "Goal: "), row.goal),
        row.row_note ? el("p", {}, row.row_note) : null,
      )
      : null,
    notes.size
      ? el(
        "ul",
        { class: "wt-footnotes" },
        [...notes].sort().map((note) => el("li", {}, el("sup", {}, note), ` ${data.guideline.options_table}, note ${note}: `, data.footnotes[note] ?? "")),
      )
      : null,
    variants.length
      ? el(
        "div",
        { class: "wt-variants" },
        el("p", {}, el("strong", {}, `Where the section's text and ${data.guideline.options_table} differ`)),
        el("ul", {}, variants.map((option) => renderVariant(option, links, data.guideline.options_table))),
      )
      : null,
    el(
      "p",
      { class: "wt-sources" },
      el("strong", {}, "Sources: "),
      sources(result).flatMap((id, i) => [i ? "; " : "", links.sectionLink(id)]),
      ".",
    ),
  );
}
