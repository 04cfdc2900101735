// answer.mjs: logic's result as the walkthrough's answer panel, in the order a clinician reads
// it: the verdict card (verdict.mjs), the next steps, the cautions in full and any "after this
// edition" notes, the course, the genotype, the evidence (evidence.mjs) and, folded, why
// (trace.mjs). Every clinical word comes from logic or the page data.

import { el } from "../dom.mjs";
import { renderGenotype } from "../genotype-view.mjs";
import { renderCourse } from "./chart.mjs";
import { renderEvidence } from "./evidence.mjs";
import { renderTrace } from "./trace.mjs";
import { renderVerdict } from "./verdict.mjs";

/** The answer's parts, in order. `words`: the result in words, from the worker
 * (logic.vocabulary.word_case); `links`: evidence.mjs; `focusField(id)`: to a question. */
export function renderAnswer(result, chart, words, data, links, focusField) {
  return [
    renderVerdict(result, data, links),
    renderNextSteps(result, words, data, links, focusField),
    renderCautions(result, data, links),
    renderAfterEdition(result, data),
    renderCourse(result, chart),
    renderGenotype(result, data, {
      sectionLink: (id) => links.sectionLink(id),
      ruleLink: (id) => links.ruleLink(id, "the rule"),
    }),
    renderEvidence(result, data, links),
    renderTrace(result, words, data, links),
  ].filter(Boolean);
}

/** The answer in one sentence, for the live region: the response, the row, the cautions named. */
export function headline(result, data) {
  const parts = [result.response_label];
  if (result.scenario) {
    const row = data.rows[result.scenario];
    parts.push(`${data.guideline.options_table}: ${row.group}, ${row.failing_regimen}`);
  }
  if (result.cautions.length) {
    parts.push(`Caution${result.cautions.length === 1 ? "" : "s"}: ${result.cautions.map((c) => c.title).join("; ")}`);
  }
  if (result.questions.length) {
    parts.push(`${result.questions.length} more answer${result.questions.length === 1 ? "" : "s"} needed`);
  }
  return parts.join(". ") + ".";
}

/** What to repeat, order or do now, from the result: the repeat test and when, the level of
 *  viremia and its management, and the answers still needed for a fuller answer. */
function renderNextSteps(result, words, data, links, focusField) {
  const viremia = result.viremia;
  return el(
    "section",
    { class: "wt-block wt-next-steps", "data-wt-block": "next" },
    el("h3", {}, "Next steps"),
    result.repeat
      ? el("p", { class: "wt-next" }, el("strong", {}, "Repeat: "), `${result.repeat.what} ${result.repeat.when}`)
      : null,
    el(
      "p",
      { "data-wt-block": "viremia" },
      el("strong", {}, `Level of viremia: ${viremia.label}`),
      ` — latest result ${words.latest}, week ${words.latest_week}.`,
    ),
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
    renderQuestions(result, data, focusField),
  );
}

function renderQuestions(result, data, focusField) {
  if (!result.questions.length) return null;
  return el(
    "div",
    { class: "wt-questions", "data-wt-block": "questions" },
    el("p", {}, el("strong", {}, "Still needed for a fuller answer:")),
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
          : el("p", { class: "wt-footnote" }, el("sup", {}, caution.footnote), ` ${data.guideline.options_table}, note ${caution.footnote}: ${data.footnotes[caution.footnote] ?? ""}`),
        el("p", { class: "wt-source" }, "Source: ", links.sectionLink(caution.section), "."),
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
