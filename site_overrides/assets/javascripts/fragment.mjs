// fragment.mjs: reading a case out of a link's JSON safely, and the address a summary gives for
// a case. Used by walkthrough.mjs (decodeFragment) and walkthrough-page.mjs.
//
// A link is anyone's text. JSON.parse turns 1e999 into Infinity, which the page could neither
// show as typed nor send to logic; and values nested thousands deep overflow the stack of any
// recursive walk (a JSON.parse reviver included). So, before the page sees the case:
// * a question whose value is nested more than MAX_DEPTH levels deep is left out, and named in
//   `dropped` ({field, problem}) for the page to report at that question;
// * a number that is not finite becomes its own text from the link (e.g. "1e999"), so that the
//   form shows it as written and logic reports it at its field like any other bad value.

export const MAX_DEPTH = 16; // a case needs 3 ({viral_loads: [{week}]})

const isPlainObject = (value) =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** How deeply `value` nests (0 for a number or string), counted without recursion. */
export function depthOf(value) {
  let deepest = 0;
  const stack = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop();
    if (typeof item !== "object" || item === null) continue;
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === "object" && child !== null) stack.push([child, inner]);
    }
  }
  return deepest;
}

/** Every number that is not finite, replaced by its text, without recursion. */
function replaceNonFinite(value) {
  const fix = (v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v);
  const root = { value };
  const stack = [root];
  while (stack.length) {
    const item = stack.pop();
    for (const key of Object.keys(item)) {
      item[key] = fix(item[key]);
      if (typeof item[key] === "object" && item[key] !== null) stack.push(item[key]);
    }
  }
  return root.value;
}

// With the nesting checked, a reviver is safe; it sees the number's text where the browser
// supports it (JSON.parse source text access), else the number (Infinity).
const revive = (key, value, context) =>
  typeof value === "number" && !Number.isFinite(value) ? (context?.source ?? String(value)) : value;

/** A link's case from its JSON text: {case, dropped: [{field, problem}]} or {error}.
 *  Throws a SyntaxError if the text is not JSON. */
export function parseCaseJSON(text) {
  const plain = JSON.parse(text);
  if (!isPlainObject(plain)) {
    const depth = depthOf(plain);
    if (depth > MAX_DEPTH) {
      return { error: `The link holds a value nested ${depth} levels deep, not a case.` };
    }
    return { case: JSON.parse(text, revive), dropped: [] };
  }
  const dropped = [];
  for (const field of Object.keys(plain)) {
    const depth = depthOf(plain[field]);
    if (depth > MAX_DEPTH) {
      dropped.push({
        field,
        problem: `the link holds a value nested ${depth} levels deep (at most ${MAX_DEPTH})`,
      });
    }
  }
  if (!dropped.length) return { case: JSON.parse(text, revive), dropped };
  for (const { field } of dropped) delete plain[field];
  return { case: replaceNonFinite(plain), dropped };
}

/** The address a summary or a printout gives for a case: the page's canonical address (never
 *  its query string, which anyone can write anything into) plus `hash` if it is a case
 *  fragment in the form the page writes ("#case=" and base64url), else nothing after it. */
export function caseAddress(hash) {
  const canonical = document.querySelector('link[rel="canonical"]')?.href;
  const page = new URL(canonical || location.href);
  page.search = "";
  const fragment = String(hash ?? "").replace(/^#/, "");
  page.hash = /^case=[A-Za-z0-9_-]+$/.test(fragment) ? fragment : "";
  return page.href;
}
