// cases/quiz.mjs: a case page (`[data-htf-case-quiz]`): its questions, revealed one at a time,
// graded by logic (logic.grading in the worker, through cases/checker.mjs), the score, progress
// in localStorage (progress-store.mjs; restored on the next visit) and "Start this case again"
// with Undo (cases/undo.mjs).

import { caseRecord, forgetCase, saveRecord } from "../progress-store.mjs";
import { failureMessage, mountChecker } from "./checker.mjs";
import { own, showStoreProblem } from "./markup.mjs";
import { mountQuestion } from "./question.mjs";
import { mountSummary } from "./summary.mjs";
import { offerUndo } from "./undo.mjs";

export function mountCase(root, signal) {
  const dataNode = document.getElementById("htf-case-data");
  if (!dataNode) return;
  const data = JSON.parse(dataNode.dataset.caseJson);
  const status = root.querySelector("[data-status]");
  const summary = mountSummary(
    root.querySelector("[data-summary]"),
    root.querySelector("[data-tools]"),
    data,
  );
  const fieldsets = [...root.querySelectorAll("fieldset[data-question]")];
  const questions = fieldsets.map((fieldset, index) =>
    mountQuestion(fieldset, data.questions[index], { data, onCheck: check, signal }),
  );
  const checker = mountChecker(status, {
    data,
    questions: questions.map((question) => question.forGrading()),
    signal,
  });
  let undo = null;

  function reveal() {
    const next = questions.findIndex((question) => !question.answered);
    questions.forEach((question, index) => {
      question.fieldset.hidden = next !== -1 && index > next;
    });
  }

  function record() {
    const answered = questions.filter((q) => q.answered);
    return {
      answers: Object.fromEntries(answered.map((q) => [String(q.number), q.chosen()])),
      right: Object.fromEntries(answered.map((q) => [String(q.number), q.right])),
      answered: answered.length,
      score: answered.filter((q) => q.right).length,
      total: questions.length,
      done: answered.length === questions.length,
    };
  }

  function save() {
    if (!saveRecord(data.id, record())) showStoreProblem(root);
  }

  function after(question) {
    return questions[questions.indexOf(question) + 1];
  }

  async function check(question) {
    if (question.isNext()) {
      const next = after(question);
      if (next) next.focus();
      else summary.focus();
      return;
    }
    checker.start();
    const chosen = question.chosen();
    if (!question.ready(chosen) || question.isBusy()) return;
    question.busy(true);
    const answer = await checker.grade([question.forGrading(chosen)]);
    question.busy(false);
    if (signal.aborted) return;
    if (!answer.ok) {
      question.failed(failureMessage(answer));
      return;
    }
    undo?.cancel(); // a new answer: undoing the reset would overwrite it
    question.show(answer.result, chosen, answer.questions[0], after(question));
    save();
    reveal();
    summary.show(record());
  }

  function clear() {
    for (const question of questions) question.clear();
    reveal();
    summary.show(record());
  }

  /** Grade the saved answers again and show them (on load, and on Undo). */
  async function restore(saved) {
    if (!saved?.answers || typeof saved.answers !== "object") return;
    const plan = [];
    for (const question of questions) {
      const values = own(saved.answers, String(question.number));
      if (!Array.isArray(values)) break; // answers are kept in order: stop at the first gap
      if (!question.isValid(values)) {
        forgetCase(data.id); // stale or tampered: start this case afresh
        return;
      }
      plan.push([question, values]);
    }
    if (!plan.length) return;
    for (const [question, values] of plan) question.tick(values);
    const answer = await checker.grade(plan.map(([q, values]) => q.forGrading(values)));
    if (signal.aborted || !answer.ok) return;
    plan.forEach(([question, values], index) => {
      question.show(answer.result, values, answer.questions[index], after(question));
    });
    save();
    reveal();
    summary.show(record());
  }

  root.querySelector("[data-reset]")?.addEventListener(
    "click",
    () => {
      const before = caseRecord(data.id);
      forgetCase(data.id);
      clear();
      undo?.cancel();
      undo = offerUndo(status, {
        message: "Your answers to this case were cleared.",
        restore: () => {
          if (before && !saveRecord(data.id, before)) showStoreProblem(root);
          restore(before);
          return "Your answers to this case are back.";
        },
        signal,
      });
      questions[0]?.inputs[0]?.focus();
    },
    { signal },
  );
  reveal();
  summary.show(record());
  for (const type of ["focusin", "pointerdown"]) {
    root.addEventListener(
      type,
      (event) => {
        if (event.target.closest?.("fieldset[data-question]")) checker.start();
      },
      { signal },
    );
  }
  const saved = caseRecord(data.id);
  showStoreProblem(root);
  // An answer focused before this module arrived counts as intent too.
  if (saved !== null || document.activeElement?.closest?.("fieldset[data-question]")) {
    checker.start(); // or answers to restore: the reader has started this case already
    restore(saved);
  } else {
    checker.idle();
  }
}
