// trace.mjs: why the answer is what it is, folded: each rule that fired, in order, as the
// decision step it belongs to, the facts it read and what it concluded, in words (the page
// data's fact words and conclusions), with its source. Rule identifiers stay out of the text:
// each step links to its card on the decision map instead.

import { el } from "../dom.mjs";
import { describeInputs } from "./words.mjs";

export function renderTrace(result, data, links) {
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
        result.trace.map((entry) =>
          el(
            "tr",
            { "data-rule": entry.rule },
            el("td", {}, links.ruleLink(entry.rule, data.tables[entry.table] ?? "A decision rule")),
            el("td", {}, describeInputs(data.facts, entry.inputs) || "No conditions"),
            el("td", {}, (data.conclusions?.[entry.rule] ?? []).join(" ")),
            el("td", {}, links.sectionLink(entry.source.section), entry.source.rating ? " " : "", links.badge(entry.source.rating)),
          ),
        ),
      ),
    ),
  );
}
