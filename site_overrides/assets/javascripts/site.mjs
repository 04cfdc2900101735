// Site behaviour on top of Material for MkDocs, loaded as an ES module (extra_javascript with
// type: module). Material's instant navigation swaps page content without reloading, so this
// module runs once per visit and does its per-page set-up in document$.subscribe(...).
// Python runs in the browser only through logic-client.mjs (its worker), never from here.

/** Material 9's search dialog has no accessible name (axe: aria-dialog-name); Zensical's has.
 * Named here rather than in a copied theme partial, which would replace Zensical's search. */
function nameSearchDialog() {
  const dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
  dialog?.setAttribute("aria-label", "Search");
}

document$.subscribe(nameSearchDialog);
