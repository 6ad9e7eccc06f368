/**
 * The letter prints alone, on any page, without CSS from the host. While a
 * letter is prepared, every element on the way from the page's `<html>` to
 * `<privacy-rights>` carries a mark, and each document or shadow root on
 * that way (a host component that slots or renders the element included)
 * gets a print-only style sheet that hides whatever is not marked. Inside
 * the element its own print styles hide all but the letter. So the print
 * button and the browser's own Print both give the letter, on A4, and
 * nothing else; on screen nothing changes. `release` takes it all away
 * again (a changed form, a new notice, the element leaving the page).
 */
const MARK = 'data-akkoord-print-path';

let sheet: CSSStyleSheet | undefined;
/** One sheet for every root: hides in print what is not on the way to a letter. */
function printSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    // The marked elements keep their display, but not their spacing, boxes and heights: a host's
    // margins around the element would push a one-page letter onto a second sheet.
    sheet.replaceSync(`@media print {
      *:not([${MARK}]) { display: none !important; }
      [${MARK}] {
        margin: 0 !important; padding: 0 !important; border: 0 !important; box-shadow: none !important;
        min-height: 0 !important; height: auto !important; max-height: none !important; overflow: visible !important;
        background: none !important;
      }
    }
    @page { size: A4; margin: 20mm; }`);
  }
  return sheet;
}

/** How many letters hold each marked element and each root's sheet (two letters may share a way). */
const holds = new Map<Element | Document | ShadowRoot, number>();

/** The element's parent as it renders: its slot if it is slotted, the host at a shadow root. */
function renderedParent(node: Element): Element | null {
  if (node.assignedSlot) return node.assignedSlot;
  const parent = node.parentNode;
  if (parent instanceof ShadowRoot) return parent.host;
  return parent instanceof Element ? parent : null;
}

/** The way from `element` up to `<html>`, and the roots it passes through. */
function way(element: Element): { elements: Element[]; roots: (Document | ShadowRoot)[] } {
  const elements: Element[] = [];
  const roots = new Set<Document | ShadowRoot>();
  for (let node: Element | null = element; node; node = renderedParent(node)) {
    elements.push(node);
    const root = node.getRootNode();
    if (root instanceof Document || root instanceof ShadowRoot) roots.add(root);
  }
  return { elements, roots: [...roots] };
}

function hold(target: Element | Document | ShadowRoot): boolean {
  const count = holds.get(target) ?? 0;
  holds.set(target, count + 1);
  return count === 0;
}

function letGo(target: Element | Document | ShadowRoot): boolean {
  const count = (holds.get(target) ?? 0) - 1;
  if (count > 0) holds.set(target, count);
  else holds.delete(target);
  return count <= 0;
}

/** Makes printing show `element`'s letter alone; returns what undoes it. */
export function printAlone(element: Element): () => void {
  const { elements, roots } = way(element);
  for (const node of elements) if (hold(node)) node.setAttribute(MARK, '');
  for (const root of roots) if (hold(root)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, printSheet()];
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const node of elements) if (letGo(node)) node.removeAttribute(MARK);
    for (const root of roots) if (letGo(root)) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}
