// chart.mjs: the viral-load course in the answer: logic's summary in words, its chart and the
// results as a table (both drawn by logic/chart.py, sanitised by dom.chartNode).

import { chartNode, el } from "../dom.mjs";

export function renderCourse(result, chart) {
  const summary = result.course?.summary ?? [];
  const svg = chart?.svg ? chartNode(chart.svg, "svg") : null;
  const table = chart?.table ? chartNode(chart.table, "html") : null;
  return el(
    "section",
    { class: "wt-block wt-course", "data-wt-block": "course" },
    el("h3", {}, "The viral-load course"),
    summary.length ? el("ul", { class: "wt-course-summary" }, summary.map((line) => el("li", {}, line))) : null,
    svg ? el("figure", { class: "vl-figure" }, svg) : null,
    table ? el("details", { class: "vl-data" }, el("summary", {}, "The results as a table"), table) : null,
  );
}
