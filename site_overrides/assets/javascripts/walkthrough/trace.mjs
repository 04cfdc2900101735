// trace.mjs: why the answer is what it is, folded: each rule that fired, in order, as the
// decision step it belongs to, the facts it read (worded by logic.vocabulary in the worker) and
// what it concluded (worded by logic.vocabulary at build time: the page data's conclusions), with
// its source. Rule identifiers stay out of the text:
// each step links to its card on the decision map instead.

import { el } from "../dom.mjs";
/** `words.trace[i].inputs`: the facts entry i of `result.trace` read, each "Fact: value". */
export function renderTrace(result, words, data, links) {
  return el(
    "details",
    { class: "wt-trace", "data-wt-block": "trace" },
    el("summary", {}, `Why: the ${result.trace.length} decision rules applied, in order`),
    el(
      "table",
      {},
      el(
        "thead",
        {},
        el("tr", {}, ["Step", "Facts used", "Conclusion", "Source"].map((h) => el("th", { scope: "col" }, h))),
      ),
      el(
        "tbody",
        {},
        result.trace.map((entry, index) =>
          el(
            "tr",
            { "data-rule": entry.rule },
            el("td", {}, links.ruleLink(entry.rule, data.tables[entry.table] ?? "A decision rule")),
            el("td", {}, words?.trace?.[index]?.inputs?.join("; ") || "No conditions"),
            el("td", {}, (data.conclusions?.[entry.rule] ?? []).join(" ")),
            el("td", {}, links.sectionLink(entry.source.section), entry.source.rating ? " " : "", links.badge(entry.source.rating)),
          ),
        ),
      ),
    ),
  );
}
