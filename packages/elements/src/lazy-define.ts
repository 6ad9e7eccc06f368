/**
 * Each element loads when its tag first appears in the document: a page pays
 * only for the elements it shows, and still needs only the one script tag.
 *
 * Only the light DOM is watched. A host that renders our tags inside its own
 * shadow roots imports the define modules instead.
 */
import type { ElementTag } from './elements.js';

// Literal imports, one per tag, so that bundlers can follow them; typed by the
// list of elements, so a tag added there without a loader here does not compile.
const loaders: Record<ElementTag, () => Promise<unknown>> = {
  'consent-banner': () => import('./consent-banner/define.js'),
  'privacy-notice': () => import('./privacy-notice/define.js'),
  'consent-preferences': () => import('./consent-preferences/define.js'),
  'privacy-rights': () => import('./privacy-rights/define.js'),
  'consent-history': () => import('./consent-history/define.js'),
  'consent-embed': () => import('./consent-embed/define.js'),
};

/**
 * Loads each element's code when its tag first shows up in `document`, also
 * while the page is still being parsed (the script may be `async`).
 * `whenFound[tag]` runs with the first such element, just before its code
 * is asked for: the banner starts what it will need beside it (first-paint.ts).
 */
export function defineOnDemand(whenFound: Partial<Record<ElementTag, (element: Element) => void>> = {}): void {
  const pending = new Set((Object.keys(loaders) as ElementTag[]).filter((tag) => !customElements.get(tag)));
  const scan = () => {
    for (const tag of pending) {
      const found = document.querySelector(tag);
      if (!found) continue;
      pending.delete(tag);
      whenFound[tag]?.(found);
      loaders[tag]!().catch((error: unknown) => console.error(`Akkoord could not load <${tag}>:`, error));
    }
    if (!pending.size) observer.disconnect();
  };
  const observer = new MutationObserver(scan);
  observer.observe(document, { childList: true, subtree: true });
  scan();
}
