/**
 * Registers a tag once. A registrar may load Akkoord twice (a tag manager and
 * an npm build): the first registration wins, and a different class already
 * holding the tag gets a warning (once, with the fix) instead of an exception.
 */
import { devLater } from './dev-later.js';

export function define(tag: string, element: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, element);
  else if (existing !== element) {
    // A console warning, once, with the fix, when the page is idle; its text is not on any element's first load.
    devLater((dev) => dev.reportDuplicate(tag));
  }
}
