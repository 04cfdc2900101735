// cases/feedback.mjs: what a case page shows once logic has graded an answer (logic.grading, in
// the worker): the verdict, logic's answer with its definition, rating or row, what the reader's
// wrong choice would have meant, the cautions, and the rules behind the answer. Display only:
// which answers are right, and every fact's words, come from logic.

import { el } from "../dom.mjs";
import {
  admonition,
  badge,
  choiceLabel,
  impliedRules,
  noRating,
  own,
  ruleList,
  sectionLink,
} from "./markup.mjs";

function answerBlock(data, question, result, graded) {
  const correct = graded.correct;
  const label = (value) => choiceLabel(question, value);
  switch (question.ask) {
    case "response": {
      const parts = [el("p", {}, el("strong", {}, "The answer: "), result.response_label, ".")];
      if (result.definition) {
        parts.push(
          el(
            "p",
            {},
            el("em", {}, result.definition.term, ": "),
            result.definition.text,
            " As the decision logic applies it: ",
            result.definition.applied,
          ),
        );
      }
      if (result.repeat) {
        parts.push(
          el("p", {}, el("strong", {}, "What next: "), result.repeat.what, " ", result.repeat.when),
        );
      }
      return parts;
    }
    case "viremia_level":
      return [
        el(
          "p",
          {},
          el("strong", {}, "The answer: "),
          result.viremia.label,
          `. The latest result (week ${graded.words.latest_week}) is ${graded.words.latest}.`,
        ),
      ];
    case "management":
    case "cautions":
      return multiAnswer(data, question, result, correct);
    case "scenario": {
      if (result.scenario) {
        const row = result.table11_row;
        const info = own(data.rows, row.id);
        return [
          el(
            "p",
            {},
            el("strong", {}, "The answer: "),
            info ? el("a", { href: info.url }, info.label) : row.id,
            ".",
          ),
          el("p", {}, el("em", {}, "Resistance considerations: "), row.resistance),
          el("p", {}, el("em", {}, "Goal: "), row.goal),
          row.row_note ? el("p", {}, el("em", {}, "Note: "), row.row_note) : null,
        ];
      }
      return [
        el("p", {}, el("strong", {}, `The answer: no ${data.guideline.options_table} row. `), result.scenario_reason.text),
      ];
    }
    case "best_option":
      return optionsBlock(data, question, result, correct);
    default:
      return [el("p", {}, "The answer: ", correct.map(label).join(", "))];
  }
}

function multiAnswer(data, question, result, correct) {
  const chosen = new Set(question.chosen);
  const worth = question.choices.filter(
    (choice) => correct.includes(choice.value) || chosen.has(choice.value),
  );
  const rest = question.choices.length - worth.length;
  const list = el(
    "ul",
    { class: "htf-multi-answer" },
    worth.map((choice) => {
      const applies = correct.includes(choice.value);
      const ticked = chosen.has(choice.value);
      const item = el(
        "li",
        { class: applies === ticked ? "htf-answer-right" : "htf-answer-wrong" },
        el("strong", {}, applies ? "Applies" : "Does not apply"),
        ticked ? " (you ticked it): " : " (you left it): ",
        choice.label,
      );
      if (question.ask === "management") {
        const rating = badge(data, choice.implied?.rating);
        if (rating) item.append(" ", rating);
        if (applies) {
          const rules = result.trace
            .filter((entry) => entry.then?.recommendations?.includes(choice.value))
            .map((entry) => entry.rule);
          item.append(` — from rule ${rules.join(" and ")}; source: `);
          item.append(sectionLink(data, choice.implied.section));
        }
      } else if (applies) {
        const caution = result.cautions.find((c) => c.id === choice.value);
        item.append(` — raised by rule ${caution.rules.join(" and ")}`);
      }
      if (!applies && ticked) {
        item.append(" It would need:");
        item.append(impliedRules(choice.implied?.rules) ?? "");
      }
      return item;
    }),
  );
  let others = "";
  if (!worth.length) others = "None of these applies to this case, and you ticked none of them.";
  else if (rest > 0) {
    others = `${correct.length ? "" : "None of these applies to this case. "}The other ${
      rest === 1 ? "choice does" : `${rest} choices do`
    } not apply, and you left ${rest === 1 ? "it" : "them"} unticked.`;
  }
  return [worth.length ? list : null, others ? el("p", {}, others) : null];
}

function optionsBlock(data, question, result, correct) {
  const best = correct.map((n) => choiceLabel(question, n));
  const top = result.options[Number(correct[0]) - 1];
  const parts = [
    el(
      "p",
      {},
      el("strong", {}, "The answer: "),
      best.join(" or "),
      ", rated ",
      badge(data, top.rating) ?? top.rating,
      `, the highest rating in this row of ${data.guideline.options_table}.`,
    ),
  ];
  // A caution this case raised may limit a highest-rated option: say so beside the answer.
  for (const n of correct) {
    for (const id of result.options[Number(n) - 1].cautions) {
      const caution = result.cautions.find((item) => item.id === id);
      parts.push(
        el(
          "p",
          { class: "htf-option-caution" },
          el("strong", {}, "For this patient: "),
          `the caution “${caution?.title ?? id}” applies to ${choiceLabel(question, n)}. `,
          caution?.text ?? "",
        ),
      );
    }
  }
  parts.push(
    el(
      "ul",
      { class: "htf-options" },
      result.options.map((option, index) =>
        el(
          "li",
          {},
          choiceLabel(question, String(index + 1)),
          ": ",
          badge(data, option.rating) ?? noRating(data),
          option.footnotes.length
            ? ` (footnote ${option.footnotes.join(", ")}: ${option.footnotes.map((f) => own(data.footnotes, f) ?? "").join(" ")})`
            : "",
        ),
      ),
    ),
  );
  for (const option of result.options) {
    const variant = option.text_variant;
    if (!variant) continue;
    const body = [];
    if (variant.rating_differs) {
      body.push(
        el(
          "p",
          {},
          variant.qualifier
            ? `The section's text rates the qualifier “${variant.qualifier}” `
            : "The section's text rates this ",
          badge(data, variant.text_rating) ?? noRating(data),
          ` (“${variant.text}”); in ${data.guideline.options_table}, shown here, it is `,
          badge(data, variant.table_rating) ?? noRating(data),
          ".",
        ),
      );
    }
    if (variant.wording) body.push(el("p", {}, variant.wording));
    parts.push(admonition("note", `Text and ${data.guideline.options_table} differ: ${option.text}`, body));
  }
  return parts;
}

function impliedBlock(data, question, result, chosen) {
  const value = chosen[0];
  const choice = question.choices.find((item) => item.value === value);
  if (!choice) return null;
  const intro = el("p", {}, el("strong", {}, `Your answer, “${choice.label}”`), " would mean:");
  const implied = choice.implied ?? {};
  const parts = [intro];
  switch (question.ask) {
    case "response":
      if (implied.text) {
        parts.push(
          el(
            "p",
            {},
            el("em", {}, implied.term, ": "),
            implied.text,
            " As the decision logic applies it: ",
            implied.applied,
          ),
        );
      }
      for (const what of implied.repeat ?? []) parts.push(el("p", {}, what));
      break;
    case "viremia_level":
      for (const rec of implied.recommendations ?? []) {
        const rating = badge(data, rec.rating);
        parts.push(el("p", {}, rec.text, rating ? " " : "", rating));
      }
      break;
    case "scenario":
      parts.push(el("p", {}, implied.text));
      if (implied.goal) parts.push(el("p", {}, el("em", {}, "Goal: "), implied.goal));
      break;
    case "best_option": {
      const option = result.options[Number(value) - 1];
      parts[0] = el(
        "p",
        {},
        el("strong", {}, `Your answer, “${choice.label}”`),
        option?.rating ? ", is rated " : `, carries no rating in ${data.guideline.options_table}`,
        option?.rating ? badge(data, option.rating) : "",
        ": another option of this row is rated higher.",
      );
      return el("div", { class: "htf-implied" }, parts);
    }
    default:
      return null;
  }
  const rules = impliedRules(implied.rules);
  if (rules) parts.push(el("p", {}, "The decision logic gives it when:"), rules);
  if (implied.section) {
    parts.push(el("p", {}, "Source: ", sectionLink(data, implied.section)));
  }
  return el("div", { class: "htf-implied" }, parts);
}

function cautionBoxes(data, result) {
  return result.cautions.map((caution) =>
    admonition(
      "warning",
      caution.title,
      el(
        "p",
        {},
        caution.text,
        caution.footnote ? ` (${data.guideline.options_table}, footnote ${caution.footnote}.)` : "",
      ),
      caution.recommendations.length
        ? el(
            "ul",
            {},
            caution.recommendations.map((rec) => {
              const rating = badge(data, rec.rating);
              return el("li", {}, rec.text, rating ? " " : "", rating);
            }),
          )
        : null,
      el(
        "p",
        {},
        `Raised by rule ${caution.rules.join(" and ")}. Source: `,
        sectionLink(data, caution.section),
        ".",
      ),
    ),
  );
}

/** The feedback on one graded question: the verdict, logic's answer, what a wrong choice would
 *  have meant, and the rules behind the answer (`graded`: logic.grading's answer for it). */
export function renderFeedback(data, question, result, chosen, graded) {
  const { correct, right } = graded;
  const parts = [
    el(
      "p",
      { class: `htf-verdict ${right ? "htf-verdict--right" : "htf-verdict--wrong"}` },
      el("strong", {}, right ? "Right." : "Not quite."),
      right ? "" : " Here is what the decision logic concludes.",
    ),
    answerBlock(data, { ...question, chosen }, result, graded),
  ];
  if (!right && !question.multi) parts.push(impliedBlock(data, question, result, chosen));
  if (question.ask === "cautions") parts.push(cautionBoxes(data, result));
  parts.push(el("p", { class: "htf-why" }, el("strong", {}, "Why:")));
  const quote = !["management", "cautions"].includes(question.ask);
  parts.push(ruleList(data, graded.why, { quote }));
  return parts;
}
