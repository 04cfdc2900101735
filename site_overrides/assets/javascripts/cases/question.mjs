// cases/question.mjs: one question of a case page (a <fieldset data-question> the generator
// wrote): its answers, its "Check answer" / "Go to question N" button, and its feedback.

import { el } from "../dom.mjs";
import { renderFeedback } from "./feedback.mjs";

/** Mount one question. `spec`: its entry in the page's JSON; `onCheck()` runs on its button
 *  (which shows "Go to ..." once answered, then moves the focus on). */
export function mountQuestion(fieldset, spec, { data, onCheck, signal }) {
  const inputs = [...fieldset.querySelectorAll("input")];
  const button = fieldset.querySelector("[data-check]");
  const feedback = fieldset.querySelector("[data-feedback]");
  const question = {
    ...spec,
    fieldset,
    inputs,
    answered: false,
    right: false,

    chosen() {
      return inputs.filter((input) => input.checked).map((input) => input.value);
    },

    /** As logic.grading takes it. */
    forGrading(chosen) {
      const out = { ask: spec.ask, multi: spec.multi, offered: spec.choices.map((c) => c.value) };
      return chosen ? { ...out, chosen } : out;
    },

    isValid(values) {
      const known = spec.choices.map((choice) => choice.value);
      return (
        Array.isArray(values) &&
        values.every((value) => typeof value === "string" && known.includes(value)) &&
        (spec.multi || values.length === 1)
      );
    },

    tick(values) {
      for (const input of inputs) input.checked = values.includes(input.value);
    },

    focus() {
      (inputs.find((input) => input.checked) ?? inputs[0])?.focus();
    },

    /** Whether it may be checked; says why not in its feedback. */
    ready(chosen) {
      if (spec.multi || chosen.length) return true;
      feedback.replaceChildren(el("p", {}, "Choose an answer first."));
      return false;
    },

    busy(on) {
      // Busy rather than disabled: a disabled button would drop the keyboard focus.
      if (on) {
        button.dataset.busy = "true";
        button.setAttribute("aria-busy", "true");
        button.textContent = "Checking…";
      } else {
        delete button.dataset.busy;
        button.removeAttribute("aria-busy");
      }
    },

    isBusy() {
      return Boolean(button.dataset.busy);
    },

    failed(message) {
      const teacher = el("a", { href: data.links.teacher }, "teacher's sheet");
      feedback.replaceChildren(
        el("p", {}, `${message} Compare your answer with the `, teacher, "."),
      );
      button.textContent = "Check answer";
    },

    /** Show logic's grading of `chosen` (`graded`: logic.grading's answer for this question). */
    show(result, chosen, graded, next) {
      question.right = graded.right;
      question.answered = true;
      for (const input of inputs) input.disabled = true;
      fieldset.dataset.result = graded.right ? "right" : "wrong";
      const parts = renderFeedback(data, question, result, chosen, graded);
      feedback.replaceChildren(...parts.flat(Infinity).filter(Boolean));
      button.textContent = next ? `Go to question ${next.number}` : "Go to your score";
      button.dataset.mode = "next";
    },

    isNext() {
      return button.dataset.mode === "next";
    },

    clear() {
      question.answered = false;
      question.right = false;
      delete fieldset.dataset.result;
      for (const input of inputs) {
        input.checked = false;
        input.disabled = false;
      }
      feedback.replaceChildren();
      button.textContent = "Check answer";
      delete button.dataset.mode;
    },
  };
  button.hidden = false;
  button.addEventListener("click", () => onCheck(question), { signal });
  return question;
}
