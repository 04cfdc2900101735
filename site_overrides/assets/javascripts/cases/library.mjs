// cases/library.mjs: the case index (`[data-htf-case-list]`): filters by topic and difficulty,
// each case's progress from localStorage, and "Reset my progress" with Undo (cases/undo.mjs).

import { forgetAll, readStore, restoreCases } from "../progress-store.mjs";
import { own, showStoreProblem } from "./markup.mjs";
import { offerUndo } from "./undo.mjs";

function progressText(record) {
  if (!record || !record.total) return "";
  if (record.done) return `Done: ${record.score} of ${record.total} right`;
  if (record.answered) return `In progress: ${record.answered} of ${record.total} answered`;
  return "";
}

function mountFilters(filters, items, signal) {
  const count = filters?.querySelector("[data-count]");
  const selects = [...(filters?.querySelectorAll("select[data-filter]") ?? [])];

  function apply() {
    const wanted = Object.fromEntries(selects.map((s) => [s.dataset.filter, s.value]));
    let shown = 0;
    for (const item of items) {
      const match = Object.entries(wanted).every(
        ([key, value]) => !value || item.dataset[key] === value,
      );
      item.hidden = !match;
      if (match) shown += 1;
    }
    if (count) {
      count.textContent =
        shown === items.length
          ? `Showing all ${items.length} cases.`
          : `Showing ${shown} of ${items.length} cases.`;
    }
  }

  for (const select of selects) select.addEventListener("change", apply, { signal });
  apply();
}

export function mountIndex(list, signal) {
  const filters = document.querySelector("[data-htf-case-filters]");
  const items = [...list.querySelectorAll("[data-case]")];
  let undo = null;

  function showProgress() {
    const store = readStore();
    showStoreProblem(list.parentElement);
    for (const item of items) {
      const record = own(store.cases, item.dataset.case);
      const text = progressText(record);
      const slot = item.querySelector("[data-progress]");
      slot.textContent = text;
      slot.dataset.state = record?.done ? "done" : text ? "started" : "";
    }
  }

  if (filters) {
    filters.hidden = false;
    filters.querySelector("[data-reset-all]")?.addEventListener(
      "click",
      () => {
        const before = readStore().cases;
        forgetAll();
        showProgress();
        const note = filters.querySelector("[data-reset-status]");
        if (!note) return;
        undo?.cancel();
        undo = offerUndo(note, {
          message: "Your progress on every case was cleared.",
          restore: () => {
            if (!restoreCases(before)) showStoreProblem(list.parentElement);
            showProgress();
            return "Your progress is back.";
          },
          signal,
        });
      },
      { signal },
    );
  }
  mountFilters(filters, items, signal);
  showProgress();
}
