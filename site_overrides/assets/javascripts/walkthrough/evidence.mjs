// evidence.mjs: the walkthrough's links to the evidence: a rating badge (to its entry in the
// rating scheme), a source section, and the "why" of a conclusion (the rules that fired, the
// facts they read, the section they rest on). Addresses and titles come from the page data.

import { el } from "../dom.mjs";
import { describeInputs } from "./words.mjs";

export function evidenceLinks(data, ruleLink) {
  function badge(rating) {
    if (!rating) return null;
    const known = data.ratings[rating];
    if (!known) return el("span", { class: "rating-badge", "data-rating": rating }, rating);
    return el(
      "a",
      { class: "rating-badge", "data-rating": rating, href: known.url, title: known.title },
      rating,
    );
  }

  function sectionLink(sectionId, text) {
    const section = data.sections[sectionId];
    if (!section) return el("span", {}, text ?? sectionId);
    return el("a", { href: section.url }, text ?? section.title);
  }

  function why(entries) {
    if (!entries.length) return null;
    return el(
      "p",
      { class: "wt-why" },
      "Why: ",
      entries.flatMap((entry, i) => [
        i ? "; " : "",
        ruleLink(entry.rule),
        ` (${describeInputs(data.facts, entry.inputs) || "no conditions"}) — `,
        sectionLink(entry.source.section),
        entry.source.rating ? " " : "",
        badge(entry.source.rating),
      ]),
    );
  }

  return { badge, sectionLink, ruleLink, why };
}
