// words.mjs: how the walkthrough words a value it shows that logic did not word itself: a fact a
// rule read (the "why" lines), a number, and any other value, shortened. Kept apart, and small,
// because worded text is to come from Python (issue 15, "one vocabulary"): this module then goes.

import { canonicalJSON } from "../walkthrough.mjs";

/** Any value as short text (JSON, cut at `limit` characters): for values from links. */
export function show(value, limit = 60) {
  let text;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : canonicalJSON(value);
  } catch {
    text = String(value);
  }
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

export function formatNumber(value) {
  return typeof value === "number" ? value.toLocaleString("en-US") : String(value);
}

/** One value of a fact a rule read, in words: `words` is that fact's entry in data.facts. */
export function factValue(words, value) {
  if (value === null || value === undefined) return "not answered";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map((item) => factValue(words, item)).join(", ") || "none";
  if (typeof value === "number") {
    return `${formatNumber(value)}${words?.unit ? ` ${words.unit}` : ""}`;
  }
  return words?.values?.[value] ?? show(value, 40);
}

/** The facts a rule read, in the decision map's words (data.facts, from the generator). */
export function describeInputs(facts, inputs) {
  return Object.entries(inputs ?? {})
    .map(([fact, value]) => `${facts[fact]?.label ?? fact}: ${factValue(facts[fact], value)}`)
    .join("; ");
}
