// cases/summary.mjs: a case page's score line (once every question is answered) and its tools
// ("Start this case again"), shown once an answer has been checked.

import { el } from "../dom.mjs";

export function mountSummary(summary, tools, data) {
  return {
    show(progress) {
      tools.hidden = progress.answered === 0;
      if (!progress.done) {
        summary.replaceChildren();
        return;
      }
      summary.replaceChildren(
        el(
          "p",
          {},
          el("strong", {}, "Case complete: "),
          `${progress.score} of ${progress.total} answers right.`,
        ),
        el(
          "p",
          {},
          "Compare with the ",
          el("a", { href: data.links.teacher }, "teacher's sheet"),
          ", or go back to the ",
          el("a", { href: data.links.index }, "case library"),
          ".",
        ),
      );
    },
    focus() {
      summary.focus();
    },
  };
}
