// dom.mjs: the one DOM builder of the site's page modules (walkthrough-page.mjs, cases-page.mjs).
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
