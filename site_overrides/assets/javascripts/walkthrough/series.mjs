// series.mjs: the viral-load table of the walkthrough form: its rows (added, removed,
// renumbered so every label names its result) and the paste box that fills them from a report.

/** One line of a pasted report as [week or date, value], or [undefined, value] for a value
 *  alone. Columns are split at a tab, a semicolon or two spaces, or after a leading date. */
export function splitReportLine(line) {
  const match =
    /^([^\t;]*?)\s*[\t;]\s*(.*)$/.exec(line) ??
    /^(\S+)\s{2,}(.*)$/.exec(line) ??
    /^([0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4})\s+(.*)$/.exec(line);
  return match ? [match[1].trim(), match[2].trim()] : [undefined, line];
}

/** The table's behaviour; `changed()` is called when the rows change the case. */
export function mountSeries(page, changed) {
  const root = page.root;
  const body = root.querySelector("[data-wt-rows]");
  const template = root.querySelector("[data-wt-row-template]");
  const status = root.querySelector("[data-wt-paste-status]");
  const max = () => Number(root.querySelector('[data-kind="series"]').dataset.maxItems);
  let counter = body.querySelectorAll("[data-wt-row]").length;
  let pasted = null;

  const rows = () => [...body.querySelectorAll("[data-wt-row]")];
  const part = (row, name) => row.querySelector(`[data-wt-part="${name}"]`);

  function renumber() {
    rows().forEach((row, i) => {
      const k = i + 1;
      for (const label of row.querySelectorAll("label")) {
        const week = label.htmlFor.endsWith("-week");
        label.textContent = week ? `Week of result ${k}` : `Value of result ${k} (copies/mL)`;
      }
      row.querySelector("[data-wt-remove-row]").setAttribute("aria-label", `Remove result ${k}`);
    });
  }

  function addRow(values = {}) {
    const row = template.content.firstElementChild.cloneNode(true);
    const n = counter++;
    const errorId = `wt-vl-${n}-error`;
    for (const name of ["week", "copies"]) {
      const input = part(row, name);
      input.id = `wt-vl-${n}-${name}`;
      input.setAttribute("aria-describedby", errorId);
      row.querySelector(`[data-wt-label-for="${name}"]`).htmlFor = input.id;
      if (values[name] !== undefined) input.value = values[name];
    }
    row.querySelector("[data-wt-row-error]").id = errorId;
    body.append(row);
    renumber();
    return row;
  }

  /** Every row removed, then `count` empty ones. */
  function resetRows(count = 3) {
    for (const row of rows()) row.remove();
    for (let i = 0; i < count; i++) addRow();
  }

  function removeRow(row) {
    const all = rows();
    const index = all.indexOf(row);
    if (all.length === 1) {
      for (const input of row.querySelectorAll("input")) input.value = "";
      delete row.dataset.rawWeek;
      delete row.dataset.rawCopies;
    } else {
      row.remove();
    }
    renumber();
    const remaining = rows();
    remaining[Math.min(index, remaining.length - 1)]?.querySelector("input")?.focus();
    changed();
  }

  function firstEmptyRow(which) {
    return rows().find((row) => {
      const week = part(row, "week").value.trim();
      const copies = part(row, "copies").value.trim();
      return which === "copies" ? !copies : !week && !copies;
    });
  }

  function applyPaste() {
    const lines = root
      .querySelector("[data-wt-paste]")
      .value.split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    const limit = max();
    const added = [];
    let full = false;
    lines.forEach((line, i) => {
      const [when, copies] = splitReportLine(line);
      const row =
        firstEmptyRow(when === undefined ? "copies" : "both") ??
        (rows().length < limit ? addRow() : null);
      if (!row) {
        full = true;
        return;
      }
      if (when !== undefined) part(row, "week").value = when;
      part(row, "copies").value = copies;
      added.push({ row, line: i + 1 });
    });
    // The count is given once logic has read the rows (reportPaste): a line it cannot read is
    // never counted as added.
    pasted = { rows: added, full, max: limit, total: lines.length };
    status.textContent = added.length
      ? "Reading the pasted lines…"
      : "Nothing to add: paste one result per line.";
    if (added.length) changed();
  }

  /** After an answer: how many pasted lines were read, and which were not (marked at their row). */
  function reportPaste(problems) {
    if (!pasted) return;
    const { rows: added, full, max: limit, total } = pasted;
    pasted = null;
    const bad = added.filter(({ row }) => problems.some((p) => p.row === row));
    const good = added.length - bad.length;
    const parts = [`${good} result${good === 1 ? "" : "s"} added to the table.`];
    if (bad.length) {
      const which = bad.map((b) => b.line).join(", ");
      const s = bad.length === 1 ? "" : "s";
      parts.push(
        `${bad.length} line${s} could not be read (line${s} ${which}): see the message at ${bad.length === 1 ? "its row" : "each row"}.`,
      );
    }
    if (full) parts.push(`The table is full: ${total - added.length} line(s) left out (${limit} results at most).`);
    status.textContent = parts.join(" ");
  }

  page.on(root.querySelector("[data-wt-add-row]"), "click", () => {
    addRow().querySelector("input").focus();
  });
  page.on(body, "click", (event) => {
    const button = event.target.closest("[data-wt-remove-row]");
    if (button) removeRow(button.closest("[data-wt-row]"));
  });
  page.on(root.querySelector("[data-wt-paste-apply]"), "click", applyPaste);
  renumber();
  return { rows, part, max, addRow, resetRows, reportPaste };
}
