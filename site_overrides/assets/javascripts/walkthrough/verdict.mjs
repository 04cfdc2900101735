// verdict.mjs: the verdict card, the first thing the answer shows: the response in words and the
// definition it meets, the Table 11 row, its options in the table's order with their ratings and
// the highest-rated one marked in words, and every caution raised, named beside the option it
// limits (or in the card when it limits none).

import { el } from "../dom.mjs";

/** The options rated highest, by the scheme's order (`order`: every rating, strongest first,
 *  from the page data): strength first, then evidence. Unrated options are never "highest". */
export function highestRated(options, order) {
  const rank = (option) => {
    const index = order.indexOf(option.rating);
    return index < 0 ? Infinity : index;
  };
  const best = Math.min(...options.map(rank));
  return new Set(best === Infinity ? [] : options.filter((option) => rank(option) === best));
}

function cautionLink(result, id) {
  const caution = result.cautions.find((item) => item.id === id);
  return el("a", { href: `#wt-caution-${id}`, "data-wt-caution-name": id }, caution?.title ?? id);
}

function optionItem(option, result, links, top, tied) {
  return el(
    "li",
    { "data-highest": top ? "true" : null },
    option.text,
    option.rating ? " " : "",
    links.badge(option.rating),
    option.footnotes.map((note) => el("sup", { class: "wt-footnote-ref" }, note)),
    top
      ? el(
        "span",
        { class: "wt-top" },
        el("span", { class: "wt-top__icon", "aria-hidden": "true" }, "★"),
        tied ? "Highest rated (tied)" : "Highest rated",
      )
      : null,
    option.qualifiers.length ? el("span", { class: "wt-qualifiers" }, ` — ${option.qualifiers.join("; ")}`) : null,
    // A caution this case raised that limits this option (logic links them by footnote).
    option.cautions.map((id) =>
      el("p", { class: "wt-option-caution" }, el("strong", {}, "Caution for this patient: "), cautionLink(result, id), "."),
    ),
  );
}

export function renderVerdict(result, data, links) {
  const definition = result.definition;
  const card = el(
    "section",
    {
      class: "wt-block wt-verdict-card",
      "data-wt-block": "verdict",
      id: "wt-verdict",
      tabindex: "-1",
      "aria-labelledby": "wt-verdict-title",
    },
    el("h3", { id: "wt-verdict-title" }, "The answer"),
    el(
      "div",
      { "data-wt-block": "response" },
      el(
        "p",
        { class: "wt-verdict", "data-failure": String(result.failure) },
        el("strong", {}, result.response_label),
        el("span", { class: "wt-tag" }, result.failure ? "Meets the definition of virologic failure" : "Not virologic failure"),
      ),
      definition ? el("p", { class: "wt-definition" }, el("strong", {}, `Definition met: ${definition.term}. `), definition.text) : null,
    ),
  );
  const table = data.guideline.options_table; // the edition's options table ("Table 11")
  if (!result.scenario) {
    card.append(
      el(
        "p",
        { class: "wt-row", "data-reason": result.scenario_reason?.id ?? "" },
        el("strong", {}, `${table}: `),
        el("span", { "data-wt-reason-text": true }, result.scenario_reason?.text ?? ""),
      ),
    );
  } else {
    const row = result.table11_row;
    const top = highestRated(result.options, data.rating_order ?? []);
    card.append(
      el(
        "p",
        { class: "wt-row", "data-scenario": result.scenario },
        el("strong", {}, `${table} row: `),
        `${row.group}: ${row.failing_regimen} `,
        el("a", { href: data.rows[result.scenario].url }, `(in ${table})`),
      ),
      el("p", { class: "wt-options-title" }, `Options, in ${table}'s order (${result.options.length}):`),
      el("ol", { class: "wt-options-list" }, result.options.map((option) => optionItem(option, result, links, top.has(option), top.size > 1))),
    );
  }
  const beside = new Set(result.scenario ? result.options.flatMap((option) => option.cautions) : []);
  const others = result.cautions.filter((caution) => !beside.has(caution.id));
  if (others.length) {
    card.append(
      el(
        "p",
        { class: "wt-card-cautions" },
        el("strong", {}, beside.size ? "Also for this patient: " : "Cautions for this patient: "),
        others.flatMap((caution, i) => [i ? "; " : "", cautionLink(result, caution.id)]),
        ".",
      ),
    );
  }
  return card;
}
