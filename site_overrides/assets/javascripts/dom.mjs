// dom.mjs: the one DOM builder of the site's page modules (walkthrough-page.mjs, cases/*.mjs).
// It sets text and attributes only, never HTML: data from logic, the form or the URL fragment
// cannot become markup.

/** A new element: `attributes` (false, null or undefined leave one out; true sets it empty;
 *  "class" sets className) and `children` (nested arrays are flattened; strings and numbers
 *  become text nodes; false, null, undefined and "" are skipped). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    node.append(child instanceof Node ? child : String(child)); // strings become text nodes
  }
  return node;
}

// The viral-load chart and its table are drawn by logic (logic/chart.py, the same code as the
// build's), so the page shows exactly what logic classified. They arrive as markup: it is
// parsed here, and only these elements and attributes survive, so nothing in it can run.
const CHART_TAGS = new Set([
  "svg", "title", "desc", "defs", "pattern", "g", "line", "path", "polyline", "polygon", "rect",
  "circle", "text", "tspan", "table", "caption", "thead", "tbody", "tr", "th", "td",
]); // prettier-ignore
const CHART_ATTRIBUTES = /^(aria-labelledby|class|d|data-[a-z-]+|fill|font-family|font-size|height|id|patternTransform|patternUnits|points|r|cx|cy|role|scope|stroke|text-anchor|transform|viewBox|width|x|x1|x2|y|y1|y2|xmlns)$/;

/** A chart (`svg`) or its table (`html`) from logic's markup, as a node of this document. */
export function chartNode(markup, kind) {
  const type = kind === "svg" ? "image/svg+xml" : "text/html";
  const parsed = new DOMParser().parseFromString(markup, type);
  const root = kind === "svg" ? parsed.documentElement : parsed.body.firstElementChild;
  if (!root || root.nodeName === "parsererror") return null;
  for (const node of [root, ...root.querySelectorAll("*")]) {
    if (!CHART_TAGS.has(node.localName)) {
      node.remove();
      continue;
    }
    for (const attribute of [...node.attributes]) {
      const value = attribute.value;
      const safe = CHART_ATTRIBUTES.test(attribute.name) && !/^\s*(javascript|data):/i.test(value);
      if (!safe || (value.includes("url(") && !/^url\(#[\w-]+\)$/.test(value))) {
        node.removeAttribute(attribute.name);
      }
    }
  }
  return document.importNode(root, true);
}
