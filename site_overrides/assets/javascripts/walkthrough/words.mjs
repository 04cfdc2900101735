// words.mjs: the one way the walkthrough shows a raw value itself: a value from a link that logic
// refused, shortened. Every clinical word comes from
// logic.vocabulary (the worker's `words`, or the page data), never from here.

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
