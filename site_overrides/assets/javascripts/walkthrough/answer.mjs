// answer.mjs: logic's result as the walkthrough's answer panel: the response, the course, the
// level of viremia and its management, the genotype, the Table 11 row and its options (each
// caution beside the option it limits), the cautions, "after this edition" notes, the questions
// still needed and the rules that fired. Every clinical word comes from logic or the page data.

import { el } from "../dom.mjs";
import { renderGenotype } from "../genotype-view.mjs";
import { renderCourse } from "./chart.mjs";
import { describeInputs, formatNumber } from "./words.mjs";

const traceOf = (result, ...tables) => result.trace.filter((entry) => tables.includes(entry.table));

/** The answer's parts, in order (null for a part with nothing to say). `links`: evidence.mjs;
 *  `focusField(id)`: takes the reader to a question. */
export function renderAnswer(result, chart, data, links, focusField) {
  return [
    renderResponse(result, links),
    renderCourse(result, chart),
    renderViremia(result, links),
    renderGenotype(result, data, { sectionLink: (id) => links.sectionLink(id), ruleLink: (id) => links.ruleLink(id) }),
    renderTable11(result, data, links),
    renderCautions(result, data, links),
    renderAfterEdition(result, data),
    renderQuestions(result, data, focusField),
    renderTrace(result, data, links),
  ].filter(Boolean);
}

/** The answer in one sentence, for the live region. */
export function headline(result, data) {
  const parts = [result.response_label];
  if (result.scenario) {
    const row = data.rows[result.scenario];
    parts.push(`Table 11: ${row.group}, ${row.failing_regimen}`);
  }
  if (result.cautions.length) {
    parts.push(`${result.cautions.length} caution${result.cautions.length === 1 ? "" : "s"}`);
  }
  if (result.questions.length) {
    parts.push(`${result.questions.length} more answer${result.questions.length === 1 ? "" : "s"} needed`);
  }
  return parts.join(". ") + ".";
}

function renderResponse(result, links) {
  const definition = result.definition;
  return el(
    "section",
    { class: "wt-block", "data-wt-block": "response" },
    el("h3", {}, "Response to the current regimen"),
    el(
      "p",
      { class: "wt-verdict", "data-failure": String(result.failure) },
      el("strong", {}, result.response_label),
      el(
        "span",
        { class: "wt-tag" },
        result.failure ? "Meets the definition of virologic failure" : "Not virologic failure",
      ),
    ),
    !definition
      ? null
      : el(
        "p",
        {},
        el("strong", {}, `${definition.term}: `),
        definition.text,
        " ",
        el("em", {}, `Applied here: ${definition.applied}`),
      ),
    !result.repeat
      ? null
      : el("p", { class: "wt-next" }, el("strong", {}, "Next: "), `${result.repeat.what} ${result.repeat.when}`),
    links.why(traceOf(result, "response")),
  );
}

function renderViremia(result, links) {
  const viremia = result.viremia;
  const latest = viremia.below_llod
    ? `below the LLOD in use (${formatNumber(result.case.llod)} copies/mL)`
    : `${formatNumber(viremia.latest_copies)} copies/mL`;
  return el(
    "section",
    { class: "wt-block", "data-wt-block": "viremia" },
    el("h3", {}, "Level of viremia and management"),
    el("p", {}, el("strong", {}, viremia.label), ` — latest result ${latest}, week ${formatNumber(viremia.latest_week)}.`),
    result.management.length === 0
      ? null
      : el(
        "ul",
        { class: "wt-recommendations" },
        result.management.map((rec) =>
          el(
            "li",
            { "data-recommendation": rec.id },
            rec.text,
            rec.rating ? " " : "",
            links.badge(rec.rating),
            " ",
            el("span", { class: "wt-source" }, "(", links.sectionLink(rec.section), ")"),
          ),
        ),
      ),
    links.why(traceOf(result, "viremia", "management")),
  );
}

function renderTable11(result, data, links) {
  const section = el(
    "section",
    { class: "wt-block", "data-wt-block": "table11" },
    el("h3", {}, "Table 11: regimen options"),
  );
  if (!result.scenario) {
    section.append(
      el("p", { "data-reason": result.scenario_reason?.id ?? "" }, result.scenario_reason?.text ?? ""),
    );
  } else {
    const row = result.table11_row;
    const link = data.rows[result.scenario];
    section.append(
      el(
        "p",
        { "data-scenario": result.scenario },
        el("strong", {}, `${row.group}: ${row.failing_regimen}`),
        " ",
        el("a", { href: link.url }, "(this row in Table 11)"),
      ),
      el("p", {}, el("strong", {}, "Resistance considerations: "), row.resistance),
      el("p", {}, el("strong", {}, "Goal: "), row.goal),
      row.row_note ? el("p", {}, row.row_note) : "",
    );
    const notes = new Set();
    section.append(
      el(
        "ol",
        { class: "wt-options-list" },
        result.options.map((option) => {
          option.footnotes.forEach((note) => notes.add(note));
          return el(
            "li",
            {},
            option.text,
            option.rating ? " " : "",
            links.badge(option.rating),
            option.footnotes.map((note) => el("sup", { class: "wt-footnote-ref" }, note)),
            option.qualifiers.length
              ? el("span", { class: "wt-qualifiers" }, ` — ${option.qualifiers.join("; ")}`)
              : null,
            option.text_variant ? renderVariant(option.text_variant, links) : null,
            option.cautions.map((id) => renderOptionCaution(result, id)),
          );
        }),
      ),
    );
    if (notes.size) {
      section.append(
        el(
          "ul",
          { class: "wt-footnotes" },
          [...notes].sort().map((note) => el("li", {}, el("sup", {}, note), " ", data.footnotes[note] ?? "")),
        ),
      );
    }
  }
  const why = links.why(traceOf(result, "scenario", "row_fit"));
  if (why) section.append(why);
  return section;
}

// A caution this case raised that limits this option (logic links them by footnote).
function renderOptionCaution(result, id) {
  const caution = result.cautions.find((item) => item.id === id);
  return el(
    "p",
    { class: "wt-option-caution" },
    el("strong", {}, "Caution for this patient: "),
    el("a", { href: `#wt-caution-${id}` }, caution?.title ?? id),
    ".",
  );
}

function renderVariant(variant, links) {
  return el(
    "p",
    { class: "wt-variant" },
    el("strong", {}, "The section's text differs: "),
    variant.wording || variant.text,
    variant.qualifier
      ? el("span", {}, " The text rates the qualifier above ", links.badge(variant.text_rating), "; Table 11 rates only the option.")
      : variant.rating_differs
        ? el(
          "span",
          {},
          " Text rating: ",
          links.badge(variant.text_rating) ?? "none",
          "; Table 11 rating: ",
          links.badge(variant.table_rating) ?? "none",
          ".",
        )
        : null,
  );
}

function renderCautions(result, data, links) {
  if (!result.cautions.length) return null;
  return el(
    "section",
    { class: "wt-block", "data-wt-block": "cautions" },
    el("h3", {}, "Cautions"),
    result.cautions.map((caution) =>
      el(
        "div",
        { class: "admonition warning", "data-caution": caution.id, id: `wt-caution-${caution.id}` },
        el("p", { class: "admonition-title" }, caution.title),
        el("p", {}, caution.text),
        caution.recommendations.length === 0
          ? null
          : el("ul", {}, caution.recommendations.map((rec) => el("li", {}, rec.text, rec.rating ? " " : "", links.badge(rec.rating)))),
        !caution.footnote
          ? null
          : el(
            "p",
            { class: "wt-footnote" },
            el("sup", {}, caution.footnote),
            ` Table 11, note ${caution.footnote}: ${data.footnotes[caution.footnote] ?? ""}`,
          ),
        el(
          "p",
          { class: "wt-why" },
          "Why: ",
          caution.rules.flatMap((rule, i) => [i ? ", " : "", el("code", {}, rule)]),
          " — ",
          links.sectionLink(caution.section),
        ),
      ),
    ),
  );
}

/** "After this edition" notes (generator/content/later_evidence.toml): beside the caution
 *  they concern, or for a drug of the failing regimen. They never change logic's answer. */
function renderAfterEdition(result, data) {
  const raised = new Set(result.cautions.map((c) => c.id));
  const drugs = new Set((result.regimen?.drugs ?? []).map((d) => d.abbr));
  const notes = (data.after_edition ?? []).filter(
    (note) => raised.has(note.caution) || (note.drugs ?? []).some((d) => drugs.has(d)),
  );
  if (!notes.length) return null;
  return el(
    "section",
    { class: "wt-block", "data-wt-block": "after-edition" },
    notes.map((note) =>
      el(
        "div",
        { class: "admonition info", "data-after-edition": note.id },
        el("p", { class: "admonition-title" }, note.title),
        el("p", {}, note.text),
      ),
    ),
  );
}

function renderQuestions(result, data, focusField) {
  if (!result.questions.length) return null;
  return el(
    "section",
    { class: "wt-block", "data-wt-block": "questions" },
    el("h3", {}, "Still needed"),
    el(
      "ul",
      {},
      result.questions.map((id) => {
        const field = data.fields[id];
        const button = el("button", { type: "button", class: "wt-link-button", "data-wt-goto": id }, field?.label ?? id);
        button.addEventListener("click", () => focusField(id));
        return el("li", {}, button, field ? ` (step ${field.step}: ${data.steps[field.step] ?? ""})` : "");
      }),
    ),
  );
}

function renderTrace(result, data, links) {
  return el(
    "details",
    { class: "wt-trace", "data-wt-block": "trace" },
    el("summary", {}, `Every rule that fired (${result.trace.length})`),
    el(
      "table",
      {},
      el(
        "thead",
        {},
        el("tr", {}, ["Rule", "Decision table", "Facts used", "Conclusion", "Source"].map((h) => el("th", { scope: "col" }, h))),
      ),
      el(
        "tbody",
        {},
        result.trace.map((entry) =>
          el(
            "tr",
            { "data-rule": entry.rule },
            el("td", {}, links.ruleLink(entry.rule)),
            el("td", {}, data.tables[entry.table] ?? entry.table),
            el("td", {}, describeInputs(data.facts, entry.inputs) || "—"),
            el("td", {}, describeInputs(data.facts, entry.then)),
            el(
              "td",
              {},
              links.sectionLink(entry.source.section),
              entry.source.rating ? " " : "",
              links.badge(entry.source.rating),
            ),
          ),
        ),
      ),
    ),
  );
}
